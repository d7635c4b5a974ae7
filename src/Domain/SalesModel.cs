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
/// THE SPEC: the store-sales segment model
///   log S_it = alpha[c] + beta[c] log p_t + e_it,  e_it ~ N(0, 1),  Pr[C_i = c] = pi_c,
/// for stores i = 1..N and weeks t = 1..T, every store in one segment for all its weeks.
/// Shapes: y is T x N (y[t,i] = log S_it), X is T x 2 (row t = [1, log p_t]), W is N x K.
/// Each function is a thin instance of the generic EM core (<see cref="EmLoop"/>, <see cref="Estimation"/>)
/// with the regression family, grouped by store, variance fixed at 1.
/// </summary>
/// <remarks>In R: <c>flexmix(logS ~ logp | store, k = K, model = FLXMRglmfix(...))</c> with sigma fixed at 1
/// (flexmix has no fixed sigma; the assignment's own NumPy code is the usual reference).</remarks>
public static class SalesModel
{
    /// <summary>The family behind the spec: regression with error variance fixed at 1.</summary>
    public static RegressionFamily Family { get; } = new(VarianceModel.Fixed(1.0));

    /// <summary>Free parameters k = 2K coefficients + (K - 1) weights = 3K - 1.</summary>
    public static int FreeParameters(int K) => 3 * K - 1;

    /// <summary>
    /// log L(theta, pi) = sum_i log sum_c pi_c prod_t phi(y_it - alpha[c] - beta[c] x_t),
    /// evaluated as sum_i logsumexp_c(log pi_c + sum_t log phi(...)).
    /// </summary>
    public static double LogL(Theta theta, MixingWeights pi, Matrix<double> y, Matrix<double> X) => LogL(theta, pi, y, X, null);

    /// <summary>
    /// log L with store weights w_i (null: none): sum_i w_i log sum_c pi_c prod_t phi(y_it - alpha[c] - beta[c] x_t); for
    /// whole-number weights the log-likelihood of the panel with store i repeated w_i times.
    /// </summary>
    public static double LogL(Theta theta, MixingWeights pi, Matrix<double> y, Matrix<double> X, ObservationWeights? storeWeights)
    {
        CheckShapes(theta, pi, y, X);
        return EmLoop.LogLikelihood(Family.LogDensityMatrix(RegressionData.Panel(y, X), ToComponents(theta)), pi.LogPi(), storeWeights);
    }

    /// <summary>The panel's sufficient statistics with store weights (null: none).</summary>
    public static RegressionData Data(Matrix<double> y, Matrix<double> X, ObservationWeights? storeWeights = null) =>
        RegressionData.Panel(y, X).WithWeights(storeWeights);

    /// <summary>
    /// W[i,k] = Pr[C_i = k | y_i, X, theta, pi]
    ///        = exp(log pi_k + l_ik - logsumexp_c(log pi_c + l_ic)),  l_ik = sum_t log phi(y_it - x_t'theta_k).
    /// </summary>
    /// <returns>The N x K matrix W; each row sums to one.</returns>
    public static Matrix<double> EStep(Theta theta, MixingWeights pi, Matrix<double> y, Matrix<double> X)
    {
        CheckShapes(theta, pi, y, X);
        return EmLoop.EStep(Family.LogDensityMatrix(RegressionData.Panel(y, X), ToComponents(theta)), pi.LogPi()).W;
    }

    /// <summary>
    /// New (theta, pi) from W: for each k, (alpha[k], beta[k]) minimises
    /// sum_i W[i,k] sum_t (y_it - alpha - beta x_t)^2 (weighted least squares, Cholesky), and
    /// pi_k = (1/N) sum_i W[i,k]. Fails when a segment has no weight or the design is singular.
    /// </summary>
    public static Fin<(Theta theta, MixingWeights pi)> MStep(Matrix<double> y, Matrix<double> X, Matrix<double> W) => MStep(y, X, W, null);

    /// <summary>The M-step with store weights w_i (null: none): the fits above with W[i,k] w_i in place of W[i,k], so
    /// pi_k = sum_i w_i W[i,k] / sum_i w_i.</summary>
    public static Fin<(Theta theta, MixingWeights pi)> MStep(Matrix<double> y, Matrix<double> X, Matrix<double> W, ObservationWeights? storeWeights)
    {
        if (W.RowCount != y.ColumnCount) throw new ArgumentException($"W has {W.RowCount} rows but y has {y.ColumnCount} stores");
        return EmLoop.MStep(Family, Data(y, X, storeWeights), W)
            .Map(m => (ToTheta(m.Components), m.Weights));
    }

    /// <summary>
    /// EM from one random start: iterate M then E until max |W_new - W_old| &lt; options.Tolerance or
    /// options.MaxIterations. The start is a random partition of the stores into K non-empty segments
    /// drawn from xoshiro256** seeded by (seed, K, 0); its first M-step gives the starting theta, pi.
    /// </summary>
    public static Fin<SalesFit> EM(int K, Matrix<double> y, Matrix<double> X, EmOptions options, ulong seed = 1)
    {
        var data = RegressionData.Panel(y, X);
        if (K < 1 || K > data.Units) return FinFail<SalesFit>(new InvalidDataError($"K = {K} must be between 1 and the number of stores ({data.Units})"));
        var s = Seeds.Derive(seed, (ulong)K, 0);
        var W0 = K == 1 ? Matrix<double>.Build.Dense(data.Units, 1, 1.0) : Family.RandomResponsibilities(data, K, Seeds.Generator(s));
        return EmLoop.Run(Family, data, W0, options, new StartInfo(K == 1 ? StartKind.Given : StartKind.Random, 0, s)).Map(f => ToSalesFit(f, data));
    }

    /// <summary>
    /// EM from given responsibilities W0 (N x K, rows summing to one): iterate M then E exactly as
    /// <see cref="EM(int, Matrix{double}, Matrix{double}, EmOptions, ulong)"/>, so a caller's own start can be replayed.
    /// </summary>
    public static Fin<SalesFit> EM(Matrix<double> W0, Matrix<double> y, Matrix<double> X, EmOptions options) => EM(W0, y, X, options, null);

    /// <summary>EM from given responsibilities with store weights w_i (null: none): the weighted M-step and log L.</summary>
    public static Fin<SalesFit> EM(Matrix<double> W0, Matrix<double> y, Matrix<double> X, EmOptions options, ObservationWeights? storeWeights)
    {
        if (W0.RowCount != y.ColumnCount) throw new ArgumentException($"W0 has {W0.RowCount} rows but y has {y.ColumnCount} stores");
        var data = Data(y, X, storeWeights);
        return EmLoop.Run(Family, data, W0, options, new StartInfo(StartKind.Given, 0)).Map(f => ToSalesFit(f, data));
    }

    /// <summary>
    /// EM from given parameters: W0 = EStep(theta, pi), then as <see cref="EM(Matrix{double}, Matrix{double}, Matrix{double}, EmOptions)"/>;
    /// the trace starts after the first M-step from that W0.
    /// </summary>
    /// <remarks>R: <c>flexmix(..., cluster = W0)</c>; scikit-learn: <c>GaussianMixture(init_params=...)</c> with given means.</remarks>
    public static Fin<SalesFit> EM(Theta theta, MixingWeights pi, Matrix<double> y, Matrix<double> X, EmOptions options) =>
        EM(EStep(theta, pi, y, X), y, X, options);

    /// <summary>Default random starts per K of <see cref="Estimate"/>.</summary>
    public const int DefaultStarts = 20;

    /// <summary>The EM options of <see cref="Estimate"/> when none are given: the spec's stopping rule
    /// (max |W_new - W_old| &lt; 1e-8, at most 2000 steps) with SQUAREM acceleration and trust-region Newton steps
    /// after every 20 EM steps that have not met it.</summary>
    public static EmOptions EstimationOptions { get; } = EmOptions.Default with { Accelerate = Acceleration.Squarem, NewtonAfter = EmOptions.DefaultNewtonAfter };

    /// <summary>The start plan of <see cref="Estimate"/>: <paramref name="starts"/> random starts (random partitions,
    /// Dirichlet soft responsibilities and parameter-space starts in turn), on data of at least 20,000 stores screened by 5 EM steps, the best 5 run
    /// to convergence, plus the split starts of the K-1 fit.</summary>
    public static StartPlan Plan(int starts = DefaultStarts) => new(starts, RegressionSettings.DefaultScreenIterations, RegressionSettings.DefaultFinalists);

    /// <summary>
    /// Best of several EM runs for K segments: the split starts built from the best (K-1)-segment fit
    /// (each of its segments split in two in turn, K-1 starts; the K-1 fit is itself estimated first)
    /// plus <paramref name="starts"/> random starts (screened: see <see cref="Plan"/>), accelerated by
    /// SQUAREM and Newton steps unless <paramref name="options"/> say otherwise. Reports how many runs reached the
    /// best log-likelihood (within 1e-9 relative, at least 1e-6) and which kind of start won.
    /// </summary>
    public static Fin<SalesEstimate> Estimate(int K, Matrix<double> y, Matrix<double> X, int starts = DefaultStarts, ulong seed = 1, EmOptions? options = null) =>
        EstimateMany([K], y, X, starts, seed, options).Map(s => s.Head);

    /// <summary>Estimate for several K at once (K = 1..max fitted in turn so every K gets split starts);
    /// fails with the first failing K's error.</summary>
    public static Fin<Seq<SalesEstimate>> EstimateMany(IEnumerable<int> Ks, Matrix<double> y, Matrix<double> X, int starts = DefaultStarts, ulong seed = 1, EmOptions? options = null)
    {
        var path = EstimatePath(Ks, y, X, new EstimationSettings(Plan(starts), seed, options ?? EstimationOptions));
        return path.Fits.FirstOrDefault(f => !f.Ok) is { } failed
            ? FinFail<Seq<SalesEstimate>>(failed.Error!)
            : toSeq(path.Fits.Select(f => ToSalesEstimate(f, y, X)));
    }

    /// <summary>The estimation path of the sales model (every K, its flags and the K with the lowest BIC):
    /// the generic pipeline with this family and constant weights.</summary>
    public static EstimationPath<RegressionComponents> EstimatePath(IEnumerable<int> Ks, Matrix<double> y, Matrix<double> X, EstimationSettings settings) =>
        EstimatePath(Ks, y, X, settings, null, null);

    /// <summary>The estimation path with store weights w_i (null: none; <c>mixtures sales --stores FILE --weights COL</c>):
    /// the weighted log L sum_i w_i log sum_c pi_c f(y_i | c), n in BIC = T sum_i w_i.</summary>
    public static EstimationPath<RegressionComponents> EstimatePath(IEnumerable<int> Ks, Matrix<double> y, Matrix<double> X, EstimationSettings settings,
        ObservationWeights? storeWeights) =>
        EstimatePath(Ks, y, X, settings, null, storeWeights);

    /// <summary>
    /// The estimation path with segment probabilities that depend on store attributes z_i (one row per store, the
    /// intercept first): Pr[C_i = c | z_i] = softmax_c(z_i' gamma_c), gamma_1 = 0 (<see cref="ConcomitantWeights"/>), in place
    /// of one pi for every store; k = 2K + (K - 1) q. Null <paramref name="concomitant"/>: the constant-weight path.
    /// </summary>
    public static EstimationPath<RegressionComponents> EstimatePath(IEnumerable<int> Ks, Matrix<double> y, Matrix<double> X, EstimationSettings settings,
        ConcomitantWeights? concomitant) =>
        EstimatePath(Ks, y, X, settings, concomitant, null);

    /// <summary>The estimation path with store attributes as concomitant variables and store weights (either may be null).</summary>
    public static EstimationPath<RegressionComponents> EstimatePath(IEnumerable<int> Ks, Matrix<double> y, Matrix<double> X, EstimationSettings settings,
        ConcomitantWeights? concomitant, ObservationWeights? storeWeights)
    {
        if (concomitant is not null && concomitant.Units != y.ColumnCount)
            throw new ArgumentException($"the store attributes have {concomitant.Units} rows but y has {y.ColumnCount} stores");
        return Estimation.Path(Family, (IWeightModel?)concomitant ?? ConstantWeights.Instance, Data(y, X, storeWeights), Ks, settings);
    }

    /// <summary>W[i,k] = Pr[C_i = k | y_i, z_i] of a fit with store attributes: the E-step with the priors softmax(z_i' gamma)
    /// (see <see cref="EStep(Theta, MixingWeights, Matrix{double}, Matrix{double})"/> for constant weights).</summary>
    public static Matrix<double> EStep(Theta theta, MixingWeights pi, Matrix<double> y, Matrix<double> X, ConcomitantWeights? concomitant)
    {
        if (concomitant is null) return EStep(theta, pi, y, X);
        CheckShapes(theta, pi, y, X);
        return EmLoop.EStep(Family.LogDensityMatrix(RegressionData.Panel(y, X), ToComponents(theta)), concomitant.LogPrior(pi, y.ColumnCount)).W;
    }

    /// <summary>The numbers of segments <see cref="Fit(SalesPanel, IEnumerable{int}?, SalesSettings?)"/> fits when none are given: 2, 3, 4 (as <c>mixtures sales</c>).</summary>
    public static ImmutableArray<int> DefaultKs { get; } = [2, 3, 4];

    /// <summary>
    /// The facade shared with the other families: the estimation path for every K in <paramref name="Ks"/> (default 2, 3, 4)
    /// on a panel with a row per store, and the K the criterion selects, as a fit that labels, scores and predicts stores
    /// and samples new ones. The same search as <see cref="EstimateMany"/> and <c>mixtures sales</c>.
    /// Fails when no K can be fitted.
    /// </summary>
    public static Fin<SalesMixtureFit> Fit(SalesPanel panel, IEnumerable<int>? Ks = null, SalesSettings? settings = null)
    {
        var s = settings ?? SalesSettings.Default;
        var ks = (Ks ?? DefaultKs).Distinct().Order().ToArray();
        if (ks.Length == 0) return FinFail<SalesMixtureFit>(new InvalidDataError("no K requested"));
        if (ks[0] < 1 || ks[^1] > panel.Stores)
            return FinFail<SalesMixtureFit>(new InvalidDataError($"K must be between 1 and the number of stores ({panel.Stores}); got {(ks[0] < 1 ? ks[0] : ks[^1])}"));
        var path = Estimation.Path(Family, ConstantWeights.Instance, RegressionData.Panel(panel.LogSales, panel.Design), ks, s.Estimation, s.Criterion);
        if (path.Selected is null)
            return FinFail<SalesMixtureFit>(path.Fits.FirstOrDefault(f => !f.Ok)?.Error ?? new InvalidDataError("no K could be fitted"));
        return new SalesMixtureFit(path, panel);
    }

    /// <summary><see cref="Fit(SalesPanel, IEnumerable{int}?, SalesSettings?)"/> on plain arrays: sales a row per store and a column
    /// per week, and the weekly prices.</summary>
    public static Fin<SalesMixtureFit> Fit(double[,] sales, double[] prices, IEnumerable<int>? Ks = null, SalesSettings? settings = null) =>
        SalesPanel.Of(sales, prices).Bind(p => Fit(p, Ks, settings));

    /// <summary><see cref="Fit(SalesPanel, IEnumerable{int}?, SalesSettings?)"/> on jagged sales (one inner array per store).</summary>
    public static Fin<SalesMixtureFit> Fit(double[][] sales, double[] prices, IEnumerable<int>? Ks = null, SalesSettings? settings = null) =>
        SalesPanel.Of(sales, prices).Bind(p => Fit(p, Ks, settings));

    /// <summary>theta, pi as the regression family's components (sigma = 1).</summary>
    public static RegressionComponents ToComponents(Theta theta) =>
        new(theta.Segments.Select(s => new RegressionClass(ImmutableArray.Create(s.Alpha, s.Beta), 1.0)).ToImmutableArray());

    /// <summary>The regression family's components as theta.</summary>
    public static Theta ToTheta(RegressionComponents c) => Theta.Of(c.Classes.Select(k => new Segment(k.Beta[0], k.Beta[1])));

    /// <summary>The design X = [1, log p_t] from prices.</summary>
    public static Matrix<double> Design(IReadOnlyList<double> prices) =>
        Matrix<double>.Build.Dense(prices.Count, 2, (t, j) => j == 0 ? 1.0 : Math.Log(prices[t]));

    /// <summary>A run as the spec's record; its W is the run's final E-step, repeated on <paramref name="data"/> when first asked for.</summary>
    internal static SalesFit ToSalesFit(EmFit<RegressionComponents> f, RegressionData data) => ToSalesFit(f, () => data, ConstantWeights.Instance);

    private static SalesFit ToSalesFit(EmFit<RegressionComponents> f, Func<RegressionData> data, IWeightModel weights) =>
        new(ToTheta(f.Mixture.Components), f.Mixture.Weights, f.LogLikelihood, f.Trace, f.Iterations, f.Converged,
            new Lazy<Matrix<double>>(() => EmLoop.Responsibilities(Family, weights, data(), f)), f.Start);

    /// <summary>A K of the path on the data y (T x N), X (T x 2) as the spec's result record (the K must have succeeded);
    /// its W is computed from the data when first asked for (with the priors of <paramref name="concomitant"/> when the path
    /// was estimated with store attributes).</summary>
    public static SalesEstimate ToSalesEstimate(KEstimate<RegressionComponents> k, Matrix<double> y, Matrix<double> X, ConcomitantWeights? concomitant = null)
    {
        var r = k.Estimate ?? throw new ArgumentException($"K = {k.K} has no estimate ({k.Failure})");
        return new(ToSalesFit(r.Best, () => RegressionData.Panel(y, X), (IWeightModel?)concomitant ?? ConstantWeights.Instance),
            r.StartsAtBest, r.Starts, r.FreeParameters, r.Observations, k.BelowPrevious, r.WeightedObservations);
    }

    /// <summary>Standard errors of a sales fit with store attributes from the observed information of the incomplete-data
    /// log-likelihood in (alpha, beta, gamma_2..gamma_K), the regression family's (<see cref="ObservedInformation"/>) with sigma
    /// fixed at 1; gamma's in <see cref="RegressionInference.Gamma"/>.</summary>
    /// <remarks>With <paramref name="storeWeights"/> the information of the weighted log L (each store's part times w_i).</remarks>
    public static Fin<RegressionInference> StandardErrors(Theta theta, MixingWeights pi, Matrix<double> y, Matrix<double> X, ConcomitantWeights concomitant,
        ObservationWeights? storeWeights = null)
    {
        CheckShapes(theta, pi, y, X);
        return ObservedInformation.Inference(ToComponents(theta), pi, Data(y, X, storeWeights), VarianceModel.Fixed(1.0), concomitant);
    }

    private static void CheckShapes(Theta theta, MixingWeights pi, Matrix<double> y, Matrix<double> X)
    {
        if (X.ColumnCount != 2) throw new ArgumentException($"X must be T x 2 ([1, log p]); it has {X.ColumnCount} columns");
        if (X.RowCount != y.RowCount) throw new ArgumentException($"X has {X.RowCount} rows but y has {y.RowCount} weeks");
        if (theta.K != pi.K) throw new ArgumentException($"theta has {theta.K} segments but pi has {pi.K} weights");
    }
}
