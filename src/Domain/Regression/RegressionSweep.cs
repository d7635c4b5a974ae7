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
            if (colPartial is not null) Model.MixingWeights.ColumnSumsOfChunk(w, U, K, from, to - from, colPartial.AsSpan(c * K, K));
            if (rows) RegressionFamily.RowSums(data, w, K, from, to, acc);
            else SharedSums(data, w, K, from, to, acc);
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

    /// <summary>A chunk's panel sums into the family's layout: [sum w, T sum w, sum w r0'r0, sum w X'r0 (2), unused (4)].</summary>
    private static void WriteShared(ReadOnlySpan<Vector256<double>> s, ReadOnlySpan<double> tail, int K, int T, Span<double> acc)
    {
        const int nAcc = 4;
        var stride = RegressionFamily.SumStride(2);
        for (var c = 0; c < K; c++)
        {
            var o = c * nAcc;
            var a0 = c * stride;
            var ws = Reduce(s[o], tail[o]);
            acc[a0] = ws;
            acc[a0 + 1] = T * ws;
            acc[a0 + 2] = Reduce(s[o + 1], tail[o + 1]);
            acc[a0 + 3] = Reduce(s[o + 2], tail[o + 2]);
            acc[a0 + 4] = Reduce(s[o + 3], tail[o + 3]);
            for (var j = 5; j < stride; j++) acc[a0 + j] = 0.0;
        }
    }

    /// <summary>
    /// The M-step sums of panel units from..to with a shared design and p = 2 from the responsibilities in
    /// <paramref name="Wa"/> (U x K, column-major), in 4-lane vectors over units as the fused sweep forms them.
    /// </summary>
    internal static void SharedSums(RegressionData data, double[] Wa, int K, int from, int to, Span<double> acc)
    {
        var U = data.Units;
        var xtr = data.xtr;
        var rtr = data.rtr;
        var T = data.unitRows[from];
        var len = to - from;
        const int nAcc = 4;
        Span<Vector256<double>> s = stackalloc Vector256<double>[K * nAcc];
        Span<double> tail = stackalloc double[K * nAcc];
        s.Clear();
        tail.Clear();
        for (var c = 0; c < K; c++)
        {
            var o = c * nAcc;
            var col = c * U;
            var i = 0;
            // the four sums in registers, eight units at a time (two four-unit halves with their own accumulators,
            // added lower + upper at the end: a fixed order), then four at a time; the two halves are the lower and upper
            // lanes of eight-lane vectors (the same additions lane by lane as two four-lane vectors)
            Vector512<double> s0 = default, s1 = default, s2 = default, s3 = default;
            for (; i <= len - 8; i += 8)
            {
                var u0 = from + i;
                var w8 = Vector512.Create(Wa.AsSpan(col + u0, 8));
                var (x0, x1) = RegressionFamily.Deinterleave8(xtr, u0);
                s0 += w8;
                s1 += w8 * Vector512.Create(rtr.AsSpan(u0, 8));
                s2 += w8 * x0;
                s3 += w8 * x1;
            }
            Vector256<double> a0 = s0.GetLower(), a1 = s1.GetLower(), a2 = s2.GetLower(), a3 = s3.GetLower();
            Vector256<double> b0 = s0.GetUpper(), b1 = s1.GetUpper(), b2 = s2.GetUpper(), b3 = s3.GetUpper();
            for (; i <= len - 4; i += 4)
            {
                var u0 = from + i;
                var wk = Vector256.Create(Wa.AsSpan(col + u0, 4));
                var (x0, x1) = RegressionFamily.Deinterleave(xtr, u0);
                a0 += wk;
                a1 += wk * Vector256.Create(rtr.AsSpan(u0, 4));
                a2 += wk * x0;
                a3 += wk * x1;
            }
            s[o] = a0 + b0;
            s[o + 1] = a1 + b1;
            s[o + 2] = a2 + b2;
            s[o + 3] = a3 + b3;
            for (; i < len; i++)
            {
                var u = from + i;
                var wi = Wa[col + u];
                tail[o] += wi;
                tail[o + 1] += wi * rtr[u];
                tail[o + 2] += wi * xtr[2 * u];
                tail[o + 3] += wi * xtr[2 * u + 1];
            }
        }
        WriteShared(s, tail, K, T, acc);
    }
}
