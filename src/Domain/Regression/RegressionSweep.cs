using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Mixtures.Domain.Em;

namespace Mixtures.Domain.Regression;

/// <summary>
/// The fused EM sweep of the regression family (<see cref="IFusedFamily{TData,TComponents}"/>) for single rows and for
/// the sales model's panel (a shared [1, log p] design): chunk by chunk (4096 units), the log-densities
/// l[u,c] = n_u logNorm_c - RSS_u(beta_c) half_c are written into the chunk's part of the W buffer, the E-step turns them
/// into responsibilities in place (m_u = max_c (log pi_c + l[u,c]), e_uc = exp(max(log pi_c + l[u,c] - m_u, -700)),
/// z_u = sum_c e_uc, W[u,c] = e_uc / z_u, log L += m_u + log z_u, with max |W - Wprev|), and the next M-step's sums
/// (<see cref="RegressionFamily.SumStride"/> per class) are taken from that W while the chunk's data and W are still
/// in cache: the data and the buffer cross the memory bus once per iteration instead of once per pass.
/// </summary>
/// <remarks>
/// The three steps are the unfused path's own chunk kernels (the family's log-densities and M-step sums, the E-step's
/// fused rows in <see cref="EmLoop"/>) on the same chunks, and the chunks' log L, changes and sums are combined in chunk
/// order from zero as there, so the sweep equals the unfused path bit for bit and does not depend on the machine or
/// the thread count. With <c>wPrev</c> the same buffer as <c>w</c> (<see cref="RegressionFamily.FusedInPlace"/>), each
/// chunk's log-densities go to a buffer of their own and W is written over W_prev after each old value is read: the same
/// numbers, with one n x K buffer instead of two.
/// </remarks>
internal static class RegressionSweep
{
    /// <summary>Units per chunk (as the family's and the E-step's chunks).</summary>
    internal const int Chunk = 4096;

    /// <summary>Mixtures of at most this many classes are fused (as many as the E-step's fused rows take).</summary>
    internal const int MaxK = EmLoop.FusedMaxK;

    /// <summary>Whether the sweep covers these data: rows, or a shared design with p = 2; no observation weights.</summary>
    internal static bool Covers(RegressionData data, int K) =>
        K is >= 1 and <= MaxK && data.Weights is null &&
        (data.Layout == DesignLayout.Rows || (data.Layout == DesignLayout.Shared && data.P == 2));

    /// <summary>The sweep over every unit (see the class summary); returns log L.</summary>
    internal static double Run(RegressionData data, RegressionComponents components, double[] logPi, int K, double[] w, double[]? wPrev,
        out double maxChange, double[] statistics, double[]? columnSums = null) =>
        Run(data, components, logPi, K, w, wPrev, out maxChange, statistics, 0.0, accumulate: false, columnSums);

    /// <summary>
    /// The sweep with running totals: the chunks' log L added in chunk order to <paramref name="logLStart"/> (returned),
    /// and with <paramref name="accumulate"/> their sums added in chunk order to <paramref name="statistics"/> as it is
    /// (else from zero). Over consecutive row blocks of a multiple of <see cref="Chunk"/> rows, fed in order with the
    /// totals so far, this gives the whole data's sweep bit for bit (streaming EM).
    /// </summary>
    /// <remarks>With <paramref name="columnSums"/> (K entries) the sweep also takes W's column sums while each chunk is in
    /// cache, as <see cref="Model.MixingWeights.FromColumnMeans(double[], int, int)"/> sums them (per 4096-unit chunk,
    /// added in chunk order from zero), so the mixing weights follow without another pass over W, bit for bit.</remarks>
    internal static double Run(RegressionData data, RegressionComponents components, double[] logPi, int K, double[] w, double[]? wPrev,
        out double maxChange, double[] statistics, double logLStart, bool accumulate, double[]? columnSums = null)
    {
        var U = data.Units;
        var p = data.P;
        if (logPi.Length != K) throw new ArgumentException($"{logPi.Length} log weights for {K} components");
        if (w.Length < (long)U * K) throw new ArgumentException($"W has {w.Length} entries, fewer than U K = {(long)U * K}");
        var stride = RegressionFamily.SumStride(p);
        if (statistics.Length != K * stride) throw new ArgumentException($"{statistics.Length} statistics, not K {stride}");
        var (d, quad, half, logNorm) = RegressionFamily.ClassTerms(data, components);
        var chunks = Math.Max(1, (U + Chunk - 1) / Chunk);
        // the chunks' sums in a pooled buffer (at 1,000,000 rows a new one would be a large-object allocation per
        // iteration); cleared, as the kernels leave the unused entries (the upper triangle) untouched
        var size = chunks * K * stride;
        var partial = System.Buffers.ArrayPool<double>.Shared.Rent(size);
        Array.Clear(partial, 0, size);
        var logL = new double[chunks];
        var change = new double[chunks];
        var rows = data.Layout == DesignLayout.Rows;
        var sameBuffer = ReferenceEquals(w, wPrev);
        var colPartial = columnSums is null ? null : new double[chunks * K];
        Parallelism.ForChunks(chunks, c =>
        {
            var from = c * Chunk;
            var to = Math.Min(U, from + Chunk);
            var acc = partial.AsSpan(c * K * stride, K * stride);
            // the log-densities into the chunk's rows of W, or (W over W_prev) into a buffer of their own, each old W
            // then read before its new value is written
            var L = sameBuffer ? System.Buffers.ArrayPool<double>.Shared.Rent(K * Chunk) : w;
            var (lStride, lRowBase) = sameBuffer ? (Chunk, from) : (U, 0);
            if (rows) RegressionFamily.RowLogDensityChunk(data, d, half, logNorm, L, from, to, lStride, lRowBase);
            else RegressionFamily.SharedLogDensityChunk(data, d, quad, half, logNorm, L, from, to, lStride, lRowBase);
            logL[c] = EmLoop.EStepChunk(L, lStride, lRowBase, logPi, U, K, w, wPrev, from, to - from, out change[c]);
            if (sameBuffer) System.Buffers.ArrayPool<double>.Shared.Return(L);
            if (rows)
            {
                if (colPartial is not null) Model.MixingWeights.ColumnSumsOfChunk(w, U, K, from, to - from, colPartial.AsSpan(c * K, K));
                RegressionFamily.RowSums(data, w, K, from, to, acc);
            }
            else
            {
                SharedSums(data, w, K, from, to, acc);
                // the panel's sum of w is the column sum of W that the mixing weights take (SharedSums)
                if (colPartial is not null)
                    for (var k = 0; k < K; k++) colPartial[c * K + k] = acc[k * stride];
            }
        });
        if (columnSums is not null)
        {
            Array.Clear(columnSums);
            ChunkSums.AddInOrder(colPartial!, chunks, K, columnSums);
        }
        if (!accumulate) Array.Clear(statistics);
        ChunkSums.AddInOrder(partial, chunks, K * stride, statistics);
        System.Buffers.ArrayPool<double>.Shared.Return(partial);
        return ChunkSums.LogLikelihood(logLStart, logL, change, out maxChange);
    }

    /// <summary>Lanes in a fixed order, then the scalar tail.</summary>
    private static double Reduce(Vector256<double> v, double tail) => (v[0] + v[1]) + (v[2] + v[3]) + tail;

    /// <summary>A chunk's panel sums into the family's layout: [sum w, T sum w, sum w r0'r0, sum w X'r0 (2), unused (4)],
    /// sum w given as <paramref name="ws"/>.</summary>
    private static void WriteShared(ReadOnlySpan<Vector256<double>> s, ReadOnlySpan<double> tail, ReadOnlySpan<double> ws, int K, int T,
        Span<double> acc)
    {
        const int nAcc = SumTerms;
        var stride = RegressionFamily.SumStride(2);
        for (var c = 0; c < K; c++)
        {
            var o = c * nAcc;
            var a0 = c * stride;
            acc[a0] = ws[c];
            acc[a0 + 1] = T * ws[c];
            acc[a0 + 2] = Reduce(s[o], tail[o]);
            acc[a0 + 3] = Reduce(s[o + 1], tail[o + 1]);
            acc[a0 + 4] = Reduce(s[o + 2], tail[o + 2]);
            for (var j = 5; j < stride; j++) acc[a0 + j] = 0.0;
        }
    }

    /// <summary>
    /// The M-step sums of panel units from..to with a shared design and p = 2 from the responsibilities in
    /// <paramref name="Wa"/> (U x K, column-major), in 4-lane vectors over units as the fused sweep forms them: per class
    /// and sum, units 8g + j and 8g + 4 + j (j &lt; 4) in two accumulators of lane j while eight units remain (the lower
    /// and upper lanes of eight-lane vectors), then four units at a time into the lower ones, the two added, and the
    /// scalar rest. Classes four at a time (<see cref="SumsOfFour"/>, each unit's data read once for the four); each
    /// sum's additions are the same however many share a pass. The sum of w is W's column sum over the units as
    /// <see cref="ChunkSums.FixedSum"/> takes it, the one the mixing weights are formed from: with four-lane
    /// <see cref="System.Numerics.Vector{T}"/> its four accumulators are formed in the same pass (the lower and upper
    /// lanes of the even and the odd eight-unit groups of each sixteen) and finished by <see cref="ChunkSums.FixedSumRest"/>;
    /// with other widths it is FixedSum over the column.
    /// </summary>
    internal static void SharedSums(RegressionData data, double[] Wa, int K, int from, int to, Span<double> acc)
    {
        var U = data.Units;
        if (from < 0 || to > U || from > to || Wa.Length < (long)K * U || data.xtr.Length < 2L * U || data.rtr.Length < U)
            throw new ArgumentException("the panel sums' range is outside the data or W");
        var T = from < U ? data.unitRows[from] : 0;   // a panel: every unit has the same T rows
        Span<Vector256<double>> s = stackalloc Vector256<double>[K * SumTerms];
        Span<double> tail = stackalloc double[K * SumTerms];
        Span<double> ws = stackalloc double[K];
        Span<Vector512<double>> eight = stackalloc Vector512<double>[4 * SumTerms + 8];
        var columns = System.Numerics.Vector<double>.Count == 4;
        var whole16 = (to - from) & ~15;
        for (var c = 0; c < K; c += 4)
        {
            var m = Math.Min(4, K - c);
            var whole = SumsOfFour(data, Wa, c, m, from, to, columns ? whole16 : 0, eight);
            for (var q = 0; q < m; q++)
            {
                FinishSums(data, Wa, c + q, from + whole, to, eight.Slice(q * SumTerms, SumTerms), s, tail);
                var column = new ReadOnlySpan<double>(Wa, (c + q) * U + from, to - from);
                if (columns)
                {
                    Vector512<double> even = eight[4 * SumTerms + 2 * q], odd = eight[4 * SumTerms + 2 * q + 1];
                    ws[c + q] = ChunkSums.FixedSumRest(even.GetLower().AsVector(), even.GetUpper().AsVector(), odd.GetLower().AsVector(),
                        odd.GetUpper().AsVector(), column, whole16);
                }
                else ws[c + q] = ChunkSums.FixedSum(column);
            }
        }
        WriteShared(s, tail, ws, K, T, acc);
    }

    /// <summary>The sums of a class besides w's (the column sum, <see cref="SharedSums"/>): w r0'r0, w (X'r0)_0, w (X'r0)_1.</summary>
    private const int SumTerms = 3;

    /// <summary>Classes c .. c + m - 1's sums (m &lt;= 4) over the whole eight-unit groups of from..to into
    /// <paramref name="eight"/> (class by class, <see cref="SumTerms"/> each), in registers, each group's data read once
    /// for the classes (those past m skipped by tests every group takes the same way); returns how many units that was.
    /// Each class's w over the first <paramref name="whole16"/> units (whole sixteen-unit groups; 0 for none) in two more
    /// sums after them (entries 4 <see cref="SumTerms"/> + 2q and + 1: the even and the odd eight-unit groups),
    /// <see cref="ChunkSums.FixedSum"/>'s four accumulators in their lanes. Indices are checked by <see cref="SharedSums"/>.</summary>
    private static int SumsOfFour(RegressionData data, double[] Wa, int c, int m, int from, int to, int whole16, Span<Vector512<double>> eight)
    {
        var U = data.Units;
        ref var x = ref MemoryMarshal.GetArrayDataReference(data.xtr);
        ref var r = ref MemoryMarshal.GetArrayDataReference(data.rtr);
        ref var w0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Wa), c * U);
        var s = (nuint)U;
        var whole = (to - from) & ~7;
        Vector512<double> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default;
        Vector512<double> b0 = default, b1 = default, b2 = default, b3 = default, b4 = default;
        Vector512<double> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default;
        Vector512<double> d0 = default, d1 = default, d2 = default, d3 = default, d4 = default;
        for (var i = 0; i < whole; i += 8)
        {
            var u = (nuint)(from + i);
            var (x0, x1) = RegressionFamily.Deinterleave8(ref x, u);
            var rr = Vector512.LoadUnsafe(ref r, u);
            // w into the even or the odd eight-unit group's sum of a whole sixteen, or (past them) nowhere
            var even = i < whole16 && (i & 8) == 0;
            var odd = i < whole16 && (i & 8) != 0;
            var v = Vector512.LoadUnsafe(ref w0, u);
            if (even) a0 += v; else if (odd) a4 += v;
            a1 += v * rr; a2 += v * x0; a3 += v * x1;
            if (m > 1)
            {
                v = Vector512.LoadUnsafe(ref w0, u + s);
                if (even) b0 += v; else if (odd) b4 += v;
                b1 += v * rr; b2 += v * x0; b3 += v * x1;
            }
            if (m > 2)
            {
                v = Vector512.LoadUnsafe(ref w0, u + 2 * s);
                if (even) c0 += v; else if (odd) c4 += v;
                c1 += v * rr; c2 += v * x0; c3 += v * x1;
            }
            if (m > 3)
            {
                v = Vector512.LoadUnsafe(ref w0, u + 3 * s);
                if (even) d0 += v; else if (odd) d4 += v;
                d1 += v * rr; d2 += v * x0; d3 += v * x1;
            }
        }
        eight[0] = a1; eight[1] = a2; eight[2] = a3;
        eight[3] = b1; eight[4] = b2; eight[5] = b3;
        eight[6] = c1; eight[7] = c2; eight[8] = c3;
        eight[9] = d1; eight[10] = d2; eight[11] = d3;
        const int cols = 4 * SumTerms;
        eight[cols] = a0; eight[cols + 1] = a4;
        eight[cols + 2] = b0; eight[cols + 3] = b4;
        eight[cols + 4] = c0; eight[cols + 5] = c4;
        eight[cols + 6] = d0; eight[cols + 7] = d4;
        return whole;
    }

    /// <summary>The end of class c's sums but w's: units from..to (fewer than eight) four at a time into the lower halves of its
    /// eight-lane sums <paramref name="eight"/>, the halves added lower + upper into <paramref name="s"/>, and the scalar
    /// rest into <paramref name="tail"/>.</summary>
    private static void FinishSums(RegressionData data, double[] Wa, int c, int from, int to, ReadOnlySpan<Vector512<double>> eight,
        Span<Vector256<double>> s, Span<double> tail)
    {
        var U = data.Units;
        var xtr = data.xtr;
        var rtr = data.rtr;
        var o = c * SumTerms;
        var col = c * U;
        var len = to - from;
        var i = 0;
        Vector256<double> a1 = eight[0].GetLower(), a2 = eight[1].GetLower(), a3 = eight[2].GetLower();
        for (; i <= len - 4; i += 4)
        {
            var u0 = from + i;
            var wk = Vector256.Create(Wa.AsSpan(col + u0, 4));
            var (x0, x1) = RegressionFamily.Deinterleave(xtr, u0);
            a1 += wk * Vector256.Create(rtr.AsSpan(u0, 4));
            a2 += wk * x0;
            a3 += wk * x1;
        }
        s[o] = a1 + eight[0].GetUpper();
        s[o + 1] = a2 + eight[1].GetUpper();
        s[o + 2] = a3 + eight[2].GetUpper();
        double t1 = 0, t2 = 0, t3 = 0;
        for (; i < len; i++)
        {
            var u = from + i;
            var wi = Wa[col + u];
            t1 += wi * rtr[u];
            t2 += wi * xtr[2 * u];
            t3 += wi * xtr[2 * u + 1];
        }
        tail[o] = t1;
        tail[o + 1] = t2;
        tail[o + 2] = t3;
    }
}
