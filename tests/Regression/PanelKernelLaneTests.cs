using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Domain.Simulate;

namespace Mixtures.Tests.Regression;

/// <summary>
/// The sales panel's kernels (a shared [1, log p] design, p = 2) against scalar loops that spell out the arithmetic they
/// are specified by, bit for bit: each unit's log-density is the scalar formula, and each M-step sum is four lanes
/// (units 8g + j and 8g + 4 + j in two accumulators per lane, added lower + upper, then the four-unit rest into the
/// lower ones) added as (l0 + l1) + (l2 + l3) plus the scalar tail. The kernels take eight units to a register (AVX-512
/// or two halves) and four after that; both must give these values, at every tail length.
/// </summary>
public class PanelKernelLaneTests
{
    private static RegressionData Panel(int stores)
    {
        var (y, X, _) = TestSupport.Panel(SalesSimulator.RandomTruth(3, 4), stores, 12, 6);
        return SalesModel.Data(y, X);
    }

    private static RegressionComponents Components(RegressionData data, int K)
    {
        var W = SalesModel.Family.RandomResponsibilities(data, K, Mixtures.Domain.Random.Seeds.Generator(9));
        return SalesModel.Family.Fit(data, W).Value();
    }

    [Theory]
    [InlineData(4096 + 13, 3, 0, 4096 + 13)]
    [InlineData(300, 4, 5, 300)]          // a range that starts off a multiple of eight
    [InlineData(64, 2, 8, 60)]             // a four-unit rest and no tail
    [InlineData(23, 5, 0, 23)]             // two eight-unit groups, no four-unit rest, a tail of 7
    public void Panel_log_densities_are_each_units_scalar_formula(int stores, int K, int from, int to)
    {
        var data = Panel(stores);
        var (d, quad, half, logNorm) = RegressionFamily.ClassTerms(data, Components(data, K));
        var U = data.Units;
        var L = new double[U * K];
        RegressionFamily.SharedLogDensityChunk(data, d, quad, half, logNorm, L, from, to);
        for (var c = 0; c < K; c++)
        for (var u = from; u < to; u++)
        {
            var g = d[c][0] * data.xtr[2 * u] + d[c][1] * data.xtr[2 * u + 1];
            var expected = data.unitRows[u] * logNorm[c] - Math.Max(0.0, data.rtr[u] - 2 * g + quad[c]) * half[c];
            Assert.Equal(expected, L[c * U + u]);
        }
    }

    [Theory]
    [InlineData(4096 + 13, 3, 0, 4096 + 13)]
    [InlineData(300, 4, 5, 300)]
    [InlineData(64, 2, 8, 60)]
    [InlineData(23, 5, 0, 23)]
    [InlineData(3, 1, 0, 3)]
    [InlineData(40, 6, 3, 32)]             // an eight-unit group past the last sixteen, and classes beyond four
    public void Panel_sums_are_the_four_lane_sums_of_the_range_and_w_the_column_sum(int stores, int K, int from, int to)
    {
        var data = Panel(stores);
        var U = data.Units;
        var rng = new System.Random(stores + K);
        var W = new double[U * K];
        for (var i = 0; i < W.Length; i++) W[i] = rng.NextDouble();
        var stride = RegressionFamily.SumStride(2);
        var acc = new double[K * stride];
        RegressionSweep.SharedSums(data, W, K, from, to, acc);
        var len = to - from;
        var T = data.unitRows[from];
        for (var c = 0; c < K; c++)
        {
            // the terms of unit u besides w: w r0'r0, w (X'r0)_0, w (X'r0)_1
            double Term(int s, int u)
            {
                var w = W[c * U + u];
                return s switch { 1 => w * data.rtr[u], 2 => w * data.xtr[2 * u], _ => w * data.xtr[2 * u + 1] };
            }
            // the sum of w: the column sum the mixing weights take, with four-lane vectors in sixteen-unit groups
            var column = W.AsSpan(c * U + from, len);
            Assert.Equal(ChunkSums.FixedSum(column), acc[c * stride]);
            Assert.Equal(T * acc[c * stride], acc[c * stride + 1]);
            if (System.Numerics.Vector<double>.Count == 4)
            {
                var lanes = new double[16];
                var r = 0;
                for (; r + 16 <= len; r += 16)
                for (var j = 0; j < 16; j++) lanes[j] += column[r + j];
                var v = new double[4];
                for (var j = 0; j < 4; j++) v[j] = (lanes[j] + lanes[4 + j]) + (lanes[8 + j] + lanes[12 + j]);
                for (; r + 4 <= len; r += 4)
                for (var j = 0; j < 4; j++) v[j] += column[r + j];
                var sum = System.Numerics.Vector.Sum(new System.Numerics.Vector<double>(v));
                for (; r < len; r++) sum += column[r];
                Assert.Equal(sum, acc[c * stride]);
            }
            for (var s = 1; s < 4; s++)
            {
                var a = new double[4];
                var b = new double[4];
                var i = 0;
                for (; i + 8 <= len; i += 8)
                for (var j = 0; j < 4; j++)
                {
                    a[j] += Term(s, from + i + j);
                    b[j] += Term(s, from + i + 4 + j);
                }
                // the four-unit rest into the lower accumulators, then lower + upper
                for (; i + 4 <= len; i += 4)
                for (var j = 0; j < 4; j++) a[j] += Term(s, from + i + j);
                for (var j = 0; j < 4; j++) a[j] += b[j];
                var tail = 0.0;
                for (; i < len; i++) tail += Term(s, from + i);
                var expected = (a[0] + a[1]) + (a[2] + a[3]) + tail;
                Assert.Equal(expected, acc[c * stride + s + 1]);
            }
        }
    }
}
