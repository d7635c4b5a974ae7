using System.Collections.Immutable;
using System.Runtime.InteropServices;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Em;
using Mixtures.Domain.Fits;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Domain.Random;
using static LanguageExt.Prelude;

namespace Mixtures.Domain;

/// <summary>
/// THE SPEC for Gaussian mixtures: rows x_i in R^d (i = 1..n) come from
///   f(x) = sum_k pi_k N(x | mu_k, Sigma_k),  k = 1..K,
/// with Sigma_k full, tied (one Sigma), diag or spherical (s_k^2 I), scikit-learn's covariance types
/// (mclust VVV, EEE, VVI, VII). Shapes: X is n x d, W is n x K (rows sum to one), means K x d.
/// Each function is a thin instance of the generic EM core (<see cref="EmLoop"/>, <see cref="Estimation"/>)
/// with <see cref="GaussianFamily"/>.
/// Conventions: BIC = -2 log L + k ln n and AIC = -2 log L + 2k on the data as fitted (standardized
/// when asked), lower is better, k = covariance parameters + K d + K - 1 (scikit-learn's
/// <c>bic</c>/<c>aic</c>; mclust reports BIC with the opposite sign, 2 log L - k ln n, higher is better).
/// EM stops when the log-likelihood per row changes by less than tol (scikit-learn's rule).
/// </summary>
/// <remarks>Python: <c>sklearn.mixture.GaussianMixture(n_components=K, covariance_type=..., reg_covar=1e-6,
/// tol=1e-3, max_iter=100, n_init=5)</c>. R: <c>mclust::Mclust(X, G = 1:10, modelNames = "VVV")</c>
/// (no ridge by default; <c>mclust::estep</c>, <c>mstep</c>, <c>em</c> are the same three steps).</remarks>
public static class GaussianMixture
{
    /// <summary>
    /// log L(theta, pi) = sum_i logsumexp_k(log pi_k + log N(x_i | mu_k, Sigma_k)), with
    /// log N(x | mu, Sigma) = -(d log 2 pi + log|Sigma| + ||L^-1 (x - mu)||^2) / 2 and Sigma = L L' (Cholesky); with
    /// observation weights (<see cref="GaussianData.WithWeights"/>) sum_i w_i logsumexp_k(...).
    /// </summary>
    /// <remarks>scikit-learn: <c>gm.score(X) * n</c>; mclust: <c>loglik</c> of <c>estep</c>.</remarks>
    public static double LogL(GaussianComponents theta, MixingWeights pi, Matrix<double> X) =>
        LogL(theta, pi, Data(X, theta));

    /// <summary>log L on validated data (no copy of X).</summary>
    public static double LogL(GaussianComponents theta, MixingWeights pi, GaussianData data) =>
        EStepWithLogL(theta, pi, data).LogLikelihood;

    /// <summary>
    /// W[i,k] = pi_k N(x_i | mu_k, Sigma_k) / sum_c pi_c N(x_i | mu_c, Sigma_c), computed in log space:
    /// exp(log pi_k + l_ik - logsumexp_c(log pi_c + l_ic)).
    /// </summary>
    /// <returns>The n x K matrix W; each row sums to one.</returns>
    /// <remarks>scikit-learn: <c>predict_proba</c>; mclust: <c>estep(...)$z</c>.</remarks>
    public static Matrix<double> EStep(GaussianComponents theta, MixingWeights pi, Matrix<double> X) =>
        EStepWithLogL(theta, pi, Data(X, theta)).W;

    /// <summary>W and log L at (theta, pi) on validated data; the fit's final E-step and prediction use it.
    /// See <see cref="EStepResolved(GaussianComponents, MixingWeights, GaussianData)"/> for rows too far from every component.</summary>
    public static (Matrix<double> W, double LogLikelihood) EStepWithLogL(GaussianComponents theta, MixingWeights pi, GaussianData data)
    {
        var (W, ll, _) = EStepResolved(theta, pi, data);
        return (W, ll);
    }

    /// <summary>
    /// W and log L at (theta, pi), in log space. A row so far from every component that its squared
    /// Mahalanobis distances overflow (every log-density -inf in double precision, e.g. a point 1e200
    /// standard deviations away) still gets its posterior: W[i,k] is computed from the differences
    /// log N(x_i | k) - log N(x_i | m), m the nearest component, with the distances in units of a power of
    /// two (<see cref="GaussianKernels.RelativeLogDensities"/>); its own log-likelihood is below the double
    /// range, so log L is -inf. <c>Unresolved</c> is the first row (0-based) whose distances overflow even
    /// so (its W is 1/K), or -1.
    /// </summary>
    public static (Matrix<double> W, double LogLikelihood, int Unresolved) EStepResolved(GaussianComponents theta, MixingWeights pi, GaussianData data) =>
        EStepResolved(theta, pi, data, ConstantWeights.Instance);

    /// <summary><see cref="EStepResolved(GaussianComponents, MixingWeights, GaussianData)"/> with the priors of a weight model:
    /// log W[i,k] = log Pr[C_i = k | z_i] + l_ik - logsumexp_c(log Pr[C_i = c | z_i] + l_ic) for a concomitant model
    /// (<see cref="ConcomitantWeights"/>, one row of z per data row), log pi_k for constant weights.</summary>
    public static (Matrix<double> W, double LogLikelihood, int Unresolved) EStepResolved(GaussianComponents theta, MixingWeights pi, GaussianData data, IWeightModel weights)
    {
        if (theta.K != pi.K) throw new ArgumentException($"theta has {theta.K} components but pi has {pi.K} weights");
        if (theta.D != data.D) throw new ArgumentException($"theta has d = {theta.D} but the data have {data.D} columns");
        var n = data.N;
        var K = theta.K;
        // one n x K buffer: the log-densities, far rows replaced by relative ones, normalised in place
        var L = new double[n * K];
        GaussianKernels.LogDensities(data, theta, L);
        var unresolved = -1;
        var far = ResolveFar(data, theta, L, n, 0, n, ref unresolved);
        var ll = EmLoop.EStepInto(L, weights.LogPrior(pi, n), n, K, L, data.Weights?.Active);
        return (Matrix<double>.Build.Dense(n, K, L), far ? double.NegativeInfinity : ll, unresolved);
    }

    /// <summary>
    /// The most probable cluster of every row (0-based, lowest on ties) and its posterior probability: argmax_k and max_k
    /// of the W of <see cref="EStepResolved(GaussianComponents, MixingWeights, GaussianData)"/>, bit for bit, computed a chunk of rows at a time (the E-step's own chunks),
    /// so that no n x K matrix is made.
    /// </summary>
    /// <remarks>scikit-learn's <c>predict</c> and the maximum of <c>predict_proba</c>; mclust's <c>map()</c>.</remarks>
    public static (ImmutableArray<int> Labels, ImmutableArray<double> Confidence) Assign(GaussianComponents theta, MixingWeights pi, GaussianData data) =>
        Assign(theta, pi, data, ConstantWeights.Instance);

    /// <summary><see cref="Assign(GaussianComponents, MixingWeights, GaussianData)"/> with the priors of a weight model (per row
    /// for a concomitant model): argmax_k and max_k of the W of
    /// <see cref="EStepResolved(GaussianComponents, MixingWeights, GaussianData, IWeightModel)"/>, bit for bit.</summary>
    public static (ImmutableArray<int> Labels, ImmutableArray<double> Confidence) Assign(GaussianComponents theta, MixingWeights pi, GaussianData data, IWeightModel weights)
    {
        if (theta.K != pi.K) throw new ArgumentException($"theta has {theta.K} components but pi has {pi.K} weights");
        if (theta.D != data.D) throw new ArgumentException($"theta has d = {theta.D} but the data have {data.D} columns");
        var n = data.N;
        var K = theta.K;
        var labels = new int[n];
        var confidence = new double[n];
        var inv = GaussianKernels.Reciprocals(theta);
        var logPrior = weights.LogPrior(pi, n);
        var perRow = logPrior.Length != K;
        GaussianKernels.ForEachChunk(n, ch =>
        {
            var start = ch * GaussianKernels.Chunk;
            var len = Math.Min(n, start + GaussianKernels.Chunk) - start;
            var L = System.Buffers.ArrayPool<double>.Shared.Rent(len * K);
            // the chunk's rows of a per-row prior (column-major len x K), or the K shared log weights
            var logPi = logPrior;
            if (perRow)
            {
                logPi = new double[len * K];
                for (var k = 0; k < K; k++) System.Array.Copy(logPrior, k * n + start, logPi, k * len, len);
            }
            try
            {
                // the chunk's rows as in the n x K buffer of EStepResolved: the same values in the same order of operations
                GaussianKernels.LogDensities(data, theta, inv, ch, L, len, start);
                var unresolved = -1;
                ResolveFar(data, theta, L, len, start, start + len, ref unresolved);
                EmLoop.EStepInto(L, logPi, len, K, L);
                for (var r = 0; r < len; r++)
                {
                    var best = 0;
                    for (var k = 1; k < K; k++) if (L[k * len + r] > L[best * len + r]) best = k;
                    labels[start + r] = best;
                    confidence[start + r] = L[best * len + r];
                }
            }
            finally { System.Buffers.ArrayPool<double>.Shared.Return(L); }
        });
        return (ImmutableCollectionsMarshal.AsImmutableArray(labels), ImmutableCollectionsMarshal.AsImmutableArray(confidence));
    }

    /// <summary>Rows [from, to) of a column-major buffer of log-densities (row i of component k at k stride + i - from for a
    /// chunk's buffer, k n + i for the whole): a row whose log-densities are all -inf or NaN gets the relative ones of
    /// <see cref="GaussianKernels.RelativeLogDensities"/>, or -inf everywhere (the first such row kept in
    /// <paramref name="unresolved"/>). True when there was such a row.</summary>
    private static bool ResolveFar(GaussianData data, GaussianComponents theta, double[] L, int stride, int rowBase, int to, ref int unresolved)
    {
        var K = theta.K;
        var far = false;
        double[]? rel = null;
        for (var i = rowBase; i < to; i++)
        {
            var o = i - rowBase;
            var usable = false;
            var nan = false;
            for (var k = 0; k < K; k++) { var v = L[k * stride + o]; usable |= v > double.NegativeInfinity; nan |= double.IsNaN(v); }
            if (usable && !nan) continue;
            far = true;
            rel ??= new double[K];
            if (GaussianKernels.RelativeLogDensities(data, theta, i, rel))
                for (var k = 0; k < K; k++) L[k * stride + o] = rel[k];
            else
            {
                for (var k = 0; k < K; k++) L[k * stride + o] = double.NegativeInfinity;
                if (unresolved < 0) unresolved = i;
            }
        }
        return far;
    }

    /// <summary>
    /// New (theta, pi) from W: n_k = sum_i W[i,k], pi_k = n_k / n, mu_k = sum_i W[i,k] x_i / n_k,
    /// Sigma_k = sum_i W[i,k] (x_i - mu_k)(x_i - mu_k)' / n_k + reg I (full; tied pools the scatter over k
    /// and divides by n; diag keeps its diagonal; spherical the mean of that diagonal).
    /// Fails when a component is empty (n_k &lt; 1e-8) or a covariance is not positive definite.
    /// </summary>
    /// <remarks>scikit-learn: <c>_m_step</c> / <c>_estimate_gaussian_parameters</c>; mclust: <c>mstep</c>.</remarks>
    public static Fin<(GaussianComponents theta, MixingWeights pi)> MStep(Matrix<double> X, Matrix<double> W, CovarianceType type, double regCovar = GaussianFamily.DefaultRegCovar)
    {
        if (W.RowCount != X.RowCount) throw new ArgumentException($"W has {W.RowCount} rows but X has {X.RowCount}");
        return from data in GaussianData.Of(X)
               from m in EmLoop.MStep(new GaussianFamily(type, regCovar), data, W)
               select (m.Components, m.Weights);
    }

    /// <summary>
    /// One EM run: start <paramref name="start"/> of K (k-means++ then Lloyd, or random responsibilities,
    /// from the seed derived from (seed, K, start); for K = 1 every row in the one component), then
    /// M and E steps until |log L_t - log L_(t-1)| / n &lt; tol or max iterations. Runs on the data as
    /// fitted (standardized when <see cref="GaussianSettings.Standardize"/>); the same run as start
    /// <paramref name="start"/> of <see cref="Estimate(IEnumerable{int}, Matrix{double}, GaussianSettings?, IReadOnlyList{string}?)"/> (without screening).
    /// </summary>
    /// <remarks>scikit-learn: <c>GaussianMixture(n_init=1).fit(X)</c>; mclust: <c>em</c> after <c>hc</c> initialisation.</remarks>
    public static Fin<EmFit<GaussianComponents>> EM(int K, Matrix<double> X, GaussianSettings? settings = null, int start = 0, IReadOnlyList<string>? columns = null) =>
        from data in GaussianData.Of(X, columns)
        from fit in EM(K, data, settings, start)
        select fit;

    /// <summary>One EM run on validated data (see the matrix overload).</summary>
    public static Fin<EmFit<GaussianComponents>> EM(int K, GaussianData data, GaussianSettings? settings = null, int start = 0)
    {
        var s = settings ?? GaussianSettings.Default;
        if (K < 1 || K > data.N) return FinFail<EmFit<GaussianComponents>>(new InvalidDataError($"K = {K} must be between 1 and the number of rows ({data.N})"));
        return from fitData in Prepare(data, s).Map(p => p.Data)
               from fit in RunStart(s.Family, fitData, K, s, start)
               select fit;
    }

    /// <summary>
    /// For every K in <paramref name="Ks"/> (K = 1..max(Ks) fitted in turn, the generic pipeline
    /// <see cref="Estimation.Path"/>): split starts from the best sound K - 1 fit and
    /// <see cref="GaussianSettings.Starts"/> random starts (screened), the best run kept (highest log L;
    /// among runs without a collapsed component unless degenerate fits are allowed, see
    /// <see cref="Degeneracy"/>); then K is selected by the lowest BIC among the eligible K, and a final
    /// E-step at the selected parameters gives the responsibilities (so labels equal those of
    /// <see cref="GaussianModel.Posterior(MathNet.Numerics.LinearAlgebra.Matrix{double})"/> on the same rows). A K whose starts all fail is reported,
    /// not fatal, unless no K is left.
    /// </summary>
    /// <remarks>scikit-learn: a loop over <c>GaussianMixture(n_components=K, n_init=5).fit(X).bic(X)</c>;
    /// mclust: <c>Mclust(X, G = Ks, modelNames = ...)</c> (which maximises its BIC of the opposite sign).</remarks>
    public static Fin<GaussianEstimate> Estimate(IEnumerable<int> Ks, Matrix<double> X, GaussianSettings? settings = null, IReadOnlyList<string>? columns = null) =>
        from data in GaussianData.Of(X, columns)
        from e in Estimate(Ks, data, settings)
        select e;

    /// <summary>Estimate on validated data (see the matrix overload).</summary>
    public static Fin<GaussianEstimate> Estimate(IEnumerable<int> Ks, GaussianData data, GaussianSettings? settings = null) =>
        Estimate(Ks, data, settings, null);

    /// <summary>
    /// Estimate on validated data with mixing weights that depend on concomitant variables, one row of z per data row:
    /// Pr[C_i = k | z_i] = softmax_k(z_i' gamma_k), gamma_1 = 0 (flexmix's <c>concomitant = FLXPmultinom(~ z)</c>), fitted
    /// in the M-step by the weighted multinomial logit of <see cref="ConcomitantWeights"/>; the free parameters count
    /// (K - 1) q weight coefficients instead of K - 1 weights. Null <paramref name="concomitant"/>: one pi for every row.
    /// </summary>
    public static Fin<GaussianEstimate> Estimate(IEnumerable<int> Ks, GaussianData data, GaussianSettings? settings, ConcomitantWeights? concomitant)
    {
        var s = settings ?? GaussianSettings.Default;
        var ks = Ks.Distinct().Order().ToArray();
        if (ks.Length == 0) return FinFail<GaussianEstimate>(new InvalidDataError("no K requested"));
        if (ks[0] < 1) return FinFail<GaussianEstimate>(new InvalidDataError($"K must be at least 1 (got {ks[0]})"));
        if (!Prepare(data, s).TryGet(out var prepared, out var error)) return FinFail<GaussianEstimate>(error);
        var (fitData, scaler) = prepared;
        if (concomitant is not null && concomitant.Units != data.N)
            return FinFail<GaussianEstimate>(new InvalidDataError($"the concomitant variables have {concomitant.Units} rows but the data have {data.N}"));
        var family = s.Family;
        var weights = (IWeightModel?)concomitant ?? ConstantWeights.Instance;
        var path = Estimation.Path(family, weights, fitData, ks, s.Estimation, s.Select, Rule(s, fitData));
        if (path.Selected is not { } chosen)
        {
            var degenerate = path.Fits.FirstOrDefault(r => r.HasProblems);
            var swamped = Enumerable.Range(0, fitData.D).FirstOrDefault(j => fitData.ColumnScale[j] * fitData.ColumnScale[j] <= Degeneracy.Threshold(s.RegCovar), -1);
            return FinFail<GaussianEstimate>(new InvalidDataError(degenerate is null
                ? $"no K could be fitted (K = {path.Fits[0].K}: {path.Fits[0].Failure})"
                : swamped >= 0
                    ? $"every fitted K has a collapsed component (K = {degenerate.K}: {degenerate.Problems[0]}): the variance of column {fitData.Columns[swamped]} " +
                      $"({G3(fitData.ColumnScale[swamped] * fitData.ColumnScale[swamped])}) is at most {Degeneracy.Factor} x reg-covar ({G3(s.RegCovar)}), so the ridge swamps it; standardize, or lower reg-covar well below the columns' variances"
                    : $"every fitted K has a collapsed component (K = {degenerate.K}: {degenerate.Problems[0]}); allow degenerate fits, raise reg-covar, standardize, or use fewer columns"));
        }
        var best = chosen.Estimate!.Best;
        var (theta, pi) = (best.Mixture.Components, best.Mixture.Weights);
        var (labels, confidence) = Assign(theta, pi, fitData, weights);
        var model = new GaussianModel(theta, pi, scaler, data.Columns, s.RegCovar);
        // the n x K posterior only when asked for: on the data as fitted, made again from the data (standardized
        // data are not kept; the scaler's transform gives them bit for bit)
        var posterior = new Lazy<Matrix<double>>(() => EStepResolved(theta, pi, scaler is null ? data : scaler.Transform(data), weights).W);
        var fullGamma = concomitant is null ? null : new Lazy<Fin<ImmutableArray<ImmutableArray<Regression.ParameterEstimate>>>>(() =>
            NumericalInformation.GammaStandardErrors(family, concomitant, scaler is null ? data : scaler.Transform(data), best.Mixture));
        return new GaussianEstimate(s, path, model, best, posterior, labels, confidence) { Concomitant = concomitant, FullGamma = fullGamma };
    }

    /// <summary>The numbers of components <see cref="Fit(Matrix{double}, IEnumerable{int}?, GaussianSettings?)"/> fits when none are given: 1..10 (as <c>mixtures cluster</c>).</summary>
    public static ImmutableArray<int> DefaultKs { get; } = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    /// <summary>
    /// The facade shared with the other families: the estimation path for every K in <paramref name="Ks"/> (default 1..10)
    /// on the n x d rows X and the K the settings' criterion selects (BIC by default), as a fit that labels, scores and
    /// predicts rows and samples new ones (scikit-learn's fitted <c>GaussianMixture</c>). The same search as
    /// <see cref="Estimate(IEnumerable{int}, Matrix{double}, GaussianSettings?, IReadOnlyList{string}?)"/>. Fails when no K can be fitted.
    /// </summary>
    public static Fin<GaussianMixtureFit> Fit(Matrix<double> X, IEnumerable<int>? Ks = null, GaussianSettings? settings = null) =>
        Estimate(Ks ?? DefaultKs, X, settings).Map(e => new GaussianMixtureFit(e));

    /// <summary><see cref="Fit(Matrix{double}, IEnumerable{int}?, GaussianSettings?)"/> on a rectangular array (a row per observation).</summary>
    public static Fin<GaussianMixtureFit> Fit(double[,] X, IEnumerable<int>? Ks = null, GaussianSettings? settings = null) =>
        Fit(PlainArrays.ToMatrix(X), Ks, settings);

    /// <summary><see cref="Fit(Matrix{double}, IEnumerable{int}?, GaussianSettings?)"/> on a jagged array (one inner array per row).</summary>
    public static Fin<GaussianMixtureFit> Fit(double[][] X, IEnumerable<int>? Ks = null, GaussianSettings? settings = null) =>
        PlainArrays.ToMatrix(X).Bind(m => Fit(m, Ks, settings));

    /// <summary>The degeneracy rule as a fit rule (<see cref="Degeneracy"/>): collapsed components are
    /// reported, and exclude a fit unless degenerate fits are allowed.</summary>
    public static FitRule<GaussianComponents> Rule(GaussianSettings s, GaussianData fitData)
    {
        var family = s.Family;
        return new FitRule<GaussianComponents>(
            s.AllowDegenerate ? "fits with a collapsed component allowed" : "fits with a collapsed component excluded",
            f => family.Degeneracies(fitData, f.Mixture.Components).Select(d => d.ToString()).ToImmutableArray(),
            !s.AllowDegenerate);
    }

    /// <summary>The data as fitted: settings checked, no constant column, standardized when asked.</summary>
    public static Fin<(GaussianData Data, Scaler? Scaler)> Prepare(GaussianData data, GaussianSettings s)
    {
        if (s.Starts < 1) return FinFail<(GaussianData, Scaler?)>(new InvalidDataError($"starts must be at least 1 (got {s.Starts})"));
        if (!(s.RegCovar >= 0) || !double.IsFinite(s.RegCovar)) return FinFail<(GaussianData, Scaler?)>(new InvalidDataError($"reg-covar must be finite and non-negative (got {s.RegCovar})"));
        if (!(s.Tolerance > 0) || !double.IsFinite(s.Tolerance)) return FinFail<(GaussianData, Scaler?)>(new InvalidDataError($"tol must be positive (got {s.Tolerance})"));
        if (s.MaxIterations < 1) return FinFail<(GaussianData, Scaler?)>(new InvalidDataError($"max-iter must be at least 1 (got {s.MaxIterations})"));
        var n = data.N;
        for (var j = 0; j < data.D; j++)
        {
            var first = data.x[j * n];
            var constant = true;
            for (var i = 1; i < n && constant; i++) constant = data.x[j * n + i] == first;
            if (constant)
                return FinFail<(GaussianData, Scaler?)>(new InvalidDataError(
                    $"column {data.Columns[j]} is constant ({first} in every row): every component would collapse on it; leave it out"));
        }
        if (!s.Standardize)
        {
            // The fit is scale-equivariant (columns near the limits of the double range are handled in units
            // of a power of two), but its covariances are reported in the data's units: a column whose
            // variance is not a normal double cannot have them.
            for (var j = 0; j < data.D; j++)
            {
                var v = data.ColumnScale[j] * data.ColumnScale[j];
                if (!double.IsFinite(v))
                    return FinFail<(GaussianData, Scaler?)>(new InvalidDataError(
                        $"column {data.Columns[j]}: its standard deviation {G3(data.ColumnScale[j])} squared is beyond the largest double (1.8E+308), so covariances cannot be represented in its units; rescale the column or standardize"));
                if (v < GaussianData.SmallestNormal)
                    return FinFail<(GaussianData, Scaler?)>(new InvalidDataError(
                        $"column {data.Columns[j]}: its standard deviation {G3(data.ColumnScale[j])} squared is below the smallest normal double (2.2E-308), so covariances in its units would lose their precision; rescale the column or standardize"));
            }
            return (data, (Scaler?)null);
        }
        return Scaler.Fit(data).Map(sc => (sc.Transform(data), (Scaler?)sc));
    }

    private static string G3(double v) => v.ToString("G3", System.Globalization.CultureInfo.InvariantCulture);

    private static Fin<EmFit<GaussianComponents>> RunStart(GaussianFamily family, GaussianData data, int K, GaussianSettings s, int start)
    {
        if (K == 1)
        {
            var ones = new double[data.N];
            System.Array.Fill(ones, 1.0);
            return EmLoop.RunInPlace(family, data, ones, data.N, 1, s.EmOptions, new StartInfo(StartKind.Given, 0));
        }
        var seed = Seeds.Derive(s.Seed, (ulong)K, (ulong)start);
        var kind = family.StartKinds[start % family.StartKinds.Length];
        var W0 = Estimation.MakeStart(family, data, K, kind, Seeds.Generator(seed))!;
        return EmLoop.RunInPlace(family, data, W0.AsColumnMajorArray() ?? W0.ToColumnMajorArray(), data.N, K, s.EmOptions, new StartInfo(kind, start, seed));
    }

    private static GaussianData Data(Matrix<double> X, GaussianComponents theta)
    {
        if (X.ColumnCount != theta.D) throw new ArgumentException($"X has {X.ColumnCount} columns but theta has d = {theta.D}");
        return GaussianData.Of(X).Match(Succ: d => d, Fail: e => throw new ArgumentException(e.Message));
    }
}
