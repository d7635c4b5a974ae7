using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Em;
using Mixtures.Domain.Fits;
using Mixtures.Domain.Model;
using Mixtures.Domain.Random;
using Mixtures.Domain.Regression;
using static LanguageExt.Prelude;

namespace Mixtures.Domain;

/// <summary>
/// THE SPEC for mixtures of generalized linear models (latent class Poisson and logistic regression):
///   Poisson:  y_i ~ Poisson(mu_ic),  log mu_ic = x_i'beta_c + offset_i,
///   binomial: y_i ~ Binomial(n_i, p_ic),  logit p_ic = x_i'beta_c,
/// with Pr[C_u = c] = pi_c and all rows of a unit u (itself, or its group) in one class. No dispersion parameter.
/// Shapes: y has n rows, X is n x p (an intercept-only model has p = 1), W is U x K (U units).
/// theta is the K coefficient vectors (<see cref="GlmComponents"/>); pi the weights. Each function is a thin
/// instance of the generic EM core with <see cref="GlmFamily"/>; the response distribution is the data's
/// (<see cref="GlmData.Response"/>).
/// </summary>
/// <remarks>R: <c>flexmix(y ~ x, k = K, model = FLXMRglm(family = "poisson"))</c>,
/// <c>flexmix(cbind(y, n - y) ~ x, k = K, model = FLXMRglm(family = "binomial"))</c>, <c>stepFlexmix</c> for
/// several K, <c>refit</c> for standard errors; mixtools <c>poisregmixEM</c>, <c>logisregmixEM</c>.</remarks>
public static class GlmRegression
{
    /// <summary>The family (one instance for both responses).</summary>
    public static GlmFamily Family => GlmFamily.Instance;

    /// <summary>
    /// log L(theta, pi) = sum_u logsumexp_c (log pi_c + sum_{i in u} log f(y_i | x_i'beta_c + offset_i)), the
    /// densities exact (with -log y! and log C(n, y)), as flexmix's <c>logLik</c>; with observation weights
    /// (<see cref="GlmData.WithWeights"/>) sum_u w_u logsumexp_c (...).
    /// </summary>
    public static double LogL(GlmComponents theta, MixingWeights pi, GlmData data)
    {
        CheckShapes(theta, pi, data);
        return EmLoop.LogLikelihood(Family.LogDensityMatrix(data, theta), pi.LogPi(), data.Weights);
    }

    /// <summary>W[u,k] = exp(log pi_k + l_uk - logsumexp_c (log pi_c + l_uc)): U x K, rows sum to one.</summary>
    public static Matrix<double> EStep(GlmComponents theta, MixingWeights pi, GlmData data)
    {
        CheckShapes(theta, pi, data);
        return EmLoop.EStep(Family.LogDensityMatrix(data, theta), pi.LogPi()).W;
    }

    /// <summary>
    /// New (theta, pi) from W: beta_c = argmax sum_u W[u,c] sum_{i in u} log f(y_i | x_i'beta + offset_i) by weighted
    /// IRLS (see <see cref="GlmFamily"/>), pi_c = (1/U) sum_u W[u,c]. Fails when a class is empty, its weighted design
    /// singular or its GLM has no maximum (separation, all-zero counts).
    /// </summary>
    public static Fin<Mixture<GlmComponents>> MStep(GlmData data, Matrix<double> W)
    {
        if (W.RowCount != data.Units) throw new ArgumentException($"W has {W.RowCount} rows but the data have {data.Units} units");
        return EmLoop.MStep(Family, data, W);
    }

    /// <summary>EM from start number <paramref name="start"/> of <see cref="Estimate(IEnumerable{int}, GlmData, GlmSettings, SelectionCriterion, ConcomitantWeights)"/>'s
    /// plan without screening (random partition, Dirichlet or parameter-space start for start mod 3 = 0, 1, 2).</summary>
    public static Fin<EmFit<GlmComponents>> EM(int K, GlmData data, GlmSettings settings, int start = 0)
    {
        if (K < 1 || K > data.Units) return FinFail<EmFit<GlmComponents>>(new InvalidDataError($"K = {K} must be between 1 and the number of units ({data.Units})"));
        var s = Seeds.Derive(settings.Seed, (ulong)K, (ulong)start);
        var kind = K == 1 ? StartKind.Given : Family.StartKinds[start % Family.StartKinds.Length];
        var W0 = K == 1 ? Matrix<double>.Build.Dense(data.Units, 1, 1.0) : Estimation.MakeStart(Family, data, K, kind, Seeds.Generator(s));
        if (W0 is null) return FinFail<EmFit<GlmComponents>>(new InvalidDataError($"a {kind.Label()} start cannot be made on these data"));
        return EmLoop.Run(Family, data, W0, settings.EmOptions, new StartInfo(kind, start, s));
    }

    /// <summary>EM started from given parameters: W0 = EStep(theta, pi), then M and E steps.</summary>
    public static Fin<EmFit<GlmComponents>> EM(Mixture<GlmComponents> initial, GlmData data, GlmSettings settings) =>
        EmLoop.Run(Family, data, EStep(initial.Components, initial.Weights, data), settings.EmOptions, new StartInfo(StartKind.Given, 0));

    /// <summary>GLM mixtures for every requested K (K = 1..max fitted in turn, split starts from K - 1, random starts),
    /// K selected by <paramref name="criterion"/>: the generic pipeline with this family and constant weights, or the
    /// multinomial logit of <paramref name="concomitant"/> (one row per unit).</summary>
    /// <remarks>flexmix's <c>stepFlexmix(..., k = Ks, nrep = starts, concomitant = FLXPmultinom(~ z))</c>.</remarks>
    public static Fin<EstimationPath<GlmComponents>> Estimate(IEnumerable<int> Ks, GlmData data, GlmSettings settings,
        SelectionCriterion criterion = SelectionCriterion.Bic, ConcomitantWeights? concomitant = null)
    {
        var wanted = Ks.Distinct().Order().ToArray();
        if (wanted.Length == 0) return FinFail<EstimationPath<GlmComponents>>(new InvalidDataError("no K requested"));
        if (wanted[0] < 1) return FinFail<EstimationPath<GlmComponents>>(new InvalidDataError($"K must be at least 1 (got {wanted[0]})"));
        if (wanted[^1] > data.Units)
            return FinFail<EstimationPath<GlmComponents>>(new InvalidDataError($"K = {wanted[^1]} exceeds the number of units ({data.Units})"));
        if (concomitant is not null && concomitant.Units != data.Units)
            return FinFail<EstimationPath<GlmComponents>>(new InvalidDataError($"the concomitant variables have {concomitant.Units} rows but the data have {data.Units} units"));
        return Estimation.Path(Family, (IWeightModel?)concomitant ?? ConstantWeights.Instance, data, wanted, settings.Estimation, criterion);
    }

    /// <summary>The best admissible K-class fit.</summary>
    public static Fin<EstimateResult<GlmComponents>> Estimate(int K, GlmData data, GlmSettings settings) =>
        from path in Estimate([K], data, settings)
        from est in path.Fits[0].Result
        select est;

    /// <summary>The facade shared with the other families: the path for every K in <paramref name="Ks"/> (default 1..5) and the
    /// K with the lowest BIC, as a fit that labels, scores and predicts units and samples new ones.</summary>
    public static Fin<GlmMixtureFit> Fit(GlmData data, IEnumerable<int>? Ks = null, GlmSettings? settings = null)
    {
        var s = settings ?? GlmSettings.Default;
        return from path in Estimate(Ks ?? LatentClassRegression.DefaultKs, data, s)
               from fit in path.Selected is null
                   ? FinFail<GlmMixtureFit>(path.Fits.FirstOrDefault(f => !f.Ok)?.Error ?? new InvalidDataError("no K could be fitted"))
                   : Fin<GlmMixtureFit>.Succ(new GlmMixtureFit(path, s, data))
               select fit;
    }

    /// <summary><see cref="Fit(GlmData, IEnumerable{int}?, GlmSettings?)"/> on plain arrays: y, the covariates (a row per
    /// observation, possibly with no columns: an intercept-only model; the intercept is added), and optionally the
    /// offsets (Poisson), trials (binomial) and groups.</summary>
    public static Fin<GlmMixtureFit> Fit(GlmResponse response, double[] y, double[,] covariates, IEnumerable<int>? Ks = null, GlmSettings? settings = null,
        double[]? offset = null, double[]? trials = null, int[]? group = null) =>
        GlmData.Of(response, y, LatentClassRegression.Design(PlainArrays.ToMatrix(covariates)), offset, trials, group).Bind(d => Fit(d, Ks, settings));

    /// <summary>Standard errors from the observed information in (beta, log(pi_c / pi_1)), or (beta, gamma) with
    /// <paramref name="concomitant"/>; see <see cref="GlmInformation"/>.</summary>
    /// <remarks>flexmix's <c>summary(refit(fit))</c>.</remarks>
    public static Fin<RegressionInference> StandardErrors(GlmComponents theta, MixingWeights pi, GlmData data, ConcomitantWeights? concomitant = null)
    {
        CheckShapes(theta, pi, data);
        return GlmInformation.Inference(theta, pi, data, concomitant);
    }

    /// <summary>
    /// For new rows X (m x p) with optional offsets and trials: each class's mean, mu_ic = exp(x_i'beta_c + offset_i)
    /// (Poisson, the expected count) or p_ic = 1 / (1 + exp(-x_i'beta_c)) (binomial, the success probability), the
    /// mixture mean sum_c pi_c mu_ic, and, when <paramref name="data"/> (the same rows with their responses) is given,
    /// the posterior class probabilities (per group when grouped, repeated on every row of a group).
    /// </summary>
    /// <remarks>flexmix's <c>predict(fit, newdata)</c> (response scale) and <c>posterior(fit, newdata)</c>.</remarks>
    /// <remarks>With <paramref name="concomitant"/> (the new units' concomitant design, one row per unit of
    /// <paramref name="data"/>, or per row without data or groups) the prior of unit u is Pr[c | z_u] = softmax_c(z_u' gamma_c)
    /// in the mixture mean and the posterior, in place of pi.</remarks>
    public static RegressionPrediction Predict(GlmComponents theta, MixingWeights pi, GlmResponse response, Matrix<double> X,
        IReadOnlyList<double>? offset = null, GlmData? data = null, ConcomitantWeights? concomitant = null)
    {
        if (theta.K != pi.K) throw new ArgumentException($"theta has {theta.K} classes but pi has {pi.K} weights");
        var p = theta.Classes[0].Beta.Length;
        if (X.ColumnCount != p) throw new ArgumentException($"X has {X.ColumnCount} columns but the classes have {p} coefficients");
        var m = X.RowCount;
        var K = theta.K;
        var rowUnit = data?.RowUnit;
        var units = data?.Units ?? m;
        if (concomitant is not null && concomitant.Units != units)
            throw new ArgumentException($"the concomitant design has {concomitant.Units} rows for {units} units");
        var logPrior = concomitant?.LogPrior(pi, units);
        var byClass = Matrix<double>.Build.Dense(m, K);
        var mix = new double[m];
        for (var i = 0; i < m; i++)
        for (var c = 0; c < K; c++)
        {
            var eta = offset?[i] ?? 0.0;
            for (var j = 0; j < p; j++) eta += X[i, j] * theta.Classes[c].Beta[j];
            var mu = GlmFamily.Mean(response, 1.0, eta);
            byClass[i, c] = mu;
            mix[i] += (logPrior is null ? pi.Pi[c] : Math.Exp(logPrior[c * units + (rowUnit?[i] ?? i)])) * mu;
        }
        Matrix<double>? posterior = null;
        if (data is not null)
        {
            if (data.Rows != m) throw new ArgumentException($"the data have {data.Rows} rows but X has {m}");
            CheckShapes(theta, pi, data);
            var W = EmLoop.EStep(Family.LogDensityMatrix(data, theta), logPrior ?? pi.LogPi()).W;
            posterior = rowUnit is { } ru ? Matrix<double>.Build.Dense(m, K, (i, c) => W[ru[i], c]) : W;
        }
        return new RegressionPrediction(byClass, mix, posterior);
    }

    /// <summary>The U x K posterior class probabilities of a fit at its final parameters (its final E-step repeated),
    /// with the priors of the concomitant model the fit was made with, if any.</summary>
    public static Matrix<double> Responsibilities(EmFit<GlmComponents> fit, GlmData data, ConcomitantWeights? concomitant = null) =>
        EmLoop.Responsibilities(Family, (IWeightModel?)concomitant ?? ConstantWeights.Instance, data, fit);

    private static void CheckShapes(GlmComponents theta, MixingWeights pi, GlmData data)
    {
        if (theta.K != pi.K) throw new ArgumentException($"theta has {theta.K} classes but pi has {pi.K} weights");
        if (theta.Classes.Any(c => c.Beta.Length != data.P)) throw new ArgumentException($"every class needs {data.P} coefficients");
    }
}
