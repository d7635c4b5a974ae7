using System.Collections.Immutable;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Em;

/// <summary>
/// The generic EM loop: an E-step in log space shared by every family and an M-step that is the
/// family's weighted fit plus the closed-form mixing weights.
/// </summary>
public static class EmLoop
{
    private const int Chunk = 4096;

    /// <summary>
    /// Exponents below -700 are raised to -700 before exp: exp(-700) = 1e-304 is still a normal double
    /// and adds nothing to a row sum whose largest term is 1, so log L is unchanged and a responsibility
    /// changes by less than 1e-303 in absolute value, while exp avoids its slow subnormal path
    /// (far-apart components produce exponents of -1000 and below).
    /// </summary>
    public const double ExpFloor = -700.0;

    /// <summary>
    /// E-step. With L the n x K log-densities and log pi the log weights,
    /// log W[i,k] = log pi_k + L[i,k] - logsumexp_j(log pi_j + L[i,j]) and
    /// log L = sum_i logsumexp_j(log pi_j + L[i,j]).
    /// </summary>
    /// <returns>The n x K responsibilities (rows sum to one) and the log-likelihood.</returns>
    /// <remarks>scikit-learn's <c>_estimate_log_prob_resp</c>. Rows are processed in fixed chunks and
    /// the chunk sums added in chunk order, so the result does not depend on the thread count.</remarks>
    public static (Matrix<double> W, double LogLikelihood) EStep(Matrix<double> logDensities, double[] logPi) =>
        EStep(logDensities, logPi, null);

    /// <summary>The E-step with observation weights: W as without them, and the weighted
    /// log L = sum_i w_i logsumexp_j(log pi_j + L[i,j]) (null weights: every w_i = 1).</summary>
    public static (Matrix<double> W, double LogLikelihood) EStep(Matrix<double> logDensities, double[] logPi, ObservationWeights? weights)
    {
        var n = logDensities.RowCount;
        var K = logDensities.ColumnCount;
        if (weights is not null && weights.Count != n) throw new ArgumentException($"{weights.Count} observation weights for {n} rows");
        var L = logDensities.AsColumnMajorArray() ?? logDensities.ToColumnMajorArray();
        var w = new double[n * K];
        var logL = EStepInto(L, logPi, n, K, w, null, out _, weights?.Active);
        return (Matrix<double>.Build.Dense(n, K, w), logL);
    }

    /// <summary>The E-step on column-major buffers: reads L (n K), writes W (n K), returns log L.</summary>
    public static double EStepInto(double[] L, double[] logPi, int n, int K, double[] w) =>
        EStepInto(L, logPi, n, K, w, null, out _);

    /// <summary>The E-step on column-major buffers with observation weights <paramref name="unitWeights"/> (n values, or
    /// null for all 1): returns the weighted log L = sum_i w_i logsumexp_j(log pi_j + L[i,j]), a row of weight 0
    /// contributing nothing (even with zero density).</summary>
    public static double EStepInto(double[] L, double[] logPi, int n, int K, double[] w, double[]? unitWeights) =>
        EStepInto(L, logPi, n, K, w, null, out _, unitWeights);

    /// <summary>
    /// The E-step on column-major buffers that also returns max_{i,k} |W[i,k] - Wprev[i,k]| (the
    /// convergence measure), computed chunk by chunk while W is in cache; 0 when
    /// <paramref name="wPrev"/> is null. <paramref name="wPrev"/> must not be <paramref name="w"/>.
    /// </summary>
    /// <remarks><paramref name="logPi"/> holds K log weights shared by every row, or n K per-row log prior
    /// probabilities (column-major), as <see cref="IWeightModel.LogPrior"/> returns them.</remarks>
    public static double EStepInto(double[] L, double[] logPi, int n, int K, double[] w, double[]? wPrev, out double maxChange) =>
        EStepInto(L, logPi, n, K, w, wPrev, out maxChange, null);

    /// <summary><see cref="EStepInto(double[], double[], int, int, double[], double[], out double)"/> with observation weights
    /// (n values, or null for all 1): the log-likelihood is sum_i w_i logsumexp_j(log pi_j + L[i,j]); W is unchanged.</summary>
    public static double EStepInto(double[] L, double[] logPi, int n, int K, double[] w, double[]? wPrev, out double maxChange, double[]? unitWeights) =>
        EStepInto(L, logPi, n, K, w, wPrev, out maxChange, unitWeights, 0.0);

    /// <summary>The E-step whose log L is <paramref name="logLStart"/> plus the chunks' partials added to it in chunk order:
    /// from 0 the E-step itself; over consecutive row blocks whose sizes are multiples of the 4096-row chunk, fed in order
    /// with the running total, the whole data's log L bit for bit (streaming EM).</summary>
    internal static double EStepInto(double[] L, double[] logPi, int n, int K, double[] w, double[]? wPrev, out double maxChange, double[]? unitWeights,
        double logLStart)
    {
        if (unitWeights is not null && unitWeights.Length != n) throw new ArgumentException($"{unitWeights.Length} observation weights for {n} rows");
        var perRow = logPi.Length == n * K && logPi.Length != K;
        if (logPi.Length != K && !perRow) throw new ArgumentException($"{logPi.Length} log weights for {K} components and {n} rows");
        var chunks = (n + Chunk - 1) / Chunk;
        var partial = new double[chunks];
        var change = new double[chunks];
        void Rows(int c)
        {
            if (K <= FusedMaxK) { partial[c] = FusedRows(L, logPi, perRow, n, K, w, wPrev, c * Chunk, Math.Min(n, (c + 1) * Chunk) - c * Chunk, out change[c], unitWeights); return; }
            // Column-wise over a chunk of rows (contiguous in the column-major buffers), with the
            // vectorised exp and log of System.Numerics.Tensors. L and w may be the same buffer: each
            // column is read only before it is overwritten in place.
            var start = c * Chunk;
            var len = Math.Min(n, start + Chunk) - start;
            // Chunk-sized scratch on the stack (2 x 32 KiB at most): no allocation per chunk.
            Span<double> m = stackalloc double[len];
            Span<double> z = stackalloc double[len];
            m.Fill(double.NegativeInfinity);
            z.Clear();
            for (var k = 0; k < K; k++)
            {
                // dst = log pi_k + L[.,k]; when w and L are one buffer this overwrites column k of L,
                // which is needed from here on only in that form.
                var dst = w.AsSpan(k * n + start, len);
                if (perRow) TensorPrimitives.Add(L.AsSpan(k * n + start, len), logPi.AsSpan(k * n + start, len), dst);
                else TensorPrimitives.Add(L.AsSpan(k * n + start, len), logPi[k], dst);
                TensorPrimitives.Max(m, dst, m);
            }
            for (var k = 0; k < K; k++)
            {
                var dst = w.AsSpan(k * n + start, len);
                TensorPrimitives.Subtract(dst, m, dst);
                TensorPrimitives.Max(dst, ExpFloor, dst);
                TensorPrimitives.Exp(dst, dst);
                TensorPrimitives.Add(z, dst, z);
            }
            for (var k = 0; k < K; k++)
            {
                var dst = w.AsSpan(k * n + start, len);
                TensorPrimitives.Divide(dst, z, dst);
            }
            double sum;
            if (unitWeights is not null)
            {
                // weighted: sum_i w_i (m_i + log z_i), a row of weight 0 left out (its W is still set)
                var any = TensorPrimitives.Min(m) == double.NegativeInfinity;
                if (any)
                    for (var i = 0; i < len; i++)
                        if (double.IsNegativeInfinity(m[i]))
                            for (var k = 0; k < K; k++) w[k * n + start + i] = 1.0 / K;
                TensorPrimitives.Log(z, z);
                sum = 0.0;
                for (var i = 0; i < len; i++)
                {
                    var wi = unitWeights[start + i];
                    if (wi == 0) continue;
                    sum += double.IsNegativeInfinity(m[i]) ? double.NegativeInfinity : wi * (m[i] + z[i]);
                }
            }
            else if (TensorPrimitives.Min(m) == double.NegativeInfinity)
            {
                // a row where every component has zero density carries no information: W = 1/K, log L = -inf
                sum = double.NegativeInfinity;
                for (var i = 0; i < len; i++)
                    if (double.IsNegativeInfinity(m[i]))
                        for (var k = 0; k < K; k++) w[k * n + start + i] = 1.0 / K;
            }
            else
            {
                TensorPrimitives.Log(z, z);
                sum = TensorPrimitives.Sum(m) + TensorPrimitives.Sum(z);
            }
            partial[c] = sum;
            if (wPrev is not null)
            {
                var d = 0.0;
                for (var k = 0; k < K; k++)
                {
                    TensorPrimitives.Subtract(w.AsSpan(k * n + start, len), wPrev.AsSpan(k * n + start, len), z);
                    d = Math.Max(d, Math.Abs(TensorPrimitives.MaxMagnitude(z)));
                }
                change[c] = d;
            }
        }
        Parallelism.ForChunks(chunks, Rows);
        return ChunkSums.LogLikelihood(logLStart, partial, change, out maxChange);
    }

    /// <summary>Mixtures of at most this many components take the fused E-step (<see cref="FusedRows(double[], double[], bool, int, int, double[], double[], int, int, out double, double[])"/>).</summary>
    internal const int FusedMaxK = 16;

    /// <summary>The E-step of rows [start, start + len) of one chunk as <see cref="EStepInto(double[], double[], int, int, double[], double[], out double)"/>
    /// computes it (K at most <see cref="FusedMaxK"/>, K log weights), from the log-densities of row i, component k at
    /// L[k <paramref name="lStride"/> + i - <paramref name="lRowBase"/>]: W into <paramref name="w"/>, the chunk's log L
    /// returned and its max |W - Wprev| (0 without <paramref name="wPrev"/>). L may be w (the n x K layout: lStride = n,
    /// lRowBase = 0), or a chunk's own buffer, and then wPrev may be w (each old value is read before its new one is
    /// written: one n x K buffer per run instead of two). For a family's sweep that does a chunk's log-densities, E-step
    /// and M-step sums while the chunk is in cache; the same numbers as the E-step over the whole buffer.</summary>
    internal static double EStepChunk(double[] L, int lStride, int lRowBase, double[] logPi, int n, int K, double[] w, double[]? wPrev, int start,
        int len, out double maxChange)
    {
        if (K > FusedMaxK || logPi.Length != K)
            throw new ArgumentException($"a chunk E-step takes K <= {FusedMaxK} and K log weights (K = {K}, {logPi.Length} log weights)");
        var totals = default(RowTotals);
        FusedRowsInto(L, lStride, lRowBase, logPi, false, n, K, w, wPrev, start, len, null, true, ref totals);
        return totals.Finish(false, out maxChange);
    }

    /// <summary>
    /// The E-step of rows [start, start + len) in blocks of <see cref="ExpBlock"/> rows: for each block, the K values
    /// log pi_k + L[i,k] are read once, their maximum m_i and the exponent arguments formed, the block's exponentials
    /// taken in one call, and their sums z_i and the responsibilities computed before the next block (one pass over the
    /// buffers instead of one per operation). log L = sum_i m_i + sum_i log z_i, the second sum taken as each lane's log
    /// of the product of z over <see cref="LogGroups"/> rows. The last rows are padded to four, so every row takes the
    /// same arithmetic; the lanes' sums are added in a fixed order, so the result depends only on the chunk. The rule for
    /// a row where every component has zero density is the column-wise path's (W = 1/K, log L = -inf), and so is the
    /// weighted sum with observation weights (sum_i w_i (m_i + log z_i), rows of weight 0 left out). L and w may be the
    /// same buffer.
    /// </summary>
    private static double FusedRows(double[] L, double[] logPi, bool perRow, int n, int K, double[] w, double[]? wPrev, int start, int len, out double maxChange,
        double[]? unitWeights = null) =>
        FusedRows(L, logPi, perRow, n, K, w, wPrev, start, len, out maxChange, unitWeights, wide: true);

    /// <summary><see cref="FusedRows(double[], double[], bool, int, int, double[], double[], int, int, out double, double[])"/>,
    /// with <paramref name="wide"/> the arguments, responsibilities and sums eight rows at a time in Vector512 values while
    /// eight rows remain, the rest four at a time. The values are the same bit for bit either way: those steps work lane
    /// by lane, the exponentials are one call either way, the maximum change is a maximum, and the two halves of an
    /// eight-row group are added to the four-lane sums one after the other, as two four-row groups are
    /// (tests/Em/WideEStepTests.cs).</summary>
    internal static double FusedRows(double[] L, double[] logPi, bool perRow, int n, int K, double[] w, double[]? wPrev, int start, int len, out double maxChange,
        double[]? unitWeights, bool wide)
    {
        var totals = default(RowTotals);
        FusedRowsInto(L, logPi, perRow, n, K, w, wPrev, start, len, unitWeights, wide, ref totals);
        return totals.Finish(unitWeights is not null, out maxChange);
    }

    /// <summary>
    /// The running totals of <see cref="FusedRows(double[], double[], bool, int, int, double[], double[], int, int, out double, double[], bool)"/>:
    /// the four-lane sums of m and log z, the lanes' maximum change, whether a row had zero density, and the weighted sum.
    /// Rows fed to <see cref="FusedRowsInto(double[], double[], bool, int, int, double[], double[], int, int, double[], bool, ref Mixtures.Domain.Em.EmLoop.RowTotals)"/> in consecutive ranges whose lengths are multiples of 8 (the last one any
    /// length) leave the same totals as the whole range in one call: the eight-row groups fall on the same rows and their
    /// halves are added in the same order, and the rows after the last whole group are the last range's.
    /// </summary>
    internal struct RowTotals
    {
        internal Vector256<double> SumM, SumLogZ, Change;
        /// <summary>Each lane's product of z over the last <see cref="Groups"/> four-row groups (1 when Groups = 0).</summary>
        internal Vector256<double> ProdZ;
        internal int Groups;
        internal bool Dead;
        internal double Weighted;

        /// <summary>The log L of the rows fed so far (the lanes' sums added in a fixed order) and their max |W - Wprev|.</summary>
        internal readonly double Finish(bool weighted, out double maxChange)
        {
            var c = Change;
            maxChange = Math.Max(Math.Max(c[0], c[1]), Math.Max(c[2], c[3]));
            if (Dead) return double.NegativeInfinity;
            if (weighted) return Weighted;
            var m = SumM;
            var z = Groups > 0 ? SumLogZ + Vector256.Log(ProdZ) : SumLogZ;
            return ((m[0] + m[1]) + (m[2] + m[3])) + ((z[0] + z[1]) + (z[2] + z[3]));
        }
    }

    /// <summary>The four-row groups whose z a lane multiplies before one log (<see cref="FusedRowsInto(double[], double[], bool, int, int, double[], double[], int, int, double[], bool, ref Mixtures.Domain.Em.EmLoop.RowTotals)"/>): each z lies in
    /// [1, K] (the largest term is exp(0) = 1), so a product of 32 stays below 16^32 = 2^128 for K &lt;= 16.</summary>
    internal const int LogGroups = 32;

    /// <summary>Rows per block of <see cref="FusedRowsInto(double[], double[], bool, int, int, double[], double[], int, int, double[], bool, ref Mixtures.Domain.Em.EmLoop.RowTotals)"/>: a block's K x 128 exponent arguments (16 KB at K = 16) stay in L1.</summary>
    internal const int ExpBlock = 128;

    /// <summary>The fused E-step of rows [start, start + len) (see <see cref="FusedRows(double[], double[], bool, int, int, double[], double[], int, int, out double, double[], bool)"/>),
    /// its sums added to <paramref name="totals"/>.</summary>
    /// <remarks>
    /// Block by block of <see cref="ExpBlock"/> rows: (a) the K values log pi_k + L[i,k], their maximum m_i and the exponent
    /// arguments max(log pi_k + L[i,k] - m_i, -700) into a block buffer, one component after another; (b) all of the block's
    /// exponentials in one TensorPrimitives.Exp call (<see cref="AlignedExp"/>: at the stack alignment under which it runs
    /// fast; its results are the same at every vector width, tests/Em/WideEStepTests.cs); (c) z_i, the responsibilities,
    /// the change and the sums. (a) and (c) are methods without calls, so that their vectors stay in registers (with a
    /// Vector512.Exp call per vector inside the loop, the JIT spilled them around each call). Steps (a) and (c) work lane
    /// by lane, so their width (<paramref name="wide"/>: eight rows a vector, else four) does not change a bit; the
    /// four-lane sums take the two halves of an eight-row group one after the other. Rows past the end of a four-row group
    /// are padded with zeros (exponent arguments 0) and add nothing.
    /// </remarks>
    internal static void FusedRowsInto(double[] L, double[] logPi, bool perRow, int n, int K, double[] w, double[]? wPrev, int start, int len,
        double[]? unitWeights, bool wide, ref RowTotals totals) =>
        FusedRowsInto(L, n, 0, logPi, perRow, n, K, w, wPrev, start, len, unitWeights, wide, ref totals);

    /// <summary><see cref="FusedRowsInto(double[], double[], bool, int, int, double[], double[], int, int, double[], bool, ref RowTotals)"/>
    /// with the log-densities of row i, component k at L[k <paramref name="lStride"/> + i - <paramref name="lRowBase"/>]
    /// (a chunk's own buffer) instead of the n x K layout; <paramref name="wPrev"/> may then be <paramref name="w"/> (each
    /// old value is read before the new one is written).</summary>
    internal static void FusedRowsInto(double[] L, int lStride, int lRowBase, double[] logPi, bool perRow, int n, int K, double[] w, double[]? wPrev,
        int start, int len, double[]? unitWeights, bool wide, ref RowTotals totals)
    {
        // the block buffers on 64-byte boundaries (a cache line), so that no eight-value load or store of them spans two
        // lines: the stack's alignment changes from process to process
        var e = Aligned(stackalloc double[K * ExpBlock + AlignPad], K * ExpBlock);
        var ms = Aligned(stackalloc double[ExpBlock + AlignPad], ExpBlock);
        var zs = unitWeights is null ? Span<double>.Empty : Aligned(stackalloc double[ExpBlock + AlignPad], ExpBlock);
        // the lanes' products completed in a block, whose logs are added after the block (in the order they completed,
        // so the sum is the same as at once)
        Span<Vector256<double>> pending = stackalloc Vector256<double>[ExpBlock / (4 * LogGroups) + 2];
        if (totals.Groups == 0) totals.ProdZ = Vector256<double>.One;
        for (var b0 = 0; b0 < len; b0 += ExpBlock)
        {
            var rows = Math.Min(ExpBlock, len - b0);
            var padded = (rows + 3) & ~3;
            var row0 = start + b0;
            ExponentArguments(L, lStride, row0 - lRowBase, logPi, perRow, n, K, row0, rows, padded, wide, e, ms);
            if (padded == ExpBlock) AlignedExp.Exp(e);
            else
                for (var k = 0; k < K; k++) AlignedExp.Exp(e.Slice(k * ExpBlock, padded));
            var done = Responsibilities(e, ms, K, n, row0, rows, padded, w, wPrev, wide, zs, pending, ref totals);
            for (var j = 0; j < done; j++) totals.SumLogZ += Vector256.Log(pending[j]);
            if (unitWeights is not null)
            {
                // with observation weights, row by row: sum_i w_i (m_i + log z_i), rows of weight 0 left out
                var logZ = zs[..padded];
                TensorPrimitives.Log(logZ, logZ);
                for (var r = 0; r < rows; r++)
                {
                    var wi = unitWeights[row0 + r];
                    if (wi == 0) continue;
                    if (double.IsNegativeInfinity(ms[r])) totals.Dead = true;
                    else totals.Weighted += wi * (ms[r] + logZ[r]);
                }
            }
        }
    }

    /// <summary>Doubles more than a buffer needs, so that <see cref="Aligned"/> can start it on a 64-byte boundary.</summary>
    private const int AlignPad = 8;

    /// <summary>The <paramref name="length"/> values of <paramref name="raw"/> (on the stack, <see cref="AlignPad"/> more
    /// than that) that start on a 64-byte boundary.</summary>
    private static unsafe Span<double> Aligned(Span<double> raw, int length)
    {
        var address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(raw));
        var skip = (int)((64 - (address & 63)) & 63) / sizeof(double);
        return raw.Slice(skip, length);
    }

    /// <summary>Step (a) of <see cref="FusedRowsInto(double[], double[], bool, int, int, double[], double[], int, int, double[], bool, ref Mixtures.Domain.Em.EmLoop.RowTotals)"/> for rows row0 .. row0 + rows: the maxima m_i into
    /// <paramref name="ms"/> and the exponent arguments max(log pi_k + L[i,k] - m_i, -700) into component k's
    /// <see cref="ExpBlock"/> entries of <paramref name="e"/>, rows past <paramref name="rows"/> up to
    /// <paramref name="padded"/> taken as zeros. A row with zero density everywhere (m = -inf) takes its arguments at
    /// m = 0, so that none is NaN (-inf - -inf). Its own method, without calls, so that its values stay in registers.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ExponentArguments(double[] L, int lStride, int lRow0, double[] logPi, bool perRow, int n, int K, int row0, int rows,
        int padded, bool wide, Span<double> e, Span<double> ms)
    {
        var i = 0;
        if (wide && rows >= 8)
        {
            // the eight-row groups through references: every index below is checked here once, not per load
            var whole = rows & ~7;
            if (K < 1 || e.Length < K * ExpBlock || ms.Length < whole || lRow0 < 0 || (long)(K - 1) * lStride + lRow0 + whole > L.Length ||
                (perRow ? row0 < 0 || (long)(K - 1) * n + row0 + whole > logPi.Length : logPi.Length < K))
                throw new ArgumentException("the E-step's buffers are shorter than its rows");
            ref var l0 = ref MemoryMarshal.GetArrayDataReference(L);
            ref var p0 = ref MemoryMarshal.GetArrayDataReference(logPi);
            ref var e0 = ref MemoryMarshal.GetReference(e);
            ref var m0 = ref MemoryMarshal.GetReference(ms);
            if (!perRow && K <= SmallK)
            {
                SmallArguments(ref l0, lStride, lRow0, logPi, K, whole, ref e0, ref m0);
                i = whole;
            }
            var floor8 = Vector512.Create(ExpFloor);
            var negInf8 = Vector512.Create(double.NegativeInfinity);
            for (; i < whole; i += 8)
            {
                var m = negInf8;
                var lAt = (nuint)(lRow0 + i);
                var pAt = (nuint)(row0 + i);
                var eAt = (nuint)i;
                for (var k = 0; k < K; k++)
                {
                    var x = Vector512.LoadUnsafe(ref l0, lAt) +
                            (perRow ? Vector512.LoadUnsafe(ref p0, pAt) : Vector512.Create(Unsafe.Add(ref p0, k)));
                    x.StoreUnsafe(ref e0, eAt);
                    m = Vector512.Max(m, x);
                    lAt += (nuint)lStride;
                    pAt += (nuint)n;
                    eAt += ExpBlock;
                }
                m.StoreUnsafe(ref m0, (nuint)i);
                var bad = Vector512.Equals(m, negInf8);
                var mExp = bad != Vector512<double>.Zero ? Vector512.ConditionalSelect(bad, Vector512<double>.Zero, m) : m;
                eAt = (nuint)i;
                for (var k = 0; k < K; k++)
                {
                    Vector512.Max(Vector512.LoadUnsafe(ref e0, eAt) - mExp, floor8).StoreUnsafe(ref e0, eAt);
                    eAt += ExpBlock;
                }
            }
        }
        var floor = Vector256.Create(ExpFloor);
        var negInf = Vector256.Create(double.NegativeInfinity);
        for (; i < padded; i += 4)
        {
            var row = row0 + i;
            var have = Math.Min(4, rows - i);
            var m = negInf;
            for (var k = 0; k < K; k++)
            {
                Vector256<double> x;
                if (have == 4)
                    x = Vector256.Create(L.AsSpan(k * lStride + lRow0 + i, 4)) +
                        (perRow ? Vector256.Create(logPi.AsSpan(k * n + row, 4)) : Vector256.Create(logPi[k]));
                else
                {
                    x = Vector256<double>.Zero;
                    for (var r = 0; r < have; r++) x = x.WithElement(r, L[k * lStride + lRow0 + i + r] + (perRow ? logPi[k * n + row + r] : logPi[k]));
                }
                x.CopyTo(e.Slice(k * ExpBlock + i, 4));
                m = Vector256.Max(m, x);
            }
            m.CopyTo(ms.Slice(i, 4));
            var bad = Vector256.Equals(m, negInf);
            var mExp = bad != Vector256<double>.Zero ? Vector256.ConditionalSelect(bad, Vector256<double>.Zero, m) : m;
            for (var k = 0; k < K; k++)
            {
                var s = e.Slice(k * ExpBlock + i, 4);
                Vector256.Max(Vector256.Create(s) - mExp, floor).CopyTo(s);
            }
        }
    }

    /// <summary>Mixtures of at most this many components take the exponent arguments' eight-row loop with a named
    /// register per component (<see cref="SmallArguments"/>) instead of a loop over the components, whose running values
    /// the JIT keeps in stack slots.</summary>
    private const int SmallK = 8;

    /// <summary>
    /// The eight-row groups of <see cref="ExponentArguments"/> (rows 0 .. <paramref name="whole"/> of the block, log
    /// weights shared by every row) for K &lt;= <see cref="SmallK"/>: component j's values in a register of its own
    /// (absent components skipped by a test on K that every group takes the same way), each lane the generic loop's
    /// operations in its order (the maximum from -inf over the components in order), so the same values. Indices are
    /// checked by the caller.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SmallArguments(ref double L, int lStride, int lRow0, double[] logPi, int K, int whole, ref double e, ref double ms)
    {
        var floor = Vector512.Create(ExpFloor);
        var negInf = Vector512.Create(double.NegativeInfinity);
        var s = (nuint)lStride;
        var q0 = Vector512.Create(logPi[0]);
        var q1 = Vector512.Create(K > 1 ? logPi[1] : 0.0);
        var q2 = Vector512.Create(K > 2 ? logPi[2] : 0.0);
        var q3 = Vector512.Create(K > 3 ? logPi[3] : 0.0);
        var q4 = Vector512.Create(K > 4 ? logPi[4] : 0.0);
        var q5 = Vector512.Create(K > 5 ? logPi[5] : 0.0);
        var q6 = Vector512.Create(K > 6 ? logPi[6] : 0.0);
        var q7 = Vector512.Create(K > 7 ? logPi[7] : 0.0);
        for (var i = 0; i < whole; i += 8)
        {
            var at = (nuint)(lRow0 + i);
            var x0 = Vector512.LoadUnsafe(ref L, at) + q0;
            var m = Vector512.Max(negInf, x0);
            Vector512<double> x1 = default, x2 = default, x3 = default, x4 = default, x5 = default, x6 = default, x7 = default;
            if (K > 1) { x1 = Vector512.LoadUnsafe(ref L, at + s) + q1; m = Vector512.Max(m, x1); }
            if (K > 2) { x2 = Vector512.LoadUnsafe(ref L, at + 2 * s) + q2; m = Vector512.Max(m, x2); }
            if (K > 3) { x3 = Vector512.LoadUnsafe(ref L, at + 3 * s) + q3; m = Vector512.Max(m, x3); }
            if (K > 4) { x4 = Vector512.LoadUnsafe(ref L, at + 4 * s) + q4; m = Vector512.Max(m, x4); }
            if (K > 5) { x5 = Vector512.LoadUnsafe(ref L, at + 5 * s) + q5; m = Vector512.Max(m, x5); }
            if (K > 6) { x6 = Vector512.LoadUnsafe(ref L, at + 6 * s) + q6; m = Vector512.Max(m, x6); }
            if (K > 7) { x7 = Vector512.LoadUnsafe(ref L, at + 7 * s) + q7; m = Vector512.Max(m, x7); }
            var r = (nuint)i;
            m.StoreUnsafe(ref ms, r);
            var bad = Vector512.Equals(m, negInf);
            var mExp = bad != Vector512<double>.Zero ? Vector512.ConditionalSelect(bad, Vector512<double>.Zero, m) : m;
            Vector512.Max(x0 - mExp, floor).StoreUnsafe(ref e, r);
            if (K > 1) Vector512.Max(x1 - mExp, floor).StoreUnsafe(ref e, r + ExpBlock);
            if (K > 2) Vector512.Max(x2 - mExp, floor).StoreUnsafe(ref e, r + 2 * ExpBlock);
            if (K > 3) Vector512.Max(x3 - mExp, floor).StoreUnsafe(ref e, r + 3 * ExpBlock);
            if (K > 4) Vector512.Max(x4 - mExp, floor).StoreUnsafe(ref e, r + 4 * ExpBlock);
            if (K > 5) Vector512.Max(x5 - mExp, floor).StoreUnsafe(ref e, r + 5 * ExpBlock);
            if (K > 6) Vector512.Max(x6 - mExp, floor).StoreUnsafe(ref e, r + 6 * ExpBlock);
            if (K > 7) Vector512.Max(x7 - mExp, floor).StoreUnsafe(ref e, r + 7 * ExpBlock);
        }
    }

    /// <summary>Step (c) of <see cref="FusedRowsInto(double[], double[], bool, int, int, double[], double[], int, int, double[], bool, ref Mixtures.Domain.Em.EmLoop.RowTotals)"/>: from the block's exponentials <paramref name="e"/> and maxima
    /// <paramref name="ms"/>, z_i, W[i,k] = e_ik / z_i (1/K for a row with zero density everywhere) into
    /// <paramref name="w"/>, the change against <paramref name="wPrev"/>, and either z_i into <paramref name="zs"/> (with
    /// observation weights) or the sums of m and the lanes' products of z into <paramref name="totals"/>, a product
    /// completed every <see cref="LogGroups"/> four-row groups put in <paramref name="pending"/>. Returns how many were.
    /// Its own method, without calls, so that its running values stay in registers: spilled 512-bit values in a stack
    /// frame whose alignment changes from process to process made the E-step's time change by 2.5x.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Responsibilities(ReadOnlySpan<double> e, ReadOnlySpan<double> ms, int K, int n, int row0, int rows, int padded,
        double[] w, double[]? wPrev, bool wide, Span<double> zs, Span<Vector256<double>> pending, ref RowTotals totals)
    {
        var weighted = !zs.IsEmpty;
        var sumM = totals.SumM;
        var prod = totals.ProdZ;
        var groups = totals.Groups;
        var change = totals.Change;
        var dead = totals.Dead;
        var done = 0;
        var i = 0;
        if (wide && rows >= 8)
        {
            // the eight-row groups through references: every index below is checked here once, not per load
            var whole = rows & ~7;
            if (K < 1 || e.Length < K * ExpBlock || ms.Length < whole || row0 < 0 || (long)(K - 1) * n + row0 + whole > w.Length ||
                (wPrev is not null && (long)(K - 1) * n + row0 + whole > wPrev.Length) || (weighted && zs.Length < whole))
                throw new ArgumentException("the E-step's buffers are shorter than its rows");
            ref var e0 = ref MemoryMarshal.GetReference(e);
            ref var m0 = ref MemoryMarshal.GetReference(ms);
            ref var w0 = ref MemoryMarshal.GetArrayDataReference(w);
            ref var p0 = ref wPrev is null ? ref Unsafe.NullRef<double>() : ref MemoryMarshal.GetArrayDataReference(wPrev);
            var hasPrev = wPrev is not null;
            var negInf8 = Vector512.Create(double.NegativeInfinity);
            var oneOverK8 = Vector512.Create(1.0 / K);
            var change8 = Vector512<double>.Zero;
            for (; i < whole; i += 8)
            {
                var m = Vector512.LoadUnsafe(ref m0, (nuint)i);
                var bad = Vector512.Equals(m, negInf8);
                var anyBad = bad != Vector512<double>.Zero;
                var z = Vector512<double>.Zero;
                var eAt = (nuint)i;
                for (var k = 0; k < K; k++)
                {
                    z += Vector512.LoadUnsafe(ref e0, eAt);
                    eAt += ExpBlock;
                }
                eAt = (nuint)i;
                var wAt = (nuint)(row0 + i);
                for (var k = 0; k < K; k++)
                {
                    var wk = Vector512.LoadUnsafe(ref e0, eAt) / z;
                    if (anyBad) wk = Vector512.ConditionalSelect(bad, oneOverK8, wk);
                    // the old value before the new one is written (wPrev may be w)
                    if (hasPrev)
                        change8 = Vector512.Max(change8, Vector512.Abs(wk - Vector512.LoadUnsafe(ref p0, wAt)));
                    wk.StoreUnsafe(ref w0, wAt);
                    eAt += ExpBlock;
                    wAt += (nuint)n;
                }
                if (weighted)
                {
                    z.StoreUnsafe(ref MemoryMarshal.GetReference(zs), (nuint)i);
                    continue;
                }
                if (anyBad) { dead = true; z = Vector512.ConditionalSelect(bad, Vector512<double>.One, z); }
                sumM += m.GetLower();
                sumM += m.GetUpper();
                // the two halves are two four-row groups, taken one after the other as the four-row loop takes them
                prod *= z.GetLower();
                if (++groups == LogGroups) { pending[done++] = prod; prod = Vector256<double>.One; groups = 0; }
                prod *= z.GetUpper();
                if (++groups == LogGroups) { pending[done++] = prod; prod = Vector256<double>.One; groups = 0; }
            }
            change = Vector256.Max(change, Vector256.Max(change8.GetLower(), change8.GetUpper()));
        }
        var negInf = Vector256.Create(double.NegativeInfinity);
        var oneOverK = Vector256.Create(1.0 / K);
        for (; i < padded; i += 4)
        {
            var row = row0 + i;
            var have = Math.Min(4, rows - i);
            var m = Vector256.Create(ms.Slice(i, 4));
            var bad = Vector256.Equals(m, negInf);
            var z = Vector256<double>.Zero;
            for (var k = 0; k < K; k++) z += Vector256.Create(e.Slice(k * ExpBlock + i, 4));
            for (var k = 0; k < K; k++)
            {
                var wk = Vector256.Create(e.Slice(k * ExpBlock + i, 4)) / z;
                if (bad != Vector256<double>.Zero) wk = Vector256.ConditionalSelect(bad, oneOverK, wk);
                if (have == 4)
                {
                    if (wPrev is not null)
                        change = Vector256.Max(change, Vector256.Abs(wk - Vector256.Create(wPrev.AsSpan(k * n + row, 4))));
                    wk.CopyTo(w.AsSpan(k * n + row, 4));
                }
                else
                    for (var r = 0; r < have; r++)
                    {
                        if (wPrev is not null) change = change.WithElement(r, Math.Max(change[r], Math.Abs(wk[r] - wPrev[k * n + row + r])));
                        w[k * n + row + r] = wk[r];
                    }
            }
            if (weighted)
            {
                z.CopyTo(zs.Slice(i, 4));
                continue;
            }
            // padded lanes add nothing
            for (var r = have; r < 4; r++) { m = m.WithElement(r, 0.0); z = z.WithElement(r, 1.0); bad = bad.WithElement(r, 0.0); }
            if (bad != Vector256<double>.Zero) { dead = true; z = Vector256.ConditionalSelect(bad, Vector256<double>.One, z); }
            sumM += m;
            prod *= z;
            if (++groups == LogGroups) { pending[done++] = prod; prod = Vector256<double>.One; groups = 0; }
        }
        totals.SumM = sumM;
        totals.ProdZ = prod;
        totals.Groups = groups;
        totals.Change = change;
        totals.Dead = dead;
        return done;
    }

    /// <summary>log L = sum_i logsumexp_k(log pi_k + L[i,k]).</summary>
    public static double LogLikelihood(Matrix<double> logDensities, double[] logPi) =>
        EStep(logDensities, logPi).LogLikelihood;

    /// <summary>The weighted log L = sum_i w_i logsumexp_k(log pi_k + L[i,k]) (null weights: every w_i = 1).</summary>
    public static double LogLikelihood(Matrix<double> logDensities, double[] logPi, ObservationWeights? weights) =>
        EStep(logDensities, logPi, weights).LogLikelihood;

    /// <summary>The family's observation weights as the computations use them: null without weights or when all are 1.</summary>
    internal static double[]? ActiveWeights<TD, TC>(IMixtureFamily<TD, TC> family, TD data) => family.UnitWeights(data)?.Active;

    /// <summary>The n of the per-unit log-likelihood stop rule: sum_u w_u (the number of units without weights).</summary>
    internal static double EffectiveUnits<TD, TC>(IMixtureFamily<TD, TC> family, TD data) =>
        family.UnitWeights(data) is { AllOne: false } w ? w.Sum : family.Units(data);

    /// <summary>M-step: the family's weighted fit and pi_k = mean_i W[i,k] (with observation weights w_i,
    /// pi_k = sum_i w_i W[i,k] / sum_i w_i).</summary>
    public static Fin<Mixture<TC>> MStep<TD, TC>(IMixtureFamily<TD, TC> family, TD data, Matrix<double> W) =>
        MStep(family, ConstantWeights.Instance, data, W);

    /// <summary>M-step: the family's weighted fit and the weight model's fit.</summary>
    public static Fin<Mixture<TC>> MStep<TD, TC>(IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, Matrix<double> W) =>
        MStep(family, weights, data, W.AsColumnMajorArray() ?? W.ToColumnMajorArray(), W.RowCount, W.ColumnCount);

    /// <summary>M-step from the n x K responsibilities in the first n K entries of a column-major buffer.</summary>
    public static Fin<Mixture<TC>> MStep<TD, TC>(IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, double[] W, int n, int K) =>
        MStep(family, weights, data, W, n, K, null);

    /// <summary>The M-step, the family's fit started from <paramref name="current"/> when the family takes a start
    /// (<see cref="IWarmStartFamily{TData,TComponents}"/>).</summary>
    /// <remarks>With observation weights w_u (<see cref="IMixtureFamily{TData,TComponents}.UnitWeights"/>) both fits get
    /// W[u,k] w_u, in a buffer borrowed for the call.</remarks>
    internal static Fin<Mixture<TC>> MStep<TD, TC>(IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, double[] W, int n, int K, Mixture<TC>? current)
    {
        var uw = ActiveWeights(family, data);
        if (uw is null) return Fit(family, weights, data, W, n, K, current);
        var scaled = System.Buffers.ArrayPool<double>.Shared.Rent(n * K);
        try
        {
            for (var k = 0; k < K; k++) TensorPrimitives.Multiply(W.AsSpan(k * n, n), uw, scaled.AsSpan(k * n, n));
            return Fit(family, weights, data, scaled, n, K, current);
        }
        finally { System.Buffers.ArrayPool<double>.Shared.Return(scaled); }
    }

    private static Fin<Mixture<TC>> Fit<TD, TC>(IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, double[] W, int n, int K, Mixture<TC>? current) =>
        from c in current is not null && family is IWarmStartFamily<TD, TC> warm && family.ComponentCount(current.Components) == K
            ? warm.Fit(data, W, K, current.Components)
            : family.Fit(data, W, K)
        from pi in weights.Fit(W, n, K, current is not null && current.Weights.K == K ? current.Weights : null)
        select new Mixture<TC>(c, pi);

    /// <summary>max_{i,k} |A[i,k] - B[i,k]|.</summary>
    public static double MaxAbsDifference(Matrix<double> A, Matrix<double> B)
    {
        var a = A.AsColumnMajorArray() ?? A.ToColumnMajorArray();
        var b = B.AsColumnMajorArray() ?? B.ToColumnMajorArray();
        var m = 0.0;
        for (var j = 0; j < a.Length; j++) m = Math.Max(m, Math.Abs(a[j] - b[j]));
        return m;
    }

    /// <summary>
    /// Runs EM from initial responsibilities W0:
    /// for t = 1, 2, ...: (theta_t, pi_t) = M(W_{t-1}); (W_t, log L_t) = E(theta_t, pi_t);
    /// stop when max |W_t - W_{t-1}| &lt; tol (or, with <see cref="StopRule.LogLikelihoodChange"/>,
    /// |log L_t - log L_{t-1}| / n &lt; tol) or t = max iterations.
    /// With <see cref="Acceleration.Squarem"/> the iterations are accelerated (<see cref="Squarem"/>).
    /// The returned log-likelihood belongs to the returned (final) parameters, and the result is put in the
    /// family's canonical component order.
    /// </summary>
    public static Fin<EmFit<TC>> Run<TD, TC>(
        IMixtureFamily<TD, TC> family, TD data, Matrix<double> W0, EmOptions options, StartInfo start) =>
        Run(family, ConstantWeights.Instance, data, W0, options, start);

    /// <summary><see cref="Run{TD,TC}(IMixtureFamily{TD,TC}, TD, Matrix{double}, EmOptions, StartInfo)"/> with a weight model.</summary>
    public static Fin<EmFit<TC>> Run<TD, TC>(
        IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, Matrix<double> W0, EmOptions options, StartInfo start)
    {
        if (options.Accelerate != Acceleration.None)
            return RunInPlace(family, weights, data, (double[])(W0.AsColumnMajorArray() ?? W0.ToColumnMajorArray()).Clone(),
                W0.RowCount, W0.ColumnCount, options, start);
        var run = new EmRunner<TD, TC>(family, weights, data, W0, options, start);
        run.Advance(options.MaxIterations);
        return run.Result();
    }

    /// <summary>
    /// <see cref="Run{TD,TC}(IMixtureFamily{TD,TC}, TD, Matrix{double}, EmOptions, StartInfo)"/> on a column-major n x K buffer holding W0 that the caller hands over (it
    /// built W0 for this run alone): the buffer is overwritten, saving a copy; with
    /// <see cref="StopRule.LogLikelihoodChange"/> it is the run's only n x K buffer (one more holds the previous W
    /// for the weight-change rule, and Anderson mixing keeps two). What the buffer holds afterwards is not specified:
    /// under that rule a family's sweep may leave W unwritten (the Gaussian family's, in plain EM and SQUAREM), so take
    /// the final responsibilities from an E-step at the fit's parameters.
    /// </summary>
    public static Fin<EmFit<TC>> RunInPlace<TD, TC>(
        IMixtureFamily<TD, TC> family, TD data, double[] W0, int n, int K, EmOptions options, StartInfo start) =>
        RunInPlace(family, ConstantWeights.Instance, data, W0, n, K, options, start);

    /// <summary><see cref="RunInPlace{TD,TC}(IMixtureFamily{TD,TC}, TD, double[], int, int, EmOptions, StartInfo)"/> with a weight model.</summary>
    public static Fin<EmFit<TC>> RunInPlace<TD, TC>(
        IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, double[] W0, int n, int K, EmOptions options, StartInfo start) =>
        RunInPlace(family, weights, data, W0, n, K, options, start, null);

    /// <summary>A run on the first n K entries of <paramref name="W0"/>, its scratch buffers borrowed from
    /// <paramref name="pool"/> (allocated when it is null) and given back when it ends.</summary>
    internal static Fin<EmFit<TC>> RunInPlace<TD, TC>(
        IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, double[] W0, int n, int K, EmOptions options, StartInfo start, BufferPool? pool)
    {
        if (options.Accelerate == Acceleration.Squarem)
            return Squarem.Run(family, weights, data, W0, n, K, options, start, pool);
        if (options.Accelerate == Acceleration.Anderson)
            return Anderson.Run(family, weights, data, W0, n, K, options, start, pool);
        var run = new EmRunner<TD, TC>(family, weights, data, W0, n, K, options, start, pool);
        try
        {
            run.Advance(options.MaxIterations);
            return run.Result();
        }
        finally { run.Release(); }
    }

    /// <summary>
    /// EM from parameters theta_0 (constant weights): W_0 = E-step at theta_0, then the iterations of
    /// <see cref="Run{TD,TC}(IMixtureFamily{TD,TC}, TD, Matrix{double}, EmOptions, StartInfo)"/>, the first M-step knowing
    /// that W_0 came from theta_0 as every later one knows its W's parameters (a family that uses them, as the Gaussian
    /// family centres its sums at the current means, gets theta_0). Streaming EM (<c>GaussianStream</c>) equals this
    /// run of plain EM bit for bit.
    /// </summary>
    public static Fin<EmFit<TC>> RunFrom<TD, TC>(IMixtureFamily<TD, TC> family, TD data, Mixture<TC> theta0, EmOptions options, StartInfo start)
    {
        var n = family.Units(data);
        var K = family.ComponentCount(theta0.Components);
        var w = new double[n * K];
        family.LogDensities(data, theta0.Components, w);
        EStepInto(w, ConstantWeights.Instance.LogPrior(theta0.Weights, n), n, K, w, ActiveWeights(family, data));
        if (options.Accelerate != Acceleration.None) return RunInPlace(family, data, w, n, K, options, start);
        var run = new EmRunner<TD, TC>(family, ConstantWeights.Instance, data, w, n, K, options, start, from: theta0);
        run.Advance(options.MaxIterations);
        return run.Result();
    }

    /// <summary>The fit with components and weights in canonical order, the permutation kept in
    /// <see cref="EmFit{TComponents}.RunOrder"/>.</summary>
    public static EmFit<TC> Canonical<TD, TC>(IMixtureFamily<TD, TC> family, EmFit<TC> fit)
    {
        var order = family.CanonicalOrder(fit.Mixture.Components);
        if (order.Select((o, i) => o == i).All(x => x)) return fit;
        return fit with
        {
            Mixture = new Mixture<TC>(family.Reorder(fit.Mixture.Components, order), fit.Mixture.Weights.Reorder(order)),
            RunOrder = [.. order],
        };
    }

    /// <summary>
    /// The n x K responsibilities of a run at its final parameters, in canonical order: the run's final E-step
    /// repeated (in the run's own component order, see <see cref="EmFit{TComponents}.RunOrder"/>), so they equal
    /// the run's bit for bit. A new matrix the caller owns.
    /// </summary>
    public static Matrix<double> Responsibilities<TD, TC>(IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, EmFit<TC> fit)
    {
        var n = family.Units(data);
        var K = family.ComponentCount(fit.Mixture.Components);
        var w = new double[n * K];
        ResponsibilitiesInto(family, weights, data, fit, w);
        return Matrix<double>.Build.Dense(n, K, w);
    }

    /// <summary><see cref="Responsibilities{TD,TC}(IMixtureFamily{TD,TC}, IWeightModel, TD, EmFit{TC})"/> into the
    /// first n K entries of <paramref name="w"/> (column-major); returns log L.</summary>
    public static double ResponsibilitiesInto<TD, TC>(IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, EmFit<TC> fit, double[] w)
    {
        var n = family.Units(data);
        var m = fit.Mixture;
        var K = family.ComponentCount(m.Components);
        if (w.Length < n * K) throw new ArgumentException($"the buffer has {w.Length} entries, fewer than n K = {n * K}");
        var order = fit.RunOrder;
        var reordered = !order.IsDefaultOrEmpty;
        if (reordered)
        {
            // the run's component r is canonical component inverse[r]
            var inverse = new int[K];
            for (var k = 0; k < K; k++) inverse[order[k]] = k;
            m = new Mixture<TC>(family.Reorder(m.Components, inverse), m.Weights.Reorder(inverse));
        }
        family.LogDensities(data, m.Components, w);
        var ll = EStepInto(w, weights.LogPrior(m.Weights, n), n, K, w, ActiveWeights(family, data));
        if (reordered) PermuteColumns(w, n, K, [.. order]);
        return ll;
    }

    /// <summary>Permutes the first K columns of a column-major n x K buffer in place so that new column k is old
    /// column order[k] (one column of scratch).</summary>
    internal static void PermuteColumns(double[] w, int n, int K, int[] order)
    {
        var done = new bool[K];
        double[]? scratch = null;
        for (var c = 0; c < K; c++)
        {
            if (done[c] || order[c] == c) { done[c] = true; continue; }
            // the cycle c <- order[c] <- order[order[c]] ...: new column k is old column order[k]
            scratch ??= new double[n];
            System.Array.Copy(w, c * n, scratch, 0, n);
            var k = c;
            while (true)
            {
                done[k] = true;
                var src = order[k];
                if (src == c) { System.Array.Copy(scratch, 0, w, k * n, n); break; }
                System.Array.Copy(w, src * n, w, k * n, n);
                k = src;
            }
        }
    }
}
