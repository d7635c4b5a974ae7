using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

using Mixtures.Domain.Em;

namespace Mixtures.Domain.Gaussian;

/// <summary>
/// The hot loops of the Gaussian family, on column-major data. Rows are cut into fixed chunks of
/// <see cref="Chunk"/> rows that run in parallel; inside a chunk, blocks of <see cref="Block"/> rows
/// are processed with SIMD vectors over rows. Sums are accumulated per chunk, sequentially, and the
/// chunk partials added in chunk order, so results do not depend on the number of threads. Scratch
/// is O(d x Block) per chunk: no n x K x d temporaries.
/// </summary>
/// <remarks>
/// A chunk's partial sums depend only on that chunk's rows (<see cref="FirstMomentsOfChunk"/>, <see cref="ScatterOfChunk"/>,
/// <see cref="CentredMomentsOfChunk"/>
/// and the per-chunk <see cref="LogDensities(GaussianData, GaussianComponents, double[], int, double[], int, int)"/>), so a
/// caller that feeds the kernels one chunk at a time and adds the partials in chunk order gets the same bits. Every
/// value's arithmetic is fixed by its row (log-densities) or by its chunk and block (sums): register tiling, the order
/// in which entries are computed and the pairing of components change nothing. The values do depend on the width of
/// <see cref="Vector{T}"/> (4 doubles with AVX2, also where AVX-512 exists, since .NET keeps Vector&lt;T&gt; at 256 bits by
/// default) and on fused multiply-add, which the kernels use throughout. Where the hardware has AVX-512 the diagonal and
/// full kernels run eight rows to a register (<see cref="Wide"/>) with the same lane arithmetic, so the values are the
/// same on AVX2 and AVX-512 machines (tests/Gaussian/KernelLaneTests.cs spells the arithmetic out in scalar loops).
/// </remarks>
internal static class GaussianKernels
{
    /// <summary>Rows per parallel work item (and per partial sum).</summary>
    public const int Chunk = 4096;

    /// <summary>Rows per SIMD block (d x Block scratch stays in the L1/L2 cache).</summary>
    public const int Block = 256;

    /// <summary>Rows per block of the fused sweep (<see cref="Sweep(Mixtures.Domain.Gaussian.GaussianData, Mixtures.Domain.Gaussian.GaussianComponents, double[], double[], double[], out double, bool, double[], double[], double[], bool)"/>): a multiple of <see cref="Block"/> and of the
    /// E-step's eight-row groups, so the blocks split every kernel's work where the kernel itself splits it.</summary>
    private const int FusedBlock = Block;

    private static readonly double Log2Pi = Math.Log(2.0 * Math.PI);

    /// <summary>Whether the diagonal and full kernels take eight rows to a register where the hardware has AVX-512 (and
    /// <see cref="Vector{T}"/> is four doubles): the same values bit for bit, since a 512-bit register holds the two
    /// 256-bit vectors of rows the four-lane code keeps apart, in the same order (see the kernels). Off with
    /// DOTNET_EnableAVX512F=0.</summary>
    private static readonly bool Wide = Vector512.IsHardwareAccelerated && Vector<double>.Count == 4;

    public static int Chunks(int n) => (n + Chunk - 1) / Chunk;

    /// <summary>
    /// How many rows ahead of the rows being computed the first-touch kernels ask the L2 cache for each column's lines.
    /// Column-major data read a block of rows at a time are d streams of short pieces (2 KB per column for a 256-row
    /// block), which the hardware prefetcher does not follow: at d = 20 the diagonal log-densities ran at a third of their
    /// in-cache speed at 1,000,000 rows. The requests are spread over the components' passes (about d / K columns each),
    /// so they do not come in one burst. A hint only: no value depends on it (bench/README.md, "Asking for the rows
    /// ahead").
    /// </summary>
    private const int PrefetchRows = 256;

    /// <summary>How many blocks ahead of the block whose diagonal moments it sums <c>AddDiagonalMoments</c> asks for each
    /// column's lines (PREFETCHT1): in the fused sweep the log-densities of block b ask for block b + 1 and the moments
    /// of block b for block b + 2, which the log-densities of block b + 1 ask for again. So the first touch's requests
    /// come in both phases that read the data, not in the log-densities' alone. On Zen 5 the diagonal sweep at
    /// 1,000,000 x 20, K = 5 took 12% less time on one thread and on two; one block ahead gained half as much, three
    /// the same as two. With AVX-512 the column's first kernel asks for a line in each eight-row step instead of all 32
    /// at once: 4-5% less again at K = 4 and 5 (bench/README.md, "Every row at its goal on a quicker host").</summary>
    private const int MomentsPrefetchBlocks = 2;

    /// <summary>The first-touch kernels ask for rows ahead (<see cref="PrefetchRows"/>) from this many columns on, where
    /// reading the columns in blocks falls off (bench/prefetch_bench.cs): the hardware prefetcher follows a few streams
    /// well, and at d = 6 one A/B of the full covariance was slower with the requests (within the noise).</summary>
    private const int PrefetchColumns = 12;

    /// <summary>A hint to bring <paramref name="lines"/> cache lines of eight doubles from <paramref name="x"/> on into
    /// the L2 cache (PREFETCHT1; on AMD Zen the T0 hint measured no gain). Nothing where the hardware has no such
    /// instruction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchToL2(ref double x, int lines)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported) return;
        // the address of an element of a managed array: a hint may name a stale address if the array moved, harmlessly
        var p = (double*)Unsafe.AsPointer(ref x);
        for (var l = 0; l < lines; l++) System.Runtime.Intrinsics.X86.Sse.Prefetch1(p + 8 * l);
    }

    /// <summary>The address <see cref="MomentsPrefetchBlocks"/> blocks on from a column's row <paramref name="x"/>, where
    /// a diagonal moments kernel asks for a line every eight rows (<see cref="AskAt"/>), or 0 when it does not ask. Made
    /// once per kernel call: <see cref="PrefetchToL2"/> at each step, which forms the address again from the row, left
    /// the pair's loop about 4% slower at K = 4 (16.4 against 17.1 ms CPU, five alternated rounds).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe nint Ahead(ref double x, bool ask) =>
        ask && System.Runtime.Intrinsics.X86.Sse.IsSupported ? (nint)Unsafe.AsPointer(ref Unsafe.Add(ref x, MomentsPrefetchBlocks * Block)) : 0;

    /// <summary>Asks for the line of row <paramref name="r"/> (a multiple of eight) from <paramref name="ahead"/>
    /// (<see cref="Ahead"/>) into the L2 cache: one line per eight-row step, so that the requests are spread over the
    /// kernel's loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void AskAt(nint ahead, int r)
    {
        if (ahead != 0) System.Runtime.Intrinsics.X86.Sse.Prefetch1((double*)ahead + r);
    }

    /// <summary>Component k's share of the requests for rows <paramref name="row"/> on of column-major data with
    /// <paramref name="n"/> rows (from <paramref name="x"/>, its first value): <paramref name="lines"/> lines of each of
    /// columns k, k + K, k + 2K, ... below d, so that K components' passes ask for all d columns once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchShare(ref double x, int n, int d, int K, int k, int row, int lines)
    {
        for (var j = k; j < d; j += K) PrefetchToL2(ref Unsafe.Add(ref x, (nint)j * n + row), lines);
    }

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
        var from = ch * Chunk;
        using var scratch = DensityScratch.For(data, c);
        LogDensityRows(data, c, inv, scratch, from, Math.Min(data.N, from + Chunk), dest, stride, rowBase);
    }

    /// <summary>The pooled scratch of the full and tied log-densities: a block of rows (d x <see cref="Block"/>), the
    /// substitution's values and sums, and -L (the factor negated, so the substitution's products are fused multiply-adds;
    /// negation is exact), and whether whole blocks are read in place (<see cref="InPlaceColumns"/>). Returned to the pool
    /// on dispose.</summary>
    private sealed class DensityScratch : IDisposable
    {
        internal readonly double[] Xs, Y, Q;
        internal readonly double[]? NegL;
        internal readonly bool InPlace;

        /// <summary>The scratch for these data and components; none for the diagonal and spherical log-densities, which
        /// read the rows in place.</summary>
        internal static DensityScratch? For(GaussianData data, GaussianComponents c) =>
            c.Type is CovarianceType.Diag or CovarianceType.Spherical ? null : new DensityScratch(data, c);

        private DensityScratch(GaussianData data, GaussianComponents c)
        {
            var d = data.D;
            InPlace = Wide && InPlaceColumns(data.N, d);
            var pool = ArrayPool<double>.Shared;
            Xs = pool.Rent(d * Block);
            Y = pool.Rent(d * Block);
            Q = pool.Rent(Block);
            if (c.Type is CovarianceType.Full or CovarianceType.Tied)
            {
                NegL = pool.Rent(c.factor.Length);
                for (var t = 0; t < c.factor.Length; t++) NegL[t] = -c.factor[t];
            }
        }

        public void Dispose()
        {
            var pool = ArrayPool<double>.Shared;
            pool.Return(Xs); pool.Return(Y); pool.Return(Q);
            if (NegL is not null) pool.Return(NegL);
        }
    }

    /// <summary>The log-densities of rows [from, to) of one chunk, from a row that starts a block of the chunk
    /// (<paramref name="from"/> - chunk start a multiple of <see cref="Block"/>), block by block: each row's value is
    /// its block's arithmetic, so any such split of a chunk gives the chunk's values.</summary>
    private static void LogDensityRows(GaussianData data, GaussianComponents c, double[] inv, DensityScratch? scratch, int from, int to, double[] dest, int stride, int rowBase)
    {
        var n = data.N;
        var d = data.D;
        var K = c.K;
        if (scratch is null)
        {
            DiagonalLogDensities(data, c, inv, from, to, dest, stride, rowBase);
            return;
        }
        var stride0 = Block;
        var (xs, y, q, negL, inPlace) = (scratch.Xs, scratch.Y, scratch.Q, scratch.NegL, scratch.InPlace);
        for (var start = from; start < to; start += Block)
        {
            var b = Math.Min(Block, to - start);
            var bp = RoundUp(b);
            // with AVX-512 a whole block is read where it lies when the columns' stride cannot alias in the L1 cache;
            // otherwise (and for the data's last, short block) it is copied to a d x Block scratch first. The rows'
            // values are the same either way (the same arithmetic on the same numbers).
            var direct = inPlace && b == Block;
            if (!direct) CopyBlock(data.x, n, d, start, b, bp, xs, stride0);
            var ahead = d >= PrefetchColumns && start + 2 * Block <= n;
            for (var k = 0; k < K; k++)
            {
                // the next block's columns asked for ahead of their first touch, a share in each component's pass
                if (ahead)
                    PrefetchShare(ref MemoryMarshal.GetArrayDataReference(data.x), n, d, K, k, start + Block, Block / 8);
                var lOff = c.Type switch
                {
                    CovarianceType.Full => k * d * d,
                    CovarianceType.Tied => 0,
                    _ => throw new ArgumentOutOfRangeException(nameof(c)),
                };
                if (direct)
                {
                    // the block's log-densities written by the substitution itself
                    MahalanobisWide(data.x, start, n, stride0, Block, d, c.mu, k * d, negL!, lOff, inv, k * d, y, q,
                        dest, (long)k * stride + start - rowBase, d * Log2Pi + c.logDet[k]);
                    continue;
                }
                Mahalanobis(xs, stride0, bp, d, c.mu, k * d, negL!, lOff, inv, k * d, y, q);
                Write(q, b, d * Log2Pi + c.logDet[k], dest, k * stride + start - rowBase);
            }
        }
    }

    /// <summary>Whether the d columns of an n-row column-major matrix can be read in place by the blocked kernels: the
    /// column starts, 8 n bytes apart, fall on enough distinct places of the L1 cache's 4 KiB period that at most four
    /// columns share a set (a power-of-two n puts every column in one set).</summary>
    private static bool InPlaceColumns(int n, int d)
    {
        var shift = (int)((long)n * 8 % 4096);
        if (shift == 0) return false;
        var places = Math.Min(64, 4096 / (int)BigInteger.GreatestCommonDivisor(shift, 4096));
        return (d + places - 1) / places <= 4;
    }

    /// <summary>
    /// The diagonal and spherical case of the log-densities of rows [start, end) (a chunk, or a block of one in the fused
    /// sweep), read from the data in place: for each group of eight
    /// row vectors (then single vectors), every component's <see cref="Scaled"/> sum and <see cref="Write"/>'s value, so
    /// the group's d columns (d x 8 vectors) stay in the L1 cache across the K components and no copy of the rows is made.
    /// A row's value is <see cref="Scaled"/>'s and <see cref="Write"/>'s arithmetic (sum over j in order, then -0.5 (cst + q)),
    /// whatever its group; the last rows of the data that do not fill a vector go through a zero-padded copy.
    /// </summary>
    private static void DiagonalLogDensities(GaussianData data, GaussianComponents c, double[] inv, int start, int end, double[] dest, int stride, int rowBase)
    {
        var n = data.N;
        var d = data.D;
        var K = c.K;
        var w = Vector<double>.Count;
        if (start < 0 || end > n || start > end) throw new ArgumentOutOfRangeException(nameof(start));
        var whole = start + (end - start) / w * w;
        if ((long)d * n > data.x.Length || c.mu.Length < K * d || inv.Length < K * d || c.logDet.Length < K) throw new ArgumentOutOfRangeException(nameof(c));
        for (var k = 0; k < K; k++)
        {
            var o = (long)k * stride + start - rowBase;
            if (o < 0 || o + (end - start) > dest.Length) throw new ArgumentOutOfRangeException(nameof(dest));
        }
        Span<double> cst = stackalloc double[K];
        for (var k = 0; k < K; k++) cst[k] = d * Log2Pi + c.logDet[k];
        ref var X = ref MemoryMarshal.GetArrayDataReference(data.x);
        ref var M = ref MemoryMarshal.GetArrayDataReference(c.mu);
        ref var S = ref MemoryMarshal.GetArrayDataReference(inv);
        ref var D = ref MemoryMarshal.GetArrayDataReference(dest);
        var h = new Vector<double>(-0.5);
        var r = start;
        if (Wide)
        {
            // with AVX-512, the same lane arithmetic eight rows to a register (each row's value is its own lane's)
            var h8 = Vector512.Create(-0.5);
            for (; r + 64 <= whole; r += 64)
            {
                var ahead = d >= PrefetchColumns && r + PrefetchRows + 64 <= n;
                for (var k = 0; k < K; k++)
                {
                    // the first touch of these rows: ask for the columns' lines of the rows PrefetchRows on, a share of the
                    // columns in each component's pass (see PrefetchRows)
                    if (ahead)
                        PrefetchShare(ref X, n, d, K, k, r + PrefetchRows, 8);
                    var q0 = Vector512<double>.Zero; var q1 = q0; var q2 = q0; var q3 = q0;
                    var q4 = q0; var q5 = q0; var q6 = q0; var q7 = q0;
                    for (var j = 0; j < d; j++)
                    {
                        var m = Vector512.Create(Unsafe.Add(ref M, k * d + j));
                        var sj = Vector512.Create(Unsafe.Add(ref S, k * d + j));
                        ref var Xj = ref Unsafe.Add(ref X, (nint)j * n + r);
                        var a0 = (Vector512.LoadUnsafe(ref Xj) - m) * sj;
                        var a1 = (Vector512.LoadUnsafe(ref Xj, 8) - m) * sj;
                        var a2 = (Vector512.LoadUnsafe(ref Xj, 16) - m) * sj;
                        var a3 = (Vector512.LoadUnsafe(ref Xj, 24) - m) * sj;
                        q0 = Vector512.FusedMultiplyAdd(a0, a0, q0);
                        q1 = Vector512.FusedMultiplyAdd(a1, a1, q1);
                        q2 = Vector512.FusedMultiplyAdd(a2, a2, q2);
                        q3 = Vector512.FusedMultiplyAdd(a3, a3, q3);
                        a0 = (Vector512.LoadUnsafe(ref Xj, 32) - m) * sj;
                        a1 = (Vector512.LoadUnsafe(ref Xj, 40) - m) * sj;
                        a2 = (Vector512.LoadUnsafe(ref Xj, 48) - m) * sj;
                        a3 = (Vector512.LoadUnsafe(ref Xj, 56) - m) * sj;
                        q4 = Vector512.FusedMultiplyAdd(a0, a0, q4);
                        q5 = Vector512.FusedMultiplyAdd(a1, a1, q5);
                        q6 = Vector512.FusedMultiplyAdd(a2, a2, q6);
                        q7 = Vector512.FusedMultiplyAdd(a3, a3, q7);
                    }
                    var cv = Vector512.Create(cst[k]);
                    ref var Dk = ref Unsafe.Add(ref D, (nint)k * stride + r - rowBase);
                    ((cv + q0) * h8).StoreUnsafe(ref Dk);
                    ((cv + q1) * h8).StoreUnsafe(ref Dk, 8);
                    ((cv + q2) * h8).StoreUnsafe(ref Dk, 16);
                    ((cv + q3) * h8).StoreUnsafe(ref Dk, 24);
                    ((cv + q4) * h8).StoreUnsafe(ref Dk, 32);
                    ((cv + q5) * h8).StoreUnsafe(ref Dk, 40);
                    ((cv + q6) * h8).StoreUnsafe(ref Dk, 48);
                    ((cv + q7) * h8).StoreUnsafe(ref Dk, 56);
                }
            }
        }
        for (; r + 8 * w <= whole; r += 8 * w)
        {
            var ahead = d >= PrefetchColumns && r + PrefetchRows + 8 * w <= n;
            for (var k = 0; k < K; k++)
            {
                if (ahead)
                    PrefetchShare(ref X, n, d, K, k, r + PrefetchRows, w);
                var q0 = Vector<double>.Zero; var q1 = q0; var q2 = q0; var q3 = q0;
                var q4 = q0; var q5 = q0; var q6 = q0; var q7 = q0;
                for (var j = 0; j < d; j++)
                {
                    var m = new Vector<double>(Unsafe.Add(ref M, k * d + j));
                    var s = new Vector<double>(Unsafe.Add(ref S, k * d + j));
                    ref var Xj = ref Unsafe.Add(ref X, (nint)j * n + r);
                    var a0 = (Vector.LoadUnsafe(ref Xj) - m) * s;
                    var a1 = (Vector.LoadUnsafe(ref Xj, (nuint)w) - m) * s;
                    var a2 = (Vector.LoadUnsafe(ref Xj, (nuint)(2 * w)) - m) * s;
                    var a3 = (Vector.LoadUnsafe(ref Xj, (nuint)(3 * w)) - m) * s;
                    q0 = Vector.FusedMultiplyAdd(a0, a0, q0);
                    q1 = Vector.FusedMultiplyAdd(a1, a1, q1);
                    q2 = Vector.FusedMultiplyAdd(a2, a2, q2);
                    q3 = Vector.FusedMultiplyAdd(a3, a3, q3);
                    a0 = (Vector.LoadUnsafe(ref Xj, (nuint)(4 * w)) - m) * s;
                    a1 = (Vector.LoadUnsafe(ref Xj, (nuint)(5 * w)) - m) * s;
                    a2 = (Vector.LoadUnsafe(ref Xj, (nuint)(6 * w)) - m) * s;
                    a3 = (Vector.LoadUnsafe(ref Xj, (nuint)(7 * w)) - m) * s;
                    q4 = Vector.FusedMultiplyAdd(a0, a0, q4);
                    q5 = Vector.FusedMultiplyAdd(a1, a1, q5);
                    q6 = Vector.FusedMultiplyAdd(a2, a2, q6);
                    q7 = Vector.FusedMultiplyAdd(a3, a3, q7);
                }
                var cv = new Vector<double>(cst[k]);
                ref var Dk = ref Unsafe.Add(ref D, (nint)k * stride + r - rowBase);
                ((cv + q0) * h).StoreUnsafe(ref Dk);
                ((cv + q1) * h).StoreUnsafe(ref Dk, (nuint)w);
                ((cv + q2) * h).StoreUnsafe(ref Dk, (nuint)(2 * w));
                ((cv + q3) * h).StoreUnsafe(ref Dk, (nuint)(3 * w));
                ((cv + q4) * h).StoreUnsafe(ref Dk, (nuint)(4 * w));
                ((cv + q5) * h).StoreUnsafe(ref Dk, (nuint)(5 * w));
                ((cv + q6) * h).StoreUnsafe(ref Dk, (nuint)(6 * w));
                ((cv + q7) * h).StoreUnsafe(ref Dk, (nuint)(7 * w));
            }
        }
        for (; r < whole; r += w)
        for (var k = 0; k < K; k++)
        {
            var q0 = Vector<double>.Zero;
            for (var j = 0; j < d; j++)
            {
                var a = (Vector.LoadUnsafe(ref X, (nuint)((nint)j * n + r)) - new Vector<double>(Unsafe.Add(ref M, k * d + j))) * new Vector<double>(Unsafe.Add(ref S, k * d + j));
                q0 = Vector.FusedMultiplyAdd(a, a, q0);
            }
            ((new Vector<double>(cst[k]) + q0) * h).StoreUnsafe(ref D, (nuint)((nint)k * stride + r - rowBase));
        }
        if (whole == end) return;
        // the data's last rows, fewer than a vector: zero-padded to one, as the blocked path pads its blocks
        var b = end - whole;
        var pool = ArrayPool<double>.Shared;
        var xs = pool.Rent(d * w);
        var q = pool.Rent(w);
        try
        {
            CopyBlock(data.x, n, d, whole, b, w, xs, w);
            for (var k = 0; k < K; k++)
            {
                Scaled(xs, w, w, d, c.mu, k * d, inv, k * d, q);
                Write(q, b, cst[k], dest, k * stride + whole - rowBase);
            }
        }
        finally
        {
            pool.Return(xs); pool.Return(q);
        }
    }

    /// <summary>dest[o + r] = -(cst + q[r]) / 2 for r &lt; b (as the product with -0.5).</summary>
    private static void Write(double[] q, int b, double cst, double[] dest, int o)
    {
        var w = Vector<double>.Count;
        if (b > q.Length || o < 0 || (long)o + b > dest.Length) throw new ArgumentOutOfRangeException(nameof(b));
        ref var Q = ref MemoryMarshal.GetArrayDataReference(q);
        ref var D = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(dest), o);
        var c = new Vector<double>(cst);
        var h = new Vector<double>(-0.5);
        var r = 0;
        for (; r + w <= b; r += w) ((c + Vector.LoadUnsafe(ref Q, (nuint)r)) * h).StoreUnsafe(ref D, (nuint)r);
        for (; r < b; r++) Unsafe.Add(ref D, r) = -0.5 * (cst + q[r]);
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
    /// y_j = (x_j - mu_j - sum_{l&lt;j} L[j,l] y_l) / L[j,j] (the division as a product with the reciprocal pivot),
    /// with <paramref name="negL"/> = -L. Four SIMD vectors of rows (independent dependency chains) and two rows j, j + 1
    /// of L at a time (each y_l read once for both, a blocked TRSM with vectors over rows); every row's sums still run
    /// over l = 0, 1, ..., j - 1 in order and q over j in order, so a row's value does not depend on its place in the
    /// block or on the blocking.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Mahalanobis(double[] xs, int stride, int bp, int d, double[] mu, int muOff,
        double[] negL, int lOff, double[] inv, int invOff, double[] y, double[] q)
    {
        var w = Vector<double>.Count;
        if ((long)d * stride > xs.Length || (long)d * stride > y.Length || bp > q.Length || bp > stride
            || muOff + d > mu.Length || lOff + d * d > negL.Length || invOff + d > inv.Length) throw new ArgumentOutOfRangeException(nameof(d));
        ref var X = ref MemoryMarshal.GetArrayDataReference(xs);
        ref var Y = ref MemoryMarshal.GetArrayDataReference(y);
        ref var Q = ref MemoryMarshal.GetArrayDataReference(q);
        ref var M = ref MemoryMarshal.GetArrayDataReference(mu);
        ref var N = ref MemoryMarshal.GetArrayDataReference(negL);
        ref var S = ref MemoryMarshal.GetArrayDataReference(inv);
        var r = Wide ? MahalanobisWide(xs, 0, stride, stride, bp, d, mu, muOff, negL, lOff, inv, invOff, y, q) : 0;
        for (; r + 4 * w <= bp; r += 4 * w)
        {
            var q0 = Vector<double>.Zero; var q1 = q0; var q2 = q0; var q3 = q0;
            var j = 0;
            for (; j + 1 < d; j += 2)
            {
                var m = new Vector<double>(Unsafe.Add(ref M, muOff + j));
                var mb = new Vector<double>(Unsafe.Add(ref M, muOff + j + 1));
                var xo = (nuint)(j * stride + r);
                var xb = xo + (nuint)stride;
                var a0 = Vector.LoadUnsafe(ref X, xo) - m;
                var a1 = Vector.LoadUnsafe(ref X, xo + (nuint)w) - m;
                var a2 = Vector.LoadUnsafe(ref X, xo + (nuint)(2 * w)) - m;
                var a3 = Vector.LoadUnsafe(ref X, xo + (nuint)(3 * w)) - m;
                var b0 = Vector.LoadUnsafe(ref X, xb) - mb;
                var b1 = Vector.LoadUnsafe(ref X, xb + (nuint)w) - mb;
                var b2 = Vector.LoadUnsafe(ref X, xb + (nuint)(2 * w)) - mb;
                var b3 = Vector.LoadUnsafe(ref X, xb + (nuint)(3 * w)) - mb;
                ref var La = ref Unsafe.Add(ref N, lOff + j * d);
                ref var Lb = ref Unsafe.Add(ref La, d);
                for (var l = 0; l < j; l++)
                {
                    var ca = new Vector<double>(Unsafe.Add(ref La, l));
                    var cb = new Vector<double>(Unsafe.Add(ref Lb, l));
                    var yo = (nuint)(l * stride + r);
                    var y0 = Vector.LoadUnsafe(ref Y, yo);
                    a0 = Vector.FusedMultiplyAdd(ca, y0, a0);
                    b0 = Vector.FusedMultiplyAdd(cb, y0, b0);
                    var y1 = Vector.LoadUnsafe(ref Y, yo + (nuint)w);
                    a1 = Vector.FusedMultiplyAdd(ca, y1, a1);
                    b1 = Vector.FusedMultiplyAdd(cb, y1, b1);
                    var y2 = Vector.LoadUnsafe(ref Y, yo + (nuint)(2 * w));
                    a2 = Vector.FusedMultiplyAdd(ca, y2, a2);
                    b2 = Vector.FusedMultiplyAdd(cb, y2, b2);
                    var y3 = Vector.LoadUnsafe(ref Y, yo + (nuint)(3 * w));
                    a3 = Vector.FusedMultiplyAdd(ca, y3, a3);
                    b3 = Vector.FusedMultiplyAdd(cb, y3, b3);
                }
                var s = new Vector<double>(Unsafe.Add(ref S, invOff + j));
                a0 *= s; a1 *= s; a2 *= s; a3 *= s;
                a0.StoreUnsafe(ref Y, xo);
                a1.StoreUnsafe(ref Y, xo + (nuint)w);
                a2.StoreUnsafe(ref Y, xo + (nuint)(2 * w));
                a3.StoreUnsafe(ref Y, xo + (nuint)(3 * w));
                q0 = Vector.FusedMultiplyAdd(a0, a0, q0);
                q1 = Vector.FusedMultiplyAdd(a1, a1, q1);
                q2 = Vector.FusedMultiplyAdd(a2, a2, q2);
                q3 = Vector.FusedMultiplyAdd(a3, a3, q3);
                var cj = new Vector<double>(Unsafe.Add(ref Lb, j));
                var sb = new Vector<double>(Unsafe.Add(ref S, invOff + j + 1));
                b0 = Vector.FusedMultiplyAdd(cj, a0, b0) * sb;
                b1 = Vector.FusedMultiplyAdd(cj, a1, b1) * sb;
                b2 = Vector.FusedMultiplyAdd(cj, a2, b2) * sb;
                b3 = Vector.FusedMultiplyAdd(cj, a3, b3) * sb;
                b0.StoreUnsafe(ref Y, xb);
                b1.StoreUnsafe(ref Y, xb + (nuint)w);
                b2.StoreUnsafe(ref Y, xb + (nuint)(2 * w));
                b3.StoreUnsafe(ref Y, xb + (nuint)(3 * w));
                q0 = Vector.FusedMultiplyAdd(b0, b0, q0);
                q1 = Vector.FusedMultiplyAdd(b1, b1, q1);
                q2 = Vector.FusedMultiplyAdd(b2, b2, q2);
                q3 = Vector.FusedMultiplyAdd(b3, b3, q3);
            }
            if (j < d)
            {
                var m = new Vector<double>(Unsafe.Add(ref M, muOff + j));
                var xo = (nuint)(j * stride + r);
                var a0 = Vector.LoadUnsafe(ref X, xo) - m;
                var a1 = Vector.LoadUnsafe(ref X, xo + (nuint)w) - m;
                var a2 = Vector.LoadUnsafe(ref X, xo + (nuint)(2 * w)) - m;
                var a3 = Vector.LoadUnsafe(ref X, xo + (nuint)(3 * w)) - m;
                ref var La = ref Unsafe.Add(ref N, lOff + j * d);
                for (var l = 0; l < j; l++)
                {
                    var ca = new Vector<double>(Unsafe.Add(ref La, l));
                    var yo = (nuint)(l * stride + r);
                    a0 = Vector.FusedMultiplyAdd(ca, Vector.LoadUnsafe(ref Y, yo), a0);
                    a1 = Vector.FusedMultiplyAdd(ca, Vector.LoadUnsafe(ref Y, yo + (nuint)w), a1);
                    a2 = Vector.FusedMultiplyAdd(ca, Vector.LoadUnsafe(ref Y, yo + (nuint)(2 * w)), a2);
                    a3 = Vector.FusedMultiplyAdd(ca, Vector.LoadUnsafe(ref Y, yo + (nuint)(3 * w)), a3);
                }
                var s = new Vector<double>(Unsafe.Add(ref S, invOff + j));
                a0 *= s; a1 *= s; a2 *= s; a3 *= s;
                a0.StoreUnsafe(ref Y, xo);
                a1.StoreUnsafe(ref Y, xo + (nuint)w);
                a2.StoreUnsafe(ref Y, xo + (nuint)(2 * w));
                a3.StoreUnsafe(ref Y, xo + (nuint)(3 * w));
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
                var a0 = Vector.LoadUnsafe(ref X, (nuint)(j * stride + r)) - new Vector<double>(Unsafe.Add(ref M, muOff + j));
                ref var La = ref Unsafe.Add(ref N, lOff + j * d);
                for (var l = 0; l < j; l++)
                    a0 = Vector.FusedMultiplyAdd(new Vector<double>(Unsafe.Add(ref La, l)), Vector.LoadUnsafe(ref Y, (nuint)(l * stride + r)), a0);
                a0 *= new Vector<double>(Unsafe.Add(ref S, invOff + j));
                a0.StoreUnsafe(ref Y, (nuint)(j * stride + r));
                q0 = Vector.FusedMultiplyAdd(a0, a0, q0);
            }
            q0.StoreUnsafe(ref Q, (nuint)r);
        }
    }

    /// <summary>The rows of <see cref="Mahalanobis"/> in tiles of 32 (four 512-bit vectors) with AVX-512: the same lane
    /// arithmetic (each row's sums over l and j in order), so the same values; returns the first row not done.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int MahalanobisWide(double[] xs, long xOff, int xStride, int stride, int bp, int d, double[] mu, int muOff,
        double[] negL, int lOff, double[] inv, int invOff, double[] y, double[] q, double[]? dest = null, long destOff = 0, double cst = 0)
    {
        if (dest is not null && (destOff < 0 || destOff + bp > dest.Length || bp % 32 != 0)) throw new ArgumentOutOfRangeException(nameof(destOff));
        var cv = Vector512.Create(cst);
        var h = Vector512.Create(-0.5);
        if (xOff < 0 || xOff + (long)(d - 1) * xStride + bp > xs.Length || (long)d * stride > y.Length || bp > q.Length || bp > stride || bp > xStride
            || muOff + d > mu.Length || lOff + d * d > negL.Length || invOff + d > inv.Length) throw new ArgumentOutOfRangeException(nameof(d));
        ref var X = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(xs), (nint)xOff);
        ref var Y = ref MemoryMarshal.GetArrayDataReference(y);
        ref var Q = ref MemoryMarshal.GetArrayDataReference(q);
        ref var M = ref MemoryMarshal.GetArrayDataReference(mu);
        ref var N = ref MemoryMarshal.GetArrayDataReference(negL);
        ref var S = ref MemoryMarshal.GetArrayDataReference(inv);
        var r = 0;
        for (; r + 32 <= bp; r += 32)
        {
            var q0 = Vector512<double>.Zero; var q1 = q0; var q2 = q0; var q3 = q0;
            var j = 0;
            // with more than six columns four rows of L at a time (sixteen products per four loads of y), then pairs and
            // a last single row; every row's sums still run over l in order and q over j in order
            for (; d > 6 && j + 3 < d; j += 4)
            {
                ref var L0 = ref Unsafe.Add(ref N, lOff + j * d);
                ref var L1 = ref Unsafe.Add(ref L0, d);
                ref var L2 = ref Unsafe.Add(ref L1, d);
                ref var L3 = ref Unsafe.Add(ref L2, d);
                var xo0 = (nuint)((nint)(j + 0) * xStride + r);
                var m0 = Vector512.Create(Unsafe.Add(ref M, muOff + j + 0));
                var a00 = Vector512.LoadUnsafe(ref X, xo0) - m0;
                var a01 = Vector512.LoadUnsafe(ref X, xo0 + (nuint)8) - m0;
                var a02 = Vector512.LoadUnsafe(ref X, xo0 + (nuint)16) - m0;
                var a03 = Vector512.LoadUnsafe(ref X, xo0 + (nuint)24) - m0;
                var xo1 = (nuint)((nint)(j + 1) * xStride + r);
                var m1 = Vector512.Create(Unsafe.Add(ref M, muOff + j + 1));
                var a10 = Vector512.LoadUnsafe(ref X, xo1) - m1;
                var a11 = Vector512.LoadUnsafe(ref X, xo1 + (nuint)8) - m1;
                var a12 = Vector512.LoadUnsafe(ref X, xo1 + (nuint)16) - m1;
                var a13 = Vector512.LoadUnsafe(ref X, xo1 + (nuint)24) - m1;
                var xo2 = (nuint)((nint)(j + 2) * xStride + r);
                var m2 = Vector512.Create(Unsafe.Add(ref M, muOff + j + 2));
                var a20 = Vector512.LoadUnsafe(ref X, xo2) - m2;
                var a21 = Vector512.LoadUnsafe(ref X, xo2 + (nuint)8) - m2;
                var a22 = Vector512.LoadUnsafe(ref X, xo2 + (nuint)16) - m2;
                var a23 = Vector512.LoadUnsafe(ref X, xo2 + (nuint)24) - m2;
                var xo3 = (nuint)((nint)(j + 3) * xStride + r);
                var m3 = Vector512.Create(Unsafe.Add(ref M, muOff + j + 3));
                var a30 = Vector512.LoadUnsafe(ref X, xo3) - m3;
                var a31 = Vector512.LoadUnsafe(ref X, xo3 + (nuint)8) - m3;
                var a32 = Vector512.LoadUnsafe(ref X, xo3 + (nuint)16) - m3;
                var a33 = Vector512.LoadUnsafe(ref X, xo3 + (nuint)24) - m3;
                for (var l = 0; l < j; l++)
                {
                    var c0 = Vector512.Create(Unsafe.Add(ref L0, l));
                    var c1 = Vector512.Create(Unsafe.Add(ref L1, l));
                    var c2 = Vector512.Create(Unsafe.Add(ref L2, l));
                    var c3 = Vector512.Create(Unsafe.Add(ref L3, l));
                    var yo = (nuint)(l * stride + r);
                    var y0 = Vector512.LoadUnsafe(ref Y, yo);
                    a00 = Vector512.FusedMultiplyAdd(c0, y0, a00);
                    a10 = Vector512.FusedMultiplyAdd(c1, y0, a10);
                    a20 = Vector512.FusedMultiplyAdd(c2, y0, a20);
                    a30 = Vector512.FusedMultiplyAdd(c3, y0, a30);
                    var y1 = Vector512.LoadUnsafe(ref Y, yo + (nuint)8);
                    a01 = Vector512.FusedMultiplyAdd(c0, y1, a01);
                    a11 = Vector512.FusedMultiplyAdd(c1, y1, a11);
                    a21 = Vector512.FusedMultiplyAdd(c2, y1, a21);
                    a31 = Vector512.FusedMultiplyAdd(c3, y1, a31);
                    var y2 = Vector512.LoadUnsafe(ref Y, yo + (nuint)16);
                    a02 = Vector512.FusedMultiplyAdd(c0, y2, a02);
                    a12 = Vector512.FusedMultiplyAdd(c1, y2, a12);
                    a22 = Vector512.FusedMultiplyAdd(c2, y2, a22);
                    a32 = Vector512.FusedMultiplyAdd(c3, y2, a32);
                    var y3 = Vector512.LoadUnsafe(ref Y, yo + (nuint)24);
                    a03 = Vector512.FusedMultiplyAdd(c0, y3, a03);
                    a13 = Vector512.FusedMultiplyAdd(c1, y3, a13);
                    a23 = Vector512.FusedMultiplyAdd(c2, y3, a23);
                    a33 = Vector512.FusedMultiplyAdd(c3, y3, a33);
                }
                var s0 = Vector512.Create(Unsafe.Add(ref S, invOff + j + 0));
                var yq0 = (nuint)((j + 0) * stride + r);
                a00 *= s0;
                a00.StoreUnsafe(ref Y, yq0);
                q0 = Vector512.FusedMultiplyAdd(a00, a00, q0);
                a01 *= s0;
                a01.StoreUnsafe(ref Y, yq0 + (nuint)8);
                q1 = Vector512.FusedMultiplyAdd(a01, a01, q1);
                a02 *= s0;
                a02.StoreUnsafe(ref Y, yq0 + (nuint)16);
                q2 = Vector512.FusedMultiplyAdd(a02, a02, q2);
                a03 *= s0;
                a03.StoreUnsafe(ref Y, yq0 + (nuint)24);
                q3 = Vector512.FusedMultiplyAdd(a03, a03, q3);
                var t10 = Vector512.Create(Unsafe.Add(ref L1, j + 0));
                a10 = Vector512.FusedMultiplyAdd(t10, a00, a10);
                a11 = Vector512.FusedMultiplyAdd(t10, a01, a11);
                a12 = Vector512.FusedMultiplyAdd(t10, a02, a12);
                a13 = Vector512.FusedMultiplyAdd(t10, a03, a13);
                var s1 = Vector512.Create(Unsafe.Add(ref S, invOff + j + 1));
                var yq1 = (nuint)((j + 1) * stride + r);
                a10 *= s1;
                a10.StoreUnsafe(ref Y, yq1);
                q0 = Vector512.FusedMultiplyAdd(a10, a10, q0);
                a11 *= s1;
                a11.StoreUnsafe(ref Y, yq1 + (nuint)8);
                q1 = Vector512.FusedMultiplyAdd(a11, a11, q1);
                a12 *= s1;
                a12.StoreUnsafe(ref Y, yq1 + (nuint)16);
                q2 = Vector512.FusedMultiplyAdd(a12, a12, q2);
                a13 *= s1;
                a13.StoreUnsafe(ref Y, yq1 + (nuint)24);
                q3 = Vector512.FusedMultiplyAdd(a13, a13, q3);
                var t20 = Vector512.Create(Unsafe.Add(ref L2, j + 0));
                a20 = Vector512.FusedMultiplyAdd(t20, a00, a20);
                a21 = Vector512.FusedMultiplyAdd(t20, a01, a21);
                a22 = Vector512.FusedMultiplyAdd(t20, a02, a22);
                a23 = Vector512.FusedMultiplyAdd(t20, a03, a23);
                var t21 = Vector512.Create(Unsafe.Add(ref L2, j + 1));
                a20 = Vector512.FusedMultiplyAdd(t21, a10, a20);
                a21 = Vector512.FusedMultiplyAdd(t21, a11, a21);
                a22 = Vector512.FusedMultiplyAdd(t21, a12, a22);
                a23 = Vector512.FusedMultiplyAdd(t21, a13, a23);
                var s2 = Vector512.Create(Unsafe.Add(ref S, invOff + j + 2));
                var yq2 = (nuint)((j + 2) * stride + r);
                a20 *= s2;
                a20.StoreUnsafe(ref Y, yq2);
                q0 = Vector512.FusedMultiplyAdd(a20, a20, q0);
                a21 *= s2;
                a21.StoreUnsafe(ref Y, yq2 + (nuint)8);
                q1 = Vector512.FusedMultiplyAdd(a21, a21, q1);
                a22 *= s2;
                a22.StoreUnsafe(ref Y, yq2 + (nuint)16);
                q2 = Vector512.FusedMultiplyAdd(a22, a22, q2);
                a23 *= s2;
                a23.StoreUnsafe(ref Y, yq2 + (nuint)24);
                q3 = Vector512.FusedMultiplyAdd(a23, a23, q3);
                var t30 = Vector512.Create(Unsafe.Add(ref L3, j + 0));
                a30 = Vector512.FusedMultiplyAdd(t30, a00, a30);
                a31 = Vector512.FusedMultiplyAdd(t30, a01, a31);
                a32 = Vector512.FusedMultiplyAdd(t30, a02, a32);
                a33 = Vector512.FusedMultiplyAdd(t30, a03, a33);
                var t31 = Vector512.Create(Unsafe.Add(ref L3, j + 1));
                a30 = Vector512.FusedMultiplyAdd(t31, a10, a30);
                a31 = Vector512.FusedMultiplyAdd(t31, a11, a31);
                a32 = Vector512.FusedMultiplyAdd(t31, a12, a32);
                a33 = Vector512.FusedMultiplyAdd(t31, a13, a33);
                var t32 = Vector512.Create(Unsafe.Add(ref L3, j + 2));
                a30 = Vector512.FusedMultiplyAdd(t32, a20, a30);
                a31 = Vector512.FusedMultiplyAdd(t32, a21, a31);
                a32 = Vector512.FusedMultiplyAdd(t32, a22, a32);
                a33 = Vector512.FusedMultiplyAdd(t32, a23, a33);
                var s3 = Vector512.Create(Unsafe.Add(ref S, invOff + j + 3));
                var yq3 = (nuint)((j + 3) * stride + r);
                a30 *= s3;
                a30.StoreUnsafe(ref Y, yq3);
                q0 = Vector512.FusedMultiplyAdd(a30, a30, q0);
                a31 *= s3;
                a31.StoreUnsafe(ref Y, yq3 + (nuint)8);
                q1 = Vector512.FusedMultiplyAdd(a31, a31, q1);
                a32 *= s3;
                a32.StoreUnsafe(ref Y, yq3 + (nuint)16);
                q2 = Vector512.FusedMultiplyAdd(a32, a32, q2);
                a33 *= s3;
                a33.StoreUnsafe(ref Y, yq3 + (nuint)24);
                q3 = Vector512.FusedMultiplyAdd(a33, a33, q3);
            }
            for (; j + 1 < d; j += 2)
            {
                var m = Vector512.Create(Unsafe.Add(ref M, muOff + j));
                var mb = Vector512.Create(Unsafe.Add(ref M, muOff + j + 1));
                var xo = (nuint)((nint)j * xStride + r);
                var xb = xo + (nuint)xStride;
                var yj = (nuint)(j * stride + r);
                var yb = yj + (nuint)stride;
                var a0 = Vector512.LoadUnsafe(ref X, xo) - m;
                var a1 = Vector512.LoadUnsafe(ref X, xo + (nuint)8) - m;
                var a2 = Vector512.LoadUnsafe(ref X, xo + (nuint)16) - m;
                var a3 = Vector512.LoadUnsafe(ref X, xo + (nuint)24) - m;
                var b0 = Vector512.LoadUnsafe(ref X, xb) - mb;
                var b1 = Vector512.LoadUnsafe(ref X, xb + (nuint)8) - mb;
                var b2 = Vector512.LoadUnsafe(ref X, xb + (nuint)16) - mb;
                var b3 = Vector512.LoadUnsafe(ref X, xb + (nuint)24) - mb;
                ref var La = ref Unsafe.Add(ref N, lOff + j * d);
                ref var Lb = ref Unsafe.Add(ref La, d);
                for (var l = 0; l < j; l++)
                {
                    var ca = Vector512.Create(Unsafe.Add(ref La, l));
                    var cb = Vector512.Create(Unsafe.Add(ref Lb, l));
                    var yo = (nuint)(l * stride + r);
                    var y0 = Vector512.LoadUnsafe(ref Y, yo);
                    a0 = Vector512.FusedMultiplyAdd(ca, y0, a0);
                    b0 = Vector512.FusedMultiplyAdd(cb, y0, b0);
                    var y1 = Vector512.LoadUnsafe(ref Y, yo + (nuint)8);
                    a1 = Vector512.FusedMultiplyAdd(ca, y1, a1);
                    b1 = Vector512.FusedMultiplyAdd(cb, y1, b1);
                    var y2 = Vector512.LoadUnsafe(ref Y, yo + (nuint)16);
                    a2 = Vector512.FusedMultiplyAdd(ca, y2, a2);
                    b2 = Vector512.FusedMultiplyAdd(cb, y2, b2);
                    var y3 = Vector512.LoadUnsafe(ref Y, yo + (nuint)24);
                    a3 = Vector512.FusedMultiplyAdd(ca, y3, a3);
                    b3 = Vector512.FusedMultiplyAdd(cb, y3, b3);
                }
                var s = Vector512.Create(Unsafe.Add(ref S, invOff + j));
                a0 *= s; a1 *= s; a2 *= s; a3 *= s;
                a0.StoreUnsafe(ref Y, yj);
                a1.StoreUnsafe(ref Y, yj + (nuint)8);
                a2.StoreUnsafe(ref Y, yj + (nuint)16);
                a3.StoreUnsafe(ref Y, yj + (nuint)24);
                q0 = Vector512.FusedMultiplyAdd(a0, a0, q0);
                q1 = Vector512.FusedMultiplyAdd(a1, a1, q1);
                q2 = Vector512.FusedMultiplyAdd(a2, a2, q2);
                q3 = Vector512.FusedMultiplyAdd(a3, a3, q3);
                var cj = Vector512.Create(Unsafe.Add(ref Lb, j));
                var sb = Vector512.Create(Unsafe.Add(ref S, invOff + j + 1));
                b0 = Vector512.FusedMultiplyAdd(cj, a0, b0) * sb;
                b1 = Vector512.FusedMultiplyAdd(cj, a1, b1) * sb;
                b2 = Vector512.FusedMultiplyAdd(cj, a2, b2) * sb;
                b3 = Vector512.FusedMultiplyAdd(cj, a3, b3) * sb;
                b0.StoreUnsafe(ref Y, yb);
                b1.StoreUnsafe(ref Y, yb + (nuint)8);
                b2.StoreUnsafe(ref Y, yb + (nuint)16);
                b3.StoreUnsafe(ref Y, yb + (nuint)24);
                q0 = Vector512.FusedMultiplyAdd(b0, b0, q0);
                q1 = Vector512.FusedMultiplyAdd(b1, b1, q1);
                q2 = Vector512.FusedMultiplyAdd(b2, b2, q2);
                q3 = Vector512.FusedMultiplyAdd(b3, b3, q3);
            }
            if (j < d)
            {
                var m = Vector512.Create(Unsafe.Add(ref M, muOff + j));
                var xo = (nuint)((nint)j * xStride + r);
                var yj = (nuint)(j * stride + r);
                var a0 = Vector512.LoadUnsafe(ref X, xo) - m;
                var a1 = Vector512.LoadUnsafe(ref X, xo + (nuint)8) - m;
                var a2 = Vector512.LoadUnsafe(ref X, xo + (nuint)16) - m;
                var a3 = Vector512.LoadUnsafe(ref X, xo + (nuint)24) - m;
                ref var La = ref Unsafe.Add(ref N, lOff + j * d);
                for (var l = 0; l < j; l++)
                {
                    var ca = Vector512.Create(Unsafe.Add(ref La, l));
                    var yo = (nuint)(l * stride + r);
                    a0 = Vector512.FusedMultiplyAdd(ca, Vector512.LoadUnsafe(ref Y, yo), a0);
                    a1 = Vector512.FusedMultiplyAdd(ca, Vector512.LoadUnsafe(ref Y, yo + (nuint)8), a1);
                    a2 = Vector512.FusedMultiplyAdd(ca, Vector512.LoadUnsafe(ref Y, yo + (nuint)16), a2);
                    a3 = Vector512.FusedMultiplyAdd(ca, Vector512.LoadUnsafe(ref Y, yo + (nuint)24), a3);
                }
                var s = Vector512.Create(Unsafe.Add(ref S, invOff + j));
                a0 *= s; a1 *= s; a2 *= s; a3 *= s;
                a0.StoreUnsafe(ref Y, yj);
                a1.StoreUnsafe(ref Y, yj + (nuint)8);
                a2.StoreUnsafe(ref Y, yj + (nuint)16);
                a3.StoreUnsafe(ref Y, yj + (nuint)24);
                q0 = Vector512.FusedMultiplyAdd(a0, a0, q0);
                q1 = Vector512.FusedMultiplyAdd(a1, a1, q1);
                q2 = Vector512.FusedMultiplyAdd(a2, a2, q2);
                q3 = Vector512.FusedMultiplyAdd(a3, a3, q3);
            }
            if (dest is not null)
            {
                // the log-densities themselves, -(cst + q) / 2 as Write forms them
                ref var Dr = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(dest), (nint)(destOff + r));
                ((cv + q0) * h).StoreUnsafe(ref Dr);
                ((cv + q1) * h).StoreUnsafe(ref Dr, 8);
                ((cv + q2) * h).StoreUnsafe(ref Dr, 16);
                ((cv + q3) * h).StoreUnsafe(ref Dr, 24);
                continue;
            }
            q0.StoreUnsafe(ref Q, (nuint)r);
            q1.StoreUnsafe(ref Q, (nuint)(r + 8));
            q2.StoreUnsafe(ref Q, (nuint)(r + 16));
            q3.StoreUnsafe(ref Q, (nuint)(r + 24));
        }
        return r;
    }

    /// <summary>q[r] = sum_j ((x_rj - mu_j) / s_j)^2 (diagonal and spherical covariances; the division as a product with
    /// the reciprocal), summed over j in order in registers, one vector of rows at a time: the arithmetic of each lane of
    /// <see cref="DiagonalLogDensities"/>, for the data's last rows in a zero-padded copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scaled(double[] xs, int stride, int bp, int d, double[] mu, int muOff, double[] inv, int invOff, double[] q)
    {
        var w = Vector<double>.Count;
        if ((long)d * stride > xs.Length || bp > q.Length || bp > stride || muOff + d > mu.Length || invOff + d > inv.Length) throw new ArgumentOutOfRangeException(nameof(d));
        ref var X = ref MemoryMarshal.GetArrayDataReference(xs);
        ref var Q = ref MemoryMarshal.GetArrayDataReference(q);
        ref var M = ref MemoryMarshal.GetArrayDataReference(mu);
        ref var S = ref MemoryMarshal.GetArrayDataReference(inv);
        var r = 0;
        for (; r < bp; r += w)
        {
            var q0 = Vector<double>.Zero;
            for (var j = 0; j < d; j++)
            {
                var a = (Vector.LoadUnsafe(ref X, (nuint)(j * stride + r)) - new Vector<double>(Unsafe.Add(ref M, muOff + j))) * new Vector<double>(Unsafe.Add(ref S, invOff + j));
                q0 = Vector.FusedMultiplyAdd(a, a, q0);
            }
            q0.StoreUnsafe(ref Q, (nuint)r);
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
        ForEachChunk(n, ch => FirstMomentsOfChunk(data, W, K, ch, new Span<double>(partial, ch * size, size)));
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
    /// The first moments of the rows of chunk <paramref name="ch"/> alone (the partial that
    /// <see cref="FirstMoments"/> adds in chunk order): dest[k (d + 1)] = sum_i W[i,k] and
    /// dest[k (d + 1) + 1 + j] = sum_i W[i,k] x_ij over the chunk's rows, K (d + 1) values.
    /// Each sum is <see cref="Sum"/> or <see cref="Dot"/> over the chunk's rows (two vector accumulators, even and
    /// odd vectors, then a scalar tail), four components at a time so that a column of x is read once per four.
    /// A data set of at most <see cref="Chunk"/> rows is one chunk, so its chunk 0 is this partial.
    /// </summary>
    public static void FirstMomentsOfChunk(GaussianData data, double[] W, int K, int ch, Span<double> dest)
    {
        var n = data.N;
        var d = data.D;
        var start = ch * Chunk;
        var len = Math.Min(n, start + Chunk) - start;
        for (var k = 0; k < K; k++) dest[k * (d + 1)] = ChunkSums.FixedSum(new ReadOnlySpan<double>(W, k * n + start, len));
        var k0 = 0;
        for (; k0 + 4 <= K; k0 += 4)
            for (var j = 0; j < d; j++)
            {
                var (t0, t1, t2, t3) = Dot4(W, k0 * n + start, n, data.x, j * n + start, len);
                dest[k0 * (d + 1) + 1 + j] = t0;
                dest[(k0 + 1) * (d + 1) + 1 + j] = t1;
                dest[(k0 + 2) * (d + 1) + 1 + j] = t2;
                dest[(k0 + 3) * (d + 1) + 1 + j] = t3;
            }
        for (; k0 < K; k0++)
        {
            var wk = new ReadOnlySpan<double>(W, k0 * n + start, len);
            for (var j = 0; j < d; j++)
                dest[k0 * (d + 1) + 1 + j] = Dot(wk, new ReadOnlySpan<double>(data.x, j * n + start, len));
        }
    }

    /// <summary>The four dot products <see cref="Dot"/>(a_t, b), t = 0..3, a_t at aOff + t aStride, with the same
    /// arithmetic as four calls (hence the same values), reading b once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double, double, double, double) Dot4(double[] a, int aOff, int aStride, double[] b, int bOff, int len)
    {
        var w = Vector<double>.Count;
        ref var A0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(a), aOff);
        ref var A1 = ref Unsafe.Add(ref A0, aStride);
        ref var A2 = ref Unsafe.Add(ref A1, aStride);
        ref var A3 = ref Unsafe.Add(ref A2, aStride);
        ref var B = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(b), bOff);
        if ((long)aOff + 3L * aStride + len > a.Length || (long)bOff + len > b.Length) throw new ArgumentOutOfRangeException(nameof(len));
        var s00 = Vector<double>.Zero; var s01 = s00; var s10 = s00; var s11 = s00;
        var s20 = s00; var s21 = s00; var s30 = s00; var s31 = s00;
        var r = 0;
        for (; r + 2 * w <= len; r += 2 * w)
        {
            var x0 = Vector.LoadUnsafe(ref B, (nuint)r);
            var x1 = Vector.LoadUnsafe(ref B, (nuint)(r + w));
            s00 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref A0, (nuint)r), x0, s00);
            s01 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref A0, (nuint)(r + w)), x1, s01);
            s10 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref A1, (nuint)r), x0, s10);
            s11 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref A1, (nuint)(r + w)), x1, s11);
            s20 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref A2, (nuint)r), x0, s20);
            s21 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref A2, (nuint)(r + w)), x1, s21);
            s30 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref A3, (nuint)r), x0, s30);
            s31 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref A3, (nuint)(r + w)), x1, s31);
        }
        for (; r + w <= len; r += w)
        {
            var x0 = Vector.LoadUnsafe(ref B, (nuint)r);
            s00 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref A0, (nuint)r), x0, s00);
            s10 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref A1, (nuint)r), x0, s10);
            s20 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref A2, (nuint)r), x0, s20);
            s30 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref A3, (nuint)r), x0, s30);
        }
        var t0 = Vector.Sum(s00 + s01);
        var t1 = Vector.Sum(s10 + s11);
        var t2 = Vector.Sum(s20 + s21);
        var t3 = Vector.Sum(s30 + s31);
        for (; r < len; r++)
        {
            var x = Unsafe.Add(ref B, r);
            t0 += Unsafe.Add(ref A0, r) * x;
            t1 += Unsafe.Add(ref A1, r) * x;
            t2 += Unsafe.Add(ref A2, r) * x;
            t3 += Unsafe.Add(ref A3, r) * x;
        }
        return (t0, t1, t2, t3);
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
        var per = diagonalOnly ? d : d * (d + 1) / 2;
        var size = K * per;
        var chunks = Chunks(n);
        // the chunk partials from the shared pool (see FirstMoments)
        var partial = ArrayPool<double>.Shared.Rent(chunks * size);
        ForEachChunk(n, ch => ScatterOfChunk(data, W, K, mu, diagonalOnly, ch, new Span<double>(partial, ch * size, size)));
        for (var ch = 0; ch < chunks; ch++)
            for (var t = 0; t < size; t++) total[t] += partial[ch * size + t];
        ArrayPool<double>.Shared.Return(partial);
    }

    /// <summary>
    /// The scatter of the rows of chunk <paramref name="ch"/> alone (the partial that <see cref="Scatter"/> adds in chunk
    /// order), K x d or K x d(d+1)/2 values in <see cref="Scatter"/>'s layout: <see cref="CentredMomentsOfChunk"/>'s scatter
    /// about <paramref name="mu"/> (the same arithmetic), its other sums dropped.
    /// </summary>
    public static void ScatterOfChunk(GaussianData data, double[] W, int K, double[] mu, bool diagonalOnly, int ch, Span<double> dest) =>
        ScatterAndShiftOfChunk(data, W, K, mu, diagonalOnly, ch, dest, new double[K * data.D]);

    /// <summary>
    /// Weighted moments about a centre c known before the sweep (K x d, e.g. the current means):
    /// n_k = sum_i W[i,k], the shift sums T_k = sum_i W[i,k] (x_i - c_k) and the scatter about the centre
    /// S^c_k = sum_i W[i,k] (x_i - c_k)(x_i - c_k)', in one sweep over the rows. T and S^c are in the columns' units
    /// (<see cref="GaussianData.UnitExponent"/>): entry j of T_k is T_kj / 2^e_j, entry (a, c) of S^c_k is
    /// S^c_k[a,c] / 2^(e_a + e_c), exactly. The new means and the scatter about them follow exactly
    /// (<see cref="GaussianFamily"/>): mu_k' = c_k + T_k / n_k and S_k(mu') = S^c_k - T_k T_k' / n_k.
    /// Layout: <paramref name="nk"/> K, <paramref name="shift"/> K x d, <paramref name="scatter"/> as
    /// <see cref="Scatter"/>'s (diagonal only with <paramref name="diagonalOnly"/>); each chunk's partial is added to these
    /// running totals in chunk order (from zero: the data's sums; over consecutive row blocks whose sizes are multiples of
    /// <see cref="Chunk"/>, fed in order: the whole data's sums bit for bit, as streaming EM does).
    /// </summary>
    public static void AddCentredMoments(GaussianData data, double[] W, int K, double[] centre, bool diagonalOnly, double[] nk, double[] shift, double[] scatter)
    {
        var n = data.N;
        var d = data.D;
        var per = diagonalOnly ? d : d * (d + 1) / 2;
        var size = K * (1 + d + per);
        var chunks = Chunks(n);
        // the chunk partials from the shared pool (see FirstMoments)
        var partial = ArrayPool<double>.Shared.Rent(chunks * size);
        ForEachChunk(n, ch => CentredMomentsOfChunk(data, W, K, centre, diagonalOnly, ch, new Span<double>(partial, ch * size, size)));
        AddMomentPartials(partial, chunks, K, d, per, nk, shift, scatter);
        ArrayPool<double>.Shared.Return(partial);
    }

    /// <summary>The chunks' centred-moment partials (<see cref="CentredMomentsOfChunk"/>'s layout, K (1 + d + per) each)
    /// added to the running totals in chunk order.</summary>
    private static void AddMomentPartials(double[] partial, int chunks, int K, int d, int per, double[] nk, double[] shift, double[] scatter)
    {
        var size = K * (1 + d + per);
        for (var ch = 0; ch < chunks; ch++)
        {
            var off = ch * size;
            for (var k = 0; k < K; k++) nk[k] += partial[off + k];
            off += K;
            for (var t = 0; t < K * d; t++) shift[t] += partial[off + t];
            off += K * d;
            for (var t = 0; t < K * per; t++) scatter[t] += partial[off + t];
        }
    }

    /// <summary>
    /// One fused EM sweep at components <paramref name="c"/> (K at most <see cref="EmLoop.FusedMaxK"/>, K log weights
    /// <paramref name="logPi"/>, no observation weights): chunk by chunk, the log-densities
    /// (<see cref="LogDensities(GaussianData, GaussianComponents, double[], int, double[], int, int)"/>) into the chunk's
    /// rows of <paramref name="w"/>, the E-step over them in place (<see cref="EmLoop.FusedRowsInto(double[], int, int, double[], bool, int, int, double[], double[], int, int, double[], bool, ref EmLoop.RowTotals)"/>, with max |W - Wprev|),
    /// and the next M-step's moments about c's means (<see cref="CentredMomentsOfChunk"/>), the three steps block by block
    /// within the chunk (<see cref="FusedBlock"/> rows, so a block's rows and W are read from the L1 cache by the second
    /// and third steps), the E-step's and the moments' sums running on across the blocks in row order (the E-step's
    /// <see cref="EmLoop.RowTotals"/>); the chunks' log L, changes and moments are combined in chunk order from zero. The same bits as the
    /// log-densities, <see cref="EmLoop.EStepInto(double[], double[], int, int, double[], double[], out double)"/> and
    /// <see cref="AddCentredMoments"/> from zero on that W, each over the whole data (the same chunk kernels on the same
    /// chunks), with one read of x and W per iteration instead of three. Returns log L; n_k, T_k and S^c_k are written to
    /// <paramref name="nk"/>, <paramref name="shift"/> and <paramref name="scatter"/>. Without <paramref name="writeW"/>
    /// the same values and W not written (see the overload with running totals).
    /// </summary>
    internal static double Sweep(GaussianData data, GaussianComponents c, double[] logPi, double[] w, double[]? wPrev, out double maxChange,
        bool diagonalOnly, double[] nk, double[] shift, double[] scatter, bool writeW = true) =>
        Sweep(data, c, logPi, w, wPrev, out maxChange, diagonalOnly, nk, shift, scatter, 0.0, accumulate: false, writeW);

    /// <summary>The sweep with running totals: the chunks' log L added in chunk order to <paramref name="logLStart"/>
    /// (returned), and with <paramref name="accumulate"/> the chunks' moments added in chunk order to the totals as they
    /// are (else from zero). Over consecutive row blocks of a multiple of <see cref="Chunk"/> rows, fed in order with the
    /// totals so far, this gives the whole data's sweep bit for bit (streaming EM).
    /// Without <paramref name="writeW"/> (no W_prev) the responsibilities are not written to <paramref name="w"/>: each block's log-densities, E-step and moments use a
    /// buffer of the block's own, and n_k is summed from it in <see cref="ChunkSums.FixedSum"/>'s order over the chunk, so
    /// every returned value is the same bit for bit and <paramref name="w"/> is left as it was (for a caller that needs W
    /// only when the fit asks for it: 40 MB of stores and the reads for their cache lines saved per million rows at K =
    /// 5).</summary>
    internal static double Sweep(GaussianData data, GaussianComponents c, double[] logPi, double[] w, double[]? wPrev, out double maxChange,
        bool diagonalOnly, double[] nk, double[] shift, double[] scatter, double logLStart, bool accumulate, bool writeW = true)
    {
        var n = data.N;
        var d = data.D;
        var K = c.K;
        if (logPi.Length != K || K > EmLoop.FusedMaxK) throw new ArgumentException($"the fused sweep takes K <= {EmLoop.FusedMaxK} and K log weights (K = {K}, {logPi.Length})");
        if (w.Length < (long)n * K) throw new ArgumentException($"W has {w.Length} entries, fewer than n K = {(long)n * K}");
        if (!writeW && wPrev is not null) throw new ArgumentException("a sweep that does not write W takes no W_prev");
        var per = diagonalOnly ? d : d * (d + 1) / 2;
        var size = K * (1 + d + per);
        var chunks = Chunks(n);
        var inv = Reciprocals(c);
        var partial = ArrayPool<double>.Shared.Rent(chunks * size);
        var logL = new double[chunks];
        var change = new double[chunks];
        var sameBuffer = ReferenceEquals(w, wPrev);
        ForEachChunk(n, ch =>
        {
            var from = ch * Chunk;
            var to = Math.Min(n, from + Chunk);
            var dest = new Span<double>(partial, ch * size, size);
            dest.Clear();
            var shiftOfChunk = new double[K * d];
            using var densities = DensityScratch.For(data, c);
            using var moments = new MomentScratch(data, diagonalOnly);
            var totals = default(EmLoop.RowTotals);
            // with W_prev the same buffer as W, each block's log-densities go to a buffer of their own and W is written
            // over W_prev after each old value is read (the same numbers, one n x K buffer instead of two); without
            // writeW the block's W goes to that buffer too (its rows 0 .. b), and n_k's FixedSum accumulators are carried
            // across the blocks
            var own = sameBuffer || !writeW ? ArrayPool<double>.Shared.Rent(K * FusedBlock) : null;
            var sums = writeW ? null : new System.Numerics.Vector<double>[4 * K];
            // block by block, the block's log-densities, E-step and moments while its rows and W are in the L1 cache:
            // each is the chunk kernel's arithmetic on the same blocks, and the E-step's and the moments' sums run on
            // across the blocks in the chunk order, so the chunk's values are those of the three passes over it
            for (var start = from; start < to; start += FusedBlock)
            {
                var end = Math.Min(to, start + FusedBlock);
                var b = end - start;
                var (L, lStride, lRowBase) = own is null ? (w, n, 0) : (own, FusedBlock, start);
                // where the block's W goes: its first row's index row0 in a buffer of stride wStride
                var (Wb, wStride, row0) = writeW ? (w, n, start) : (own!, FusedBlock, 0);
                LogDensityRows(data, c, inv, densities, start, end, L, lStride, lRowBase);
                EmLoop.FusedRowsInto(L, lStride, lRowBase - start + row0, logPi, false, wStride, K, Wb, wPrev, row0, b, null, true, ref totals);
                AddScatterAndShift(data, Wb, wStride, start - row0, K, c.mu, diagonalOnly, moments, start, end, dest.Slice(K + K * d, K * per), shiftOfChunk);
                if (sums is null) continue;
                for (var k = 0; k < K; k++)
                {
                    var col = new ReadOnlySpan<double>(own, k * FusedBlock, b);
                    var r = ChunkSums.FixedSumGroups(col, ref sums[4 * k], ref sums[4 * k + 1], ref sums[4 * k + 2], ref sums[4 * k + 3]);
                    // FixedSum's rest, in the chunk's last block (every other block is a whole number of groups)
                    if (end == to) dest[k] = ChunkSums.FixedSumRest(sums[4 * k], sums[4 * k + 1], sums[4 * k + 2], sums[4 * k + 3], col, r);
                }
            }
            if (own is not null) ArrayPool<double>.Shared.Return(own);
            logL[ch] = totals.Finish(false, out change[ch]);
            if (sums is not null) shiftOfChunk.CopyTo(dest.Slice(K, shiftOfChunk.Length));
            else WriteCountsAndShift(w, n, K, from, to - from, shiftOfChunk, dest);
        });
        if (!accumulate)
        {
            System.Array.Clear(nk);
            System.Array.Clear(shift);
            System.Array.Clear(scatter);
        }
        AddMomentPartials(partial, chunks, K, d, per, nk, shift, scatter);
        ArrayPool<double>.Shared.Return(partial);
        return ChunkSums.LogLikelihood(logLStart, logL, change, out maxChange);
    }

    /// <summary>
    /// The centred moments (<see cref="AddCentredMoments"/>) of the rows of chunk <paramref name="ch"/> alone, K (1 + d + per)
    /// values: n_k (K, each <see cref="Sum"/> over the chunk's rows, as in <see cref="FirstMomentsOfChunk"/>), then T (K x d),
    /// then S^c (K x per, <see cref="Scatter"/>'s layout). Within the chunk, blocks of <see cref="Block"/> rows: for each block,
    /// component and column the products p = w (x_j - c_j) and for each entry (a, c) the products p_a (x_c - c_c) are summed
    /// in two vector accumulators (even and odd vectors of rows, the block's last rows padded with zeros to a vector), and
    /// their lanes' sums are added to the chunk's T_kj and S^c entries, block after block. The deviation is x - c, or
    /// x / 2^e - c / 2^e for a column with unit exponent e (exact, and x - c cannot overflow).
    /// </summary>
    public static void CentredMomentsOfChunk(GaussianData data, double[] W, int K, double[] centre, bool diagonalOnly, int ch, Span<double> dest)
    {
        var n = data.N;
        var d = data.D;
        var per = diagonalOnly ? d : d * (d + 1) / 2;
        var start = ch * Chunk;
        var len = Math.Min(n, start + Chunk) - start;
        // the shift sums and the scatter go through a scratch array (the scatter core writes them by index)
        var shift = new double[K * d];
        ScatterAndShiftOfChunk(data, W, K, centre, diagonalOnly, ch, dest.Slice(K + K * d, K * per), shift);
        WriteCountsAndShift(W, n, K, start, len, shift, dest);
    }

    /// <summary>The first two parts of a chunk's centred moments in <see cref="CentredMomentsOfChunk"/>'s layout: n_k
    /// (each <see cref="Sum"/> over the chunk's rows [start, start + len) of W) into dest[0, K), and the chunk's shift sums
    /// (K x d) after them.</summary>
    private static void WriteCountsAndShift(double[] W, int n, int K, int start, int len, double[] shift, Span<double> dest)
    {
        for (var k = 0; k < K; k++) dest[k] = ChunkSums.FixedSum(new ReadOnlySpan<double>(W, k * n + start, len));
        shift.CopyTo(dest.Slice(K, shift.Length));
    }

    /// <summary>The scatter of chunk <paramref name="ch"/> about <paramref name="mu"/> into <paramref name="dest"/> and the
    /// chunk's shift sums sum_i W[i,k] (x_ij - mu_kj) (in units) into <paramref name="shift"/> (K x d); see
    /// <see cref="CentredMomentsOfChunk"/>.</summary>
    private static void ScatterAndShiftOfChunk(GaussianData data, double[] W, int K, double[] mu, bool diagonalOnly, int ch, Span<double> dest, double[] shift)
    {
        var d = data.D;
        var per = diagonalOnly ? d : d * (d + 1) / 2;
        dest[..(K * per)].Clear();
        System.Array.Clear(shift, 0, K * d);
        using var scratch = new MomentScratch(data, diagonalOnly);
        AddScatterAndShift(data, W, K, mu, diagonalOnly, scratch, ch * Chunk, Math.Min(data.N, (ch + 1) * Chunk), dest, shift);
    }

    /// <summary>The pooled scratch of the full scatter (the block's deviations and weighted deviations, d x <see cref="Block"/>
    /// each) and the columns' units; none for the diagonal scatter. Returned to the pool on dispose.</summary>
    private sealed class MomentScratch : IDisposable
    {
        internal readonly double[]? Dv, Dw;
        internal readonly double[] Units;
        internal readonly bool Ordinary;

        internal MomentScratch(GaussianData data, bool diagonalOnly)
        {
            var d = data.D;
            var e = data.UnitExponent;
            Units = new double[d];
            for (var j = 0; j < d; j++) Units[j] = e[j] == 0 ? 1.0 : Math.ScaleB(1.0, -e[j]);
            Ordinary = e.All(u => u == 0);
            if (diagonalOnly) return;
            Dv = ArrayPool<double>.Shared.Rent(d * Block);
            Dw = ArrayPool<double>.Shared.Rent(d * Block);
        }

        public void Dispose()
        {
            if (Dv is not null) ArrayPool<double>.Shared.Return(Dv);
            if (Dw is not null) ArrayPool<double>.Shared.Return(Dw);
        }
    }

    /// <summary>The diagonal moments of one block of b rows (at most <see cref="Block"/>): for every column j and component k
    /// the block's sum of w (x - mu)^2 added to dest[k d + j] and of w (x - mu) to shift[k d + j], the columns of x at
    /// x[j xStride + xStart], the weights at W[k wStride + wStart]. The sums depend on the rows' values alone, not on where
    /// they are stored.</summary>
    private static void AddDiagonalMoments(double[] x, int xStride, int xStart, double[] W, int wStride, int wStart, int b, int K, int d,
        int[] e, double[] units, double[] mu, Span<double> dest, double[] shift)
    {
        // each column's lines MomentsPrefetchBlocks blocks on asked for during its moments: a line in each eight-row
        // step of the column's first kernel with AVX-512, else all at once as they start (a hint only: no value
        // depends on it)
        var askAhead = d >= PrefetchColumns && (long)xStart + (MomentsPrefetchBlocks + 1L) * Block <= xStride;
        var askInLoop = askAhead && Wide && K > 1;
        for (var j = 0; j < d; j++)
        {
            var iu = units[j];
            var xOff = j * xStride + xStart;
            if (askAhead && !askInLoop) PrefetchToL2(ref x[xOff + MomentsPrefetchBlocks * Block], Block / 8);
            for (var k0 = 0; k0 < K; k0 += 2)
            {
                if (Wide && K - k0 == 5)
                {
                    // with AVX-512 the last five components in one call (each component's sums as the pair's and the
                    // single's: the same values), the column's rows loaded once for the five
                    if (e[j] != 0)
                        DiagonalFive<InUnits>(x, xOff, W, k0 * wStride + wStart, wStride, b, mu, k0, d, j, iu, dest, shift, askInLoop && k0 == 0);
                    else
                        DiagonalFive<AsIs>(x, xOff, W, k0 * wStride + wStart, wStride, b, mu, k0, d, j, iu, dest, shift, askInLoop && k0 == 0);
                    break;
                }
                if (Wide && K - k0 == 3)
                {
                    // with AVX-512 an odd count's last three components in one call (each component's sums as
                    // the pair's and the single's: the same values)
                    var (q0, q1, q2, p0, p1, p2) = DiagonalTriple(x, xOff, W, k0 * wStride + wStart, wStride, b,
                        mu[k0 * d + j], mu[(k0 + 1) * d + j], mu[(k0 + 2) * d + j], e[j] != 0, iu, askInLoop && k0 == 0);
                    dest[k0 * d + j] += q0;
                    dest[(k0 + 1) * d + j] += q1;
                    dest[(k0 + 2) * d + j] += q2;
                    shift[k0 * d + j] += p0;
                    shift[(k0 + 1) * d + j] += p1;
                    shift[(k0 + 2) * d + j] += p2;
                    break;
                }
                if (k0 + 1 < K)
                {
                    var (q0, q1, p0, p1) = DiagonalPair(x, xOff, W, k0 * wStride + wStart, wStride, b, mu[k0 * d + j], mu[(k0 + 1) * d + j], e[j] != 0, iu,
                        askInLoop && k0 == 0);
                    dest[k0 * d + j] += q0;
                    dest[(k0 + 1) * d + j] += q1;
                    shift[k0 * d + j] += p0;
                    shift[(k0 + 1) * d + j] += p1;
                }
                else
                {
                    // a last single component: the first half of the pair's arithmetic
                    var (q0, p0) = DiagonalOne(x, xOff, W, k0 * wStride + wStart, b, mu[k0 * d + j], e[j] != 0, iu);
                    dest[k0 * d + j] += q0;
                    shift[k0 * d + j] += p0;
                }
            }
        }
    }

    /// <summary>The scatter and shift sums of rows [from, to) of one chunk (from a row that starts a block of the chunk)
    /// added to <paramref name="dest"/> and <paramref name="shift"/> block by block, each entry's block sums in block order:
    /// any split of a chunk at block boundaries, fed in order, leaves the chunk's sums.</summary>
    private static void AddScatterAndShift(GaussianData data, double[] W, int K, double[] mu, bool diagonalOnly, MomentScratch scratch,
        int from, int end, Span<double> dest, double[] shift) =>
        AddScatterAndShift(data, W, data.N, 0, K, mu, diagonalOnly, scratch, from, end, dest, shift);

    /// <summary><see cref="AddScatterAndShift(GaussianData, double[], int, double[], bool, MomentScratch, int, int, Span{double}, double[])"/>
    /// with row i's weight for component k at W[k <paramref name="wStride"/> + i - <paramref name="wRowBase"/>] (a block's
    /// own buffer) instead of the n x K layout: the same sums.</summary>
    private static void AddScatterAndShift(GaussianData data, double[] W, int wStride, int wRowBase, int K, double[] mu, bool diagonalOnly,
        MomentScratch scratch, int from, int end, Span<double> dest, double[] shift)
    {
        var n = data.N;
        var d = data.D;
        var e = data.UnitExponent;
        var per = diagonalOnly ? d : d * (d + 1) / 2;
        var units = scratch.Units;
        if (diagonalOnly)
        {
            // block by block, and in a block entry by entry (each entry's block sums are added to it in block order, from
            // zero), so that a block's rows of x and its K weight columns stay in the L1 cache across the entries
            for (var start = from; start < end; start += Block)
                AddDiagonalMoments(data.x, n, start, W, wStride, start - wRowBase, Math.Min(Block, end - start), K, d, e, units, mu, dest, shift);
            return;
        }
        var stride = Block;
        var dv = scratch.Dv!;
        var dw = scratch.Dw!;
        var ordinary = scratch.Ordinary;
        for (var start = from; start < end; start += Block)
        {
            var b = Math.Min(Block, end - start);
            var bp = RoundUp(b);
            for (var k = 0; k < K; k++)
            {
                if (ordinary && b == bp)
                {
                    // with AVX-512 and d <= 6 everything in registers; otherwise only w (x - mu) is stored and the other
                    // factor x - mu is formed from the data in registers
                    if (Wide && SmallScatterWide(d, data.x, n, start, W, k * wStride + start - wRowBase, mu, k * d, bp / Vector<double>.Count, dest, k * per, shift, k * d))
                        continue;
                    var j4 = 0;
                    if (Wide && d > 6)
                        // four rows at a time: the stripe's own triangle forms its four rows of w (x - mu) (and their
                        // sums) from the data into the scratch's first four rows, and the tiles left of it read them
                        // back from the L1 cache; the entries' sums do not depend on the rows' order or place
                        for (; j4 + 4 <= d; j4 += 4)
                        {
                            var (p0, p1, p2, p3) = StripeWide4(data.x, n, start, W, k * wStride + start - wRowBase, mu, k * d, bp, dw, stride, dest, k * per, j4);
                            shift[k * d + j4] += p0;
                            shift[k * d + j4 + 1] += p1;
                            shift[k * d + j4 + 2] += p2;
                            shift[k * d + j4 + 3] += p3;
                        }
                    for (var j = j4; j < d; j++)
                        shift[k * d + j] += WeightedDeviations(data.x, j * n + start, W, k * wStride + start - wRowBase, b, mu[k * d + j], dw, (j - j4) * stride);
                    LowerProductsCentred(dw, stride, data.x, start, n, mu, k * d, bp, d, dest, k * per, j4, d);
                    continue;
                }
                for (var j = 0; j < d; j++)
                    shift[k * d + j] += Deviations(data.x, j * n + start, W, k * wStride + start - wRowBase, b, bp, mu[k * d + j], e[j] != 0, units[j], dv, dw, j * stride);
                LowerProducts(dw, dv, stride, bp, d, dest, k * per);
            }
        }
    }

    /// <summary>The first <paramref name="rem"/> values at src, the other lanes 0.</summary>
    private static Vector<double> Tail(ref double src, int rem)
    {
        Span<double> t = stackalloc double[Vector<double>.Count];
        t.Clear();
        for (var i = 0; i < rem; i++) t[i] = Unsafe.Add(ref src, i);
        return new Vector<double>(t);
    }

    /// <summary>All bits set in the first <paramref name="rem"/> lanes.</summary>
    private static Vector<long> LaneMask(int rem)
    {
        Span<long> t = stackalloc long[Vector<long>.Count];
        for (var i = 0; i < t.Length; i++) t[i] = i < rem ? -1L : 0L;
        return new Vector<long>(t);
    }

    /// <summary>The deviation v = x - m, or for a column in units x u - m with u = 2^-e and m the mean times u (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<double> Deviation(Vector<double> x, Vector<double> m, bool scaled, Vector<double> u) =>
        scaled ? x * u - m : x - m;

    /// <summary>Whether a column's deviations are taken in units 2^e (<see cref="Deviation"/>), as a type, so that
    /// <see cref="DiagonalPair{TUnits}"/> is compiled once per case without a branch in its loop.</summary>
    private interface IColumnUnits { static abstract bool Scaled { get; } }
    private struct InUnits : IColumnUnits { public static bool Scaled => true; }
    private struct AsIs : IColumnUnits { public static bool Scaled => false; }

    /// <summary>One component's step of the diagonal moments' eight-row loops: v = x - m (or x u - m in units, see
    /// <see cref="Deviation"/>), p = v w, then (fma(p, v, s), t + p).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<double>, Vector512<double>) WeightedSquares(Vector512<double> x8, Vector512<double> m, Vector512<double> w,
        bool scaled, Vector512<double> u8, Vector512<double> s, Vector512<double> t)
    {
        var v = scaled ? x8 * u8 - m : x8 - m;
        var p = v * w;
        return (Vector512.FusedMultiplyAdd(p, v, s), t + p);
    }

    /// <summary><see cref="DiagonalPair{TUnits}"/> for a column in units (<paramref name="scaled"/>) or as it is.</summary>
    private static (double, double, double, double) DiagonalPair(double[] x, int xOff, double[] W, int wOff, int wStride, int b, double m0, double m1, bool scaled, double iu,
        bool ask = false) =>
        scaled
            ? DiagonalPair<InUnits>(x, xOff, W, wOff, wStride, b, m0, m1, iu, ask)
            : DiagonalPair<AsIs>(x, xOff, W, wOff, wStride, b, m0, m1, iu, ask);

    /// <summary>
    /// sum_r w_r v_r^2 and sum_r w_r v_r over the b rows of a block for two components (their weights at wOff and
    /// wOff + wStride, their means m0, m1), with v = x - m (see <see cref="Deviation"/>): per component and sum, two vector
    /// accumulators (even vectors of rows and odd), p = v w, s = fma(p, v, s) and t = t + p, the last partial vector padded
    /// with v = w = 0; returns the lanes' sums of s0 + s1 for both components, then of t0 + t1. The squares are exactly the
    /// products and the order of a dot product of w v and v over the padded block.
    /// </summary>
    /// <remarks>The loop takes one component's two row vectors at a time, so its values fit the 16 vector registers
    /// (eight accumulators, the two means, a deviation and a product): with all four deviations live the JIT spilled four
    /// accumulators to the stack every iteration, and their store-to-load round trips, not the arithmetic, set the
    /// speed. The values are the same in either order.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double, double, double, double) DiagonalPair<TUnits>(double[] x, int xOff, double[] W, int wOff, int wStride, int b, double m0, double m1, double iu,
        bool ask = false)
        where TUnits : struct, IColumnUnits
    {
        var w = Vector<double>.Count;
        if ((long)xOff + b > x.Length || (long)wOff + wStride + b > W.Length) throw new ArgumentOutOfRangeException(nameof(b));
        ref var X = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(x), xOff);
        ref var W0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(W), wOff);
        ref var W1 = ref Unsafe.Add(ref W0, wStride);
        var scaled = TUnits.Scaled;
        var u = new Vector<double>(iu);
        var M0 = new Vector<double>(scaled ? m0 * iu : m0);
        var M1 = new Vector<double>(scaled ? m1 * iu : m1);
        var s00 = Vector<double>.Zero; var s01 = s00; var s10 = s00; var s11 = s00;
        var t00 = s00; var t01 = s00; var t10 = s00; var t11 = s00;
        var r = 0;
        if (Wide && b >= 8)
        {
            // with AVX-512: a register's lower half is the even vector of rows, its upper half the odd one, so its lanes
            // take the values of s0 and s1 (t0 and t1) below, in the same order
            var u8 = Vector512.Create(iu);
            var N0 = Vector512.Create(M0.AsVector256(), M0.AsVector256());
            var N1 = Vector512.Create(M1.AsVector256(), M1.AsVector256());
            var S0 = Vector512<double>.Zero; var S1 = S0; var T0 = S0; var T1 = S0;
            var ahead = Ahead(ref X, ask);
            for (; r + 8 <= b; r += 8)
            {
                AskAt(ahead, r);
                var x8 = Vector512.LoadUnsafe(ref X, (nuint)r);
                (S0, T0) = WeightedSquares(x8, N0, Vector512.LoadUnsafe(ref W0, (nuint)r), scaled, u8, S0, T0);
                (S1, T1) = WeightedSquares(x8, N1, Vector512.LoadUnsafe(ref W1, (nuint)r), scaled, u8, S1, T1);
            }
            s00 = S0.GetLower().AsVector(); s01 = S0.GetUpper().AsVector();
            s10 = S1.GetLower().AsVector(); s11 = S1.GetUpper().AsVector();
            t00 = T0.GetLower().AsVector(); t01 = T0.GetUpper().AsVector();
            t10 = T1.GetLower().AsVector(); t11 = T1.GetUpper().AsVector();
        }
        for (; r + 2 * w <= b; r += 2 * w)
        {
            var v = Deviation(Vector.LoadUnsafe(ref X, (nuint)r), M0, scaled, u);
            var p = v * Vector.LoadUnsafe(ref W0, (nuint)r);
            s00 = Vector.FusedMultiplyAdd(p, v, s00);
            t00 += p;
            v = Deviation(Vector.LoadUnsafe(ref X, (nuint)(r + w)), M0, scaled, u);
            p = v * Vector.LoadUnsafe(ref W0, (nuint)(r + w));
            s01 = Vector.FusedMultiplyAdd(p, v, s01);
            t01 += p;
            v = Deviation(Vector.LoadUnsafe(ref X, (nuint)r), M1, scaled, u);
            p = v * Vector.LoadUnsafe(ref W1, (nuint)r);
            s10 = Vector.FusedMultiplyAdd(p, v, s10);
            t10 += p;
            v = Deviation(Vector.LoadUnsafe(ref X, (nuint)(r + w)), M1, scaled, u);
            p = v * Vector.LoadUnsafe(ref W1, (nuint)(r + w));
            s11 = Vector.FusedMultiplyAdd(p, v, s11);
            t11 += p;
        }
        // the last block of the data may end in less than two vectors: its rest in a method of its own, so that the
        // accumulators stay in registers through this loop
        return r < b
            ? DiagonalPairRest<TUnits>(ref Unsafe.Add(ref X, r), ref Unsafe.Add(ref W0, r), ref Unsafe.Add(ref W1, r), b - r, M0, M1, u, s00, s01, s10, s11, t00, t01, t10, t11)
            : (Vector.Sum(s00 + s01), Vector.Sum(s10 + s11), Vector.Sum(t00 + t01), Vector.Sum(t10 + t11));
    }

    /// <summary><see cref="DiagonalTriple{TUnits}"/> for a column in units (<paramref name="scaled"/>) or as it is.</summary>
    private static (double, double, double, double, double, double) DiagonalTriple(double[] x, int xOff, double[] W, int wOff, int wStride, int b,
        double m0, double m1, double m2, bool scaled, double iu, bool ask = false) =>
        scaled
            ? DiagonalTriple<InUnits>(x, xOff, W, wOff, wStride, b, m0, m1, m2, iu, ask)
            : DiagonalTriple<AsIs>(x, xOff, W, wOff, wStride, b, m0, m1, m2, iu, ask);

    /// <summary><see cref="DiagonalPair{TUnits}"/> for three components at once with AVX-512 (weights at wOff, wOff + wStride,
    /// wOff + 2 wStride): each component's accumulators and order are the pair's (the third's those of
    /// <see cref="DiagonalOne{TUnits}"/>), so the same values, with six sums in flight instead of four, so the loop is
    /// bound by its arithmetic rather than by the latency of each sum's chain; returns the three s sums, then the three t.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double, double, double, double, double, double) DiagonalTriple<TUnits>(double[] x, int xOff, double[] W, int wOff, int wStride, int b,
        double m0, double m1, double m2, double iu, bool ask = false)
        where TUnits : struct, IColumnUnits
    {
        if (!Wide || (long)xOff + b > x.Length || (long)wOff + 2L * wStride + b > W.Length) throw new ArgumentOutOfRangeException(nameof(b));
        ref var X = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(x), xOff);
        ref var W0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(W), wOff);
        ref var W1 = ref Unsafe.Add(ref W0, wStride);
        ref var W2 = ref Unsafe.Add(ref W1, wStride);
        var scaled = TUnits.Scaled;
        var u = new Vector<double>(iu);
        var M0 = new Vector<double>(scaled ? m0 * iu : m0);
        var M1 = new Vector<double>(scaled ? m1 * iu : m1);
        var M2 = new Vector<double>(scaled ? m2 * iu : m2);
        var u8 = Vector512.Create(iu);
        var N0 = Vector512.Create(M0.AsVector256(), M0.AsVector256());
        var N1 = Vector512.Create(M1.AsVector256(), M1.AsVector256());
        var N2 = Vector512.Create(M2.AsVector256(), M2.AsVector256());
        var S0 = Vector512<double>.Zero; var S1 = S0; var S2 = S0; var T0 = S0; var T1 = S0; var T2 = S0;
        var r = 0;
        var ahead = Ahead(ref X, ask);
        for (; r + 8 <= b; r += 8)
        {
            AskAt(ahead, r);
            var x8 = Vector512.LoadUnsafe(ref X, (nuint)r);
            (S0, T0) = WeightedSquares(x8, N0, Vector512.LoadUnsafe(ref W0, (nuint)r), scaled, u8, S0, T0);
            (S1, T1) = WeightedSquares(x8, N1, Vector512.LoadUnsafe(ref W1, (nuint)r), scaled, u8, S1, T1);
            (S2, T2) = WeightedSquares(x8, N2, Vector512.LoadUnsafe(ref W2, (nuint)r), scaled, u8, S2, T2);
        }
        // a register's lower half is the even vector of rows, its upper half the odd one (as in the pair's kernel)
        var (s00, s01, t00, t01) = (S0.GetLower().AsVector(), S0.GetUpper().AsVector(), T0.GetLower().AsVector(), T0.GetUpper().AsVector());
        var (s10, s11, t10, t11) = (S1.GetLower().AsVector(), S1.GetUpper().AsVector(), T1.GetLower().AsVector(), T1.GetUpper().AsVector());
        var (s20, s21, t20, t21) = (S2.GetLower().AsVector(), S2.GetUpper().AsVector(), T2.GetLower().AsVector(), T2.GetUpper().AsVector());
        if (r == b)
            return (Vector.Sum(s00 + s01), Vector.Sum(s10 + s11), Vector.Sum(s20 + s21), Vector.Sum(t00 + t01), Vector.Sum(t10 + t11), Vector.Sum(t20 + t21));
        // the last rows (fewer than eight) as the pair's and the single's
        var (q0, q1, p0, p1) = DiagonalPairRest<TUnits>(ref Unsafe.Add(ref X, r), ref Unsafe.Add(ref W0, r), ref Unsafe.Add(ref W1, r), b - r, M0, M1, u,
            s00, s01, s10, s11, t00, t01, t10, t11);
        var (q2, _, p2, _) = DiagonalPairRest<TUnits>(ref Unsafe.Add(ref X, r), ref Unsafe.Add(ref W2, r), ref Unsafe.Add(ref W2, r), b - r, M2, M2, u,
            s20, s21, s20, s21, t20, t21, t20, t21);
        return (q0, q1, q2, p0, p1, p2);
    }

    /// <summary><see cref="DiagonalPair{TUnits}"/> for five components at once with AVX-512 (components k0 .. k0 + 4, their
    /// weights wStride apart from wOff, their means mu[k d + j]): each component's accumulators and order are the pair's
    /// (the fifth's those of <see cref="DiagonalOne{TUnits}"/>), so the same values, added to dest[k d + j] (the s sums) and
    /// shift[k d + j] (the t sums). One call and one load of the column's rows for five components, where a pair and a
    /// triple took two (ten sums in flight: the loop is bound by its arithmetic).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DiagonalFive<TUnits>(double[] x, int xOff, double[] W, int wOff, int wStride, int b, double[] mu, int k0, int d, int j,
        double iu, Span<double> dest, double[] shift, bool ask = false)
        where TUnits : struct, IColumnUnits
    {
        if (!Wide || (long)xOff + b > x.Length || (long)wOff + 4L * wStride + b > W.Length || (k0 + 4) * d + j >= mu.Length) throw new ArgumentOutOfRangeException(nameof(b));
        ref var X = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(x), xOff);
        ref var W0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(W), wOff);
        ref var W1 = ref Unsafe.Add(ref W0, wStride);
        ref var W2 = ref Unsafe.Add(ref W1, wStride);
        ref var W3 = ref Unsafe.Add(ref W2, wStride);
        ref var W4 = ref Unsafe.Add(ref W3, wStride);
        var scaled = TUnits.Scaled;
        var u = new Vector<double>(iu);
        var M0 = new Vector<double>(scaled ? mu[k0 * d + j] * iu : mu[k0 * d + j]);
        var M1 = new Vector<double>(scaled ? mu[(k0 + 1) * d + j] * iu : mu[(k0 + 1) * d + j]);
        var M2 = new Vector<double>(scaled ? mu[(k0 + 2) * d + j] * iu : mu[(k0 + 2) * d + j]);
        var M3 = new Vector<double>(scaled ? mu[(k0 + 3) * d + j] * iu : mu[(k0 + 3) * d + j]);
        var M4 = new Vector<double>(scaled ? mu[(k0 + 4) * d + j] * iu : mu[(k0 + 4) * d + j]);
        var u8 = Vector512.Create(iu);
        var N0 = Vector512.Create(M0.AsVector256(), M0.AsVector256());
        var N1 = Vector512.Create(M1.AsVector256(), M1.AsVector256());
        var N2 = Vector512.Create(M2.AsVector256(), M2.AsVector256());
        var N3 = Vector512.Create(M3.AsVector256(), M3.AsVector256());
        var N4 = Vector512.Create(M4.AsVector256(), M4.AsVector256());
        var S0 = Vector512<double>.Zero; var S1 = S0; var S2 = S0; var S3 = S0; var S4 = S0;
        var T0 = S0; var T1 = S0; var T2 = S0; var T3 = S0; var T4 = S0;
        var r = 0;
        var ahead = Ahead(ref X, ask);
        for (; r + 8 <= b; r += 8)
        {
            AskAt(ahead, r);
            var x8 = Vector512.LoadUnsafe(ref X, (nuint)r);
            (S0, T0) = WeightedSquares(x8, N0, Vector512.LoadUnsafe(ref W0, (nuint)r), scaled, u8, S0, T0);
            (S1, T1) = WeightedSquares(x8, N1, Vector512.LoadUnsafe(ref W1, (nuint)r), scaled, u8, S1, T1);
            (S2, T2) = WeightedSquares(x8, N2, Vector512.LoadUnsafe(ref W2, (nuint)r), scaled, u8, S2, T2);
            (S3, T3) = WeightedSquares(x8, N3, Vector512.LoadUnsafe(ref W3, (nuint)r), scaled, u8, S3, T3);
            (S4, T4) = WeightedSquares(x8, N4, Vector512.LoadUnsafe(ref W4, (nuint)r), scaled, u8, S4, T4);
        }
        // a register's lower half is the even vector of rows, its upper half the odd one (as in the pair's kernel)
        double q0, q1, q2, q3, q4, p0, p1, p2, p3, p4;
        if (r == b)
        {
            (q0, p0) = (Vector.Sum(S0.GetLower().AsVector() + S0.GetUpper().AsVector()), Vector.Sum(T0.GetLower().AsVector() + T0.GetUpper().AsVector()));
            (q1, p1) = (Vector.Sum(S1.GetLower().AsVector() + S1.GetUpper().AsVector()), Vector.Sum(T1.GetLower().AsVector() + T1.GetUpper().AsVector()));
            (q2, p2) = (Vector.Sum(S2.GetLower().AsVector() + S2.GetUpper().AsVector()), Vector.Sum(T2.GetLower().AsVector() + T2.GetUpper().AsVector()));
            (q3, p3) = (Vector.Sum(S3.GetLower().AsVector() + S3.GetUpper().AsVector()), Vector.Sum(T3.GetLower().AsVector() + T3.GetUpper().AsVector()));
            (q4, p4) = (Vector.Sum(S4.GetLower().AsVector() + S4.GetUpper().AsVector()), Vector.Sum(T4.GetLower().AsVector() + T4.GetUpper().AsVector()));
        }
        else
        {
            // the last rows (fewer than eight) as the pairs' and the single's
            ref var Xr = ref Unsafe.Add(ref X, r);
            (q0, q1, p0, p1) = DiagonalPairRest<TUnits>(ref Xr, ref Unsafe.Add(ref W0, r), ref Unsafe.Add(ref W1, r), b - r, M0, M1, u,
                S0.GetLower().AsVector(), S0.GetUpper().AsVector(), S1.GetLower().AsVector(), S1.GetUpper().AsVector(),
                T0.GetLower().AsVector(), T0.GetUpper().AsVector(), T1.GetLower().AsVector(), T1.GetUpper().AsVector());
            (q2, q3, p2, p3) = DiagonalPairRest<TUnits>(ref Xr, ref Unsafe.Add(ref W2, r), ref Unsafe.Add(ref W3, r), b - r, M2, M3, u,
                S2.GetLower().AsVector(), S2.GetUpper().AsVector(), S3.GetLower().AsVector(), S3.GetUpper().AsVector(),
                T2.GetLower().AsVector(), T2.GetUpper().AsVector(), T3.GetLower().AsVector(), T3.GetUpper().AsVector());
            var (s40, s41, t40, t41) = (S4.GetLower().AsVector(), S4.GetUpper().AsVector(), T4.GetLower().AsVector(), T4.GetUpper().AsVector());
            (q4, _, p4, _) = DiagonalPairRest<TUnits>(ref Xr, ref Unsafe.Add(ref W4, r), ref Unsafe.Add(ref W4, r), b - r, M4, M4, u,
                s40, s41, s40, s41, t40, t41, t40, t41);
        }
        dest[k0 * d + j] += q0; dest[(k0 + 1) * d + j] += q1; dest[(k0 + 2) * d + j] += q2; dest[(k0 + 3) * d + j] += q3; dest[(k0 + 4) * d + j] += q4;
        shift[k0 * d + j] += p0; shift[(k0 + 1) * d + j] += p1; shift[(k0 + 2) * d + j] += p2; shift[(k0 + 3) * d + j] += p3; shift[(k0 + 4) * d + j] += p4;
    }

    /// <summary><see cref="DiagonalOne{TUnits}"/> for a column in units (<paramref name="scaled"/>) or as it is.</summary>
    private static (double, double) DiagonalOne(double[] x, int xOff, double[] W, int wOff, int b, double m0, bool scaled, double iu) =>
        scaled
            ? DiagonalOne<InUnits>(x, xOff, W, wOff, b, m0, iu)
            : DiagonalOne<AsIs>(x, xOff, W, wOff, b, m0, iu);

    /// <summary>The first component's half of <see cref="DiagonalPair{TUnits}"/> (the same accumulators and order, so the
    /// same values), for a last component without a partner: sum_r w_r v_r^2 and sum_r w_r v_r.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double, double) DiagonalOne<TUnits>(double[] x, int xOff, double[] W, int wOff, int b, double m0, double iu)
        where TUnits : struct, IColumnUnits
    {
        var w = Vector<double>.Count;
        if ((long)xOff + b > x.Length || (long)wOff + b > W.Length) throw new ArgumentOutOfRangeException(nameof(b));
        ref var X = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(x), xOff);
        ref var W0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(W), wOff);
        var scaled = TUnits.Scaled;
        var u = new Vector<double>(iu);
        var M0 = new Vector<double>(scaled ? m0 * iu : m0);
        var s00 = Vector<double>.Zero; var s01 = s00; var t00 = s00; var t01 = s00;
        var r = 0;
        if (Wide && b >= 8)
        {
            // as in the pair's kernel: the register's halves are the even and odd vectors of rows
            var u8 = Vector512.Create(iu);
            var N0 = Vector512.Create(M0.AsVector256(), M0.AsVector256());
            var S0 = Vector512<double>.Zero; var T0 = S0;
            for (; r + 8 <= b; r += 8)
            {
                var x8 = Vector512.LoadUnsafe(ref X, (nuint)r);
                (S0, T0) = WeightedSquares(x8, N0, Vector512.LoadUnsafe(ref W0, (nuint)r), scaled, u8, S0, T0);
            }
            s00 = S0.GetLower().AsVector(); s01 = S0.GetUpper().AsVector();
            t00 = T0.GetLower().AsVector(); t01 = T0.GetUpper().AsVector();
        }
        for (; r + 2 * w <= b; r += 2 * w)
        {
            var v = Deviation(Vector.LoadUnsafe(ref X, (nuint)r), M0, scaled, u);
            var p = v * Vector.LoadUnsafe(ref W0, (nuint)r);
            s00 = Vector.FusedMultiplyAdd(p, v, s00);
            t00 += p;
            v = Deviation(Vector.LoadUnsafe(ref X, (nuint)(r + w)), M0, scaled, u);
            p = v * Vector.LoadUnsafe(ref W0, (nuint)(r + w));
            s01 = Vector.FusedMultiplyAdd(p, v, s01);
            t01 += p;
        }
        if (r == b) return (Vector.Sum(s00 + s01), Vector.Sum(t00 + t01));
        // the rest as the pair's, with the component as its own partner (the partner's sums are dropped)
        var (q0, _, p0, _) = DiagonalPairRest<TUnits>(ref Unsafe.Add(ref X, r), ref Unsafe.Add(ref W0, r), ref Unsafe.Add(ref W0, r), b - r, M0, M0, u,
            s00, s01, s00, s01, t00, t01, t00, t01);
        return (q0, p0);
    }

    /// <summary>The last b &lt; 2 w rows of <see cref="DiagonalPair{TUnits}"/> onto its accumulators, and the lanes' sums.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (double, double, double, double) DiagonalPairRest<TUnits>(ref double X, ref double W0, ref double W1, int b, Vector<double> M0, Vector<double> M1,
        Vector<double> u, Vector<double> s00, Vector<double> s01, Vector<double> s10, Vector<double> s11,
        Vector<double> t00, Vector<double> t01, Vector<double> t10, Vector<double> t11)
        where TUnits : struct, IColumnUnits
    {
        var w = Vector<double>.Count;
        var scaled = TUnits.Scaled;
        var r = 0;
        // at most one whole vector (even, to s0) and one partial vector (to s0 or s1 by its parity) remain
        var odd = false;
        if (r + w <= b)
        {
            var x0 = Vector.LoadUnsafe(ref X, (nuint)r);
            var v0 = Deviation(x0, M0, scaled, u);
            var v1 = Deviation(x0, M1, scaled, u);
            var p0 = v0 * Vector.LoadUnsafe(ref W0, (nuint)r);
            var p1 = v1 * Vector.LoadUnsafe(ref W1, (nuint)r);
            s00 = Vector.FusedMultiplyAdd(p0, v0, s00);
            s10 = Vector.FusedMultiplyAdd(p1, v1, s10);
            t00 += p0; t10 += p1;
            r += w;
            odd = true;
        }
        if (r < b)
        {
            var rem = b - r;
            var mask = LaneMask(rem);
            var x0 = Tail(ref Unsafe.Add(ref X, r), rem);
            var v0 = Vector.ConditionalSelect(mask, Deviation(x0, M0, scaled, u), Vector<double>.Zero);
            var v1 = Vector.ConditionalSelect(mask, Deviation(x0, M1, scaled, u), Vector<double>.Zero);
            var p0 = v0 * Tail(ref Unsafe.Add(ref W0, r), rem);
            var p1 = v1 * Tail(ref Unsafe.Add(ref W1, r), rem);
            if (odd) { s01 = Vector.FusedMultiplyAdd(p0, v0, s01); s11 = Vector.FusedMultiplyAdd(p1, v1, s11); t01 += p0; t11 += p1; }
            else { s00 = Vector.FusedMultiplyAdd(p0, v0, s00); s10 = Vector.FusedMultiplyAdd(p1, v1, s10); t00 += p0; t10 += p1; }
        }
        return (Vector.Sum(s00 + s01), Vector.Sum(s10 + s11), Vector.Sum(t00 + t01), Vector.Sum(t10 + t11));
    }

    /// <summary>dv[o + r] = v_r = x_r - m (see <see cref="Deviation"/>) and dw[o + r] = v_r w_r for the b rows of a block,
    /// both 0 on the padding rows [b, bp); returns sum_r v_r w_r over the padded block, in two vector accumulators (even
    /// and odd vectors of rows) and the lanes' sum of their sum (as <see cref="WeightedDeviations"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Deviations(double[] x, int xOff, double[] W, int wOff, int b, int bp, double m, bool scaled, double iu, double[] dv, double[] dw, int o)
    {
        var w = Vector<double>.Count;
        if ((long)xOff + b > x.Length || (long)wOff + b > W.Length || o + bp > dv.Length || o + bp > dw.Length) throw new ArgumentOutOfRangeException(nameof(b));
        ref var X = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(x), xOff);
        ref var Wk = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(W), wOff);
        ref var V = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(dv), o);
        ref var P = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(dw), o);
        var u = new Vector<double>(iu);
        var M = new Vector<double>(scaled ? m * iu : m);
        var s0 = Vector<double>.Zero; var s1 = s0;
        var r = 0;
        var vi = 0;
        for (; r + w <= b; r += w, vi++)
        {
            var v = Deviation(Vector.LoadUnsafe(ref X, (nuint)r), M, scaled, u);
            v.StoreUnsafe(ref V, (nuint)r);
            var p = v * Vector.LoadUnsafe(ref Wk, (nuint)r);
            p.StoreUnsafe(ref P, (nuint)r);
            if ((vi & 1) == 0) s0 += p; else s1 += p;
        }
        if (r < bp)
        {
            var rem = b - r;
            var v = Vector.ConditionalSelect(LaneMask(rem), Deviation(Tail(ref Unsafe.Add(ref X, r), rem), M, scaled, u), Vector<double>.Zero);
            v.StoreUnsafe(ref V, (nuint)r);
            var p = v * Tail(ref Unsafe.Add(ref Wk, r), rem);
            p.StoreUnsafe(ref P, (nuint)r);
            if ((vi & 1) == 0) s0 += p; else s1 += p;
        }
        return Vector.Sum(s0 + s1);
    }

    /// <summary>
    /// P[o + a(a+1)/2 + c] += sum_r A[a][r] B[c][r] for c &lt;= a over bp rows (a multiple of the vector width): per entry,
    /// two vector accumulators (even and odd vectors of rows) and the lanes' sum of their sum. Pairs of rows (a, a + 1)
    /// against four columns at a time (eight accumulators per parity, each column vector read once for two rows), the
    /// rest entry by entry; every entry takes the same arithmetic either way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LowerProducts(double[] A, double[] B, int stride, int bp, int d, Span<double> P, int o)
    {
        var w = Vector<double>.Count;
        if ((long)d * stride > A.Length || (long)d * stride > B.Length || bp > stride) throw new ArgumentOutOfRangeException(nameof(d));
        ref var a0 = ref MemoryMarshal.GetArrayDataReference(A);
        ref var b0 = ref MemoryMarshal.GetArrayDataReference(B);
        Span<Vector<double>> even = stackalloc Vector<double>[8];
        var nv = bp / w;
        var a = 0;
        for (; a + 1 < d; a += 2)
        {
            var c = 0;
            for (; c + 3 <= a; c += 4)
            {
                ref var Ra = ref Unsafe.Add(ref a0, a * stride);
                ref var Rb = ref Unsafe.Add(ref a0, (a + 1) * stride);
                ref var C0 = ref Unsafe.Add(ref b0, c * stride);
                ref var C1 = ref Unsafe.Add(ref C0, stride);
                ref var C2 = ref Unsafe.Add(ref C1, stride);
                ref var C3 = ref Unsafe.Add(ref C2, stride);
                for (var parity = 0; parity < 2; parity++)
                {
                    var p0 = Vector<double>.Zero; var p1 = p0; var p2 = p0; var p3 = p0;
                    var q0 = p0; var q1 = p0; var q2 = p0; var q3 = p0;
                    for (var v = parity; v < nv; v += 2)
                    {
                        var ro = (nuint)(v * w);
                        var xa = Vector.LoadUnsafe(ref Ra, ro);
                        var xb = Vector.LoadUnsafe(ref Rb, ro);
                        var y = Vector.LoadUnsafe(ref C0, ro);
                        p0 = Vector.FusedMultiplyAdd(xa, y, p0);
                        q0 = Vector.FusedMultiplyAdd(xb, y, q0);
                        y = Vector.LoadUnsafe(ref C1, ro);
                        p1 = Vector.FusedMultiplyAdd(xa, y, p1);
                        q1 = Vector.FusedMultiplyAdd(xb, y, q1);
                        y = Vector.LoadUnsafe(ref C2, ro);
                        p2 = Vector.FusedMultiplyAdd(xa, y, p2);
                        q2 = Vector.FusedMultiplyAdd(xb, y, q2);
                        y = Vector.LoadUnsafe(ref C3, ro);
                        p3 = Vector.FusedMultiplyAdd(xa, y, p3);
                        q3 = Vector.FusedMultiplyAdd(xb, y, q3);
                    }
                    if (parity == 0)
                    {
                        even[0] = p0; even[1] = p1; even[2] = p2; even[3] = p3;
                        even[4] = q0; even[5] = q1; even[6] = q2; even[7] = q3;
                        continue;
                    }
                    var ia = o + a * (a + 1) / 2 + c;
                    var ib = o + (a + 1) * (a + 2) / 2 + c;
                    P[ia] += Vector.Sum(even[0] + p0);
                    P[ia + 1] += Vector.Sum(even[1] + p1);
                    P[ia + 2] += Vector.Sum(even[2] + p2);
                    P[ia + 3] += Vector.Sum(even[3] + p3);
                    P[ib] += Vector.Sum(even[4] + q0);
                    P[ib + 1] += Vector.Sum(even[5] + q1);
                    P[ib + 2] += Vector.Sum(even[6] + q2);
                    P[ib + 3] += Vector.Sum(even[7] + q3);
                }
            }
            for (var cc = c; cc <= a; cc++) P[o + a * (a + 1) / 2 + cc] += Product(ref a0, ref b0, a, cc, stride, nv);
            for (var cc = c; cc <= a + 1; cc++) P[o + (a + 1) * (a + 2) / 2 + cc] += Product(ref a0, ref b0, a + 1, cc, stride, nv);
        }
        for (; a < d; a++)
            for (var c = 0; c <= a; c++) P[o + a * (a + 1) / 2 + c] += Product(ref a0, ref b0, a, c, stride, nv);
    }

    /// <summary>The lanes' sum of s0 + s1, s0 = sum of A[a] B[c] over the even vectors of rows, s1 over the odd ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Product(ref double a0, ref double b0, int a, int c, int stride, int nv)
    {
        var w = Vector<double>.Count;
        ref var Ra = ref Unsafe.Add(ref a0, a * stride);
        ref var Rc = ref Unsafe.Add(ref b0, c * stride);
        var s0 = Vector<double>.Zero; var s1 = s0;
        var v = 0;
        for (; v + 1 < nv; v += 2)
        {
            s0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref Ra, (nuint)(v * w)), Vector.LoadUnsafe(ref Rc, (nuint)(v * w)), s0);
            s1 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref Ra, (nuint)((v + 1) * w)), Vector.LoadUnsafe(ref Rc, (nuint)((v + 1) * w)), s1);
        }
        if (v < nv) s0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref Ra, (nuint)(v * w)), Vector.LoadUnsafe(ref Rc, (nuint)(v * w)), s0);
        return Vector.Sum(s0 + s1);
    }

    /// <summary>dw[o + r] = (x_r - m) w_r for the b rows of a block, b a multiple of the vector width (ordinary columns);
    /// returns their sum, in two vector accumulators (even and odd vectors of rows) and the lanes' sum of their sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double WeightedDeviations(double[] x, int xOff, double[] W, int wOff, int b, double m, double[] dw, int o)
    {
        var w = Vector<double>.Count;
        if ((long)xOff + b > x.Length || (long)wOff + b > W.Length || o + b > dw.Length || b % w != 0) throw new ArgumentOutOfRangeException(nameof(b));
        ref var X = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(x), xOff);
        ref var Wk = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(W), wOff);
        ref var P = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(dw), o);
        var M = new Vector<double>(m);
        var s0 = Vector<double>.Zero; var s1 = s0;
        var r = 0;
        if (Wide)
        {
            // with AVX-512: the register's halves are s0 and s1 (the even and odd vectors of rows)
            var M8 = Vector512.Create(m);
            var S8 = Vector512<double>.Zero;
            for (; r + 8 <= b; r += 8)
            {
                var p8 = (Vector512.LoadUnsafe(ref X, (nuint)r) - M8) * Vector512.LoadUnsafe(ref Wk, (nuint)r);
                p8.StoreUnsafe(ref P, (nuint)r);
                S8 += p8;
            }
            s0 = S8.GetLower().AsVector();
            s1 = S8.GetUpper().AsVector();
        }
        for (; r + 2 * w <= b; r += 2 * w)
        {
            var p0 = (Vector.LoadUnsafe(ref X, (nuint)r) - M) * Vector.LoadUnsafe(ref Wk, (nuint)r);
            var p1 = (Vector.LoadUnsafe(ref X, (nuint)(r + w)) - M) * Vector.LoadUnsafe(ref Wk, (nuint)(r + w));
            p0.StoreUnsafe(ref P, (nuint)r);
            p1.StoreUnsafe(ref P, (nuint)(r + w));
            s0 += p0;
            s1 += p1;
        }
        if (r < b)
        {
            var p0 = (Vector.LoadUnsafe(ref X, (nuint)r) - M) * Vector.LoadUnsafe(ref Wk, (nuint)r);
            p0.StoreUnsafe(ref P, (nuint)r);
            s0 += p0;
        }
        return Vector.Sum(s0 + s1);
    }

    /// <summary>
    /// <see cref="LowerProducts"/> with B[c][r] = x[c n + xOff + r] - mu[muOff + c] formed in registers from the data (the
    /// same values as the stored deviations, without storing them), for a block of bp rows with no padding and ordinary
    /// columns, rows [<paramref name="aFrom"/>, <paramref name="aTo"/>) of A (aFrom even; A holds only those rows, row a
    /// at (a - aFrom) stride): P[o + a(a+1)/2 + c] += sum_r A[a][r] (x_rc - mu_c), per entry the same two
    /// accumulators and order whatever the tiling (the four-row stripes of <see cref="StripeWide4"/> give the same values).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LowerProductsCentred(double[] A, int stride, double[] x, int xOff, int n, double[] mu, int muOff, int bp, int d, Span<double> P, int o, int aFrom, int aTo)
    {
        if (aFrom % 2 != 0 || aFrom < 0 || aTo > d || aFrom > aTo) throw new ArgumentOutOfRangeException(nameof(aFrom));
        var w = Vector<double>.Count;
        if ((long)(aTo - aFrom) * stride > A.Length || bp > stride || (long)(d - 1) * n + xOff + bp > x.Length || muOff + d > mu.Length) throw new ArgumentOutOfRangeException(nameof(d));
        ref var a0 = ref MemoryMarshal.GetArrayDataReference(A);
        ref var x0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(x), xOff);
        ref var mu0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(mu), muOff);
        Span<Vector<double>> even = stackalloc Vector<double>[8];
        var nv = bp / w;
        var a = aFrom;
        for (; a + 1 < aTo; a += 2)
        {
            var c = 0;
            for (; c + 3 <= a; c += 4)
            {
                ref var Ra = ref Unsafe.Add(ref a0, (a - aFrom) * stride);
                ref var Rb = ref Unsafe.Add(ref a0, (a + 1 - aFrom) * stride);
                ref var C0 = ref Unsafe.Add(ref x0, c * n);
                ref var C1 = ref Unsafe.Add(ref C0, n);
                ref var C2 = ref Unsafe.Add(ref C1, n);
                ref var C3 = ref Unsafe.Add(ref C2, n);
                if (Wide)
                {
                    TileWide(ref Ra, ref Rb, ref C0, n, ref Unsafe.Add(ref mu0, c), nv, P, o + a * (a + 1) / 2 + c, o + (a + 1) * (a + 2) / 2 + c);
                    continue;
                }
                var m0 = new Vector<double>(Unsafe.Add(ref mu0, c));
                var m1 = new Vector<double>(Unsafe.Add(ref mu0, c + 1));
                var m2 = new Vector<double>(Unsafe.Add(ref mu0, c + 2));
                var m3 = new Vector<double>(Unsafe.Add(ref mu0, c + 3));
                for (var parity = 0; parity < 2; parity++)
                {
                    var p0 = Vector<double>.Zero; var p1 = p0; var p2 = p0; var p3 = p0;
                    var q0 = p0; var q1 = p0; var q2 = p0; var q3 = p0;
                    for (var v = parity; v < nv; v += 2)
                    {
                        var ro = (nuint)(v * w);
                        var xa = Vector.LoadUnsafe(ref Ra, ro);
                        var xb = Vector.LoadUnsafe(ref Rb, ro);
                        var y = Vector.LoadUnsafe(ref C0, ro) - m0;
                        p0 = Vector.FusedMultiplyAdd(xa, y, p0);
                        q0 = Vector.FusedMultiplyAdd(xb, y, q0);
                        y = Vector.LoadUnsafe(ref C1, ro) - m1;
                        p1 = Vector.FusedMultiplyAdd(xa, y, p1);
                        q1 = Vector.FusedMultiplyAdd(xb, y, q1);
                        y = Vector.LoadUnsafe(ref C2, ro) - m2;
                        p2 = Vector.FusedMultiplyAdd(xa, y, p2);
                        q2 = Vector.FusedMultiplyAdd(xb, y, q2);
                        y = Vector.LoadUnsafe(ref C3, ro) - m3;
                        p3 = Vector.FusedMultiplyAdd(xa, y, p3);
                        q3 = Vector.FusedMultiplyAdd(xb, y, q3);
                    }
                    if (parity == 0)
                    {
                        even[0] = p0; even[1] = p1; even[2] = p2; even[3] = p3;
                        even[4] = q0; even[5] = q1; even[6] = q2; even[7] = q3;
                        continue;
                    }
                    var ia = o + a * (a + 1) / 2 + c;
                    var ib = o + (a + 1) * (a + 2) / 2 + c;
                    P[ia] += Vector.Sum(even[0] + p0);
                    P[ia + 1] += Vector.Sum(even[1] + p1);
                    P[ia + 2] += Vector.Sum(even[2] + p2);
                    P[ia + 3] += Vector.Sum(even[3] + p3);
                    P[ib] += Vector.Sum(even[4] + q0);
                    P[ib + 1] += Vector.Sum(even[5] + q1);
                    P[ib + 2] += Vector.Sum(even[6] + q2);
                    P[ib + 3] += Vector.Sum(even[7] + q3);
                }
            }
            if (Wide)
                for (; c + 1 <= a; c += 2)
                    TileWide2(ref Unsafe.Add(ref a0, (a - aFrom) * stride), ref Unsafe.Add(ref a0, (a + 1 - aFrom) * stride), ref Unsafe.Add(ref x0, c * n), n,
                        ref Unsafe.Add(ref mu0, c), nv, P, o + a * (a + 1) / 2 + c, o + (a + 1) * (a + 2) / 2 + c);
            for (var cc = c; cc <= a; cc++) P[o + a * (a + 1) / 2 + cc] += ProductCentred(ref a0, ref x0, ref mu0, a - aFrom, cc, stride, n, nv);
            for (var cc = c; cc <= a + 1; cc++) P[o + (a + 1) * (a + 2) / 2 + cc] += ProductCentred(ref a0, ref x0, ref mu0, a + 1 - aFrom, cc, stride, n, nv);
        }
        for (; a < aTo; a++)
            for (var c = 0; c <= a; c++) P[o + a * (a + 1) / 2 + c] += ProductCentred(ref a0, ref x0, ref mu0, a - aFrom, c, stride, n, nv);
    }

    /// <summary>
    /// One tile of <see cref="LowerProductsCentred"/> with AVX-512: rows a and a + 1 of A against the four data columns
    /// from C0 (stride n) with their means at mu, both parities at once: a register's lower half is the four-lane code's
    /// even-vector accumulator, its upper half the odd one, each taking the same products in the same order; an odd last
    /// vector of rows goes to the lower halves. P[ia + t] and P[ib + t] get the lanes' sums as there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileWide(ref double Ra, ref double Rb, ref double C0, int n, ref double mu, int nv, Span<double> P, int ia, int ib)
    {
        ref var C1 = ref Unsafe.Add(ref C0, n);
        ref var C2 = ref Unsafe.Add(ref C1, n);
        ref var C3 = ref Unsafe.Add(ref C2, n);
        var m0 = Vector512.Create(mu);
        var m1 = Vector512.Create(Unsafe.Add(ref mu, 1));
        var m2 = Vector512.Create(Unsafe.Add(ref mu, 2));
        var m3 = Vector512.Create(Unsafe.Add(ref mu, 3));
        var p0 = Vector512<double>.Zero; var p1 = p0; var p2 = p0; var p3 = p0;
        var q0 = p0; var q1 = p0; var q2 = p0; var q3 = p0;
        var v = 0;
        for (; v + 1 < nv; v += 2)
        {
            var ro = (nuint)(v * 4);
            var xa = Vector512.LoadUnsafe(ref Ra, ro);
            var xb = Vector512.LoadUnsafe(ref Rb, ro);
            var y = Vector512.LoadUnsafe(ref C0, ro) - m0;
            p0 = Vector512.FusedMultiplyAdd(xa, y, p0);
            q0 = Vector512.FusedMultiplyAdd(xb, y, q0);
            y = Vector512.LoadUnsafe(ref C1, ro) - m1;
            p1 = Vector512.FusedMultiplyAdd(xa, y, p1);
            q1 = Vector512.FusedMultiplyAdd(xb, y, q1);
            y = Vector512.LoadUnsafe(ref C2, ro) - m2;
            p2 = Vector512.FusedMultiplyAdd(xa, y, p2);
            q2 = Vector512.FusedMultiplyAdd(xb, y, q2);
            y = Vector512.LoadUnsafe(ref C3, ro) - m3;
            p3 = Vector512.FusedMultiplyAdd(xa, y, p3);
            q3 = Vector512.FusedMultiplyAdd(xb, y, q3);
        }
        var e0 = p0.GetLower(); var e1 = p1.GetLower(); var e2 = p2.GetLower(); var e3 = p3.GetLower();
        var f0 = q0.GetLower(); var f1 = q1.GetLower(); var f2 = q2.GetLower(); var f3 = q3.GetLower();
        if (v < nv)
        {
            var ro = (nuint)(v * 4);
            var xa = Vector256.LoadUnsafe(ref Ra, ro);
            var xb = Vector256.LoadUnsafe(ref Rb, ro);
            var y = Vector256.LoadUnsafe(ref C0, ro) - m0.GetLower();
            e0 = Vector256.FusedMultiplyAdd(xa, y, e0);
            f0 = Vector256.FusedMultiplyAdd(xb, y, f0);
            y = Vector256.LoadUnsafe(ref C1, ro) - m1.GetLower();
            e1 = Vector256.FusedMultiplyAdd(xa, y, e1);
            f1 = Vector256.FusedMultiplyAdd(xb, y, f1);
            y = Vector256.LoadUnsafe(ref C2, ro) - m2.GetLower();
            e2 = Vector256.FusedMultiplyAdd(xa, y, e2);
            f2 = Vector256.FusedMultiplyAdd(xb, y, f2);
            y = Vector256.LoadUnsafe(ref C3, ro) - m3.GetLower();
            e3 = Vector256.FusedMultiplyAdd(xa, y, e3);
            f3 = Vector256.FusedMultiplyAdd(xb, y, f3);
        }
        P[ia] += Vector.Sum((e0 + p0.GetUpper()).AsVector());
        P[ia + 1] += Vector.Sum((e1 + p1.GetUpper()).AsVector());
        P[ia + 2] += Vector.Sum((e2 + p2.GetUpper()).AsVector());
        P[ia + 3] += Vector.Sum((e3 + p3.GetUpper()).AsVector());
        P[ib] += Vector.Sum((f0 + q0.GetUpper()).AsVector());
        P[ib + 1] += Vector.Sum((f1 + q1.GetUpper()).AsVector());
        P[ib + 2] += Vector.Sum((f2 + q2.GetUpper()).AsVector());
        P[ib + 3] += Vector.Sum((f3 + q3.GetUpper()).AsVector());
    }

    /// <summary>Dimensions 1 to 6 as a type, so that <see cref="SmallScatterWide{TDim}"/> is compiled once per d with
    /// its unused accumulators and branches folded away.</summary>
    private interface ISmallDim { static abstract int D { get; } }
    private struct Dim1 : ISmallDim { public static int D => 1; }
    private struct Dim2 : ISmallDim { public static int D => 2; }
    private struct Dim3 : ISmallDim { public static int D => 3; }
    private struct Dim4 : ISmallDim { public static int D => 4; }
    private struct Dim5 : ISmallDim { public static int D => 5; }
    private struct Dim6 : ISmallDim { public static int D => 6; }

    /// <summary><see cref="SmallScatterWide{TDim}"/> for d = 1 to 6; false (nothing done) for a larger d.</summary>
    private static bool SmallScatterWide(int d, double[] x, int n, int start, double[] W, int wOff, double[] mu, int muOff, int nv,
        Span<double> P, int o, double[] shift, int so) => d switch
    {
        1 => SmallScatterWide<Dim1>(x, n, start, W, wOff, mu, muOff, nv, P, o, shift, so),
        2 => SmallScatterWide<Dim2>(x, n, start, W, wOff, mu, muOff, nv, P, o, shift, so),
        3 => SmallScatterWide<Dim3>(x, n, start, W, wOff, mu, muOff, nv, P, o, shift, so),
        4 => SmallScatterWide<Dim4>(x, n, start, W, wOff, mu, muOff, nv, P, o, shift, so),
        5 => SmallScatterWide<Dim5>(x, n, start, W, wOff, mu, muOff, nv, P, o, shift, so),
        6 => SmallScatterWide<Dim6>(x, n, start, W, wOff, mu, muOff, nv, P, o, shift, so),
        _ => false,
    };

    /// <summary>
    /// One component's shift sums and scatter over a block of nv four-row vectors of ordinary columns, d at most 6, with
    /// AVX-512: per eight rows the d deviations x_c - mu_c and the weight are loaded once, and every p_a = (x_a - mu_a) w,
    /// T_a += p_a and S_ac = fma(p_a, x_c - mu_c, S_ac) is formed in registers. Each sum is the one
    /// <see cref="WeightedDeviations"/> and <see cref="LowerProductsCentred"/> form (the register's halves are their
    /// even and odd accumulators, an odd last vector goes to the lower halves), added to shift[so + a] and
    /// P[o + a(a+1)/2 + c] as theirs are: the same bits with about half the loads and arithmetic.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool SmallScatterWide<TDim>(double[] x, int n, int start, double[] W, int wOff, double[] mu, int muOff, int nv,
        Span<double> P, int o, double[] shift, int so) where TDim : struct, ISmallDim
    {
        var d = TDim.D;
        if ((long)(d - 1) * n + start + 4L * nv > x.Length || (long)wOff + 4L * nv > W.Length || muOff + d > mu.Length
            || so + d > shift.Length || o + d * (d + 1) / 2 > P.Length) throw new ArgumentOutOfRangeException(nameof(nv));
        ref var X = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(x), start);
        ref var Wk = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(W), wOff);
        ref var Mu = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(mu), muOff);
        var m0 = Vector512.Create(Mu);
        var m1 = d > 1 ? Vector512.Create(Unsafe.Add(ref Mu, 1)) : default;
        var m2 = d > 2 ? Vector512.Create(Unsafe.Add(ref Mu, 2)) : default;
        var m3 = d > 3 ? Vector512.Create(Unsafe.Add(ref Mu, 3)) : default;
        var m4 = d > 4 ? Vector512.Create(Unsafe.Add(ref Mu, 4)) : default;
        var m5 = d > 5 ? Vector512.Create(Unsafe.Add(ref Mu, 5)) : default;
        var T0 = Vector512<double>.Zero; var T1 = Vector512<double>.Zero; var T2 = Vector512<double>.Zero; var T3 = Vector512<double>.Zero; var T4 = Vector512<double>.Zero; var T5 = Vector512<double>.Zero;
        Vector512<double> A00 = default, A10 = default, A11 = default, A20 = default, A21 = default, A22 = default, A30 = default, A31 = default, A32 = default, A33 = default, A40 = default, A41 = default, A42 = default, A43 = default, A44 = default, A50 = default, A51 = default, A52 = default, A53 = default, A54 = default, A55 = default;
        var v = 0;
        for (; v + 1 < nv; v += 2)
        {
            var ro = (nuint)(v * 4);
            var w8 = Vector512.LoadUnsafe(ref Wk, ro);
            var y0 = Vector512.LoadUnsafe(ref X, ro) - m0;
            var y1 = d > 1 ? Vector512.LoadUnsafe(ref Unsafe.Add(ref X, (nint)1 * n), ro) - m1 : default;
            var y2 = d > 2 ? Vector512.LoadUnsafe(ref Unsafe.Add(ref X, (nint)2 * n), ro) - m2 : default;
            var y3 = d > 3 ? Vector512.LoadUnsafe(ref Unsafe.Add(ref X, (nint)3 * n), ro) - m3 : default;
            var y4 = d > 4 ? Vector512.LoadUnsafe(ref Unsafe.Add(ref X, (nint)4 * n), ro) - m4 : default;
            var y5 = d > 5 ? Vector512.LoadUnsafe(ref Unsafe.Add(ref X, (nint)5 * n), ro) - m5 : default;
            var p0 = y0 * w8;
            T0 += p0;
            A00 = Vector512.FusedMultiplyAdd(p0, y0, A00);
            if (d > 1)
            {
                var p1 = y1 * w8;
                T1 += p1;
                A10 = Vector512.FusedMultiplyAdd(p1, y0, A10);
                A11 = Vector512.FusedMultiplyAdd(p1, y1, A11);
            }
            if (d > 2)
            {
                var p2 = y2 * w8;
                T2 += p2;
                A20 = Vector512.FusedMultiplyAdd(p2, y0, A20);
                A21 = Vector512.FusedMultiplyAdd(p2, y1, A21);
                A22 = Vector512.FusedMultiplyAdd(p2, y2, A22);
            }
            if (d > 3)
            {
                var p3 = y3 * w8;
                T3 += p3;
                A30 = Vector512.FusedMultiplyAdd(p3, y0, A30);
                A31 = Vector512.FusedMultiplyAdd(p3, y1, A31);
                A32 = Vector512.FusedMultiplyAdd(p3, y2, A32);
                A33 = Vector512.FusedMultiplyAdd(p3, y3, A33);
            }
            if (d > 4)
            {
                var p4 = y4 * w8;
                T4 += p4;
                A40 = Vector512.FusedMultiplyAdd(p4, y0, A40);
                A41 = Vector512.FusedMultiplyAdd(p4, y1, A41);
                A42 = Vector512.FusedMultiplyAdd(p4, y2, A42);
                A43 = Vector512.FusedMultiplyAdd(p4, y3, A43);
                A44 = Vector512.FusedMultiplyAdd(p4, y4, A44);
            }
            if (d > 5)
            {
                var p5 = y5 * w8;
                T5 += p5;
                A50 = Vector512.FusedMultiplyAdd(p5, y0, A50);
                A51 = Vector512.FusedMultiplyAdd(p5, y1, A51);
                A52 = Vector512.FusedMultiplyAdd(p5, y2, A52);
                A53 = Vector512.FusedMultiplyAdd(p5, y3, A53);
                A54 = Vector512.FusedMultiplyAdd(p5, y4, A54);
                A55 = Vector512.FusedMultiplyAdd(p5, y5, A55);
            }
        }
        var t0 = T0.GetLower();
        var t1 = T1.GetLower();
        var t2 = T2.GetLower();
        var t3 = T3.GetLower();
        var t4 = T4.GetLower();
        var t5 = T5.GetLower();
        var l00 = A00.GetLower();
        var l10 = A10.GetLower();
        var l11 = A11.GetLower();
        var l20 = A20.GetLower();
        var l21 = A21.GetLower();
        var l22 = A22.GetLower();
        var l30 = A30.GetLower();
        var l31 = A31.GetLower();
        var l32 = A32.GetLower();
        var l33 = A33.GetLower();
        var l40 = A40.GetLower();
        var l41 = A41.GetLower();
        var l42 = A42.GetLower();
        var l43 = A43.GetLower();
        var l44 = A44.GetLower();
        var l50 = A50.GetLower();
        var l51 = A51.GetLower();
        var l52 = A52.GetLower();
        var l53 = A53.GetLower();
        var l54 = A54.GetLower();
        var l55 = A55.GetLower();
        if (v < nv)
        {
            var ro = (nuint)(v * 4);
            var w4 = Vector256.LoadUnsafe(ref Wk, ro);
            var z0 = Vector256.LoadUnsafe(ref X, ro) - m0.GetLower();
            var z1 = d > 1 ? Vector256.LoadUnsafe(ref Unsafe.Add(ref X, (nint)1 * n), ro) - m1.GetLower() : default;
            var z2 = d > 2 ? Vector256.LoadUnsafe(ref Unsafe.Add(ref X, (nint)2 * n), ro) - m2.GetLower() : default;
            var z3 = d > 3 ? Vector256.LoadUnsafe(ref Unsafe.Add(ref X, (nint)3 * n), ro) - m3.GetLower() : default;
            var z4 = d > 4 ? Vector256.LoadUnsafe(ref Unsafe.Add(ref X, (nint)4 * n), ro) - m4.GetLower() : default;
            var z5 = d > 5 ? Vector256.LoadUnsafe(ref Unsafe.Add(ref X, (nint)5 * n), ro) - m5.GetLower() : default;
            var q0 = z0 * w4;
            t0 += q0;
            l00 = Vector256.FusedMultiplyAdd(q0, z0, l00);
            if (d > 1)
            {
                var q1 = z1 * w4;
                t1 += q1;
                l10 = Vector256.FusedMultiplyAdd(q1, z0, l10);
                l11 = Vector256.FusedMultiplyAdd(q1, z1, l11);
            }
            if (d > 2)
            {
                var q2 = z2 * w4;
                t2 += q2;
                l20 = Vector256.FusedMultiplyAdd(q2, z0, l20);
                l21 = Vector256.FusedMultiplyAdd(q2, z1, l21);
                l22 = Vector256.FusedMultiplyAdd(q2, z2, l22);
            }
            if (d > 3)
            {
                var q3 = z3 * w4;
                t3 += q3;
                l30 = Vector256.FusedMultiplyAdd(q3, z0, l30);
                l31 = Vector256.FusedMultiplyAdd(q3, z1, l31);
                l32 = Vector256.FusedMultiplyAdd(q3, z2, l32);
                l33 = Vector256.FusedMultiplyAdd(q3, z3, l33);
            }
            if (d > 4)
            {
                var q4 = z4 * w4;
                t4 += q4;
                l40 = Vector256.FusedMultiplyAdd(q4, z0, l40);
                l41 = Vector256.FusedMultiplyAdd(q4, z1, l41);
                l42 = Vector256.FusedMultiplyAdd(q4, z2, l42);
                l43 = Vector256.FusedMultiplyAdd(q4, z3, l43);
                l44 = Vector256.FusedMultiplyAdd(q4, z4, l44);
            }
            if (d > 5)
            {
                var q5 = z5 * w4;
                t5 += q5;
                l50 = Vector256.FusedMultiplyAdd(q5, z0, l50);
                l51 = Vector256.FusedMultiplyAdd(q5, z1, l51);
                l52 = Vector256.FusedMultiplyAdd(q5, z2, l52);
                l53 = Vector256.FusedMultiplyAdd(q5, z3, l53);
                l54 = Vector256.FusedMultiplyAdd(q5, z4, l54);
                l55 = Vector256.FusedMultiplyAdd(q5, z5, l55);
            }
        }
        shift[so + 0] += Vector.Sum((t0 + T0.GetUpper()).AsVector());
        P[o + 0] += Vector.Sum((l00 + A00.GetUpper()).AsVector());
        if (d <= 1) return true;
        shift[so + 1] += Vector.Sum((t1 + T1.GetUpper()).AsVector());
        P[o + 1] += Vector.Sum((l10 + A10.GetUpper()).AsVector());
        P[o + 2] += Vector.Sum((l11 + A11.GetUpper()).AsVector());
        if (d <= 2) return true;
        shift[so + 2] += Vector.Sum((t2 + T2.GetUpper()).AsVector());
        P[o + 3] += Vector.Sum((l20 + A20.GetUpper()).AsVector());
        P[o + 4] += Vector.Sum((l21 + A21.GetUpper()).AsVector());
        P[o + 5] += Vector.Sum((l22 + A22.GetUpper()).AsVector());
        if (d <= 3) return true;
        shift[so + 3] += Vector.Sum((t3 + T3.GetUpper()).AsVector());
        P[o + 6] += Vector.Sum((l30 + A30.GetUpper()).AsVector());
        P[o + 7] += Vector.Sum((l31 + A31.GetUpper()).AsVector());
        P[o + 8] += Vector.Sum((l32 + A32.GetUpper()).AsVector());
        P[o + 9] += Vector.Sum((l33 + A33.GetUpper()).AsVector());
        if (d <= 4) return true;
        shift[so + 4] += Vector.Sum((t4 + T4.GetUpper()).AsVector());
        P[o + 10] += Vector.Sum((l40 + A40.GetUpper()).AsVector());
        P[o + 11] += Vector.Sum((l41 + A41.GetUpper()).AsVector());
        P[o + 12] += Vector.Sum((l42 + A42.GetUpper()).AsVector());
        P[o + 13] += Vector.Sum((l43 + A43.GetUpper()).AsVector());
        P[o + 14] += Vector.Sum((l44 + A44.GetUpper()).AsVector());
        if (d <= 5) return true;
        shift[so + 5] += Vector.Sum((t5 + T5.GetUpper()).AsVector());
        P[o + 15] += Vector.Sum((l50 + A50.GetUpper()).AsVector());
        P[o + 16] += Vector.Sum((l51 + A51.GetUpper()).AsVector());
        P[o + 17] += Vector.Sum((l52 + A52.GetUpper()).AsVector());
        P[o + 18] += Vector.Sum((l53 + A53.GetUpper()).AsVector());
        P[o + 19] += Vector.Sum((l54 + A54.GetUpper()).AsVector());
        P[o + 20] += Vector.Sum((l55 + A55.GetUpper()).AsVector());
        return true;
    }

    /// <summary><see cref="TileWide"/> for four rows a .. a + 3 of A against four data columns c .. c + 3 (c + 3 at most a):
    /// sixteen entries from four row and four column loads per eight rows, each entry's sum as the four-lane code forms it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileWide4(ref double R0, int stride, ref double C0, int n, ref double mu, int nv, Span<double> P, int o, int a, int c)
    {
        ref var R1 = ref Unsafe.Add(ref R0, stride);
        ref var R2 = ref Unsafe.Add(ref R1, stride);
        ref var R3 = ref Unsafe.Add(ref R2, stride);
        ref var C1 = ref Unsafe.Add(ref C0, n);
        ref var C2 = ref Unsafe.Add(ref C1, n);
        ref var C3 = ref Unsafe.Add(ref C2, n);
        var m0 = Vector512.Create(mu);
        var m1 = Vector512.Create(Unsafe.Add(ref mu, 1));
        var m2 = Vector512.Create(Unsafe.Add(ref mu, 2));
        var m3 = Vector512.Create(Unsafe.Add(ref mu, 3));
        Vector512<double> s00 = default, s01 = default, s02 = default, s03 = default, s10 = default, s11 = default, s12 = default, s13 = default, s20 = default, s21 = default, s22 = default, s23 = default, s30 = default, s31 = default, s32 = default, s33 = default;
        var v = 0;
        for (; v + 1 < nv; v += 2)
        {
            var ro = (nuint)(v * 4);
            var r0 = Vector512.LoadUnsafe(ref R0, ro);
            var r1 = Vector512.LoadUnsafe(ref R1, ro);
            var r2 = Vector512.LoadUnsafe(ref R2, ro);
            var r3 = Vector512.LoadUnsafe(ref R3, ro);
            var y0 = Vector512.LoadUnsafe(ref C0, ro) - m0;
            s00 = Vector512.FusedMultiplyAdd(r0, y0, s00);
            s10 = Vector512.FusedMultiplyAdd(r1, y0, s10);
            s20 = Vector512.FusedMultiplyAdd(r2, y0, s20);
            s30 = Vector512.FusedMultiplyAdd(r3, y0, s30);
            var y1 = Vector512.LoadUnsafe(ref C1, ro) - m1;
            s01 = Vector512.FusedMultiplyAdd(r0, y1, s01);
            s11 = Vector512.FusedMultiplyAdd(r1, y1, s11);
            s21 = Vector512.FusedMultiplyAdd(r2, y1, s21);
            s31 = Vector512.FusedMultiplyAdd(r3, y1, s31);
            var y2 = Vector512.LoadUnsafe(ref C2, ro) - m2;
            s02 = Vector512.FusedMultiplyAdd(r0, y2, s02);
            s12 = Vector512.FusedMultiplyAdd(r1, y2, s12);
            s22 = Vector512.FusedMultiplyAdd(r2, y2, s22);
            s32 = Vector512.FusedMultiplyAdd(r3, y2, s32);
            var y3 = Vector512.LoadUnsafe(ref C3, ro) - m3;
            s03 = Vector512.FusedMultiplyAdd(r0, y3, s03);
            s13 = Vector512.FusedMultiplyAdd(r1, y3, s13);
            s23 = Vector512.FusedMultiplyAdd(r2, y3, s23);
            s33 = Vector512.FusedMultiplyAdd(r3, y3, s33);
        }
        var e00 = s00.GetLower();
        var e01 = s01.GetLower();
        var e02 = s02.GetLower();
        var e03 = s03.GetLower();
        var e10 = s10.GetLower();
        var e11 = s11.GetLower();
        var e12 = s12.GetLower();
        var e13 = s13.GetLower();
        var e20 = s20.GetLower();
        var e21 = s21.GetLower();
        var e22 = s22.GetLower();
        var e23 = s23.GetLower();
        var e30 = s30.GetLower();
        var e31 = s31.GetLower();
        var e32 = s32.GetLower();
        var e33 = s33.GetLower();
        if (v < nv)
        {
            var ro = (nuint)(v * 4);
            var r0 = Vector256.LoadUnsafe(ref R0, ro);
            var r1 = Vector256.LoadUnsafe(ref R1, ro);
            var r2 = Vector256.LoadUnsafe(ref R2, ro);
            var r3 = Vector256.LoadUnsafe(ref R3, ro);
            var y0 = Vector256.LoadUnsafe(ref C0, ro) - m0.GetLower();
            e00 = Vector256.FusedMultiplyAdd(r0, y0, e00);
            e10 = Vector256.FusedMultiplyAdd(r1, y0, e10);
            e20 = Vector256.FusedMultiplyAdd(r2, y0, e20);
            e30 = Vector256.FusedMultiplyAdd(r3, y0, e30);
            var y1 = Vector256.LoadUnsafe(ref C1, ro) - m1.GetLower();
            e01 = Vector256.FusedMultiplyAdd(r0, y1, e01);
            e11 = Vector256.FusedMultiplyAdd(r1, y1, e11);
            e21 = Vector256.FusedMultiplyAdd(r2, y1, e21);
            e31 = Vector256.FusedMultiplyAdd(r3, y1, e31);
            var y2 = Vector256.LoadUnsafe(ref C2, ro) - m2.GetLower();
            e02 = Vector256.FusedMultiplyAdd(r0, y2, e02);
            e12 = Vector256.FusedMultiplyAdd(r1, y2, e12);
            e22 = Vector256.FusedMultiplyAdd(r2, y2, e22);
            e32 = Vector256.FusedMultiplyAdd(r3, y2, e32);
            var y3 = Vector256.LoadUnsafe(ref C3, ro) - m3.GetLower();
            e03 = Vector256.FusedMultiplyAdd(r0, y3, e03);
            e13 = Vector256.FusedMultiplyAdd(r1, y3, e13);
            e23 = Vector256.FusedMultiplyAdd(r2, y3, e23);
            e33 = Vector256.FusedMultiplyAdd(r3, y3, e33);
        }
        var i0 = o + (a + 0) * (a + 1) / 2 + c;
        P[i0 + 0] += Vector.Sum((e00 + s00.GetUpper()).AsVector());
        P[i0 + 1] += Vector.Sum((e01 + s01.GetUpper()).AsVector());
        P[i0 + 2] += Vector.Sum((e02 + s02.GetUpper()).AsVector());
        P[i0 + 3] += Vector.Sum((e03 + s03.GetUpper()).AsVector());
        var i1 = o + (a + 1) * (a + 2) / 2 + c;
        P[i1 + 0] += Vector.Sum((e10 + s10.GetUpper()).AsVector());
        P[i1 + 1] += Vector.Sum((e11 + s11.GetUpper()).AsVector());
        P[i1 + 2] += Vector.Sum((e12 + s12.GetUpper()).AsVector());
        P[i1 + 3] += Vector.Sum((e13 + s13.GetUpper()).AsVector());
        var i2 = o + (a + 2) * (a + 3) / 2 + c;
        P[i2 + 0] += Vector.Sum((e20 + s20.GetUpper()).AsVector());
        P[i2 + 1] += Vector.Sum((e21 + s21.GetUpper()).AsVector());
        P[i2 + 2] += Vector.Sum((e22 + s22.GetUpper()).AsVector());
        P[i2 + 3] += Vector.Sum((e23 + s23.GetUpper()).AsVector());
        var i3 = o + (a + 3) * (a + 4) / 2 + c;
        P[i3 + 0] += Vector.Sum((e30 + s30.GetUpper()).AsVector());
        P[i3 + 1] += Vector.Sum((e31 + s31.GetUpper()).AsVector());
        P[i3 + 2] += Vector.Sum((e32 + s32.GetUpper()).AsVector());
        P[i3 + 3] += Vector.Sum((e33 + s33.GetUpper()).AsVector());
    }

    /// <summary>Rows a .. a + 3 of the centred scatter of one block and component with AVX-512 (bp rows from xOff, a
    /// multiple of the vector width, ordinary columns, the component's weights at wOff and means at mu[muOff..]): the
    /// rows' triangle by <see cref="TriangleWide4Formed"/> (which leaves w (x - mu) of the four columns in dw's first four
    /// rows), then the four-by-four tiles left of it as <see cref="LowerProductsCentred"/> tiles them; returns the four
    /// columns' shift sums. Every entry and sum is <see cref="WeightedDeviations"/>' and <see cref="LowerProductsCentred"/>'s.</summary>
    private static (double, double, double, double) StripeWide4(double[] x, int n, int xOff, double[] W, int wOff, double[] mu, int muOff, int bp,
        double[] dw, int stride, Span<double> P, int o, int a)
    {
        if (!Wide || a % 4 != 0 || bp % Vector<double>.Count != 0 || bp > stride || (long)(a + 3) * n + xOff + bp > x.Length || (long)wOff + bp > W.Length
            || 3L * stride + bp > dw.Length || muOff + a + 4 > mu.Length || o + (a + 4) * (a + 5) / 2 > P.Length) throw new ArgumentOutOfRangeException(nameof(a));
        ref var x0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(x), xOff);
        ref var mu0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(mu), muOff);
        ref var A0 = ref MemoryMarshal.GetArrayDataReference(dw);
        var nv = bp / Vector<double>.Count;
        var sums = TriangleWide4Formed(ref Unsafe.Add(ref x0, (nint)a * n), n, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(W), wOff),
            ref Unsafe.Add(ref mu0, a), ref A0, stride, nv, P, o, a);
        for (var c = 0; c + 3 < a; c += 4)
            TileWide4(ref A0, stride, ref Unsafe.Add(ref x0, (nint)c * n), n, ref Unsafe.Add(ref mu0, c), nv, P, o, a, c);
        return sums;
    }

    /// <summary>The lower triangle of rows a .. a + 3 of A against data columns a .. a + 3 (ten entries) with AVX-512, the
    /// four rows of A formed in the kernel: A[i][r] = (x[a + i][r] - mu_i) w[r], stored to the scratch rows at
    /// <paramref name="A0"/> (for the stripe's other tiles) and summed as <see cref="WeightedDeviations"/> sums them
    /// (returned); each entry's sum as <see cref="TileWide4"/> forms it (a register's halves the even and odd vectors of
    /// rows, an odd last vector to the lower halves), so the same values as the pair kernels and
    /// <see cref="ProductCentred"/>, with ten independent sums in flight and one read of the four data columns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double, double, double, double) TriangleWide4Formed(ref double C0, int n, ref double Wk, ref double mu, ref double A0, int stride, int nv,
        Span<double> P, int o, int a)
    {
        ref var A1 = ref Unsafe.Add(ref A0, stride);
        ref var A2 = ref Unsafe.Add(ref A1, stride);
        ref var A3 = ref Unsafe.Add(ref A2, stride);
        ref var C1 = ref Unsafe.Add(ref C0, n);
        ref var C2 = ref Unsafe.Add(ref C1, n);
        ref var C3 = ref Unsafe.Add(ref C2, n);
        var m0 = Vector512.Create(mu);
        var m1 = Vector512.Create(Unsafe.Add(ref mu, 1));
        var m2 = Vector512.Create(Unsafe.Add(ref mu, 2));
        var m3 = Vector512.Create(Unsafe.Add(ref mu, 3));
        Vector512<double> s00 = default, s10 = default, s11 = default, s20 = default, s21 = default, s22 = default, s30 = default, s31 = default, s32 = default, s33 = default, t0 = default, t1 = default, t2 = default, t3 = default;
        var v = 0;
        for (; v + 1 < nv; v += 2)
        {
            var ro = (nuint)(v * 4);
            var w8 = Vector512.LoadUnsafe(ref Wk, ro);
            var y0 = Vector512.LoadUnsafe(ref C0, ro) - m0;
            var y1 = Vector512.LoadUnsafe(ref C1, ro) - m1;
            var y2 = Vector512.LoadUnsafe(ref C2, ro) - m2;
            var y3 = Vector512.LoadUnsafe(ref C3, ro) - m3;
            var r0 = y0 * w8;
            r0.StoreUnsafe(ref A0, ro);
            t0 += r0;
            var r1 = y1 * w8;
            r1.StoreUnsafe(ref A1, ro);
            t1 += r1;
            var r2 = y2 * w8;
            r2.StoreUnsafe(ref A2, ro);
            t2 += r2;
            var r3 = y3 * w8;
            r3.StoreUnsafe(ref A3, ro);
            t3 += r3;
            s00 = Vector512.FusedMultiplyAdd(r0, y0, s00);
            s10 = Vector512.FusedMultiplyAdd(r1, y0, s10);
            s20 = Vector512.FusedMultiplyAdd(r2, y0, s20);
            s30 = Vector512.FusedMultiplyAdd(r3, y0, s30);
            s11 = Vector512.FusedMultiplyAdd(r1, y1, s11);
            s21 = Vector512.FusedMultiplyAdd(r2, y1, s21);
            s31 = Vector512.FusedMultiplyAdd(r3, y1, s31);
            s22 = Vector512.FusedMultiplyAdd(r2, y2, s22);
            s32 = Vector512.FusedMultiplyAdd(r3, y2, s32);
            s33 = Vector512.FusedMultiplyAdd(r3, y3, s33);
        }
        var e00 = s00.GetLower();
        var e10 = s10.GetLower();
        var e11 = s11.GetLower();
        var e20 = s20.GetLower();
        var e21 = s21.GetLower();
        var e22 = s22.GetLower();
        var e30 = s30.GetLower();
        var e31 = s31.GetLower();
        var e32 = s32.GetLower();
        var e33 = s33.GetLower();
        var u0 = t0.GetLower();
        var u1 = t1.GetLower();
        var u2 = t2.GetLower();
        var u3 = t3.GetLower();
        if (v < nv)
        {
            var ro = (nuint)(v * 4);
            var w4 = Vector256.LoadUnsafe(ref Wk, ro);
            var y0 = Vector256.LoadUnsafe(ref C0, ro) - m0.GetLower();
            var y1 = Vector256.LoadUnsafe(ref C1, ro) - m1.GetLower();
            var y2 = Vector256.LoadUnsafe(ref C2, ro) - m2.GetLower();
            var y3 = Vector256.LoadUnsafe(ref C3, ro) - m3.GetLower();
            var r0 = y0 * w4;
            r0.StoreUnsafe(ref A0, ro);
            u0 += r0;
            var r1 = y1 * w4;
            r1.StoreUnsafe(ref A1, ro);
            u1 += r1;
            var r2 = y2 * w4;
            r2.StoreUnsafe(ref A2, ro);
            u2 += r2;
            var r3 = y3 * w4;
            r3.StoreUnsafe(ref A3, ro);
            u3 += r3;
            e00 = Vector256.FusedMultiplyAdd(r0, y0, e00);
            e10 = Vector256.FusedMultiplyAdd(r1, y0, e10);
            e20 = Vector256.FusedMultiplyAdd(r2, y0, e20);
            e30 = Vector256.FusedMultiplyAdd(r3, y0, e30);
            e11 = Vector256.FusedMultiplyAdd(r1, y1, e11);
            e21 = Vector256.FusedMultiplyAdd(r2, y1, e21);
            e31 = Vector256.FusedMultiplyAdd(r3, y1, e31);
            e22 = Vector256.FusedMultiplyAdd(r2, y2, e22);
            e32 = Vector256.FusedMultiplyAdd(r3, y2, e32);
            e33 = Vector256.FusedMultiplyAdd(r3, y3, e33);
        }
        var i0 = o + (a + 0) * (a + 1) / 2 + a;
        P[i0 + 0] += Vector.Sum((e00 + s00.GetUpper()).AsVector());
        var i1 = o + (a + 1) * (a + 2) / 2 + a;
        P[i1 + 0] += Vector.Sum((e10 + s10.GetUpper()).AsVector());
        P[i1 + 1] += Vector.Sum((e11 + s11.GetUpper()).AsVector());
        var i2 = o + (a + 2) * (a + 3) / 2 + a;
        P[i2 + 0] += Vector.Sum((e20 + s20.GetUpper()).AsVector());
        P[i2 + 1] += Vector.Sum((e21 + s21.GetUpper()).AsVector());
        P[i2 + 2] += Vector.Sum((e22 + s22.GetUpper()).AsVector());
        var i3 = o + (a + 3) * (a + 4) / 2 + a;
        P[i3 + 0] += Vector.Sum((e30 + s30.GetUpper()).AsVector());
        P[i3 + 1] += Vector.Sum((e31 + s31.GetUpper()).AsVector());
        P[i3 + 2] += Vector.Sum((e32 + s32.GetUpper()).AsVector());
        P[i3 + 3] += Vector.Sum((e33 + s33.GetUpper()).AsVector());
        return (Vector.Sum((u0 + t0.GetUpper()).AsVector()), Vector.Sum((u1 + t1.GetUpper()).AsVector()), Vector.Sum((u2 + t2.GetUpper()).AsVector()), Vector.Sum((u3 + t3.GetUpper()).AsVector()));
    }

    /// <summary><see cref="TileWide"/> for two data columns (the entries left of the four-column tiles, two at a time).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileWide2(ref double Ra, ref double Rb, ref double C0, int n, ref double mu, int nv, Span<double> P, int ia, int ib)
    {
        ref var C1 = ref Unsafe.Add(ref C0, n);
        var m0 = Vector512.Create(mu);
        var m1 = Vector512.Create(Unsafe.Add(ref mu, 1));
        var p0 = Vector512<double>.Zero; var p1 = p0; var q0 = p0; var q1 = p0;
        var v = 0;
        for (; v + 1 < nv; v += 2)
        {
            var ro = (nuint)(v * 4);
            var xa = Vector512.LoadUnsafe(ref Ra, ro);
            var xb = Vector512.LoadUnsafe(ref Rb, ro);
            var y = Vector512.LoadUnsafe(ref C0, ro) - m0;
            p0 = Vector512.FusedMultiplyAdd(xa, y, p0);
            q0 = Vector512.FusedMultiplyAdd(xb, y, q0);
            y = Vector512.LoadUnsafe(ref C1, ro) - m1;
            p1 = Vector512.FusedMultiplyAdd(xa, y, p1);
            q1 = Vector512.FusedMultiplyAdd(xb, y, q1);
        }
        var e0 = p0.GetLower(); var e1 = p1.GetLower();
        var f0 = q0.GetLower(); var f1 = q1.GetLower();
        if (v < nv)
        {
            var ro = (nuint)(v * 4);
            var xa = Vector256.LoadUnsafe(ref Ra, ro);
            var xb = Vector256.LoadUnsafe(ref Rb, ro);
            var y = Vector256.LoadUnsafe(ref C0, ro) - m0.GetLower();
            e0 = Vector256.FusedMultiplyAdd(xa, y, e0);
            f0 = Vector256.FusedMultiplyAdd(xb, y, f0);
            y = Vector256.LoadUnsafe(ref C1, ro) - m1.GetLower();
            e1 = Vector256.FusedMultiplyAdd(xa, y, e1);
            f1 = Vector256.FusedMultiplyAdd(xb, y, f1);
        }
        P[ia] += Vector.Sum((e0 + p0.GetUpper()).AsVector());
        P[ia + 1] += Vector.Sum((e1 + p1.GetUpper()).AsVector());
        P[ib] += Vector.Sum((f0 + q0.GetUpper()).AsVector());
        P[ib + 1] += Vector.Sum((f1 + q1.GetUpper()).AsVector());
    }

    /// <summary><see cref="Product"/> with the column's deviations formed from the data (see <see cref="LowerProductsCentred"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ProductCentred(ref double a0, ref double x0, ref double mu0, int a, int c, int stride, int n, int nv)
    {
        var w = Vector<double>.Count;
        ref var Ra = ref Unsafe.Add(ref a0, a * stride);
        ref var Rc = ref Unsafe.Add(ref x0, c * n);
        var m = new Vector<double>(Unsafe.Add(ref mu0, c));
        var s0 = Vector<double>.Zero; var s1 = s0;
        var v = 0;
        if (Wide)
        {
            // with AVX-512: a register's halves are s0 and s1 (vectors v and v + 1 of rows)
            var m8 = Vector512.Create(Unsafe.Add(ref mu0, c));
            var s8 = Vector512<double>.Zero;
            for (; v + 1 < nv; v += 2)
                s8 = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Ra, (nuint)(v * w)), Vector512.LoadUnsafe(ref Rc, (nuint)(v * w)) - m8, s8);
            s0 = s8.GetLower().AsVector();
            s1 = s8.GetUpper().AsVector();
        }
        for (; v + 1 < nv; v += 2)
        {
            s0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref Ra, (nuint)(v * w)), Vector.LoadUnsafe(ref Rc, (nuint)(v * w)) - m, s0);
            s1 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref Ra, (nuint)((v + 1) * w)), Vector.LoadUnsafe(ref Rc, (nuint)((v + 1) * w)) - m, s1);
        }
        if (v < nv) s0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref Ra, (nuint)(v * w)), Vector.LoadUnsafe(ref Rc, (nuint)(v * w)) - m, s0);
        return Vector.Sum(s0 + s1);
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
