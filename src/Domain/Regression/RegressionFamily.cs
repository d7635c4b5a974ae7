using System.Collections.Immutable;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Regression;

/// <summary>
/// Mixture of linear regressions (latent class regression). For unit u with n_u rows and class c:
///   log f(u | c) = -(n_u / 2) log(2 pi sigma_c^2) - RSS_u(beta_c) / (2 sigma_c^2).
/// The M-step for class c is weighted least squares with weight W[u,c] on every row of unit u,
/// beta_c = (sum_u w_u X_u'X_u)^-1 sum_u w_u X_u'y_u (solved by Cholesky), and the ML variance
/// sigma_c^2 = sum_u w_u RSS_u(beta_c) / sum_u w_u n_u (per class), pooled over classes (common),
/// or fixed.
/// </summary>
/// <remarks>flexmix <c>FLXMRglm(family = "gaussian")</c> with the ML variance (flexmix itself divides
/// by a df-corrected count); mixtools <c>regmixEM</c>.</remarks>
public sealed class RegressionFamily(VarianceModel variance) : IMixtureFamily<RegressionData, RegressionComponents>, ISecondOrderFamily<RegressionData, RegressionComponents>,
    IFusedFamily<RegressionData, RegressionComponents>, IFusedColumnSums<RegressionData, RegressionComponents>
{
    /// <summary>Weight below which a class is considered empty.</summary>
    public const double EmptyWeight = 1e-8;

    /// <summary>
    /// Relative variance (to the pooled residual variance) below which a class has collapsed: its sd is below 1/1000
    /// of the pooled residual sd, a near-exact fit of a few units (the likelihood is unbounded as sigma_c goes to 0,
    /// and such spurious maxima win every comparison of log L). On mixtools' CO2data (28 rows) a class of 3 countries
    /// with sd 0.0001 against a pooled 3.9 would otherwise be "the optimum" at K = 2 and 3; tonedata's tight class
    /// (sd 0.0045 against 0.23) and CO2data's K = 3 optimum of mixtools (sd 0.028) pass. The bound is on the ratio,
    /// so it does not depend on the units of y (as Hathaway's 1985 constraint on variance ratios).
    /// </summary>
    public const double CollapseFactor = 1e-6;

    /// <summary>How the classes' error variances are modelled.</summary>
    public VarianceModel Variance { get; } = variance;

    /// <inheritdoc/>
    public int Units(RegressionData data) => data.Units;
    /// <inheritdoc/>
    public string UnitName(RegressionData data) => data.Layout switch
    {
        DesignLayout.Rows => "rows",
        DesignLayout.PerUnit => "groups",
        _ => "stores",
    };
    /// <inheritdoc/>
    public int Observations(RegressionData data) => data.Observations;
    /// <inheritdoc/>
    public ObservationWeights? UnitWeights(RegressionData data) => data.Weights;
    /// <inheritdoc/>
    public double WeightedObservations(RegressionData data) => data.WeightedObservations;
    /// <inheritdoc/>
    public int ComponentCount(RegressionComponents components) => components.K;
    /// <summary>K p coefficients and K, 1 or 0 variances.</summary>
    public int ComponentParameters(RegressionData data, int K) => K * data.P + Variance.FreeParameters(K);

    /// <summary>Free parameters with constant mixing weights: K p + (K, 1 or 0) + K - 1.</summary>
    public int FreeParameters(RegressionData data, int K) => ComponentParameters(data, K) + (K - 1);

    /// <summary>Units per parallel chunk; chunk partial sums are added in chunk order (thread-count independent).</summary>
    private const int Chunk = 4096;

    private static void ForChunks(int units, Action<int, int, int> body)
    {
        var chunks = (units + Chunk - 1) / Chunk;
        if (chunks <= 1) { body(0, 0, units); return; }
        Parallelism.ForChunks(chunks, c => body(c, c * Chunk, Math.Min(units, (c + 1) * Chunk)));
    }

    /// <summary>RSS_u(beta) = r0'r0 - 2 d'X'r0 + d'X'X d for unit u, with d = beta - b0 (single rows directly).</summary>
    private static double Rss(RegressionData data, int u, double[] d, double sharedQuad)
    {
        var p = data.P;
        var xo = u * p;
        switch (data.Layout)
        {
            case DesignLayout.Shared:
            {
                var g = 0.0;
                for (var j = 0; j < p; j++) g += d[j] * data.xtr[xo + j];
                return Math.Max(0.0, data.rtr[u] - 2 * g + sharedQuad);
            }
            case DesignLayout.Rows:
            {
                var xd = 0.0;
                for (var j = 0; j < p; j++) xd += data.design[j * data.Units + u] * d[j];
                var r = data.r0![u] - xd;
                return r * r;
            }
            default:
            {
                var g = 0.0;
                for (var j = 0; j < p; j++) g += d[j] * data.xtr[xo + j];
                return Math.Max(0.0, data.rtr[u] - 2 * g + Quad(data.design, u * p * p, d, p));
            }
        }
    }

    private static double Quad(double[] M, int offset, double[] d, int p)
    {
        var q = 0.0;
        for (var a = 0; a < p; a++)
        for (var b = 0; b < p; b++)
            q += d[a] * M[offset + a * p + b] * d[b];
        return q;
    }

    /// <summary>
    /// Per class, in the data's internal units (<see cref="RegressionData.UnitRange"/>): d_c = beta_c - b0, the shared
    /// design's quadratic form d_c'X'X d_c (0 for other layouts), 1 / (2 sigma_c^2) and -log(2 pi sigma_c^2) / 2
    /// shifted back to the data's units, so that log f(u | c) = n_u logNorm_c - RSS_u(beta_c) half_c.
    /// </summary>
    internal static (double[][] D, double[] Quad, double[] Half, double[] LogNorm) ClassTerms(RegressionData data, RegressionComponents components)
    {
        var K = components.K;
        var p = data.P;
        var d = new double[K][];
        var quad = new double[K];
        var half = new double[K];
        var logNorm = new double[K];
        for (var c = 0; c < K; c++)
        {
            var cls = components.Classes[c];
            d[c] = new double[p];
            // in the data's internal units (RegressionData.UnitRange): d and sigma divided by powers of two,
            // the log-density shifted back by -log 2^e_y; for ordinary data the units are 1
            for (var j = 0; j < p; j++) d[c][j] = data.ToUnits(j, cls.Beta[j] - data.beta0[j]);
            quad[c] = data.Layout == DesignLayout.Shared ? Quad(data.design, 0, d[c], p) : 0.0;
            var sc = data.SigmaToUnits(cls.Sigma);
            var variance = sc * sc;
            half[c] = 0.5 / variance;
            logNorm[c] = -0.5 * Math.Log(2 * Math.PI * variance) + data.LogUnitShift;
        }
        return (d, quad, half, logNorm);
    }

    /// <inheritdoc/>
    public void LogDensities(RegressionData data, RegressionComponents components, double[] L)
    {
        var U = data.Units;
        var K = components.K;
        var p = data.P;
        var (d, quad, half, logNorm) = ClassTerms(data, components);
        if (data.Layout == DesignLayout.Rows)
        {
            RowLogDensities(data, d, half, logNorm, L);
            return;
        }
        if (data.Layout == DesignLayout.Shared)
        {
            // The panel case (every unit has the same design): a tight loop per class.
            ForChunks(U, (_, from, to) => SharedLogDensityChunk(data, d, quad, half, logNorm, L, from, to));
            return;
        }
        ForChunks(U, (_, from, to) =>
        {
            for (var u = from; u < to; u++)
            {
                var rows = data.unitRows[u];
                for (var c = 0; c < K; c++)
                    L[c * U + u] = rows * logNorm[c] - Rss(data, u, d[c], quad[c]) * half[c];
            }
        });
    }

    /// <summary>Units u .. u + 3's pairs (X'r)_0 and (X'r)_1 of the interleaved per-unit array <paramref name="xtr"/>, as two
    /// four-lane vectors: two loads and two lane permutations instead of eight scalar loads.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static (Vector256<double> X0, Vector256<double> X1) Deinterleave(double[] xtr, int u)
    {
        var order = Vector256.Create(0L, 2, 1, 3);
        var a = Vector256.Shuffle(Vector256.Create(xtr.AsSpan(2 * u, 4)), order);       // x0_u, x0_u+1, x1_u, x1_u+1
        var b = Vector256.Shuffle(Vector256.Create(xtr.AsSpan(2 * u + 4, 4)), order);   // x0_u+2, x0_u+3, x1_u+2, x1_u+3
        return (Vector256.Create(a.GetLower(), b.GetLower()), Vector256.Create(a.GetUpper(), b.GetUpper()));
    }

    /// <summary>Units u .. u + 7's (X'r)_0 and (X'r)_1 of the interleaved per-unit array <paramref name="xtr"/>, as two
    /// eight-lane vectors (lanes in unit order, as <see cref="Deinterleave"/>'s two four-unit halves): two loads and two
    /// two-source permutations with AVX-512, else four-lane shuffles as <see cref="Deinterleave"/>'s. Unchecked: the
    /// caller has checked that units u .. u + 7 are in <paramref name="xtr"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static (Vector512<double> X0, Vector512<double> X1) Deinterleave8(ref double xtr, nuint u)
    {
        var a = Vector512.LoadUnsafe(ref xtr, 2 * u);        // x0_u, x1_u, ..., x0_u+3, x1_u+3
        var b = Vector512.LoadUnsafe(ref xtr, 2 * u + 8);    // x0_u+4, x1_u+4, ..., x0_u+7, x1_u+7
        if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
            return (System.Runtime.Intrinsics.X86.Avx512F.PermuteVar8x64x2(a, Vector512.Create(0L, 2, 4, 6, 8, 10, 12, 14), b),
                System.Runtime.Intrinsics.X86.Avx512F.PermuteVar8x64x2(a, Vector512.Create(1L, 3, 5, 7, 9, 11, 13, 15), b));
        var order = Vector256.Create(0L, 2, 1, 3);
        var q0 = Vector256.Shuffle(a.GetLower(), order);
        var q1 = Vector256.Shuffle(a.GetUpper(), order);
        var q2 = Vector256.Shuffle(b.GetLower(), order);
        var q3 = Vector256.Shuffle(b.GetUpper(), order);
        return (Vector512.Create(Vector256.Create(q0.GetLower(), q1.GetLower()), Vector256.Create(q2.GetLower(), q3.GetLower())),
            Vector512.Create(Vector256.Create(q0.GetUpper(), q1.GetUpper()), Vector256.Create(q2.GetUpper(), q3.GetUpper())));
    }

    /// <summary>The log-densities of panel units from..to (a shared design), class by class:
    /// L[c,u] = n_u logNorm_c - max(0, r0_u'r0_u - 2 d_c'X'r0_u + d_c'X'X d_c) half_c.</summary>
    internal static void SharedLogDensityChunk(RegressionData data, double[][] d, double[] quad, double[] half, double[] logNorm, double[] L,
        int from, int to, int stride = -1, int rowBase = 0)
    {
        var U = data.Units;
        var S = stride < 0 ? U : stride;   // L[c S + u - rowBase]: the n x K buffer (S = U), or a chunk's own
        var p = data.P;
        var K = d.Length;
        var xtr = data.xtr;
        var rtr = data.rtr;
        var nRows = data.unitRows;
        if (p == 2 && to > from)
        {
            // The sales model's [1, log p] design: the inner product unrolled (each lane the scalar formula's operations
            // in its order, so the values are the scalar loop's). The eight-unit groups four classes at a time (each
            // unit's data read once for the four), then class by class four units at a time and the scalar rest.
            if (from < 0 || to > U || rowBase > from || (long)(K - 1) * S + to - rowBase > L.Length)
                throw new ArgumentException("the panel log-densities' range is outside the data or L");
            var whole = (to - from) & ~7;
            for (var c4 = 0; c4 < K; c4 += 4) LogDensitiesOfFour(data, d, quad, half, logNorm, c4, Math.Min(4, K - c4), L, S, rowBase, from, whole);
            for (var c = 0; c < K; c++)
            {
                var off = c * S - rowBase;
                double d0 = d[c][0], d1 = d[c][1], q = quad[c], h = half[c], ln = logNorm[c];
                var vln = Vector256.Create(nRows[from] * ln);
                var vq = Vector256.Create(q);
                var vh = Vector256.Create(h);
                var vd0 = Vector256.Create(d0);
                var vd1 = Vector256.Create(d1);
                var two = Vector256.Create(2.0);
                var u = from + whole;
                for (; u <= to - 4; u += 4)
                {
                    var (x0, x1) = Deinterleave(xtr, u);
                    var g = vd0 * x0 + vd1 * x1;
                    var l = vln - Vector256.Max(Vector256<double>.Zero, Vector256.Create(rtr.AsSpan(u, 4)) - two * g + vq) * vh;
                    l.CopyTo(L.AsSpan(off + u, 4));
                }
                for (; u < to; u++)
                {
                    var g = d0 * xtr[2 * u] + d1 * xtr[2 * u + 1];
                    L[off + u] = nRows[u] * ln - Math.Max(0.0, rtr[u] - 2 * g + q) * h;
                }
            }
            return;
        }
        for (var c = 0; c < K; c++)
        {
            var dc = d[c];
            var off = c * S - rowBase;
            var q = quad[c];
            var h = half[c];
            var ln = logNorm[c];
            for (var u = from; u < to; u++)
            {
                var g = 0.0;
                for (var j = 0; j < p; j++) g += dc[j] * xtr[u * p + j];
                L[off + u] = nRows[u] * ln - Math.Max(0.0, rtr[u] - 2 * g + q) * h;
            }
        }
    }

    /// <summary>The eight-lane form of the panel log-density of classes c .. c + m - 1 (m &lt;= 4; see
    /// <see cref="SharedLogDensityChunk"/>) for units from .. from + whole (a multiple of eight), each group's data read
    /// once for the classes, whose terms are in registers (those past m unused, skipped by tests every group takes the
    /// same way); indices checked by the caller.</summary>
    private static void LogDensitiesOfFour(RegressionData data, double[][] d, double[] quad, double[] half, double[] logNorm, int c, int m,
        double[] L, int S, int rowBase, int from, int whole)
    {
        ref var x = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(data.xtr);
        ref var r = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(data.rtr);
        ref var l = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(L);
        var ls = (nuint)S;
        var T = data.unitRows[from];
        var two = Vector512.Create(2.0);
        Vector512<double> D(int k, int j) => Vector512.Create(k < m ? d[c + k][j] : 0.0);
        Vector512<double> At(double[] a, int k) => Vector512.Create(k < m ? a[c + k] : 0.0);
        Vector512<double> TL(int k) => Vector512.Create(k < m ? T * logNorm[c + k] : 0.0);
        Vector512<double> a0 = D(0, 0), a1 = D(0, 1), aq = At(quad, 0), ah = At(half, 0), al = TL(0);
        Vector512<double> b0 = D(1, 0), b1 = D(1, 1), bq = At(quad, 1), bh = At(half, 1), bl = TL(1);
        Vector512<double> e0 = D(2, 0), e1 = D(2, 1), eq = At(quad, 2), eh = At(half, 2), el = TL(2);
        Vector512<double> f0 = D(3, 0), f1 = D(3, 1), fq = At(quad, 3), fh = At(half, 3), fl = TL(3);
        var at = (nuint)(c * S - rowBase);
        for (var i = 0; i < whole; i += 8)
        {
            var u = (nuint)(from + i);
            var (x0, x1) = Deinterleave8(ref x, u);
            var rr = Vector512.LoadUnsafe(ref r, u);
            var o = at + u;
            PanelLogDensity(x0, x1, rr, two, a0, a1, aq, ah, al).StoreUnsafe(ref l, o);
            if (m > 1) PanelLogDensity(x0, x1, rr, two, b0, b1, bq, bh, bl).StoreUnsafe(ref l, o + ls);
            if (m > 2) PanelLogDensity(x0, x1, rr, two, e0, e1, eq, eh, el).StoreUnsafe(ref l, o + 2 * ls);
            if (m > 3) PanelLogDensity(x0, x1, rr, two, f0, f1, fq, fh, fl).StoreUnsafe(ref l, o + 3 * ls);
        }
    }

    /// <summary>T logNorm - max(0, r0'r0 - 2 (d0 (X'r0)_0 + d1 (X'r0)_1) + q) half, lane by lane in the scalar formula's
    /// order.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> PanelLogDensity(Vector512<double> x0, Vector512<double> x1, Vector512<double> rr, Vector512<double> two,
        Vector512<double> d0, Vector512<double> d1, Vector512<double> q, Vector512<double> h, Vector512<double> tLogNorm) =>
        tLogNorm - Vector512.Max(Vector512<double>.Zero, rr - two * (d0 * x0 + d1 * x1) + q) * h;

    /// <summary>
    /// Log-densities of single rows, class by class over a chunk of rows with the columns of X
    /// (stored column-major) in 4-lane vectors: L[c,u] = log N(r0_u - x_u'd_c; 0, sigma_c^2).
    /// Vector256 has the same lanes on every machine (emulated where the hardware lacks it) and no
    /// fused multiply-add is used, so results are the same everywhere.
    /// </summary>
    private static void RowLogDensities(RegressionData data, double[][] d, double[] half, double[] logNorm, double[] L)
        => ForChunks(data.Units, (_, from, to) => RowLogDensityChunk(data, d, half, logNorm, L, from, to));

    /// <summary>The log-densities of single rows from..to (see <see cref="RowLogDensities"/>) into L[c S + u - rowBase], S =
    /// <paramref name="stride"/> (the rows' count U when negative: the n x K buffer).</summary>
    internal static void RowLogDensityChunk(RegressionData data, double[][] d, double[] half, double[] logNorm, double[] L, int from, int to,
        int stride = -1, int rowBase = 0)
    {
        var U = data.Units;
        var S = stride < 0 ? U : stride;
        var p = data.P;
        var K = d.Length;
        var x = data.design;
        var len = to - from;
        var r = data.r0!.AsSpan(from, len);
        // eight rows at a time while they last: lane by lane the same arithmetic as the four-row loop (no fused
        // multiply-add), so the same values at either width and on machines without AVX-512; with p <= 4 each group's
        // row read once for up to four classes, whose terms stay in registers
        var whole = 0;
        if (p <= RowGroupMaxP && len >= 8)
        {
            if (from < 0 || to > U || rowBase > from || (long)(K - 1) * S + to - rowBase > L.Length || x.Length < (long)p * U || data.r0!.Length < to)
                throw new ArgumentException("the row log-densities' range is outside the data or L");
            whole = len & ~7;
            for (var c = 0; c < K; c += 4) RowLogDensitiesOfFour(data, d, half, logNorm, c, Math.Min(4, K - c), L, S, rowBase, from, whole);
        }
        for (var c = 0; c < K; c++)
        {
            var dc = d[c];
            var dst = L.AsSpan(c * S + from - rowBase, len);
            var ln = Vector256.Create(logNorm[c]);
            var h = Vector256.Create(half[c]);
            var i = whole;
            var ln8 = Vector512.Create(logNorm[c]);
            var h8 = Vector512.Create(half[c]);
            for (; i <= len - 8; i += 8)
            {
                var e = Vector512.Create(r.Slice(i, 8));
                for (var j = 0; j < p; j++)
                    e -= Vector512.Create(x.AsSpan(j * U + from + i, 8)) * Vector512.Create(dc[j]);
                (ln8 - e * e * h8).CopyTo(dst.Slice(i, 8));
            }
            for (; i <= len - 4; i += 4)
            {
                var e = Vector256.Create(r.Slice(i, 4));
                for (var j = 0; j < p; j++)
                    e -= Vector256.Create(x.AsSpan(j * U + from + i, 4)) * Vector256.Create(dc[j]);
                (ln - e * e * h).CopyTo(dst.Slice(i, 4));
            }
            for (; i < len; i++)
            {
                var e = r[i];
                for (var j = 0; j < p; j++) e -= x[j * U + from + i] * dc[j];
                dst[i] = ln[0] - e * e * h[0];
            }
        }
    }

    /// <summary>The most coefficients <see cref="RowLogDensitiesOfFour"/> takes.</summary>
    private const int RowGroupMaxP = 4;

    /// <summary>
    /// The eight-row form of <see cref="RowLogDensityChunk"/> for classes c .. c + m - 1 (m &lt;= 4) and p &lt;=
    /// <see cref="RowGroupMaxP"/>, rows from .. from + whole (a multiple of eight): each group's r0 and x read once for the
    /// classes, whose coefficients and terms are in registers (those past m or p unused, skipped by tests every group
    /// takes the same way). Each lane is the general loop's arithmetic in its order: e = r0 - x_0 d_0 - x_1 d_1 - ...,
    /// then logNorm - e e half. Indices are checked by the caller.
    /// </summary>
    private static void RowLogDensitiesOfFour(RegressionData data, double[][] d, double[] half, double[] logNorm, int c, int m,
        double[] L, int S, int rowBase, int from, int whole)
    {
        var U = data.Units;
        var p = data.P;
        ref var r = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(data.r0!);
        ref var x = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(data.design);
        ref var l = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(L);
        var s = (nuint)U;
        var ls = (nuint)S;
        Vector512<double> D(int k, int j) => Vector512.Create(k < m && j < p ? d[c + k][j] : 0.0);
        Vector512<double> H(int k) => Vector512.Create(k < m ? half[c + k] : 0.0);
        Vector512<double> N(int k) => Vector512.Create(k < m ? logNorm[c + k] : 0.0);
        Vector512<double> a0 = D(0, 0), a1 = D(0, 1), a2 = D(0, 2), a3 = D(0, 3), ah = H(0), an = N(0);
        Vector512<double> b0 = D(1, 0), b1 = D(1, 1), b2 = D(1, 2), b3 = D(1, 3), bh = H(1), bn = N(1);
        Vector512<double> e0 = D(2, 0), e1 = D(2, 1), e2 = D(2, 2), e3 = D(2, 3), eh = H(2), en = N(2);
        Vector512<double> f0 = D(3, 0), f1 = D(3, 1), f2 = D(3, 2), f3 = D(3, 3), fh = H(3), fn = N(3);
        var at = (nuint)(c * S + from - rowBase);
        for (var i = 0; i < whole; i += 8)
        {
            var u = (nuint)(from + i);
            var rr = Vector512.LoadUnsafe(ref r, u);
            var x0 = Vector512.LoadUnsafe(ref x, u);
            Vector512<double> x1 = default, x2 = default, x3 = default;
            if (p > 1) x1 = Vector512.LoadUnsafe(ref x, u + s);
            if (p > 2) x2 = Vector512.LoadUnsafe(ref x, u + 2 * s);
            if (p > 3) x3 = Vector512.LoadUnsafe(ref x, u + 3 * s);
            var o = at + (nuint)i;
            RowLogDensity(rr, x0, x1, x2, x3, p, a0, a1, a2, a3, ah, an).StoreUnsafe(ref l, o);
            if (m > 1) RowLogDensity(rr, x0, x1, x2, x3, p, b0, b1, b2, b3, bh, bn).StoreUnsafe(ref l, o + ls);
            if (m > 2) RowLogDensity(rr, x0, x1, x2, x3, p, e0, e1, e2, e3, eh, en).StoreUnsafe(ref l, o + 2 * ls);
            if (m > 3) RowLogDensity(rr, x0, x1, x2, x3, p, f0, f1, f2, f3, fh, fn).StoreUnsafe(ref l, o + 3 * ls);
        }
    }

    /// <summary>logNorm - e e half with e = r0 - x_0 d_0 - ... - x_{p-1} d_{p-1} (p &lt;= 4), in that order.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> RowLogDensity(Vector512<double> rr, Vector512<double> x0, Vector512<double> x1, Vector512<double> x2,
        Vector512<double> x3, int p, Vector512<double> d0, Vector512<double> d1, Vector512<double> d2, Vector512<double> d3,
        Vector512<double> h, Vector512<double> ln)
    {
        var e = rr - x0 * d0;
        if (p > 1) e -= x1 * d1;
        if (p > 2) e -= x2 * d2;
        if (p > 3) e -= x3 * d3;
        return ln - e * e * h;
    }

    /// <summary>
    /// The M-step sums of single rows from..to, class by class in 4-lane vectors over the columns of X,
    /// into <paramref name="acc"/> laid out per class as [sum w, sum w n_u (= sum w), sum w r0^2,
    /// sum w x r0 (p), sum w x x' (lower triangle of p x p)]. Lanes are added in a fixed order, so the
    /// sums depend only on the chunk, not on the machine or the thread count.
    /// </summary>
    internal static void RowSums(RegressionData data, double[] Wa, int K, int from, int to, Span<double> acc)
    {
        var U = data.Units;
        var p = data.P;
        var stride = 3 + p + p * p;
        var x = data.design;
        var len = to - from;
        var r = data.r0!.AsSpan(from, len);
        var nAcc = 2 + p + p * (p + 1) / 2;
        Span<Vector256<double>> v = stackalloc Vector256<double>[nAcc];
        Span<Vector256<double>> xs = stackalloc Vector256<double>[p];
        Span<double> tail = stackalloc double[nAcc];
        Span<double> xt = stackalloc double[p];
        for (var c = 0; c < K; c++)
        {
            var w = Wa.AsSpan(c * U + from, len);
            v.Clear();
            tail.Clear();
            var i = p == 3 ? Blocks3(w, r, x, U, from, v) : 0;
            for (; i <= len - 4; i += 4)
            {
                var vw = Vector256.Create(w.Slice(i, 4));
                var vr = Vector256.Create(r.Slice(i, 4));
                var t = vw * vr;
                v[0] += vw;
                v[1] += t * vr;
                var k = 2 + p;
                for (var a = 0; a < p; a++)
                {
                    var xa = Vector256.Create(x.AsSpan(a * U + from + i, 4));
                    xs[a] = xa;
                    v[2 + a] += t * xa;
                    var wxa = vw * xa;
                    for (var b = 0; b <= a; b++) v[k++] += wxa * xs[b];
                }
            }
            for (; i < len; i++)
            {
                var wi = w[i];
                var t = wi * r[i];
                tail[0] += wi;
                tail[1] += t * r[i];
                var k = 2 + p;
                for (var a = 0; a < p; a++)
                {
                    var xa = x[a * U + from + i];
                    xt[a] = xa;
                    tail[2 + a] += t * xa;
                    var wxa = wi * xa;
                    for (var b = 0; b <= a; b++) tail[k++] += wxa * xt[b];
                }
            }
            // lanes in a fixed order, then the tail
            for (var j = 0; j < nAcc; j++) tail[j] = (v[j][0] + v[j][1]) + (v[j][2] + v[j][3]) + tail[j];
            var o = c * stride;
            acc[o] = tail[0];
            acc[o + 1] = tail[0];
            acc[o + 2] = tail[1];
            for (var a = 0; a < p; a++) acc[o + 3 + a] = tail[2 + a];
            var m = 2 + p;
            for (var a = 0; a < p; a++)
            for (var b = 0; b <= a; b++) acc[o + 3 + p + a * p + b] = tail[m++];
        }
    }

    /// <summary>
    /// <see cref="RowSums"/>' sums for p = 3 (an intercept and two covariates, the common case) over the whole blocks
    /// of one class's weights <paramref name="w"/>, with the eleven accumulators in registers instead of a stack array:
    /// eight rows at a time while eight remain (eight-lane sums, folded to four lanes), then four at a time as the
    /// general loop takes them.
    /// Returns the rows done (a multiple of 4).
    /// </summary>
    private static int Blocks3(ReadOnlySpan<double> w, ReadOnlySpan<double> r, double[] x, int U, int from, Span<Vector256<double>> v)
    {
        var len = w.Length;
        var c0 = x.AsSpan(from, len);
        var c1 = x.AsSpan(U + from, len);
        var c2 = x.AsSpan(2 * U + from, len);
        Vector256<double> sw = default, srr = default, s0 = default, s1 = default, s2 = default;
        Vector256<double> q00 = default, q10 = default, q11 = default, q20 = default, q21 = default, q22 = default;
        var i = 0;
        {
            // eight rows at a time while they last, into eight-lane sums folded to four lanes (lower + upper) before the
            // four-row loop goes on: a fixed order, the same on machines without AVX-512 (there Vector512 is two halves)
            Vector512<double> sw8 = default, srr8 = default, s08 = default, s18 = default, s28 = default;
            Vector512<double> q008 = default, q108 = default, q118 = default, q208 = default, q218 = default, q228 = default;
            for (; i <= len - 8; i += 8)
            {
                var vw = Vector512.Create(w.Slice(i, 8));
                var vr = Vector512.Create(r.Slice(i, 8));
                var t = vw * vr;
                sw8 += vw;
                srr8 += t * vr;
                var x0 = Vector512.Create(c0.Slice(i, 8));
                var x1 = Vector512.Create(c1.Slice(i, 8));
                var x2 = Vector512.Create(c2.Slice(i, 8));
                s08 += t * x0;
                var wx0 = vw * x0;
                q008 += wx0 * x0;
                s18 += t * x1;
                var wx1 = vw * x1;
                q108 += wx1 * x0;
                q118 += wx1 * x1;
                s28 += t * x2;
                var wx2 = vw * x2;
                q208 += wx2 * x0;
                q218 += wx2 * x1;
                q228 += wx2 * x2;
            }
            sw = sw8.GetLower() + sw8.GetUpper(); srr = srr8.GetLower() + srr8.GetUpper();
            s0 = s08.GetLower() + s08.GetUpper(); s1 = s18.GetLower() + s18.GetUpper(); s2 = s28.GetLower() + s28.GetUpper();
            q00 = q008.GetLower() + q008.GetUpper(); q10 = q108.GetLower() + q108.GetUpper(); q11 = q118.GetLower() + q118.GetUpper();
            q20 = q208.GetLower() + q208.GetUpper(); q21 = q218.GetLower() + q218.GetUpper(); q22 = q228.GetLower() + q228.GetUpper();
        }
        for (; i <= len - 4; i += 4)
        {
            var vw = Vector256.Create(w.Slice(i, 4));
            var vr = Vector256.Create(r.Slice(i, 4));
            var t = vw * vr;
            sw += vw;
            srr += t * vr;
            var x0 = Vector256.Create(c0.Slice(i, 4));
            var x1 = Vector256.Create(c1.Slice(i, 4));
            var x2 = Vector256.Create(c2.Slice(i, 4));
            s0 += t * x0;
            var wx0 = vw * x0;
            q00 += wx0 * x0;
            s1 += t * x1;
            var wx1 = vw * x1;
            q10 += wx1 * x0;
            q11 += wx1 * x1;
            s2 += t * x2;
            var wx2 = vw * x2;
            q20 += wx2 * x0;
            q21 += wx2 * x1;
            q22 += wx2 * x2;
        }
        v[0] = sw; v[1] = srr; v[2] = s0; v[3] = s1; v[4] = s2;
        v[5] = q00; v[6] = q10; v[7] = q11; v[8] = q20; v[9] = q21; v[10] = q22;
        return i;
    }

    /// <summary>The weighted fit from a U x K responsibility matrix.</summary>
    public Fin<RegressionComponents> Fit(RegressionData data, Matrix<double> W) =>
        Fit(data, W.AsColumnMajorArray() ?? W.ToColumnMajorArray(), W.ColumnCount);

    /// <summary>The weighted fit from the U x K responsibilities in the first U K entries of a column-major buffer.</summary>
    public Fin<RegressionComponents> Fit(RegressionData data, double[] Wa, int K) => FitSums(data, Sums(data, Wa, K), K);

    /// <summary>Entries per class of the M-step sums: [sum w, sum w n_u, sum w r0'r0, sum w X'r0 (p), sum w X'X (p x p, lower
    /// triangle; unused with a shared design)].</summary>
    internal static int SumStride(int p) => 3 + p + p * p;

    /// <summary>
    /// The M-step sums (K <see cref="SumStride"/> entries, per class as <see cref="SumStride"/> says) of the U x K
    /// responsibilities in the first U K entries of a column-major buffer: per chunk of units from that chunk's units
    /// only, the chunks' sums added in chunk order starting from zero (independent of the thread count).
    /// </summary>
    internal static double[] Sums(RegressionData data, double[] Wa, int K)
    {
        var U = data.Units;
        var p = data.P;
        if (Wa.Length < (long)U * K) throw new ArgumentException($"W has {Wa.Length} entries, fewer than U K = {(long)U * K}");
        var shared = data.Layout == DesignLayout.Shared;
        // Per class: [wsum, w rows, w rtr, g (p), A lower triangle (p*p, unused when shared)].
        var stride = SumStride(p);
        var chunks = Math.Max(1, (U + Chunk - 1) / Chunk);
        var partial = new double[chunks * K * stride];
        ForChunks(U, (chunk, from, to) =>
        {
            if (data.Layout == DesignLayout.Rows)
            {
                RowSums(data, Wa, K, from, to, partial.AsSpan(chunk * K * stride, K * stride));
                return;
            }
            if (shared && p == 2)
            {
                // the sales model's [1, log p] design
                RegressionSweep.SharedSums(data, Wa, K, from, to, partial.AsSpan(chunk * K * stride, K * stride));
                return;
            }
            for (var c = 0; c < K; c++)
            {
                var o = (chunk * K + c) * stride;
                var col = c * U;
                double wsum = 0, wr = 0, wrtr = 0;
                if (shared)
                {
                    // The panel case: only the weighted sums of n_u, r0'r0 and X'r0 are needed.
                    var xtr = data.xtr;
                    var rtr = data.rtr;
                    var nRows = data.unitRows;
                    var g = new double[p];
                    for (var u = from; u < to; u++)
                    {
                        var w = Wa[col + u];
                        wsum += w;
                        wr += w * nRows[u];
                        wrtr += w * rtr[u];
                        for (var a = 0; a < p; a++) g[a] += w * xtr[u * p + a];
                    }
                    for (var a = 0; a < p; a++) partial[o + 3 + a] = g[a];
                    partial[o] = wsum; partial[o + 1] = wr; partial[o + 2] = wrtr;
                    continue;
                }
                for (var u = from; u < to; u++)
                {
                    var w = Wa[col + u];
                    if (w == 0) continue;
                    wsum += w;
                    wr += w * data.unitRows[u];
                    wrtr += w * data.rtr[u];
                    var xo = u * p;
                    for (var a = 0; a < p; a++) partial[o + 3 + a] += w * data.xtr[xo + a];
                    if (shared) continue;
                    var mo = u * p * p;
                    for (var a = 0; a < p; a++)
                    for (var b = 0; b <= a; b++) partial[o + 3 + p + a * p + b] += w * data.design[mo + a * p + b];
                }
                partial[o] = wsum; partial[o + 1] = wr; partial[o + 2] = wrtr;
            }
        });
        return AddChunks(partial, chunks, K * stride);
    }

    /// <summary>The sum of <paramref name="chunks"/> consecutive blocks of <paramref name="size"/> entries, in block order from zero.</summary>
    internal static double[] AddChunks(double[] partial, int chunks, int size)
    {
        var sums = new double[size];
        ChunkSums.AddInOrder(partial, chunks, size, sums);
        return sums;
    }

    /// <summary>
    /// The weighted fit from the M-step sums (<see cref="Sums"/>): per class c, beta_c solves
    /// (sum_u w_uc X_u'X_u) d = sum_u w_uc X_u'r0_u (d = beta_c - b0, Cholesky), and the ML variance (per class,
    /// common or fixed) from sum_u w_uc RSS_u(beta_c) = sum w r0'r0 - d'g.
    /// </summary>
    internal Fin<RegressionComponents> FitSums(RegressionData data, double[] sums, int K)
    {
        var p = data.P;
        var shared = data.Layout == DesignLayout.Shared;
        var stride = SumStride(p);
        var pooledVar = data.pooledVariance; // internal units, as the sums
        var betas = new double[K][];
        var wrss = new double[K];
        var wrows = new double[K];
        for (var c = 0; c < K; c++)
        {
            var o = c * stride;
            var wsum = sums[o];
            if (wsum < EmptyWeight) return FinFail<RegressionComponents>(new EmptyComponentError(c + 1, wsum));
            var A = new double[p * p];
            for (var a = 0; a < p; a++)
            for (var b = 0; b <= a; b++)
            {
                var v = shared ? wsum * data.design[a * p + b] : sums[o + 3 + p + a * p + b];
                A[a * p + b] = v; A[b * p + a] = v;
            }
            var g = new double[p];
            for (var a = 0; a < p; a++) g[a] = sums[o + 3 + a];
            var chol = WeightedLeastSquares.TryCholesky(Matrix<double>.Build.Dense(p, p, A));
            if (chol is null) return FinFail<RegressionComponents>(new SingularDesignError(c + 1));
            var d = chol.Solve(Vector<double>.Build.Dense(g)).ToArray();
            // sum_u w_u RSS_u(b) = sum w rtr - 2 d'g + d'A d, and A d = g at the solution
            var dg = 0.0;
            for (var a = 0; a < p; a++) dg += d[a] * g[a];
            wrss[c] = Math.Max(0.0, sums[o + 2] - dg);
            wrows[c] = sums[o + 1];
            var beta = new double[p];
            for (var j = 0; j < p; j++) beta[j] = data.FromUnits(j, d[j]) + data.beta0[j];
            betas[c] = beta;
        }
        var variances = new double[K];
        switch (Variance.Kind)
        {
            case VarianceKind.PerClass:
                for (var c = 0; c < K; c++) variances[c] = wrss[c] / wrows[c];
                break;
            case VarianceKind.Common:
                var v = wrss.Sum() / wrows.Sum();
                for (var c = 0; c < K; c++) variances[c] = v;
                break;
            case VarianceKind.Fixed:
                for (var c = 0; c < K; c++) variances[c] = Variance.FixedVariance;
                break;
        }
        if (Variance.Kind != VarianceKind.Fixed)
            for (var c = 0; c < K; c++)
                if (!(variances[c] > CollapseFactor * Math.Max(pooledVar, double.Epsilon)))
                    return FinFail<RegressionComponents>(new CollapsedVarianceError(c + 1, Math.ScaleB(variances[c], 2 * data.responseExponent)));
        // variances in the internal units (a fixed variance is in the data's units)
        return new RegressionComponents(Enumerable.Range(0, K)
            .Select(c => new RegressionClass(betas[c].ToImmutableArray(),
                Variance.Kind == VarianceKind.Fixed ? Math.Sqrt(variances[c]) : Math.ScaleB(Math.Sqrt(variances[c]), data.responseExponent)))
            .ToImmutableArray());
    }

    /// <summary>Single rows, and the sales model's panel (a shared design with p = 2), without observation weights and
    /// with K up to 16, take the fused sweep (<see cref="RegressionSweep"/>): K <see cref="SumStride"/> statistics.</summary>
    public int FusedStatistics(RegressionData data, int K) => RegressionSweep.Covers(data, K) ? K * SumStride(data.P) : 0;

    /// <summary>The sweep (<see cref="RegressionSweep"/>) writes W over W_prev when they are one buffer, on the data it
    /// covers.</summary>
    public bool FusedInPlace(RegressionData data, int K) => RegressionSweep.Covers(data, K);

    /// <inheritdoc/>
    public double FusedStep(RegressionData data, RegressionComponents components, double[] logPi, int n, int K, double[] w, double[]? wPrev,
        out double maxChange, double[] statistics) =>
        Sweep(data, components, logPi, n, K, w, wPrev, out maxChange, statistics, null);

    double IFusedColumnSums<RegressionData, RegressionComponents>.FusedStep(RegressionData data, RegressionComponents components, double[] logPi,
        int n, int K, double[] w, double[]? wPrev, out double maxChange, double[] statistics, double[] columnSums) =>
        Sweep(data, components, logPi, n, K, w, wPrev, out maxChange, statistics, columnSums);

    private static double Sweep(RegressionData data, RegressionComponents components, double[] logPi, int n, int K, double[] w, double[]? wPrev,
        out double maxChange, double[] statistics, double[]? columnSums)
    {
        if (n != data.Units || K != components.K || !RegressionSweep.Covers(data, K))
            throw new ArgumentException($"the fused sweep does not cover these data (n = {n}, K = {K}, layout {data.Layout})");
        return RegressionSweep.Run(data, components, logPi, K, w, wPrev, out maxChange, statistics, columnSums);
    }

    /// <inheritdoc/>
    public Fin<RegressionComponents> FitStatistics(RegressionData data, double[] statistics, int K) => FitSums(data, statistics, K);

    /// <inheritdoc/>
    public RegressionComponents Reorder(RegressionComponents components, int[] order) =>
        new(order.Select(o => components.Classes[o]).ToImmutableArray());

    /// <summary>Ascending first coefficient (the intercept, alpha in the sales model), then the next ones.</summary>
    public int[] CanonicalOrder(RegressionComponents components) =>
        Enumerable.Range(0, components.K)
            .OrderBy(k => components.Classes[k].Beta, BetaComparer.Instance)
            .ThenBy(k => k)
            .ToArray();

    private sealed class BetaComparer : IComparer<ImmutableArray<double>>
    {
        public static readonly BetaComparer Instance = new();
        public int Compare(ImmutableArray<double> x, ImmutableArray<double> y)
        {
            for (var j = 0; j < Math.Min(x.Length, y.Length); j++)
            {
                var c = x[j].CompareTo(y[j]);
                if (c != 0) return c;
            }
            return x.Length.CompareTo(y.Length);
        }
    }

    /// <summary>
    /// Split features: with a shared design, each unit's own OLS coefficients; for single rows, the
    /// residual under class k; for groups, X_u'r_u / n_u (the unit's score under class k).
    /// </summary>
    public ReadOnlyMemory<double> SplitFeatures(RegressionData data, RegressionComponents components, int k)
    {
        var U = data.Units;
        var p = data.P;
        var d = new double[p];
        for (var j = 0; j < p; j++) d[j] = data.ToUnits(j, components.Classes[k].Beta[j] - data.beta0[j]);
        switch (data.Layout)
        {
            case DesignLayout.Shared:
            {
                var chol = WeightedLeastSquares.TryCholesky(Matrix<double>.Build.Dense(p, p, data.design));
                if (chol is null) goto default;
                var G = Matrix<double>.Build.Dense(p, U, data.xtr);
                var B = chol.Solve(G).Transpose();
                return B.AsColumnMajorArray() ?? B.ToColumnMajorArray();
            }
            case DesignLayout.Rows:
            {
                var F = Matrix<double>.Build.Dense(U, 1);
                for (var u = 0; u < U; u++)
                {
                    var xd = 0.0;
                    for (var j = 0; j < p; j++) xd += data.design[j * U + u] * d[j];
                    F[u, 0] = data.r0![u] - xd;
                }
                return F.AsColumnMajorArray();
            }
            default:
            {
                var F = Matrix<double>.Build.Dense(U, p);
                for (var u = 0; u < U; u++)
                for (var a = 0; a < p; a++)
                {
                    var s = data.xtr[u * p + a];
                    if (data.Layout == DesignLayout.PerUnit)
                        for (var b = 0; b < p; b++) s -= data.design[(u * p + a) * p + b] * d[b];
                    F[u, a] = s / data.unitRows[u];
                }
                return F.AsColumnMajorArray();
            }
        }
    }

    /// <summary>Random partitions, Dirichlet soft responsibilities and parameter-space starts, in turn.</summary>
    public ImmutableArray<StartKind> StartKinds { get; } = [StartKind.RandomPartition, StartKind.RandomSoft, StartKind.Parameters];

    /// <summary>
    /// A parameter-space start (<see cref="StartKind.Parameters"/>): for each class, units are drawn at
    /// random without replacement until their rows determine the coefficients (at least p + 1 rows and a
    /// non-singular X'X), and beta_c is their least-squares fit; sigma_c is the pooled residual sd times
    /// 10^u, u ~ U(-3, 0) (so both tight and wide classes are tried; one draw for a common variance, none
    /// when it is fixed); pi uniform. W0 is the E-step at these parameters.
    /// </summary>
    /// <remarks>mixtools' <c>regmix.init</c> draws coefficients around least-squares fits to bins of y and
    /// sigma as 1 / Exp(rate = s): heavy-tailed on both sides, which is what finds tight classes.</remarks>
    public bool Start(RegressionData data, int K, StartKind kind, System.Random rng, double[] W0)
    {
        if (kind != StartKind.Parameters) return false;
        var U = data.Units;
        var p = data.P;
        var classes = ImmutableArray.CreateBuilder<RegressionClass>(K);
        var scale = data.ResponseScale;
        double DrawSigma() => scale * Math.Pow(10.0, -3.0 * rng.NextDouble());
        var common = DrawSigma();
        for (var c = 0; c < K; c++)
        {
            var order = Enumerable.Range(0, U).ToArray();
            var A = new double[p * p];
            var g = new double[p];
            var rows = 0;
            double[]? d = null;
            for (var taken = 0; taken < U && d is null; taken++)
            {
                var j = taken + rng.Next(U - taken);
                (order[taken], order[j]) = (order[j], order[taken]);
                var u = order[taken];
                AddUnit(data, u, A, g);
                rows += data.unitRows[u];
                if (rows <= p) continue;
                var chol = WeightedLeastSquares.TryCholesky(Matrix<double>.Build.Dense(p, p, A));
                if (chol is not null) d = chol.Solve(Vector<double>.Build.Dense(g)).ToArray();
            }
            if (d is null) return false;
            var beta = new double[p];
            for (var j = 0; j < p; j++) beta[j] = data.beta0[j] + data.FromUnits(j, d[j]);
            var sigma = Variance.Kind switch
            {
                VarianceKind.PerClass => DrawSigma(),
                VarianceKind.Common => common,
                _ => Math.Sqrt(Variance.FixedVariance),
            };
            classes.Add(new RegressionClass(beta.ToImmutableArray(), sigma));
        }
        // the E-step in place on the log-densities
        LogDensities(data, new RegressionComponents(classes.MoveToImmutable()), W0);
        EmLoop.EStepInto(W0, Enumerable.Repeat(-Math.Log(K), K).ToArray(), U, K, W0);
        return true;
    }

    /// <summary>Adds unit u's X_u'X_u and X_u'r0_u to A (p x p) and g (p).</summary>
    private static void AddUnit(RegressionData data, int u, double[] A, double[] g)
    {
        var p = data.P;
        var U = data.Units;
        switch (data.Layout)
        {
            case DesignLayout.Rows:
                for (var a = 0; a < p; a++)
                {
                    var xa = data.design[a * U + u];
                    g[a] += xa * data.r0![u];
                    for (var b = 0; b < p; b++) A[a * p + b] += xa * data.design[b * U + u];
                }
                break;
            case DesignLayout.Shared:
                for (var a = 0; a < p; a++)
                {
                    g[a] += data.xtr[u * p + a];
                    for (var b = 0; b < p; b++) A[a * p + b] += data.design[a * p + b];
                }
                break;
            default:
                for (var a = 0; a < p; a++)
                {
                    g[a] += data.xtr[u * p + a];
                    for (var b = 0; b < p; b++) A[a * p + b] += data.design[(u * p + a) * p + b];
                }
                break;
        }
    }

    /// <summary>Derivatives in flexmix's refit coordinates psi = (beta, log sigma, log(pi_c / pi_1)); see <see cref="ObservedInformation"/>.</summary>
    public (double[] Gradient, Matrix<double> Information, double LogLikelihood) Derivatives(RegressionData data, Mixture<RegressionComponents> m,
        double[]? scratch = null) =>
        ObservedInformation.Derivatives(m.Components, m.Weights, data, Variance, scratch);

    /// <inheritdoc/>
    public Fin<Mixture<RegressionComponents>> Step(RegressionData data, Mixture<RegressionComponents> m, double[] delta)
    {
        var p = data.P;
        var K = m.Components.K;
        var nv = Variance.FreeParameters(K);
        var classes = ImmutableArray.CreateBuilder<RegressionClass>(K);
        for (var c = 0; c < K; c++)
        {
            var cls = m.Components.Classes[c];
            var beta = new double[p];
            // the coefficient steps are in the data's internal units (see ObservedInformation)
            for (var j = 0; j < p; j++) beta[j] = cls.Beta[j] + data.FromUnits(j, delta[c * p + j]);
            var sigma = Variance.Kind switch
            {
                VarianceKind.PerClass => cls.Sigma * Math.Exp(delta[K * p + c]),
                VarianceKind.Common => cls.Sigma * Math.Exp(delta[K * p]),
                _ => cls.Sigma,
            };
            if (!(sigma > 0) || !double.IsFinite(sigma) || beta.Any(b => !double.IsFinite(b)))
                return FinFail<Mixture<RegressionComponents>>(new InvalidDataError("a Newton step left the parameter space"));
            classes.Add(new RegressionClass(beta.ToImmutableArray(), sigma));
        }
        // logits alpha_c = log(pi_c / pi_1), c = 2..K
        var alpha = new double[K];
        for (var c = 1; c < K; c++) alpha[c] = Math.Log(m.Weights.Pi[c] / m.Weights.Pi[0]) + delta[K * p + nv + c - 1];
        var max = alpha.Max();
        if (!double.IsFinite(max)) return FinFail<Mixture<RegressionComponents>>(new InvalidDataError("a Newton step left the parameter space"));
        var pi = alpha.Select(a => Math.Exp(a - max)).ToArray();
        var sum = pi.Sum();
        return new Mixture<RegressionComponents>(new RegressionComponents(classes.MoveToImmutable()), MixingWeights.Normalised(pi.Select(x => x / sum)));
    }

    /// <summary>K p coefficients and the free variances (K, 1 or 0).</summary>
    public int VectorLength(RegressionData data, int K) => K * data.P + Variance.FreeParameters(K);

    /// <summary>Coordinates (beta_cj - b0_j) rms(x_j) / s_y, then log sigma_c (per class) or log sigma (common):
    /// unchanged when y or a column of X is multiplied by a constant.</summary>
    public void ToVector(RegressionData data, RegressionComponents components, Span<double> v)
    {
        var p = data.P;
        var K = components.K;
        for (var c = 0; c < K; c++)
        for (var j = 0; j < p; j++)
            v[c * p + j] = data.ToUnits(j, components.Classes[c].Beta[j] - data.beta0[j]) * data.columnRms[j] / data.responseScale;
        switch (Variance.Kind)
        {
            case VarianceKind.PerClass:
                for (var c = 0; c < K; c++) v[K * p + c] = Math.Log(components.Classes[c].Sigma);
                break;
            case VarianceKind.Common:
                v[K * p] = Math.Log(components.Classes[0].Sigma);
                break;
        }
    }

    /// <inheritdoc/>
    public Fin<RegressionComponents> FromVector(RegressionData data, ReadOnlySpan<double> v, int K)
    {
        var p = data.P;
        var classes = ImmutableArray.CreateBuilder<RegressionClass>(K);
        for (var c = 0; c < K; c++)
        {
            var beta = new double[p];
            for (var j = 0; j < p; j++) beta[j] = data.beta0[j] + data.FromUnits(j, v[c * p + j] * data.responseScale / data.columnRms[j]);
            var sigma = Variance.Kind switch
            {
                VarianceKind.PerClass => Math.Exp(v[K * p + c]),
                VarianceKind.Common => Math.Exp(v[K * p]),
                _ => Math.Sqrt(Variance.FixedVariance),
            };
            if (!(sigma > 0) || !double.IsFinite(sigma) || beta.Any(b => !double.IsFinite(b)))
                return FinFail<RegressionComponents>(new InvalidDataError("extrapolated parameters are not finite"));
            classes.Add(new RegressionClass(beta.ToImmutableArray(), sigma));
        }
        return new RegressionComponents(classes.MoveToImmutable());
    }

    /// <summary>A random hard partition (flexmix's default start): units in a random order, the first
    /// K one to each class so none starts empty, the rest uniformly at random.</summary>
    public Matrix<double> RandomResponsibilities(RegressionData data, int K, System.Random rng) =>
        Estimation.RandomPartition(data.Units, K, rng);
}
