using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Gaussian;

/// <summary>
/// Mixture of multivariate normals N(mu_k, Sigma_k) for the generic EM core. The weighted fit is the
/// ML update with a ridge: n_k = sum_i W[i,k], mu_k = sum_i W[i,k] x_i / n_k,
/// Sigma_k = sum_i W[i,k] (x_i - mu_k)(x_i - mu_k)' / n_k + reg I (full); the pooled
/// sum_k sum_i W[i,k] (x_i - mu_k)(x_i - mu_k)' / sum_k n_k + reg I (tied); its diagonal per component
/// (diag); the mean of that diagonal (spherical). Densities go through the Cholesky factor of Sigma_k.
/// </summary>
/// <remarks>scikit-learn's <c>GaussianMixture</c> (<c>_estimate_gaussian_parameters</c>,
/// <c>_estimate_log_gaussian_prob</c>), without its 10 eps added to n_k: a component whose total
/// responsibility falls below <see cref="EmptyWeight"/> ends the start with an error instead.
/// mclust's <c>me</c>/<c>mstep</c> for VVV, EEE, VVI, VII (mclust uses no ridge unless a prior is given).</remarks>
public sealed class GaussianFamily : IMixtureFamily<GaussianData, GaussianComponents>, IWarmStartFamily<GaussianData, GaussianComponents>,
    IFusedWithoutW<GaussianData, GaussianComponents>
{
    /// <summary>Total responsibility below which a component is empty (the start fails).</summary>
    public const double EmptyWeight = 1e-8;

    /// <summary>
    /// A conditional variance (squared Cholesky pivot of Sigma_k, ridge included) below this share of its
    /// column's variance means the component has collapsed onto a point or a subspace where the likelihood
    /// is unbounded (possible only with a ridge far below the data's scale, e.g. reg-covar 0); the M-step
    /// then fails and the start is abandoned, before the arithmetic loses all precision.
    /// </summary>
    public const double CollapseFactor = 1e-20;

    /// <summary>sqrt(<see cref="CollapseFactor"/>): the same bound on the standard deviation.</summary>
    private const double SqrtCollapseFactor = 1e-10;

    /// <summary>scikit-learn's default ridge.</summary>
    public const double DefaultRegCovar = 1e-6;

    /// <summary>The covariance structure of the components.</summary>
    public CovarianceType Type { get; }
    /// <summary>The ridge added to the diagonal of every covariance (reg-covar), at least 0.</summary>
    public double RegCovar { get; }
    /// <summary>How starts are made by <see cref="RandomResponsibilities"/>.</summary>
    public GaussianInit Init { get; }

    /// <summary>A Gaussian mixture family with this covariance structure, ridge and start method.</summary>
    /// <param name="type">The covariance structure.</param>
    /// <param name="regCovar">The ridge added to every covariance's diagonal: finite and at least 0.</param>
    /// <param name="init">How random starts are made.</param>
    /// <exception cref="ArgumentException"><paramref name="regCovar"/> is negative, NaN or infinite.</exception>
    public GaussianFamily(CovarianceType type, double regCovar = DefaultRegCovar, GaussianInit init = GaussianInit.KMeans)
    {
        if (!(regCovar >= 0) || !double.IsFinite(regCovar)) throw new ArgumentException($"reg-covar must be finite and non-negative (got {regCovar})");
        Type = type; RegCovar = regCovar; Init = init;
    }

    /// <inheritdoc/>
    public int Units(GaussianData data) => data.N;
    /// <inheritdoc/>
    public string UnitName(GaussianData data) => "rows";
    /// <inheritdoc/>
    public int Observations(GaussianData data) => data.N;
    /// <inheritdoc/>
    public ObservationWeights? UnitWeights(GaussianData data) => data.Weights;
    /// <inheritdoc/>
    public double WeightedObservations(GaussianData data) => data.Weights?.Sum ?? data.N;
    /// <inheritdoc/>
    public int ComponentCount(GaussianComponents components) => components.K;

    /// <summary>See <see cref="CovarianceTypes.FreeParameters"/>, without the K - 1 weights.</summary>
    public int ComponentParameters(GaussianData data, int K) => Type.FreeParameters(K, data.D) - (K - 1);

    /// <summary>See <see cref="CovarianceTypes.FreeParameters"/> (constant weights included).</summary>
    public int FreeParameters(GaussianData data, int K) => Type.FreeParameters(K, data.D);

    /// <inheritdoc/>
    public void LogDensities(GaussianData data, GaussianComponents components, double[] dest)
    {
        if (components.D != data.D) throw new ArgumentException($"components have d = {components.D}, data has {data.D} columns");
        GaussianKernels.LogDensities(data, components, dest);
    }

    /// <summary>The weighted ML fit from an n x K responsibility matrix.</summary>
    public Fin<GaussianComponents> Fit(GaussianData data, Matrix<double> W) =>
        Fit(data, W.AsColumnMajorArray() ?? W.ToColumnMajorArray(), W.ColumnCount);

    /// <summary>The weighted ML fit from the n x K responsibilities in the first n K entries of a column-major buffer, with
    /// no current components to centre on: two sweeps, the first moments n_k and S1_k = sum_i W[i,k] x_i, mu_k = S1_k / n_k,
    /// then the scatter about these new means (the first M-step of a start from responsibilities; an EM iteration takes
    /// the one-sweep <see cref="Fit(GaussianData, double[], int, GaussianComponents)"/>).</summary>
    public Fin<GaussianComponents> Fit(GaussianData data, double[] W, int K)
    {
        var n = data.N;
        var d = data.D;
        if (W.Length < (long)n * K) throw new ArgumentException($"W has {W.Length} entries, fewer than n K = {(long)n * K}");
        var (nk, s1) = GaussianKernels.FirstMoments(data, W, K);
        return Means(nk, s1, d).Bind(mu =>
            // S in the columns' units (see GaussianKernels.Scatter); ScaleB maps each entry back exactly
            FromScatter(nk, mu, GaussianKernels.Scatter(data, W, K, mu, DiagonalScatter), d, data.UnitExponent, data.ColumnScale, data.Columns));
    }

    /// <summary>
    /// The weighted ML fit in one sweep over the rows, centred at the means c_k of <paramref name="start"/> (the components
    /// at which W was computed: theta_{t-1} in an EM iteration), which are known before the sweep: n_k, T_k = sum_i W[i,k]
    /// (x_i - c_k) and S^c_k = sum_i W[i,k] (x_i - c_k)(x_i - c_k)' (<see cref="GaussianKernels.AddCentredMoments"/>), then
    /// exactly mu_k' = c_k + T_k / n_k and S_k = S^c_k - T_k T_k' / n_k, the scatter about mu' (<see cref="FromCentredMoments"/>).
    /// The same maximiser as <see cref="Fit(GaussianData, double[], int)"/>; the centre changes only rounding. Start
    /// components of another K or d are not a centre: the two-sweep fit then.
    /// </summary>
    public Fin<GaussianComponents> Fit(GaussianData data, double[] W, int K, GaussianComponents start)
    {
        var n = data.N;
        var d = data.D;
        if (start.K != K || start.D != d || start.Type != Type) return Fit(data, W, K);
        if (W.Length < (long)n * K) throw new ArgumentException($"W has {W.Length} entries, fewer than n K = {(long)n * K}");
        var centre = start.mu;
        var nk = new double[K];
        var shift = new double[K * d];
        var scatter = new double[K * (DiagonalScatter ? d : d * (d + 1) / 2)];
        GaussianKernels.AddCentredMoments(data, W, K, centre, DiagonalScatter, nk, shift, scatter);
        return FromCentredMoments(nk, centre, shift, scatter, d, data.UnitExponent, data.ColumnScale, data.Columns,
            mu => GaussianKernels.Scatter(data, W, K, mu, DiagonalScatter));
    }

    /// <summary>The fused sweep's statistics (<see cref="GaussianKernels.Sweep(Mixtures.Domain.Gaussian.GaussianData, Mixtures.Domain.Gaussian.GaussianComponents, double[], double[], double[], out double, bool, double[], double[], double[], bool)"/>), K (1 + d + per + d) values: n_k, T_k and
    /// S^c_k in <see cref="GaussianKernels.AddCentredMoments"/>'s layout, then the centre (the sweep's means). Every
    /// covariance type without observation weights and with K up to <see cref="EmLoop.FusedMaxK"/>.</summary>
    int IFusedFamily<GaussianData, GaussianComponents>.FusedStatistics(GaussianData data, int K) =>
        K is >= 1 and <= EmLoop.FusedMaxK && data.Weights is null ? K * (1 + 2 * data.D + Per(data.D)) : 0;

    /// <summary>The sweep (<see cref="GaussianKernels.Sweep(GaussianData, GaussianComponents, double[], double[], double[], out double, bool, double[], double[], double[], bool)"/>)
    /// writes W over W_prev when they are one buffer.</summary>
    bool IFusedFamily<GaussianData, GaussianComponents>.FusedInPlace(GaussianData data, int K) =>
        ((IFusedFamily<GaussianData, GaussianComponents>)this).FusedStatistics(data, K) > 0;

    private int Per(int d) => DiagonalScatter ? d : d * (d + 1) / 2;

    double IFusedFamily<GaussianData, GaussianComponents>.FusedStep(GaussianData data, GaussianComponents components, double[] logPi, int n, int K,
        double[] w, double[]? wPrev, out double maxChange, double[] statistics) =>
        Sweep(data, components, logPi, n, K, w, wPrev, out maxChange, statistics, null);

    double IFusedColumnSums<GaussianData, GaussianComponents>.FusedStep(GaussianData data, GaussianComponents components, double[] logPi, int n, int K,
        double[] w, double[]? wPrev, out double maxChange, double[] statistics, double[] columnSums) =>
        Sweep(data, components, logPi, n, K, w, wPrev, out maxChange, statistics, columnSums);

    /// <summary>The sweep, its sums into the statistics' parts; W's column sums are n_k (<see cref="ChunkSums.FixedSum"/>
    /// per 4096-row chunk, added in chunk order from zero, as <see cref="MixingWeights.FromColumnMeans(double[], int, int)"/>
    /// sums them).</summary>
    private double Sweep(GaussianData data, GaussianComponents components, double[] logPi, int n, int K, double[] w, double[]? wPrev,
        out double maxChange, double[] statistics, double[]? columnSums, bool writeW = true)
    {
        var d = data.D;
        var per = Per(d);
        if (n != data.N || K != components.K || components.D != d || components.Type != Type || data.Weights is not null ||
            statistics.Length != K * (1 + 2 * d + per))
            throw new ArgumentException($"the fused sweep does not cover these data or components (n = {n}, K = {K}, {statistics.Length} statistics)");
        var nk = new double[K];
        var shift = new double[K * d];
        var scatter = new double[K * per];
        var ll = GaussianKernels.Sweep(data, components, logPi, w, wPrev, out maxChange, DiagonalScatter, nk, shift, scatter, writeW);
        nk.CopyTo(statistics, 0);
        shift.CopyTo(statistics, K);
        scatter.CopyTo(statistics, K + K * d);
        System.Array.Copy(components.mu, 0, statistics, K + K * d + K * per, K * d);
        if (columnSums is not null) nk.CopyTo(columnSums, 0);
        return ll;
    }

    /// <summary>Every sweep the family takes can leave W unwritten.</summary>
    bool IFusedWithoutW<GaussianData, GaussianComponents>.SweepsWithoutW(GaussianData data, int K) =>
        ((IFusedFamily<GaussianData, GaussianComponents>)this).FusedStatistics(data, K) > 0;

    double IFusedWithoutW<GaussianData, GaussianComponents>.FusedStepWithoutW(GaussianData data, GaussianComponents components, double[] logPi,
        int n, int K, double[] w, double[] statistics, double[] columnSums) =>
        Sweep(data, components, logPi, n, K, w, null, out _, statistics, columnSums, writeW: false);

    /// <summary>The warm fit from the sweep's sums with W made only for the recentring fallback.</summary>
    Fin<GaussianComponents> IFusedWithoutW<GaussianData, GaussianComponents>.FitStatistics(GaussianData data, double[] statistics, int K, Func<double[]> w)
    {
        var d = data.D;
        var per = Per(d);
        var nk = statistics[..K];
        var shift = statistics[K..(K + K * d)];
        var scatter = statistics[(K + K * d)..(K + K * d + K * per)];
        var centre = statistics[(K + K * d + K * per)..];
        return FromCentredMoments(nk, centre, shift, scatter, d, data.UnitExponent, data.ColumnScale, data.Columns,
            mu => GaussianKernels.Scatter(data, w(), K, mu, DiagonalScatter));
    }

    /// <summary>Not taken: the fit from the sweep's sums may need the step's W (the recentring fallback of
    /// <see cref="FromCentredMoments"/>); the loop calls the overload that is given it.</summary>
    Fin<GaussianComponents> IFusedFamily<GaussianData, GaussianComponents>.FitStatistics(GaussianData data, double[] statistics, int K) =>
        throw new InvalidOperationException("the Gaussian fit from fused sums needs the step's responsibilities: call FitStatistics(data, statistics, K, w)");

    /// <summary>The warm fit (<see cref="Fit(GaussianData, double[], int, GaussianComponents)"/>) centred at the sweep's
    /// means, from the sweep's sums: the same computation on the same sums, so the same bits; W is read only when the
    /// scatter must be summed again about the new means.</summary>
    Fin<GaussianComponents> IFusedFamily<GaussianData, GaussianComponents>.FitStatistics(GaussianData data, double[] statistics, int K, double[] w) =>
        ((IFusedWithoutW<GaussianData, GaussianComponents>)this).FitStatistics(data, statistics, K, () => w);

    /// <summary>
    /// Above this ratio of the squared shift n_k ((mu_kj' - c_kj) / 2^e_j)^2 to the scatter S_k[j,j] / 2^2e_j about the new
    /// mean (any component, any column), the one-sweep identity S = S^c - T T' / n could lose more than 16 of the 53 bits of
    /// S_k[j,j] to cancellation (S^c_k[j,j] is their sum): the scatter is then summed again about the new means
    /// (a second sweep). In EM the means move by a fraction of the components' spread, so this is rare; near
    /// convergence the shift vanishes and the identity loses nothing.
    /// </summary>
    internal const double RecentreBound = 65536.0;

    /// <summary>
    /// The M-step from centred moments (<see cref="GaussianKernels.AddCentredMoments"/>'s sums about <paramref name="centre"/>,
    /// in the columns' units 2^e_j): the first empty component (n_k below <see cref="EmptyWeight"/>), or
    /// mu_kj' = c_kj + 2^e_j T_kj / n_k and the scatter about mu', S_k = S^c_k - T_k T_k' / n_k entry by entry
    /// (fma(-T_ka, T_kc / n_k, S^c_k[a,c]), in units; the diagonal only for diag and spherical), then <see cref="FromScatter"/>
    /// (for tied the corrected S_k are pooled). Centred at the current means the identity is numerically stable: T_k / n_k is
    /// the (small) step of the mean, computed directly rather than as a difference of large sums, and the data's offset
    /// from the origin never enters. When the step is large against the new spread (<see cref="RecentreBound"/>) the scatter
    /// comes from <paramref name="scatterAbout"/>(mu') instead, the scatter summed about the new means in another sweep.
    /// </summary>
    internal Fin<GaussianComponents> FromCentredMoments(double[] nk, double[] centre, double[] shift, double[] scatter, int d, int[] e, double[] columnScale,
        ImmutableArray<string> columns, Func<double[], double[]> scatterAbout)
    {
        var K = nk.Length;
        for (var k = 0; k < K; k++)
            if (!(nk[k] >= EmptyWeight)) return FinFail<GaussianComponents>(new EmptyComponentError(k + 1, nk[k]));
        var mu = new double[K * d];
        for (var k = 0; k < K; k++)
        for (var j = 0; j < d; j++) mu[k * d + j] = centre[k * d + j] + Math.ScaleB(shift[k * d + j] / nk[k], e[j]);
        var diagonal = DiagonalScatter;
        var per = diagonal ? d : d * (d + 1) / 2;
        var S = new double[K * per];
        var recentre = false;
        for (var k = 0; k < K; k++)
        {
            var n = nk[k];
            for (var a = 0; a < d; a++)
            {
                var ta = shift[k * d + a];
                if (diagonal)
                {
                    var o = k * per + a;
                    S[o] = Math.FusedMultiplyAdd(-ta, ta / n, scatter[o]);
                    recentre |= !(ta * (ta / n) <= RecentreBound * S[o]);
                    continue;
                }
                for (var c = 0; c <= a; c++)
                {
                    var o = k * per + a * (a + 1) / 2 + c;
                    S[o] = Math.FusedMultiplyAdd(-ta, shift[k * d + c] / n, scatter[o]);
                    if (c == a) recentre |= !(ta * (ta / n) <= RecentreBound * S[o]);
                }
            }
        }
        if (recentre) S = scatterAbout(mu);
        return FromScatter(nk, mu, S, d, e, columnScale, columns);
    }

    /// <summary>Whether the M-step needs only the diagonal of the scatter (diag, spherical).</summary>
    internal bool DiagonalScatter => Type is CovarianceType.Diag or CovarianceType.Spherical;

    /// <summary>The first half of the two-sweep M-step: mu_k = S1_k / n_k from n_k = sum_i W[i,k] and S1_k = sum_i W[i,k] x_i
    /// (K x d), or the first empty component (n_k below <see cref="EmptyWeight"/>).</summary>
    internal static Fin<double[]> Means(double[] nk, double[] s1, int d)
    {
        var K = nk.Length;
        for (var k = 0; k < K; k++)
            if (!(nk[k] >= EmptyWeight)) return FinFail<double[]>(new EmptyComponentError(k + 1, nk[k]));
        var mu = new double[K * d];
        for (var k = 0; k < K; k++)
        for (var j = 0; j < d; j++) mu[k * d + j] = s1[k * d + j] / nk[k];
        return mu;
    }

    /// <summary>The second half of the M-step: the covariances from the scatter S about the new means
    /// (<see cref="GaussianKernels.Scatter"/>'s layout, in the columns' units 2^e_j), the ridge added, then the
    /// components, or the first whose covariance overflows or collapses (relative to the column scales).</summary>
    internal Fin<GaussianComponents> FromScatter(double[] nk, double[] mu, double[] S, int d, int[] e, double[] columnScale, ImmutableArray<string> columns)
    {
        var K = nk.Length;
        var cov = new double[GaussianComponents.CovarianceLength(Type, K, d)];
        var tri = d * (d + 1) / 2;
        switch (Type)
        {
            case CovarianceType.Full:
                for (var k = 0; k < K; k++)
                for (var a = 0; a < d; a++)
                for (var c = 0; c <= a; c++)
                {
                    var v = Math.ScaleB(S[k * tri + a * (a + 1) / 2 + c] / nk[k], e[a] + e[c]) + (a == c ? RegCovar : 0.0);
                    cov[k * d * d + a * d + c] = v;
                    cov[k * d * d + c * d + a] = v;
                }
                break;
            case CovarianceType.Tied:
            {
                var total = nk.Sum();
                for (var a = 0; a < d; a++)
                for (var c = 0; c <= a; c++)
                {
                    var s = 0.0;
                    for (var k = 0; k < K; k++) s += S[k * tri + a * (a + 1) / 2 + c];
                    var v = Math.ScaleB(s / total, e[a] + e[c]) + (a == c ? RegCovar : 0.0);
                    cov[a * d + c] = v;
                    cov[c * d + a] = v;
                }
                break;
            }
            case CovarianceType.Diag:
                for (var k = 0; k < K; k++)
                for (var j = 0; j < d; j++) cov[k * d + j] = Math.ScaleB(S[k * d + j] / nk[k], 2 * e[j]) + RegCovar;
                break;
            case CovarianceType.Spherical:
                for (var k = 0; k < K; k++)
                {
                    var s = 0.0;
                    for (var j = 0; j < d; j++) s += Math.ScaleB(S[k * d + j] / nk[k], 2 * e[j]);
                    cov[k] = s / d + RegCovar;
                }
                break;
            default: throw new ArgumentOutOfRangeException(nameof(Type));
        }
        for (var t = 0; t < cov.Length; t++)
            if (!double.IsFinite(cov[t]))
                return FinFail<GaussianComponents>(new CovarianceOverflowError(Type == CovarianceType.Tied ? 0 : t / (cov.Length / K) + 1));
        return GaussianComponents.Create(Type, K, d, mu, cov, columns).Bind(c => Collapsed(d, columnScale, c));
    }

    /// <summary>The components, or the first collapsed one (see <see cref="CollapseFactor"/>).</summary>
    private Fin<GaussianComponents> Collapsed(int d, double[] s, GaussianComponents c)
    {
        for (var k = 0; k < c.K; k++)
        for (var j = 0; j < d; j++)
        {
            var sd = Type switch
            {
                CovarianceType.Full => c.factor[k * d * d + j * d + j],
                CovarianceType.Tied => c.factor[j * d + j],
                CovarianceType.Diag => c.factor[k * d + j],
                _ => c.factor[k],
            };
            // sd >= sqrt(CollapseFactor) s_j rather than squares, which can leave the double range
            if (!(sd >= SqrtCollapseFactor * s[j])) return FinFail<GaussianComponents>(new CollapsedVarianceError(k + 1, sd * sd));
        }
        return c;
    }

    /// <inheritdoc/>
    public GaussianComponents Reorder(GaussianComponents components, int[] order) => components.Reorder(order);

    /// <summary>Ascending mean of the first column, then of the next ones (ties: original order).</summary>
    public int[] CanonicalOrder(GaussianComponents components)
    {
        var d = components.D;
        return Enumerable.Range(0, components.K)
            .OrderBy(k => k, Comparer<int>.Create((a, b) =>
            {
                for (var j = 0; j < d; j++)
                {
                    var c = components.mu[a * d + j].CompareTo(components.mu[b * d + j]);
                    if (c != 0) return c;
                }
                return a.CompareTo(b);
            }))
            .ToArray();
    }

    /// <summary>The data themselves, in the columns' units (<see cref="GaussianData.UnitExponent"/>; the
    /// split standardizes every feature, so a power-of-two unit per column does not change it): their own
    /// storage (no copy) for ordinary columns, a copy in units otherwise. A component is split along its principal axis.</summary>
    public ReadOnlyMemory<double> SplitFeatures(GaussianData data, GaussianComponents components, int k) =>
        data.UnitExponent.All(e => e == 0) ? data.x : data.InUnits().AsColumnMajorArray();

    /// <summary>
    /// W0 for the classic start: the one-hot k-means++ partition after Lloyd iterations to convergence
    /// (<see cref="KMeansStart"/>), or with <see cref="GaussianInit.Random"/> W0[i,k] = u_ik / sum_c u_ic,
    /// u ~ U(0,1) drawn row by row. A new matrix the caller owns.
    /// </summary>
    public Matrix<double> RandomResponsibilities(GaussianData data, int K, System.Random rng)
    {
        var W = new double[data.N * K];
        if (Init == GaussianInit.Random) UniformResponsibilities(data, K, rng, W);
        else KMeansResponsibilities(data, K, rng, W);
        return Matrix<double>.Build.Dense(data.N, K, W);
    }

    /// <summary>The start kinds of the estimation's plan: k-means++ and uniform random responsibilities (scikit-learn's
    /// two classic inits), Dirichlet soft responsibilities and random partitions (on faithful, full covariance, K = 4,
    /// only the last two reached the best-known optimum in 300 starts each), or only the one <see cref="Init"/> names.</summary>
    public ImmutableArray<StartKind> StartKinds => Init switch
    {
        GaussianInit.Portfolio => [StartKind.KMeans, StartKind.RandomUniform, StartKind.RandomSoft, StartKind.RandomPartition],
        GaussianInit.KMeans => [StartKind.KMeans],
        GaussianInit.Random => [StartKind.RandomUniform],
        _ => throw new ArgumentOutOfRangeException(nameof(Init)),
    };

    /// <inheritdoc/>
    public bool Start(GaussianData data, int K, StartKind kind, System.Random rng, double[] W0)
    {
        switch (kind)
        {
            case StartKind.KMeans: KMeansResponsibilities(data, K, rng, W0); return true;
            case StartKind.RandomUniform: UniformResponsibilities(data, K, rng, W0); return true;
            default: return false;
        }
    }

    private static void KMeansResponsibilities(GaussianData data, int K, System.Random rng, double[] W)
    {
        var n = data.N;
        var labels = System.Buffers.ArrayPool<int>.Shared.Rent(n);
        try
        {
            KMeansStart.Labels(data, K, rng, labels);
            System.Array.Clear(W, 0, n * K);
            for (var i = 0; i < n; i++) W[labels[i] * n + i] = 1.0;
        }
        finally { System.Buffers.ArrayPool<int>.Shared.Return(labels); }
    }

    private static void UniformResponsibilities(GaussianData data, int K, System.Random rng, double[] W)
    {
        var n = data.N;
        for (var i = 0; i < n; i++)
        {
            var s = 0.0;
            for (var k = 0; k < K; k++) { var u = rng.NextDouble(); W[k * n + i] = u; s += u; }
            for (var k = 0; k < K; k++) W[k * n + i] /= s;
        }
    }

    /// <summary>Means, then the covariance coordinates of <see cref="ToVector"/>.</summary>
    public int VectorLength(GaussianData data, int K)
    {
        var d = data.D;
        return K * d + Type switch
        {
            CovarianceType.Full => K * d * (d + 1) / 2,
            CovarianceType.Tied => d * (d + 1) / 2,
            CovarianceType.Diag => K * d,
            CovarianceType.Spherical => K,
            _ => throw new ArgumentOutOfRangeException(nameof(Type)),
        };
    }

    /// <summary>
    /// Coordinates: (mu_kj - m_j) / s_j with m_j, s_j the column's mean and population sd; for full and
    /// tied covariances the Cholesky factor L (Sigma = L L') row by row, L_ab / s_a below the diagonal and
    /// log(L_aa / s_a) on it; log(sd_kj / s_j) for diag; log sd_k for spherical. Every coordinate is
    /// unchanged when a column is multiplied by a constant (spherical: when all are).
    /// </summary>
    public void ToVector(GaussianData data, GaussianComponents components, Span<double> v)
    {
        var K = components.K;
        var d = data.D;
        var m = data.ColumnMean;
        var s = data.ColumnScale;
        for (var k = 0; k < K; k++)
        for (var j = 0; j < d; j++) v[k * d + j] = (components.mu[k * d + j] - m[j]) / s[j];
        var o = K * d;
        switch (Type)
        {
            case CovarianceType.Full:
            case CovarianceType.Tied:
            {
                var blocks = Type == CovarianceType.Full ? K : 1;
                for (var b = 0; b < blocks; b++)
                for (var r = 0; r < d; r++)
                for (var c = 0; c <= r; c++)
                {
                    var l = components.factor[b * d * d + r * d + c];
                    v[o++] = r == c ? Math.Log(l / s[r]) : l / s[r];
                }
                break;
            }
            case CovarianceType.Diag:
                for (var k = 0; k < K; k++)
                for (var j = 0; j < d; j++) v[o++] = Math.Log(components.factor[k * d + j] / s[j]);
                break;
            case CovarianceType.Spherical:
                for (var k = 0; k < K; k++) v[o++] = Math.Log(components.factor[k]);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(Type));
        }
    }

    /// <inheritdoc/>
    public Fin<GaussianComponents> FromVector(GaussianData data, ReadOnlySpan<double> v, int K)
    {
        var d = data.D;
        var m = data.ColumnMean;
        var s = data.ColumnScale;
        var mu = new double[K * d];
        for (var k = 0; k < K; k++)
        for (var j = 0; j < d; j++) mu[k * d + j] = m[j] + v[k * d + j] * s[j];
        var cov = new double[GaussianComponents.CovarianceLength(Type, K, d)];
        var o = K * d;
        switch (Type)
        {
            case CovarianceType.Full:
            case CovarianceType.Tied:
            {
                var blocks = Type == CovarianceType.Full ? K : 1;
                var L = new double[d * d];
                for (var b = 0; b < blocks; b++)
                {
                    System.Array.Clear(L);
                    for (var r = 0; r < d; r++)
                    for (var c = 0; c <= r; c++)
                    {
                        var e = v[o++];
                        L[r * d + c] = r == c ? s[r] * Math.Exp(e) : s[r] * e;
                    }
                    for (var r = 0; r < d; r++)
                    for (var c = 0; c <= r; c++)
                    {
                        var sum = 0.0;
                        for (var t = 0; t <= c; t++) sum += L[r * d + t] * L[c * d + t];
                        cov[b * d * d + r * d + c] = sum;
                        cov[b * d * d + c * d + r] = sum;
                    }
                }
                break;
            }
            case CovarianceType.Diag:
                for (var k = 0; k < K; k++)
                for (var j = 0; j < d; j++) { var sd = s[j] * Math.Exp(v[o++]); cov[k * d + j] = sd * sd; }
                break;
            case CovarianceType.Spherical:
                for (var k = 0; k < K; k++) { var sd = Math.Exp(v[o++]); cov[k] = sd * sd; }
                break;
            default: throw new ArgumentOutOfRangeException(nameof(Type));
        }
        foreach (var e in mu) if (!double.IsFinite(e)) return FinFail<GaussianComponents>(new InvalidDataError("extrapolated means are not finite"));
        foreach (var e in cov) if (!double.IsFinite(e)) return FinFail<GaussianComponents>(new InvalidDataError("extrapolated covariances are not finite"));
        return GaussianComponents.Create(Type, K, d, mu, cov, data.Columns);
    }

    /// <summary>The degenerate components of a fit under this family's ridge (see <see cref="Degeneracy"/>).</summary>
    public ImmutableArray<DegenerateComponent> Degeneracies(GaussianData data, GaussianComponents components) =>
        Degeneracy.Find(components, RegCovar, data.Columns);
}
