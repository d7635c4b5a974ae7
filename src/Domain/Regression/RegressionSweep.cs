using System.Runtime.Intrinsics;
using Mixtures.Domain.Em;

namespace Mixtures.Domain.Regression;

/// <summary>
/// The fused EM sweep of the regression family (<see cref="IFusedFamily{TData,TComponents}"/>) for single rows and for
/// the sales model's panel (a shared [1, log p] design): per chunk of units and per block of four units in
/// <see cref="Vector256{T}"/> registers, the log-densities l[u,c] = n_u logNorm_c - RSS_u(beta_c) half_c, the E-step
/// (m_u = max_c (log pi_c + l[u,c]), e_uc = exp(max(log pi_c + l[u,c] - m_u, -700)), z_u = sum_c e_uc,
/// W[u,c] = e_uc / z_u, log L += m_u + log z_u), max |W - Wprev| and the next M-step's sums
/// (<see cref="RegressionFamily.SumStride"/> per class) from the W just computed.
/// </summary>
/// <remarks>
/// Every value is computed by the same operations in the same order as the unfused kernels (the family's
/// <c>LogDensities</c> and <c>Sums</c>, the E-step's fused rows in <see cref="EmLoop"/>): the 4-lane sums of a chunk are
/// reduced as (l0 + l1) + (l2 + l3) and then the scalar tail is added, chunks are added in chunk order from zero, and no
/// fused multiply-add is used, so the sweep equals the unfused path bit for bit and does not depend on the machine or
/// the thread count.
/// </remarks>
internal static class RegressionSweep
{
    /// <summary>Units per chunk (as the family's and the E-step's chunks).</summary>
    internal const int Chunk = 4096;

    /// <summary>Mixtures of at most this many classes are fused (the E-step's fused rows take K up to 16).</summary>
    internal const int MaxK = 16;

    /// <summary>Whether the sweep covers these data: rows, or a shared design with p = 2; no observation weights.</summary>
    internal static bool Covers(RegressionData data, int K) =>
        K is >= 1 and <= MaxK && data.Weights is null &&
        (data.Layout == DesignLayout.Rows || (data.Layout == DesignLayout.Shared && data.P == 2));

    /// <summary>The sweep over every unit (see the class summary); returns log L.</summary>
    internal static double Run(RegressionData data, RegressionComponents components, double[] logPi, int K, double[] w, double[]? wPrev,
        out double maxChange, double[] statistics)
    {
        var U = data.Units;
        var p = data.P;
        if (logPi.Length != K) throw new ArgumentException($"{logPi.Length} log weights for {K} components");
        if (w.Length < (long)U * K) throw new ArgumentException($"W has {w.Length} entries, fewer than U K = {(long)U * K}");
        var stride = RegressionFamily.SumStride(p);
        if (statistics.Length != K * stride) throw new ArgumentException($"{statistics.Length} statistics, not K {stride}");
        var (d, quad, half, logNorm) = RegressionFamily.ClassTerms(data, components);
        var chunks = Math.Max(1, (U + Chunk - 1) / Chunk);
        var partial = new double[chunks * K * stride];
        var logL = new double[chunks];
        var change = new double[chunks];
        var rows = data.Layout == DesignLayout.Rows;
        Parallelism.ForChunks(chunks, c =>
        {
            var from = c * Chunk;
            var to = Math.Min(U, from + Chunk);
            var acc = partial.AsSpan(c * K * stride, K * stride);
            logL[c] = rows
                ? RowsChunk(data, d, half, logNorm, logPi, K, w, wPrev, from, to, acc, out change[c])
                : SharedChunk(data, d, quad, half, logNorm, logPi, K, w, wPrev, from, to, acc, out change[c]);
        });
        var sums = RegressionFamily.AddChunks(partial, chunks, K * stride);
        Array.Copy(sums, statistics, sums.Length);
        var ll = 0.0;
        for (var c = 0; c < chunks; c++) ll += logL[c];
        maxChange = 0.0;
        for (var c = 0; c < chunks; c++) maxChange = Math.Max(maxChange, change[c]);
        return ll;
    }

    /// <summary>Lanes in a fixed order, then the scalar tail.</summary>
    private static double Reduce(Vector256<double> v, double tail) => (v[0] + v[1]) + (v[2] + v[3]) + tail;

    /// <summary>
    /// The E-step of one block of four units from the K values x_c = log pi_c + l[u,c] in <paramref name="v"/> (padded
    /// lanes hold 0): W into <paramref name="v"/>, m and log z returned through the out values, bad lanes (every
    /// component at zero density) get W = 1/K as in the unfused E-step.
    /// </summary>
    private static void EBlock(Span<Vector256<double>> v, int K, out Vector256<double> m, out Vector256<double> logZ, out Vector256<double> bad)
    {
        m = Vector256.Create(double.NegativeInfinity);
        for (var k = 0; k < K; k++) m = Vector256.Max(m, v[k]);
        var floor = Vector256.Create(EmLoop.ExpFloor);
        var z = Vector256<double>.Zero;
        for (var k = 0; k < K; k++)
        {
            var e = Vector256.Exp(Vector256.Max(v[k] - m, floor));
            v[k] = e;
            z += e;
        }
        logZ = Vector256.Log(z);
        bad = Vector256.Equals(m, Vector256.Create(double.NegativeInfinity));
        for (var k = 0; k < K; k++)
        {
            var wk = v[k] / z;
            if (bad != Vector256<double>.Zero)
                wk = Vector256.ConditionalSelect(bad, Vector256.Create(1.0 / K), wk);
            v[k] = wk;
        }
    }

    /// <summary>Stores a block's W (its first <paramref name="rows"/> lanes) and folds |W - Wprev| into <paramref name="change"/>.</summary>
    private static void StoreW(Vector256<double> wk, double[] w, double[]? wPrev, int at, int rows, ref Vector256<double> change)
    {
        if (rows == 4)
        {
            wk.CopyTo(w.AsSpan(at, 4));
            if (wPrev is not null) change = Vector256.Max(change, Vector256.Abs(wk - Vector256.Create(wPrev.AsSpan(at, 4))));
            return;
        }
        for (var r = 0; r < rows; r++)
        {
            w[at + r] = wk[r];
            if (wPrev is not null) change = change.WithElement(r, Math.Max(change[r], Math.Abs(wk[r] - wPrev[at + r])));
        }
    }

    /// <summary>The sweep over single rows from..to (X column-major, the residuals r0 of b0): returns the chunk's log L.</summary>
    private static double RowsChunk(RegressionData data, double[][] d, double[] half, double[] logNorm, double[] logPi, int K,
        double[] w, double[]? wPrev, int from, int to, Span<double> acc, out double maxChange)
    {
        var U = data.Units;
        var p = data.P;
        var x = data.design;
        var r0 = data.r0!;
        var len = to - from;
        var nAcc = 2 + p + p * (p + 1) / 2;
        Span<Vector256<double>> v = stackalloc Vector256<double>[K];
        Span<Vector256<double>> xs = stackalloc Vector256<double>[p];
        Span<Vector256<double>> s = stackalloc Vector256<double>[K * nAcc];
        Span<double> tail = stackalloc double[K * nAcc];
        Span<double> lane = stackalloc double[4];
        Span<double> xt = stackalloc double[p];
        s.Clear();
        tail.Clear();
        var sumM = Vector256<double>.Zero;
        var sumLogZ = Vector256<double>.Zero;
        var change = Vector256<double>.Zero;
        var dead = false;
        for (var i = 0; i < len; i += 4)
        {
            var rows = Math.Min(4, len - i);
            var row = from + i;
            Vector256<double> vr = default;
            if (rows == 4)
            {
                vr = Vector256.Create(r0.AsSpan(row, 4));
                for (var a = 0; a < p; a++) xs[a] = Vector256.Create(x.AsSpan(a * U + row, 4));
                for (var c = 0; c < K; c++)
                {
                    var dc = d[c];
                    var e = vr;
                    for (var j = 0; j < p; j++) e -= xs[j] * Vector256.Create(dc[j]);
                    var l = Vector256.Create(logNorm[c]) - e * e * Vector256.Create(half[c]);
                    v[c] = l + Vector256.Create(logPi[c]);
                }
            }
            else
                for (var c = 0; c < K; c++)
                {
                    var dc = d[c];
                    lane.Clear();
                    for (var r = 0; r < rows; r++)
                    {
                        var e = r0[row + r];
                        for (var j = 0; j < p; j++) e -= x[j * U + row + r] * dc[j];
                        var l = logNorm[c] - e * e * half[c];
                        lane[r] = l + logPi[c];
                    }
                    v[c] = Vector256.Create(lane);
                }
            EBlock(v, K, out var m, out var logZ, out var bad);
            for (var c = 0; c < K; c++)
            {
                var wk = v[c];
                StoreW(wk, w, wPrev, c * U + row, rows, ref change);
                var o = c * nAcc;
                if (rows == 4)
                {
                    var t = wk * vr;
                    s[o] += wk;
                    s[o + 1] += t * vr;
                    var k = o + 2 + p;
                    for (var a = 0; a < p; a++)
                    {
                        var xa = xs[a];
                        s[o + 2 + a] += t * xa;
                        var wxa = wk * xa;
                        for (var b = 0; b <= a; b++) s[k++] += wxa * xs[b];
                    }
                    continue;
                }
                for (var r = 0; r < rows; r++)
                {
                    var wi = wk[r];
                    var ri = r0[row + r];
                    var t = wi * ri;
                    tail[o] += wi;
                    tail[o + 1] += t * ri;
                    var k = o + 2 + p;
                    for (var a = 0; a < p; a++)
                    {
                        var xa = x[a * U + row + r];
                        xt[a] = xa;
                        tail[o + 2 + a] += t * xa;
                        var wxa = wi * xa;
                        for (var b = 0; b <= a; b++) tail[k++] += wxa * xt[b];
                    }
                }
            }
            if (rows < 4)
                // padded lanes add nothing
                for (var r = rows; r < 4; r++) { m = m.WithElement(r, 0.0); logZ = logZ.WithElement(r, 0.0); bad = bad.WithElement(r, 0.0); }
            if (bad != Vector256<double>.Zero) dead = true;
            sumM += m;
            sumLogZ += logZ;
        }
        // per class: [sum w, sum w n_u (= sum w), sum w r0^2, sum w x r0 (p), sum w x x' (lower triangle of p x p)]
        var stride = RegressionFamily.SumStride(p);
        for (var c = 0; c < K; c++)
        {
            var o = c * nAcc;
            var a0 = c * stride;
            var ws = Reduce(s[o], tail[o]);
            acc[a0] = ws;
            acc[a0 + 1] = ws;
            acc[a0 + 2] = Reduce(s[o + 1], tail[o + 1]);
            for (var a = 0; a < p; a++) acc[a0 + 3 + a] = Reduce(s[o + 2 + a], tail[o + 2 + a]);
            var mi = o + 2 + p;
            for (var a = 0; a < p; a++)
            for (var b = 0; b <= a; b++, mi++) acc[a0 + 3 + p + a * p + b] = Reduce(s[mi], tail[mi]);
        }
        maxChange = Math.Max(Math.Max(change[0], change[1]), Math.Max(change[2], change[3]));
        if (dead) return double.NegativeInfinity;
        return ((sumM[0] + sumM[1]) + (sumM[2] + sumM[3])) + ((sumLogZ[0] + sumLogZ[1]) + (sumLogZ[2] + sumLogZ[3]));
    }

    /// <summary>
    /// The sweep over panel units from..to with the shared design [1, log p] (p = 2): l[u,c] = T logNorm_c -
    /// max(0, r0_u'r0_u - 2 d_c'X'r0_u + d_c'X'X d_c) half_c; returns the chunk's log L.
    /// </summary>
    private static double SharedChunk(RegressionData data, double[][] d, double[] quad, double[] half, double[] logNorm, double[] logPi, int K,
        double[] w, double[]? wPrev, int from, int to, Span<double> acc, out double maxChange)
    {
        var U = data.Units;
        var xtr = data.xtr;
        var rtr = data.rtr;
        var T = data.unitRows[from];
        var len = to - from;
        const int nAcc = 4; // sum w, sum w r0'r0, sum w X'r0 (2)
        Span<Vector256<double>> v = stackalloc Vector256<double>[K];
        Span<Vector256<double>> s = stackalloc Vector256<double>[K * nAcc];
        Span<double> tail = stackalloc double[K * nAcc];
        Span<double> lane = stackalloc double[4];
        s.Clear();
        tail.Clear();
        var sumM = Vector256<double>.Zero;
        var sumLogZ = Vector256<double>.Zero;
        var change = Vector256<double>.Zero;
        var dead = false;
        var zero = Vector256<double>.Zero;
        var two = Vector256.Create(2.0);
        for (var i = 0; i < len; i += 4)
        {
            var rows = Math.Min(4, len - i);
            var u0 = from + i;
            Vector256<double> x0 = default, x1 = default, vr = default;
            if (rows == 4)
            {
                x0 = Vector256.Create(xtr[2 * u0], xtr[2 * u0 + 2], xtr[2 * u0 + 4], xtr[2 * u0 + 6]);
                x1 = Vector256.Create(xtr[2 * u0 + 1], xtr[2 * u0 + 3], xtr[2 * u0 + 5], xtr[2 * u0 + 7]);
                vr = Vector256.Create(rtr.AsSpan(u0, 4));
                for (var c = 0; c < K; c++)
                {
                    var g = Vector256.Create(d[c][0]) * x0 + Vector256.Create(d[c][1]) * x1;
                    var l = Vector256.Create(T * logNorm[c]) - Vector256.Max(zero, vr - two * g + Vector256.Create(quad[c])) * Vector256.Create(half[c]);
                    v[c] = l + Vector256.Create(logPi[c]);
                }
            }
            else
                for (var c = 0; c < K; c++)
                {
                    lane.Clear();
                    for (var r = 0; r < rows; r++)
                    {
                        var u = u0 + r;
                        var g = d[c][0] * xtr[2 * u] + d[c][1] * xtr[2 * u + 1];
                        var l = data.unitRows[u] * logNorm[c] - Math.Max(0.0, rtr[u] - 2 * g + quad[c]) * half[c];
                        lane[r] = l + logPi[c];
                    }
                    v[c] = Vector256.Create(lane);
                }
            EBlock(v, K, out var m, out var logZ, out var bad);
            for (var c = 0; c < K; c++)
            {
                var wk = v[c];
                StoreW(wk, w, wPrev, c * U + u0, rows, ref change);
                var o = c * nAcc;
                if (rows == 4)
                {
                    s[o] += wk;
                    s[o + 1] += wk * vr;
                    s[o + 2] += wk * x0;
                    s[o + 3] += wk * x1;
                    continue;
                }
                for (var r = 0; r < rows; r++)
                {
                    var u = u0 + r;
                    var wi = wk[r];
                    tail[o] += wi;
                    tail[o + 1] += wi * rtr[u];
                    tail[o + 2] += wi * xtr[2 * u];
                    tail[o + 3] += wi * xtr[2 * u + 1];
                }
            }
            if (rows < 4)
                for (var r = rows; r < 4; r++) { m = m.WithElement(r, 0.0); logZ = logZ.WithElement(r, 0.0); bad = bad.WithElement(r, 0.0); }
            if (bad != Vector256<double>.Zero) dead = true;
            sumM += m;
            sumLogZ += logZ;
        }
        WriteShared(s, tail, K, T, acc);
        maxChange = Math.Max(Math.Max(change[0], change[1]), Math.Max(change[2], change[3]));
        if (dead) return double.NegativeInfinity;
        return ((sumM[0] + sumM[1]) + (sumM[2] + sumM[3])) + ((sumLogZ[0] + sumLogZ[1]) + (sumLogZ[2] + sumLogZ[3]));
    }

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
            for (; i <= len - 4; i += 4)
            {
                var u0 = from + i;
                var wk = Vector256.Create(Wa.AsSpan(col + u0, 4));
                var x0 = Vector256.Create(xtr[2 * u0], xtr[2 * u0 + 2], xtr[2 * u0 + 4], xtr[2 * u0 + 6]);
                var x1 = Vector256.Create(xtr[2 * u0 + 1], xtr[2 * u0 + 3], xtr[2 * u0 + 5], xtr[2 * u0 + 7]);
                s[o] += wk;
                s[o + 1] += wk * Vector256.Create(rtr.AsSpan(u0, 4));
                s[o + 2] += wk * x0;
                s[o + 3] += wk * x1;
            }
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
