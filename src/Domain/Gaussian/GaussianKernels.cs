using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

using Mixtures.Domain.Em;

namespace Mixtures.Domain.Gaussian;

/// <summary>
/// The hot loops of the Gaussian family, on column-major data. Rows are cut into fixed chunks of
/// <see cref="Chunk"/> rows that run in parallel; inside a chunk, blocks of <see cref="Block"/> rows
/// are processed with SIMD vectors over rows. Sums are accumulated per chunk, sequentially, and the
/// chunk partials added in chunk order, so results do not depend on the number of threads. Scratch
/// is O(d x Block) per chunk: no n x K x d temporaries.
/// </summary>
internal static class GaussianKernels
{
    /// <summary>Rows per parallel work item (and per partial sum).</summary>
    public const int Chunk = 4096;

    /// <summary>Rows per SIMD block (d x Block scratch stays in the L1/L2 cache).</summary>
    public const int Block = 256;

    private static readonly double Log2Pi = Math.Log(2.0 * Math.PI);

    public static int Chunks(int n) => (n + Chunk - 1) / Chunk;

    /// <summary>Runs body(chunk) for every chunk, in parallel when there is more than one.</summary>
    public static void ForEachChunk(int n, Action<int> body) => Parallelism.ForChunks(Chunks(n), body);

    /// <summary>
    /// L[k n + i] = log N(x_i | mu_k, Sigma_k) = -(d log 2 pi + log|Sigma_k| + ||L_k^-1 (x_i - mu_k)||^2) / 2,
    /// the Mahalanobis term by forward substitution with the Cholesky factor L_k.
    /// </summary>
    public static void LogDensities(GaussianData data, GaussianComponents c, double[] dest)
    {
        var n = data.N;
        if (dest.Length < n * c.K) throw new ArgumentException($"dest has {dest.Length} entries, fewer than n K = {n * c.K}");
        var inv = Reciprocals(c);
        ForEachChunk(n, ch => LogDensities(data, c, inv, ch, dest, n, 0));
    }

    /// <summary>Per-component constants of <see cref="LogDensities(GaussianData, GaussianComponents, double[])"/>: the
    /// reciprocal pivots (diagonal of L or standard deviations), K x d.</summary>
    public static double[] Reciprocals(GaussianComponents c)
    {
        var d = c.D;
        var K = c.K;
        var inv = new double[K * d];
        for (var k = 0; k < K; k++)
        for (var j = 0; j < d; j++)
            inv[k * d + j] = c.Type switch
            {
                CovarianceType.Full => 1.0 / c.factor[k * d * d + j * d + j],
                CovarianceType.Tied => 1.0 / c.factor[j * d + j],
                CovarianceType.Diag => 1.0 / c.factor[k * d + j],
                CovarianceType.Spherical => 1.0 / c.factor[k],
                _ => throw new ArgumentOutOfRangeException(nameof(c)),
            };
        return inv;
    }

    /// <summary>The log-densities of the rows of chunk <paramref name="ch"/> (<paramref name="inv"/> from <see cref="Reciprocals"/>):
    /// row i and component k go to dest[k stride + i - rowBase], so an n x K buffer takes stride n and rowBase 0, and a
    /// buffer of the chunk alone its row count and first row. The values do not depend on the buffer.</summary>
    public static void LogDensities(GaussianData data, GaussianComponents c, double[] inv, int ch, double[] dest, int stride, int rowBase)
    {
        var n = data.N;
        var d = data.D;
        var K = c.K;
        var stride0 = Block;
        var pool = ArrayPool<double>.Shared;
        var xs = pool.Rent(d * stride0);
        var y = pool.Rent(d * stride0);
        var q = pool.Rent(stride0);
        try
        {
            var end = Math.Min(n, (ch + 1) * Chunk);
            for (var start = ch * Chunk; start < end; start += Block)
            {
                var b = Math.Min(Block, end - start);
                var bp = RoundUp(b);
                CopyBlock(data.x, n, d, start, b, bp, xs, stride0);
                for (var k = 0; k < K; k++)
                {
                    switch (c.Type)
                    {
                        case CovarianceType.Full:
                            Mahalanobis(xs, stride0, bp, d, c.mu, k * d, c.factor, k * d * d, inv, k * d, y, q);
                            break;
                        case CovarianceType.Tied:
                            Mahalanobis(xs, stride0, bp, d, c.mu, k * d, c.factor, 0, inv, k * d, y, q);
                            break;
                        case CovarianceType.Diag:
                        case CovarianceType.Spherical:
                            Scaled(xs, stride0, bp, d, c.mu, k * d, inv, k * d, q);
                            break;
                        default: throw new ArgumentOutOfRangeException(nameof(c));
                    }
                    var cst = d * Log2Pi + c.logDet[k];
                    var o = k * stride + start - rowBase;
                    for (var r = 0; r < b; r++) dest[o + r] = -0.5 * (cst + q[r]);
                }
            }
        }
        finally
        {
            pool.Return(xs); pool.Return(y); pool.Return(q);
        }
    }

    /// <summary>
    /// For one row x (0-based <paramref name="i"/>) whose log-densities are not representable, dest[k] =
    /// log N(x | mu_k, Sigma_k) - log N(x | mu_m, Sigma_m) with m the most probable component:
    /// -(log|Sigma_k| - log|Sigma_m|) / 2 - (q_k - q_m) / 2 for the squared Mahalanobis distances
    /// q_k = ||y_k||^2, y_k = L_k^-1 (x - mu_k), computed with x and the means in units of a power of two
    /// 2^E (exact) so nothing overflows. q_k - q_m = (y_k - y_m)'(y_k + y_m); when components k and m share
    /// their covariance (tied, or equal factors) y_k - y_m = L^-1 (mu_m - mu_k) exactly, so the difference,
    /// linear in x, is not lost to cancellation (otherwise the quadratic terms dominate it). dest[k] is -inf
    /// where the difference is beyond the double range (a posterior of exactly 0). False when even the
    /// scaled distances overflow.
    /// </summary>
    public static bool RelativeLogDensities(GaussianData data, GaussianComponents c, int i, double[] dest)
    {
        var d = data.D;
        var K = c.K;
        var E = int.MinValue;
        for (var j = 0; j < d; j++)
        {
            var a = Math.Abs(data[i, j]);
            for (var k = 0; k < K; k++) a = Math.Max(a, Math.Abs(c.mu[k * d + j]));
            if (a > 0) E = Math.Max(E, Math.ILogB(a) + 1);
        }
        if (E == int.MinValue) E = 0;
        // y[k][j] = (L_k^-1 (x - mu_k))_j in units of 2^E
        double[] Solve(int k, Func<int, double> t)
        {
            var y = new double[d];
            for (var j = 0; j < d; j++)
            {
                var v = t(j);
                switch (c.Type)
                {
                    case CovarianceType.Full:
                    case CovarianceType.Tied:
                    {
                        var o = c.Type == CovarianceType.Full ? k * d * d : 0;
                        for (var l = 0; l < j; l++) v -= c.factor[o + j * d + l] * y[l];
                        y[j] = v / c.factor[o + j * d + j];
                        break;
                    }
                    case CovarianceType.Diag: y[j] = v / c.factor[k * d + j]; break;
                    case CovarianceType.Spherical: y[j] = v / c.factor[k]; break;
                    default: throw new ArgumentOutOfRangeException(nameof(c));
                }
            }
            return y;
        }
        var ys = new double[K][];
        var r = new double[K];
        for (var k = 0; k < K; k++)
        {
            var kk = k;
            var y = ys[k] = Solve(k, j => Math.ScaleB(data[i, j], -E) - Math.ScaleB(c.mu[kk * d + j], -E));
            var m = 0.0;
            foreach (var v in y) m = Math.Max(m, Math.Abs(v));
            if (!double.IsFinite(m)) { r[k] = double.PositiveInfinity; continue; }
            if (m == 0) { r[k] = 0; continue; }
            var e = Math.ILogB(m);
            var ss = 0.0;
            foreach (var v in y) { var u = Math.ScaleB(v, -e); ss += u * u; }
            r[k] = Math.ScaleB(Math.Sqrt(ss), e);
        }
        var best = -1;
        for (var k = 0; k < K; k++) if (double.IsFinite(r[k]) && (best < 0 || r[k] < r[best])) best = k;
        if (best < 0) return false;
        bool SameCovariance(int a, int b)
        {
            var per = c.Type switch { CovarianceType.Full => d * d, CovarianceType.Diag => d, CovarianceType.Spherical => 1, _ => 0 };
            for (var t = 0; t < per; t++) if (c.factor[a * per + t] != c.factor[b * per + t]) return false;
            return true;
        }
        double Relative(int k, int m)
        {
            if (k == m) return 0.0;
            if (!double.IsFinite(r[k])) return double.NegativeInfinity;
            double dq;
            if (SameCovariance(k, m))
            {
                var u = Solve(k, j => Math.ScaleB(c.mu[m * d + j], -E) - Math.ScaleB(c.mu[k * d + j], -E));
                dq = 0.0;
                for (var j = 0; j < d; j++) dq += u[j] * (ys[k][j] + ys[m][j]);
            }
            else dq = (r[k] - r[m]) * (r[k] + r[m]);
            return -0.5 * (c.logDet[k] - c.logDet[m]) - 0.5 * Math.ScaleB(dq, 2 * E);
        }
        // relative to the nearest component first; if another is more probable still, relative to it
        for (var pass = 0; pass < K; pass++)
        {
            var top = best;
            for (var k = 0; k < K; k++)
            {
                dest[k] = Relative(k, best);
                if (dest[k] > dest[top]) top = k;
            }
            if (top == best || !(dest[top] > 0)) return true;
            best = top;
        }
        return true;
    }

    private static int RoundUp(int b)
    {
        var w = Vector<double>.Count;
        return (b + w - 1) / w * w;
    }

    /// <summary>Copies rows [start, start + b) of every column into xs (column j at j * stride), zero-padded to bp.</summary>
    private static void CopyBlock(double[] x, int n, int d, int start, int b, int bp, double[] xs, int stride)
    {
        for (var j = 0; j < d; j++)
        {
            System.Array.Copy(x, j * n + start, xs, j * stride, b);
            for (var r = b; r < bp; r++) xs[j * stride + r] = 0.0;
        }
    }

    /// <summary>
    /// q[r] = ||L^-1 (x_r - mu)||^2 for the rows of a block by forward substitution,
    /// y_j = (x_j - mu_j - sum_{l&lt;j} L[j,l] y_l) / L[j,j], four SIMD vectors of rows at a time
    /// (independent dependency chains).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Mahalanobis(double[] xs, int stride, int bp, int d, double[] mu, int muOff,
        double[] L, int lOff, double[] inv, int invOff, double[] y, double[] q)
    {
        var w = Vector<double>.Count;
        ref var X = ref MemoryMarshal.GetArrayDataReference(xs);
        ref var Y = ref MemoryMarshal.GetArrayDataReference(y);
        ref var Q = ref MemoryMarshal.GetArrayDataReference(q);
        var r = 0;
        for (; r + 4 * w <= bp; r += 4 * w)
        {
            var q0 = Vector<double>.Zero; var q1 = q0; var q2 = q0; var q3 = q0;
            for (var j = 0; j < d; j++)
            {
                var m = new Vector<double>(mu[muOff + j]);
                var xo = (nuint)(j * stride + r);
                var a0 = Vector.LoadUnsafe(ref X, xo) - m;
                var a1 = Vector.LoadUnsafe(ref X, xo + (nuint)w) - m;
                var a2 = Vector.LoadUnsafe(ref X, xo + (nuint)(2 * w)) - m;
                var a3 = Vector.LoadUnsafe(ref X, xo + (nuint)(3 * w)) - m;
                var row = lOff + j * d;
                for (var l = 0; l < j; l++)
                {
                    var c = new Vector<double>(-L[row + l]);
                    var yo = (nuint)(l * stride + r);
                    a0 = Vector.FusedMultiplyAdd(c, Vector.LoadUnsafe(ref Y, yo), a0);
                    a1 = Vector.FusedMultiplyAdd(c, Vector.LoadUnsafe(ref Y, yo + (nuint)w), a1);
                    a2 = Vector.FusedMultiplyAdd(c, Vector.LoadUnsafe(ref Y, yo + (nuint)(2 * w)), a2);
                    a3 = Vector.FusedMultiplyAdd(c, Vector.LoadUnsafe(ref Y, yo + (nuint)(3 * w)), a3);
                }
                var s = new Vector<double>(inv[invOff + j]);
                a0 *= s; a1 *= s; a2 *= s; a3 *= s;
                var yj = (nuint)(j * stride + r);
                a0.StoreUnsafe(ref Y, yj);
                a1.StoreUnsafe(ref Y, yj + (nuint)w);
                a2.StoreUnsafe(ref Y, yj + (nuint)(2 * w));
                a3.StoreUnsafe(ref Y, yj + (nuint)(3 * w));
                q0 = Vector.FusedMultiplyAdd(a0, a0, q0);
                q1 = Vector.FusedMultiplyAdd(a1, a1, q1);
                q2 = Vector.FusedMultiplyAdd(a2, a2, q2);
                q3 = Vector.FusedMultiplyAdd(a3, a3, q3);
            }
            q0.StoreUnsafe(ref Q, (nuint)r);
            q1.StoreUnsafe(ref Q, (nuint)(r + w));
            q2.StoreUnsafe(ref Q, (nuint)(r + 2 * w));
            q3.StoreUnsafe(ref Q, (nuint)(r + 3 * w));
        }
        for (; r < bp; r += w)
        {
            var q0 = Vector<double>.Zero;
            for (var j = 0; j < d; j++)
            {
                var a0 = Vector.LoadUnsafe(ref X, (nuint)(j * stride + r)) - new Vector<double>(mu[muOff + j]);
                var row = lOff + j * d;
                for (var l = 0; l < j; l++)
                    a0 = Vector.FusedMultiplyAdd(new Vector<double>(-L[row + l]), Vector.LoadUnsafe(ref Y, (nuint)(l * stride + r)), a0);
                a0 *= new Vector<double>(inv[invOff + j]);
                a0.StoreUnsafe(ref Y, (nuint)(j * stride + r));
                q0 = Vector.FusedMultiplyAdd(a0, a0, q0);
            }
            q0.StoreUnsafe(ref Q, (nuint)r);
        }
    }

    /// <summary>q[r] = sum_j ((x_rj - mu_j) / s_j)^2 (diagonal and spherical covariances).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scaled(double[] xs, int stride, int bp, int d, double[] mu, int muOff, double[] inv, int invOff, double[] q)
    {
        var w = Vector<double>.Count;
        ref var X = ref MemoryMarshal.GetArrayDataReference(xs);
        ref var Q = ref MemoryMarshal.GetArrayDataReference(q);
        for (var r = 0; r < bp; r += w) Vector<double>.Zero.StoreUnsafe(ref Q, (nuint)r);
        for (var j = 0; j < d; j++)
        {
            var m = new Vector<double>(mu[muOff + j]);
            var s = new Vector<double>(inv[invOff + j]);
            for (var r = 0; r < bp; r += w)
            {
                var a = (Vector.LoadUnsafe(ref X, (nuint)(j * stride + r)) - m) * s;
                Vector.FusedMultiplyAdd(a, a, Vector.LoadUnsafe(ref Q, (nuint)r)).StoreUnsafe(ref Q, (nuint)r);
            }
        }
    }

    /// <summary>
    /// First moments: nk[k] = sum_i W[i,k] and S1[k d + j] = sum_i W[i,k] x_ij, summed per chunk and
    /// the chunks added in order.
    /// </summary>
    public static (double[] Nk, double[] S1) FirstMoments(GaussianData data, double[] W, int K)
    {
        var nk = new double[K];
        var s1 = new double[K * data.D];
        AddFirstMoments(data, W, K, nk, s1);
        return (nk, s1);
    }

    /// <summary>
    /// <see cref="FirstMoments"/> added into running totals: each chunk's partial is added to
    /// <paramref name="nk"/> (K) and <paramref name="s1"/> (K x d) in chunk order. From zero totals this is
    /// <see cref="FirstMoments"/> itself; over consecutive row blocks whose sizes are multiples of <see cref="Chunk"/>,
    /// fed in order, it gives the totals of the whole data bit for bit (streaming EM).
    /// </summary>
    public static void AddFirstMoments(GaussianData data, double[] W, int K, double[] nk, double[] s1)
    {
        var n = data.N;
        var d = data.D;
        var chunks = Chunks(n);
        var size = K * (d + 1);
        // the chunk partials (over 85 KB for a million rows) come from the shared pool: an M-step leaves no garbage
        var partial = ArrayPool<double>.Shared.Rent(chunks * size);
        ForEachChunk(n, ch =>
        {
            var start = ch * Chunk;
            var len = Math.Min(n, start + Chunk) - start;
            var off = ch * size;
            for (var k = 0; k < K; k++)
            {
                var wk = new ReadOnlySpan<double>(W, k * n + start, len);
                partial[off + k * (d + 1)] = Sum(wk);
                for (var j = 0; j < d; j++)
                    partial[off + k * (d + 1) + 1 + j] = Dot(wk, new ReadOnlySpan<double>(data.x, j * n + start, len));
            }
        });
        for (var ch = 0; ch < chunks; ch++)
        {
            var off = ch * size;
            for (var k = 0; k < K; k++)
            {
                nk[k] += partial[off + k * (d + 1)];
                for (var j = 0; j < d; j++) s1[k * d + j] += partial[off + k * (d + 1) + 1 + j];
            }
        }
        ArrayPool<double>.Shared.Return(partial);
    }

    /// <summary>
    /// Weighted scatter about the means, S_k = sum_i W[i,k] (x_i - mu_k)(x_i - mu_k)': with
    /// <paramref name="diagonalOnly"/> the d diagonal entries per component (K x d), otherwise the lower
    /// triangle packed row by row (K x d(d+1)/2, entry (a, c &lt;= a) at a(a+1)/2 + c).
    /// Centring on mu_k before squaring avoids the cancellation of sum w x x' - nk mu mu'. The deviations
    /// are in the columns' units (<see cref="GaussianData.UnitExponent"/>): entry (a, c) is S_k[a,c] / 2^(e_a + e_c),
    /// exactly, so that it neither overflows nor underflows near the limits of the double range; for
    /// ordinary columns (e = 0) it is S_k itself.
    /// </summary>
    public static double[] Scatter(GaussianData data, double[] W, int K, double[] mu, bool diagonalOnly)
    {
        var total = new double[K * (diagonalOnly ? data.D : data.D * (data.D + 1) / 2)];
        AddScatter(data, W, K, mu, diagonalOnly, total);
        return total;
    }

    /// <summary>
    /// <see cref="Scatter"/> added into a running total (its layout), each chunk's partial in chunk order:
    /// from zero it is <see cref="Scatter"/>; over consecutive row blocks whose sizes are multiples of
    /// <see cref="Chunk"/>, fed in order, it gives the whole data's scatter bit for bit (streaming EM).
    /// </summary>
    public static void AddScatter(GaussianData data, double[] W, int K, double[] mu, bool diagonalOnly, double[] total)
    {
        var n = data.N;
        var d = data.D;
        var e = data.UnitExponent;
        var inv = new double[d];
        for (var j = 0; j < d; j++) inv[j] = Math.ScaleB(1.0, -e[j]);
        var per = diagonalOnly ? d : d * (d + 1) / 2;
        var size = K * per;
        var chunks = Chunks(n);
        // the chunk partials from the shared pool (see FirstMoments), cleared: the blocks add into them
        var partial = ArrayPool<double>.Shared.Rent(chunks * size);
        System.Array.Clear(partial, 0, chunks * size);
        ForEachChunk(n, ch =>
        {
            var stride = Block;
            var pool = ArrayPool<double>.Shared;
            var dv = pool.Rent(d * stride);
            var dw = pool.Rent(d * stride);
            try
            {
                var off = ch * size;
                var end = Math.Min(n, (ch + 1) * Chunk);
                for (var start = ch * Chunk; start < end; start += Block)
                {
                    var b = Math.Min(Block, end - start);
                    var bp = RoundUp(b);
                    for (var k = 0; k < K; k++)
                    {
                        var wk = new ReadOnlySpan<double>(W, k * n + start, b);
                        for (var j = 0; j < d; j++)
                        {
                            var m = mu[k * d + j];
                            var src = new ReadOnlySpan<double>(data.x, j * n + start, b);
                            var dj = new Span<double>(dv, j * stride, bp);
                            var wj = new Span<double>(dw, j * stride, bp);
                            if (e[j] == 0)
                                for (var r = 0; r < b; r++) { var v = src[r] - m; dj[r] = v; wj[r] = v * wk[r]; }
                            else
                            {
                                // (x - m) / 2^e as x / 2^e - m / 2^e: exact, and no overflow in x - m
                                var iu = inv[j];
                                var mu0 = m * iu;
                                for (var r = 0; r < b; r++) { var v = src[r] * iu - mu0; dj[r] = v; wj[r] = v * wk[r]; }
                            }
                            for (var r = b; r < bp; r++) { dj[r] = 0; wj[r] = 0; }
                        }
                        var o = off + k * per;
                        if (diagonalOnly)
                            for (var a = 0; a < d; a++)
                                partial[o + a] += Dot(new ReadOnlySpan<double>(dw, a * stride, bp), new ReadOnlySpan<double>(dv, a * stride, bp));
                        else
                            LowerProducts(dw, dv, stride, bp, d, partial, o);
                    }
                }
            }
            finally
            {
                pool.Return(dv); pool.Return(dw);
            }
        });
        for (var ch = 0; ch < chunks; ch++)
            for (var t = 0; t < size; t++) total[t] += partial[ch * size + t];
        ArrayPool<double>.Shared.Return(partial);
    }

    /// <summary>P[o + a(a+1)/2 + c] += sum_r A[a][r] B[c][r] for c &lt;= a, two rows and two columns at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LowerProducts(double[] A, double[] B, int stride, int bp, int d, double[] P, int o)
    {
        var w = Vector<double>.Count;
        ref var a0 = ref MemoryMarshal.GetArrayDataReference(A);
        ref var b0 = ref MemoryMarshal.GetArrayDataReference(B);
        for (var a = 0; a < d; a++)
        {
            var c = 0;
            for (; c + 1 <= a; c += 2)
            {
                // (a, c) and (a, c+1)
                var s0 = Vector<double>.Zero; var s1 = s0; var t0 = s0; var t1 = s0;
                var r = 0;
                for (; r + 2 * w <= bp; r += 2 * w)
                {
                    var va = Vector.LoadUnsafe(ref a0, (nuint)(a * stride + r));
                    var vb = Vector.LoadUnsafe(ref a0, (nuint)(a * stride + r + w));
                    s0 = Vector.FusedMultiplyAdd(va, Vector.LoadUnsafe(ref b0, (nuint)(c * stride + r)), s0);
                    t0 = Vector.FusedMultiplyAdd(va, Vector.LoadUnsafe(ref b0, (nuint)((c + 1) * stride + r)), t0);
                    s1 = Vector.FusedMultiplyAdd(vb, Vector.LoadUnsafe(ref b0, (nuint)(c * stride + r + w)), s1);
                    t1 = Vector.FusedMultiplyAdd(vb, Vector.LoadUnsafe(ref b0, (nuint)((c + 1) * stride + r + w)), t1);
                }
                for (; r < bp; r += w)
                {
                    var va = Vector.LoadUnsafe(ref a0, (nuint)(a * stride + r));
                    s0 = Vector.FusedMultiplyAdd(va, Vector.LoadUnsafe(ref b0, (nuint)(c * stride + r)), s0);
                    t0 = Vector.FusedMultiplyAdd(va, Vector.LoadUnsafe(ref b0, (nuint)((c + 1) * stride + r)), t0);
                }
                P[o + a * (a + 1) / 2 + c] += Vector.Sum(s0 + s1);
                P[o + a * (a + 1) / 2 + c + 1] += Vector.Sum(t0 + t1);
            }
            for (; c <= a; c++)
            {
                var s0 = Vector<double>.Zero; var s1 = s0;
                var r = 0;
                for (; r + 2 * w <= bp; r += 2 * w)
                {
                    s0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref a0, (nuint)(a * stride + r)), Vector.LoadUnsafe(ref b0, (nuint)(c * stride + r)), s0);
                    s1 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref a0, (nuint)(a * stride + r + w)), Vector.LoadUnsafe(ref b0, (nuint)(c * stride + r + w)), s1);
                }
                for (; r < bp; r += w)
                    s0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref a0, (nuint)(a * stride + r)), Vector.LoadUnsafe(ref b0, (nuint)(c * stride + r)), s0);
                P[o + a * (a + 1) / 2 + c] += Vector.Sum(s0 + s1);
            }
        }
    }

    /// <summary>sum_r a[r], vectorised with a fixed lane order.</summary>
    public static double Sum(ReadOnlySpan<double> a)
    {
        var w = Vector<double>.Count;
        var s = Vector<double>.Zero;
        var r = 0;
        for (; r + w <= a.Length; r += w) s += new Vector<double>(a.Slice(r, w));
        var t = Vector.Sum(s);
        for (; r < a.Length; r++) t += a[r];
        return t;
    }

    /// <summary>sum_r a[r] b[r], vectorised with a fixed lane order.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var w = Vector<double>.Count;
        var s0 = Vector<double>.Zero; var s1 = s0;
        var r = 0;
        for (; r + 2 * w <= a.Length; r += 2 * w)
        {
            s0 = Vector.FusedMultiplyAdd(new Vector<double>(a.Slice(r, w)), new Vector<double>(b.Slice(r, w)), s0);
            s1 = Vector.FusedMultiplyAdd(new Vector<double>(a.Slice(r + w, w)), new Vector<double>(b.Slice(r + w, w)), s1);
        }
        for (; r + w <= a.Length; r += w)
            s0 = Vector.FusedMultiplyAdd(new Vector<double>(a.Slice(r, w)), new Vector<double>(b.Slice(r, w)), s0);
        var t = Vector.Sum(s0 + s1);
        for (; r < a.Length; r++) t += a[r] * b[r];
        return t;
    }
}
