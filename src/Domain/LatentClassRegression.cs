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
/// THE SPEC for latent class regression (a finite mixture of linear regressions):
///   y_i = x_i' beta_c + e_i,  e_i ~ N(0, sigma_c^2),  Pr[C_u = c] = pi_c,
/// where every row i belongs to a unit u (itself, or its group with <c>--group</c>) and all rows of a
/// unit share one latent class. sigma_c^2 is per class, common to all classes, or fixed.
/// Shapes: y has n rows, X is n x p (intercept column included when wanted), W is U x K (U units).
/// theta is the K classes (beta_c, sigma_c) as <see cref="RegressionComponents"/>; pi the weights.
/// Each function is a thin instance of the generic EM core (<see cref="EmLoop"/>, <see cref="Estimation"/>)
/// with <see cref="RegressionFamily"/>. The sales model (<see cref="SalesModel"/>) is this family with
/// group = store and sigma^2 fixed at 1.
/// </summary>
/// <remarks>R: <c>flexmix(y ~ x1 + x2, k = K)</c> (<c>y ~ x1 + x2 | id</c> when grouped), <c>stepFlexmix</c>
/// for several K, <c>refit</c> for standard errors; <c>mixtools::regmixEM</c> for the ML variance update.</remarks>
public static class LatentClassRegression
{
    /// <summary>The design [1, covariates] (n x (m + 1)), or the covariates alone without the intercept.</summary>
    public static Matrix<double> Design(Matrix<double> covariates, bool intercept = true) =>
        intercept
            ? Matrix<double>.Build.Dense(covariates.RowCount, covariates.ColumnCount + 1, (i, j) => j == 0 ? 1.0 : covariates[i, j - 1])
            : covariates.Clone();

    /// <summary>The validated sufficient statistics of (y, X) with optional group labels (rows with the
    /// same label form one unit, in order of first appearance).</summary>
    public static RegressionData Data(IReadOnlyList<double> y, Matrix<double> X, IReadOnlyList<int>? group = null) =>
        RegressionData.FromRows(y, X, group);

    /// <summary><see cref="Data(IReadOnlyList{double}, Matrix{double}, IReadOnlyList{int}?)"/> with an observation weight per unit
    /// (per group with groups, per row otherwise; null: none).</summary>
    public static RegressionData Data(IReadOnlyList<double> y, Matrix<double> X, IReadOnlyList<int>? group, ObservationWeights? weights) =>
        RegressionData.FromRows(y, X, group).WithWeights(weights);

    /// <summary>The family with the given variance model.</summary>
    public static RegressionFamily Family(VarianceModel variance) => new(variance);

    /// <summary>
    /// log L(theta, pi) = sum_u logsumexp_c (log pi_c + l_uc),
    /// l_uc = -(n_u / 2) log(2 pi sigma_c^2) - sum_{i in u} (y_i - x_i' beta_c)^2 / (2 sigma_c^2);
    /// with observation weights w_u (<see cref="RegressionData.WithWeights"/>) sum_u w_u logsumexp_c (log pi_c + l_uc).
    /// </summary>
    /// <remarks>flexmix's <c>logLik</c>; mixtools' <c>regmixEM(...)$loglik</c>.</remarks>
    public static double LogL(RegressionComponents theta, MixingWeights pi, RegressionData data)
    {
        CheckShapes(theta, pi, data);
        return EmLoop.LogLikelihood(Family(VarianceModel.PerClass).LogDensityMatrix(data, theta), pi.LogPi(), data.Weights);
    }

    /// <summary>log L for row data y, X (and optional groups); see the overload on <see cref="RegressionData"/>.</summary>
    public static double LogL(RegressionComponents theta, MixingWeights pi, IReadOnlyList<double> y, Matrix<double> X, IReadOnlyList<int>? group = null) =>
        LogL(theta, pi, Data(y, X, group));

    /// <summary>
    /// W[u,k] = Pr[C_u = k | y_u, X_u, theta, pi] = exp(log pi_k + l_uk - logsumexp_c (log pi_c + l_uc)).
    /// </summary>
    /// <returns>The U x K matrix W; each row sums to one.</returns>
    /// <remarks>flexmix's <c>posterior</c>; mixtools' <c>regmixEM(...)$posterior</c>.</remarks>
    public static Matrix<double> EStep(RegressionComponents theta, MixingWeights pi, RegressionData data)
    {
        CheckShapes(theta, pi, data);
        return EmLoop.EStep(Family(VarianceModel.PerClass).LogDensityMatrix(data, theta), pi.LogPi()).W;
    }

    /// <summary>
    /// New (theta, pi) from W: beta_c = argmin sum_u W[u,c] sum_{i in u} (y_i - x_i' beta)^2 (weighted
    /// least squares by Cholesky); the ML variance sigma_c^2 = sum_u W[u,c] RSS_u(beta_c) / sum_u W[u,c] n_u
    /// (per class), its pooled version sum_c sum_u W[u,c] RSS_u(beta_c) / n (common), or the fixed value;
    /// pi_c = (1/U) sum_u W[u,c]. Fails when a class is empty, its design singular or its variance collapsed.
    /// </summary>
    /// <remarks>The ML update of mixtools' <c>regmixEM</c>; flexmix divides by a df-corrected count instead.</remarks>
    public static Fin<Mixture<RegressionComponents>> MStep(RegressionData data, Matrix<double> W, VarianceModel variance)
    {
        if (W.RowCount != data.Units) throw new ArgumentException($"W has {W.RowCount} rows but the data have {data.Units} units");
        return EmLoop.MStep(Family(variance), data, W);
    }

    /// <summary>
    /// EM from one random start: start number <paramref name="start"/> of <see cref="Estimate(IEnumerable{int}, RegressionData, RegressionSettings, SelectionCriterion, ConcomitantWeights)"/>'s
    /// plan without screening (its kind is random partition, Dirichlet soft responsibilities or parameter-space
    /// for start mod 3 = 0, 1, 2; its generator xoshiro256** seeded by (settings.Seed, K, start)); then M and E
    /// steps (accelerated as settings say) until max |W_new - W_old| &lt; tol or the iteration limit. A start
    /// that degenerates (see <see cref="RegressionSettings.MinPrior"/>) fails with the reason.
    /// </summary>
    public static Fin<EmFit<RegressionComponents>> EM(int K, RegressionData data, RegressionSettings settings, int start = 0)
    {
        if (K < 1 || K > data.Units) return FinFail<EmFit<RegressionComponents>>(new InvalidDataError($"K = {K} must be between 1 and the number of units ({data.Units})"));
        var family = Family(settings.Variance);
        var s = Seeds.Derive(settings.Seed, (ulong)K, (ulong)start);
        var kind = K == 1 ? StartKind.Given : family.StartKinds[start % family.StartKinds.Length];
        var W0 = K == 1 ? Matrix<double>.Build.Dense(data.Units, 1, 1.0) : Estimation.MakeStart(family, data, K, kind, Seeds.Generator(s));
        if (W0 is null) return FinFail<EmFit<RegressionComponents>>(new InvalidDataError($"a {kind.Label()} start cannot be made on these data"));
        return EmLoop.Run(family, data, W0, settings.EmOptions, new StartInfo(kind, start, s));
    }

    /// <summary>EM started from given parameters: W0 = EStep(theta, pi), then M and E steps as above.</summary>
    public static Fin<EmFit<RegressionComponents>> EM(Mixture<RegressionComponents> initial, RegressionData data, RegressionSettings settings)
    {
        var W0 = EStep(initial.Components, initial.Weights, data);
        return EmLoop.Run(Family(settings.Variance), data, W0, settings.EmOptions, new StartInfo(StartKind.Given, 0));
    }

    /// <summary>
    /// Latent class regressions for every requested K, with K selected by <paramref name="criterion"/>: the
    /// generic pipeline (<see cref="Estimation.Path"/>) with this family and constant weights. K = 1..max(Ks)
    /// are fitted in turn; each K gets K-1 split starts (every class of the best (K-1)-class fit split in two)
    /// and settings.Starts random starts (screened), and keeps the best admissible start (highest log L,
    /// lowest start index on ties). A K where every start degenerated keeps its error instead of a fit.
    /// </summary>
    /// <remarks>flexmix's <c>stepFlexmix(y ~ x, k = Ks, nrep = starts)</c>, which keeps the best of
    /// <c>nrep</c> random starts per K (flexmix drops a degenerate component and continues; we
    /// abandon the start, so a reported K always has K classes).</remarks>
    /// <param name="Ks">The numbers of classes.</param>
    /// <param name="data">The rows (and groups).</param>
    /// <param name="settings">How the starts are planned and run.</param>
    /// <param name="criterion">The criterion choosing K.</param>
    /// <param name="concomitant">Class probabilities that depend on concomitant variables, one row per unit
    /// (flexmix's <c>concomitant = FLXPmultinom(~ z)</c>); null: one pi for every unit.</param>
    public static Fin<EstimationPath<RegressionComponents>> Estimate(IEnumerable<int> Ks, RegressionData data, RegressionSettings settings,
        SelectionCriterion criterion = SelectionCriterion.Bic, ConcomitantWeights? concomitant = null)
    {
        var wanted = Ks.Distinct().Order().ToArray();
        if (wanted.Length == 0) return FinFail<EstimationPath<RegressionComponents>>(new InvalidDataError("no K requested"));
        if (wanted[0] < 1) return FinFail<EstimationPath<RegressionComponents>>(new InvalidDataError($"K must be at least 1 (got {wanted[0]})"));
        if (wanted[^1] > data.Units)
            return FinFail<EstimationPath<RegressionComponents>>(new InvalidDataError($"K = {wanted[^1]} exceeds the number of units ({data.Units})"));
        if (concomitant is not null && concomitant.Units != data.Units)
            return FinFail<EstimationPath<RegressionComponents>>(new InvalidDataError($"the concomitant variables have {concomitant.Units} rows but the data have {data.Units} units"));
        return Estimation.Path(Family(settings.Variance), (IWeightModel?)concomitant ?? ConstantWeights.Instance, data, wanted, settings.Estimation, criterion);
    }

    /// <summary>The best admissible K-class fit (see the multi-K overload); fails with the K's own error when there is none.</summary>
    public static Fin<EstimateResult<RegressionComponents>> Estimate(int K, RegressionData data, RegressionSettings settings) =>
        from path in Estimate([K], data, settings)
        from est in path.Fits[0].Result
        select est;

    /// <summary>The numbers of classes <see cref="Fit(RegressionRows, IEnumerable{int}?, RegressionSettings?)"/> fits when none are given: 1..5 (as <c>mixtures regress</c>).</summary>
    public static ImmutableArray<int> DefaultKs { get; } = [1, 2, 3, 4, 5];

    /// <summary>
    /// The facade shared with the other families: the estimation path for every K in <paramref name="Ks"/> (default 1..5)
    /// and the K with the lowest BIC, as a fit that labels, scores and predicts units and samples new ones. The same search
    /// as <see cref="Estimate(IEnumerable{int}, RegressionData, RegressionSettings, SelectionCriterion, ConcomitantWeights)"/> and
    /// <c>mixtures regress</c> (per-class variances unless <paramref name="settings"/> say otherwise). Fails when no K can be fitted.
    /// </summary>
    public static Fin<RegressionMixtureFit> Fit(RegressionRows rows, IEnumerable<int>? Ks = null, RegressionSettings? settings = null)
    {
        var s = settings ?? RegressionSettings.Default;
        return from path in Estimate(Ks ?? DefaultKs, rows.Data, s)
               from fit in path.Selected is null
                   ? FinFail<RegressionMixtureFit>(path.Fits.FirstOrDefault(f => !f.Ok)?.Error ?? new InvalidDataError("no K could be fitted"))
                   : Fin<RegressionMixtureFit>.Succ(new RegressionMixtureFit(path, s, rows))
               select fit;
    }

    /// <summary><see cref="Fit(RegressionRows, IEnumerable{int}?, RegressionSettings?)"/> on plain arrays: y, the covariates (a row per
    /// observation; the intercept is added) and optional groups.</summary>
    public static Fin<RegressionMixtureFit> Fit(double[] y, double[,] covariates, IEnumerable<int>? Ks = null, RegressionSettings? settings = null, int[]? group = null) =>
        RegressionRows.Of(y, covariates, group).Bind(r => Fit(r, Ks, settings));

    /// <summary><see cref="Fit(RegressionRows, IEnumerable{int}?, RegressionSettings?)"/> on y and jagged covariates (one inner array per row).</summary>
    public static Fin<RegressionMixtureFit> Fit(double[] y, double[][] covariates, IEnumerable<int>? Ks = null, RegressionSettings? settings = null, int[]? group = null) =>
        RegressionRows.Of(y, covariates, group).Bind(r => Fit(r, Ks, settings));

    /// <summary>
    /// Standard errors from the observed information of the incomplete-data log-likelihood at (theta, pi),
    /// parameters (beta, log sigma, logits alpha_c = log(pi_c / pi_1)); see <see cref="ObservedInformation"/>.
    /// </summary>
    /// <remarks>flexmix's <c>summary(refit(fit))</c>.</remarks>
    /// <remarks>With <paramref name="concomitant"/>, psi's weight part is gamma_2..gamma_K (see
    /// <see cref="ObservedInformation.Inference(RegressionComponents, MixingWeights, RegressionData, VarianceModel, ConcomitantWeights)"/>).</remarks>
    public static Fin<RegressionInference> StandardErrors(RegressionComponents theta, MixingWeights pi, RegressionData data, VarianceModel variance,
        ConcomitantWeights? concomitant = null)
    {
        CheckShapes(theta, pi, data);
        return concomitant is null
            ? ObservedInformation.Inference(theta, pi, data, variance)
            : ObservedInformation.Inference(theta, pi, data, variance, concomitant);
    }

    /// <summary>
    /// For new rows X (m x p): each class's prediction x_i' beta_c, the mixture expectation
    /// E[y_i | x_i] = sum_c pi_c x_i' beta_c, and, when y is given, the posterior class probabilities
    /// (EStep on the new rows, per group when <paramref name="group"/> is given).
    /// </summary>
    /// <remarks>flexmix's <c>predict(fit, newdata)</c> gives the per-class predictions;
    /// <c>posterior(fit, newdata)</c> the probabilities.</remarks>
    /// <remarks>With <paramref name="concomitant"/> (the new units' concomitant design: one row per unit, unit u the rows with
    /// group id u, or row u without groups), the prior of unit u is Pr[C_u = c | z_u] = softmax_c(z_u' gamma_c) (gamma in
    /// <paramref name="pi"/>) instead of pi_c, in the mixture expectation sum_c Pr[c | z_u] x_i' beta_c and in the posterior.</remarks>
    public static RegressionPrediction Predict(RegressionComponents theta, MixingWeights pi, Matrix<double> X,
        IReadOnlyList<double>? y = null, IReadOnlyList<int>? group = null, ConcomitantWeights? concomitant = null)
    {
        if (theta.K != pi.K) throw new ArgumentException($"theta has {theta.K} classes but pi has {pi.K} weights");
        var units = group is null ? X.RowCount : (group.Count == 0 ? 0 : group.Max() + 1);
        if (concomitant is not null && concomitant.Units != units)
            throw new ArgumentException($"the concomitant design has {concomitant.Units} rows for {units} units");
        var logPrior = concomitant?.LogPrior(pi, units) ?? pi.LogPi();
        var p = theta.Classes[0].Beta.Length;
        if (X.ColumnCount != p) throw new ArgumentException($"X has {X.ColumnCount} columns but the classes have {p} coefficients");
        var m = X.RowCount;
        var K = theta.K;
        var B = Matrix<double>.Build.Dense(p, K, (j, c) => theta.Classes[c].Beta[j]);
        var byClass = X * B;
        var mix = new double[m];
        for (var i = 0; i < m; i++)
        for (var c = 0; c < K; c++)
            mix[i] += (concomitant is null ? pi.Pi[c] : Math.Exp(logPrior[c * units + (group?[i] ?? i)])) * byClass[i, c];
        Matrix<double>? posterior = null;
        if (y is not null)
        {
            var data = Data(y, X, group);
            var L = Family(VarianceModel.PerClass).LogDensityMatrix(data, theta);
            // New rows near the limits of the double range, or a unit whose log-densities are not
            // representable (a residual of 1e300 sigma: every density 0 in double precision), get their
            // log-densities relative to the nearest class, per unit and in scaled units, so that far-out
            // rows still get the posterior of log space rather than a uniform or NaN one.
            var scaled = data.responseExponent != 0 || data.columnExponent.Any(e => e != 0);
            var U = data.Units;
            var rowsOf = new List<int>[U];
            for (var i = 0; i < m; i++) (rowsOf[data.RowUnit?[i] ?? i] ??= []).Add(i);
            var rel = new double[K];
            for (var u = 0; u < U; u++)
            {
                var usable = false;
                var nan = false;
                for (var c = 0; c < K; c++) { usable |= L[u, c] > double.NegativeInfinity; nan |= double.IsNaN(L[u, c]); }
                if (!scaled && usable && !nan) continue;
                RelativeLogDensities(theta, y, X, byClass, rowsOf[u], rel);
                for (var c = 0; c < K; c++) L[u, c] = rel[c];
            }
            if (concomitant is not null && data.Units != units) throw new ArgumentException($"the data have {data.Units} units, the concomitant design {units}");
            var W = EmLoop.EStep(L, logPrior).W;
            posterior = data.RowUnit is { } ru ? Matrix<double>.Build.Dense(m, K, (i, c) => W[ru[i], c]) : W;
        }
        return new RegressionPrediction(byClass, mix, posterior);
    }

    /// <summary>
    /// <see cref="Predict"/> with every prediction checked: a row whose class prediction x'beta_c (or
    /// the mixture) is beyond the double range fails with a <see cref="RowValueError"/> naming the row
    /// (0-based) and the covariate whose term is largest; <paramref name="coefficients"/> names the design's
    /// columns (an intercept's name is never reported: its term cannot overflow).
    /// </summary>
    public static Fin<RegressionPrediction> PredictChecked(RegressionComponents theta, MixingWeights pi, Matrix<double> X, IReadOnlyList<string> coefficients,
        IReadOnlyList<double>? y = null, IReadOnlyList<int>? group = null, ConcomitantWeights? concomitant = null)
    {
        var pr = Predict(theta, pi, X, y, group, concomitant);
        var p = X.ColumnCount;
        for (var i = 0; i < X.RowCount; i++)
        {
            var c = Enumerable.Range(0, theta.K).FirstOrDefault(k => !double.IsFinite(pr.ByClass[i, k]), -1);
            if (c < 0 && double.IsFinite(pr.Mixture[i])) continue;
            var k0 = c < 0 ? Enumerable.Range(0, theta.K).MaxBy(k => Math.Abs(pr.ByClass[i, k])) : c;
            var beta = theta.Classes[k0].Beta;
            var j = Enumerable.Range(0, p).MaxBy(t => Math.Abs(X[i, t]) * Math.Abs(beta[t]));
            var what = c < 0 ? "the mixture prediction sum_c pi_c x'beta_c" : $"the prediction of class {c + 1}";
            return FinFail<RegressionPrediction>(new RowValueError(i, coefficients[j],
                $"{X[i, j].ToString("R", System.Globalization.CultureInfo.InvariantCulture)} times class {k0 + 1}'s coefficient " +
                $"{beta[j].ToString("G6", System.Globalization.CultureInfo.InvariantCulture)} makes {what} overflow (beyond 1.8E+308)"));
        }
        return pr;
    }

    /// <summary>
    /// For one unit's rows, dest[c] = log f(y_u | c) - log f(y_u | m), m the most probable class:
    /// -n_u (log sigma_c - log sigma_m) - (S_c - S_m) / 2 with S_c = sum_i z_ic^2, z_ic = (y_i - x_i'beta_c) / sigma_c,
    /// computed with y and the predictions in units of a power of two (exact) so nothing overflows, and
    /// S_c - S_m = sum_i (z_ic - z_im)(z_ic + z_im), where for equal sigmas z_ic - z_im = (x_i'beta_m - x_i'beta_c) / sigma
    /// exactly (far from every line the difference is linear in y and would otherwise cancel). -inf where the
    /// difference is beyond the double range (a posterior of exactly 0).
    /// </summary>
    private static void RelativeLogDensities(RegressionComponents theta, IReadOnlyList<double> y, Matrix<double> X, Matrix<double> byClass, List<int> rows, double[] dest)
    {
        var K = theta.K;
        var E = int.MinValue;
        foreach (var i in rows)
        {
            if (y[i] != 0) E = Math.Max(E, Math.ILogB(Math.Abs(y[i])) + 1);
            for (var c = 0; c < K; c++)
                if (byClass[i, c] != 0 && double.IsFinite(byClass[i, c])) E = Math.Max(E, Math.ILogB(Math.Abs(byClass[i, c])) + 1);
        }
        if (E == int.MinValue) E = 0;
        // z_ic = t_ic 2^G_c with t_ic = (y_i - x_i'beta_c) / 2^E / (sigma_c / 2^s_c), |t| <= 4, s_c = ILogB(sigma_c), G_c = E - s_c;
        // a pair of classes is compared in the common exponent G = max(G_c, G_m)
        double Mantissa(int c) => Math.ScaleB(theta.Classes[c].Sigma, -Math.ILogB(theta.Classes[c].Sigma));
        int G(int c) => E - Math.ILogB(theta.Classes[c].Sigma);
        double Z(int i, int c, int g) => Math.ScaleB((Math.ScaleB(y[i], -E) - Math.ScaleB(byClass[i, c], -E)) / Mantissa(c), G(c) - g);
        double Relative(int c, int m)
        {
            if (c == m) return 0.0;
            var sc = theta.Classes[c].Sigma;
            var sm = theta.Classes[m].Sigma;
            var g = Math.Max(G(c), G(m));
            var ds = 0.0;
            foreach (var i in rows)
            {
                if (!double.IsFinite(byClass[i, c])) return double.NegativeInfinity;
                var diff = sc == sm
                    ? Math.ScaleB((Math.ScaleB(byClass[i, m], -E) - Math.ScaleB(byClass[i, c], -E)) / Mantissa(c), G(c) - g)
                    : Z(i, c, g) - Z(i, m, g);
                if (diff != 0) ds += diff * (Z(i, c, g) + Z(i, m, g));
            }
            if (double.IsNaN(ds)) return double.NegativeInfinity;
            return -rows.Count * (Math.Log(sc) - Math.Log(sm)) - 0.5 * Math.ScaleB(ds, 2 * g);
        }
        var best = 0;
        for (var pass = 0; pass < K; pass++)
        {
            var top = best;
            for (var c = 0; c < K; c++)
            {
                dest[c] = Relative(c, best);
                if (dest[c] > dest[top]) top = c;
            }
            if (top == best || !(dest[top] > 0)) return;
            best = top;
        }
    }

    /// <summary>The U x K posterior class probabilities of a fit at its final parameters: the run's final E-step
    /// repeated (<see cref="EmLoop.Responsibilities{TD,TC}(IMixtureFamily{TD,TC}, IWeightModel, TD, EmFit{TC})"/>).</summary>
    /// <remarks>With <paramref name="concomitant"/>, the priors of the concomitant model the fit was made with.</remarks>
    public static Matrix<double> Responsibilities(EmFit<RegressionComponents> fit, RegressionData data, VarianceModel variance, ConcomitantWeights? concomitant = null) =>
        EmLoop.Responsibilities(Family(variance), (IWeightModel?)concomitant ?? ConstantWeights.Instance, data, fit);

    /// <summary>Class profiles under the hard assignment of each unit to its most likely class.</summary>
    public static ImmutableArray<ClassProfile> Profiles(Matrix<double> W, RegressionData data, IReadOnlyList<double> y, Matrix<double> covariates) =>
        ClassProfile.Of(W, data.RowUnit, y, covariates);

    private static void CheckShapes(RegressionComponents theta, MixingWeights pi, RegressionData data)
    {
        if (theta.K != pi.K) throw new ArgumentException($"theta has {theta.K} classes but pi has {pi.K} weights");
        if (theta.Classes.Any(c => c.Beta.Length != data.P)) throw new ArgumentException($"every class needs {data.P} coefficients");
    }
}
