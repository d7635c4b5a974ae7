using Mixtures.Domain.Em;
using Mixtures.Domain.Random;

namespace Mixtures.Tests.Em;

/// <summary>
/// The fused E-step eight rows at a time (Vector512, the path every E-step takes) against four rows at a time:
/// the same responsibilities, log-likelihood and maximum change bit for bit, for every K the fused path takes, chunk
/// lengths that leave tails of every size, per-row log weights, observation weights with zeros, rows where every
/// component has zero density and log-density gaps beyond the exp floor.
/// </summary>
public class WideEStepTests
{
    private static (double Ll, double Change, double[] W) Run(double[] L, double[] logPi, bool perRow, int n, int K, double[]? prev,
        double[]? unitWeights, int start, int len, bool wide)
    {
        var w = (double[])L.Clone();
        var ll = EmLoop.FusedRows(L, logPi, perRow, n, K, w, prev, start, len, out var change, unitWeights, wide);
        return (ll, change, w);
    }

    private static long[] Bits(double[] a) => a.Select(BitConverter.DoubleToInt64Bits).ToArray();

    private static double[] LogDensities(int n, int K, int seed)
    {
        var rng = Seeds.Generator((ulong)seed);
        var L = new double[n * K];
        for (var t = 0; t < L.Length; t++)
            L[t] = (t % 97) switch
            {
                0 => -1e4 * rng.NextDouble(),          // far below the others: exp at the floor
                1 => double.NegativeInfinity,          // zero density in one component
                _ => -30 * rng.NextDouble() + 5,
            };
        return L;
    }

    [Theory]
    [InlineData(1, 4096)]
    [InlineData(2, 4096)]
    [InlineData(3, 1003)]
    [InlineData(4, 8)]
    [InlineData(5, 4095)]
    [InlineData(6, 1000)]
    [InlineData(7, 13)]
    [InlineData(8, 777)]   // the most components with a register each in the exponent arguments
    [InlineData(9, 300)]   // the fewest without
    [InlineData(16, 4093)]
    public void Eight_rows_at_a_time_equal_four_rows_at_a_time_bit_for_bit(int K, int len)
    {
        var n = len + 11;
        var start = 5;
        var L = LogDensities(n, K, 17 + K);
        var logPi = Enumerable.Range(0, K).Select(k => Math.Log((k + 1.0) / (K * (K + 1) / 2.0))).ToArray();
        var prev = LogDensities(n, K, 3).Select(x => Math.Exp(Math.Max(x, -50)) / 4).ToArray();
        var rng = Seeds.Generator(9);
        var perRowPi = Enumerable.Range(0, n * K).Select(_ => Math.Log(0.05 + rng.NextDouble())).ToArray();
        var unit = Enumerable.Range(0, n).Select(i => i % 5 == 0 ? 0.0 : 1 + i % 3).ToArray();
        foreach (var (pi, perRow) in new[] { (logPi, false), (perRowPi, true) })
        foreach (var p in new[] { null, prev })
        foreach (var u in new[] { null, unit })
        {
            var narrow = Run(L, pi, perRow, n, K, p, u, start, len, wide: false);
            var wide = Run(L, pi, perRow, n, K, p, u, start, len, wide: true);
            Assert.Equal(BitConverter.DoubleToInt64Bits(narrow.Ll), BitConverter.DoubleToInt64Bits(wide.Ll));
            Assert.Equal(BitConverter.DoubleToInt64Bits(narrow.Change), BitConverter.DoubleToInt64Bits(wide.Change));
            Assert.Equal(Bits(narrow.W), Bits(wide.W));
        }
    }

    [Fact]
    public void A_row_with_zero_density_everywhere_gives_W_one_over_K_and_minus_infinity_at_both_widths()
    {
        int n = 40, K = 3;
        var L = LogDensities(n, K, 4);
        for (var k = 0; k < K; k++) L[k * n + 21] = double.NegativeInfinity;
        var logPi = new[] { Math.Log(0.2), Math.Log(0.3), Math.Log(0.5) };
        foreach (var wide in new[] { false, true })
        {
            var (ll, _, w) = Run(L, logPi, false, n, K, null, null, 0, n, wide);
            Assert.Equal(double.NegativeInfinity, ll);
            for (var k = 0; k < K; k++) Assert.Equal(1.0 / K, w[k * n + 21]);
        }
        var a = Run(L, logPi, false, n, K, null, null, 0, n, false);
        var b = Run(L, logPi, false, n, K, null, null, 0, n, true);
        Assert.Equal(Bits(a.W), Bits(b.W));
    }
    [Theory]
    [InlineData(3, 4096, 256)]
    [InlineData(5, 4093, 256)]
    [InlineData(4, 1003, 8)]
    [InlineData(16, 77, 64)]
    public void Consecutive_ranges_fed_with_running_totals_equal_one_call_bit_for_bit(int K, int len, int piece)
    {
        var n = len + 11;
        var start = 5;
        var L = LogDensities(n, K, 23 + K);
        var logPi = Enumerable.Range(0, K).Select(k => Math.Log((k + 1.0) / (K * (K + 1) / 2.0))).ToArray();
        var prev = LogDensities(n, K, 5).Select(x => Math.Exp(Math.Max(x, -50)) / 4).ToArray();
        var unit = Enumerable.Range(0, n).Select(i => i % 5 == 0 ? 0.0 : 1 + i % 3).ToArray();
        foreach (var p in new[] { null, prev })
        foreach (var u in new[] { null, unit })
        {
            var whole = Run(L, logPi, false, n, K, p, u, start, len, wide: true);
            var w = (double[])L.Clone();
            var totals = default(EmLoop.RowTotals);
            for (var r = 0; r < len; r += piece)
                EmLoop.FusedRowsInto(L, logPi, false, n, K, w, p, start + r, Math.Min(piece, len - r), u, true, ref totals);
            var ll = totals.Finish(u is not null, out var change);
            Assert.Equal(BitConverter.DoubleToInt64Bits(whole.Ll), BitConverter.DoubleToInt64Bits(ll));
            Assert.Equal(BitConverter.DoubleToInt64Bits(whole.Change), BitConverter.DoubleToInt64Bits(change));
            Assert.Equal(Bits(whole.W), Bits(w));
        }
    }
    /// <summary>sum_i log z_i is taken as the log of each lane's product of z over <see cref="EmLoop.LogGroups"/> rows:
    /// against a row-by-row log-sum-exp, and at the product's largest value (K = 16 equal terms, z = 16 in every row, a
    /// lane's product 16^32 = 2^128) against the closed form sum_i (l + log(K / K)) = n l.</summary>
    [Theory]
    [InlineData(2, 4096)]
    [InlineData(5, 4093)]
    [InlineData(16, 1001)]
    public void The_log_of_products_of_z_equals_a_row_by_row_log_sum_exp(int K, int len)
    {
        var n = len + 3;
        var L = LogDensities(n, K, 41 + K);
        for (var t = 0; t < L.Length; t++) if (double.IsNegativeInfinity(L[t])) L[t] = -2.0;   // no dead rows here
        var logPi = Enumerable.Range(0, K).Select(k => Math.Log((k + 1.0) / (K * (K + 1) / 2.0))).ToArray();
        var expected = 0.0;
        for (var i = 0; i < len; i++)
        {
            var m = double.NegativeInfinity;
            for (var k = 0; k < K; k++) m = Math.Max(m, L[k * n + 3 + i] + logPi[k]);
            var z = 0.0;
            for (var k = 0; k < K; k++) z += Math.Exp(Math.Max(L[k * n + 3 + i] + logPi[k] - m, EmLoop.ExpFloor));
            expected += m + Math.Log(z);
        }
        var (ll, _, _) = Run(L, logPi, false, n, K, null, null, 3, len, wide: true);
        Assert.Equal(expected, ll, Math.Abs(expected) * 1e-13);

        var flat = Enumerable.Repeat(-3.0, n * K).ToArray();
        var uniform = Enumerable.Repeat(Math.Log(1.0 / K), K).ToArray();
        var (llFlat, _, _) = Run(flat, uniform, false, n, K, null, null, 3, len, wide: true);
        Assert.Equal(-3.0 * len, llFlat, 3.0 * len * 1e-13);
    }
    /// <summary>The E-step takes its exponentials from <c>TensorPrimitives.Exp</c> over spans of 4 to 2048 values, which
    /// runs 128-, 256- or 512-bit vectors by the span's length and the machine: its value for an argument must not depend
    /// on which, or a row's W would depend on how many rows share its block.</summary>
    [Fact]
    public void TensorPrimitives_Exp_gives_the_same_bits_at_every_span_length_the_E_step_uses()
    {
        var rng = Seeds.Generator(31);
        var a = Enumerable.Range(0, 2048).Select(t => t % 97 == 0 ? EmLoop.ExpFloor : -rng.NextDouble() * (t % 3 == 0 ? 700 : 40)).ToArray();
        var whole = new double[a.Length];
        System.Numerics.Tensors.TensorPrimitives.Exp(a, whole);
        foreach (var piece in new[] { 4, 8, 12, 20, 128 })
        {
            var parts = new double[a.Length];
            for (var t = 0; t + piece <= a.Length; t += piece)
                System.Numerics.Tensors.TensorPrimitives.Exp(a.AsSpan(t, piece), parts.AsSpan(t, piece));
            var done = a.Length / piece * piece;
            Assert.Equal(Bits(whole[..done]), Bits(parts[..done]));
        }
        // and the values are exp's to within a few ulps
        for (var t = 0; t < a.Length; t++) Assert.Equal(Math.Exp(a[t]), whole[t], Math.Exp(a[t]) * 1e-15);
    }
}
