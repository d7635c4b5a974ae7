using System.Numerics;
using Mixtures.Domain;
using Mixtures.Domain.Gaussian;

namespace Mixtures.Tests.Gaussian;

/// <summary>
/// The Gaussian kernels against scalar loops that spell out the four-lane arithmetic they are specified by, bit for bit:
/// each row's log-density is its own lane's sums (the forward substitution over l and j in order, or the diagonal sum
/// over the columns), and each entry of the moments is the sum of eight lanes (the even and odd vectors of rows of each
/// 256-row block), the lanes added as <see cref="Vector.Sum{T}(Vector{T})"/> adds the even vector plus the odd one,
/// block after block and chunk after chunk. The kernels take eight rows to a register on AVX-512 hardware and four
/// elsewhere; both must give these values.
/// </summary>
public class KernelLaneTests
{
    private static GaussianData Data(int n, int d, int seed, bool huge)
    {
        var rng = new System.Random(seed);
        var x = new double[n * d];
        for (var j = 0; j < d; j++)
        for (var i = 0; i < n; i++)
            x[j * n + i] = (huge && j == 1 ? Math.ScaleB(1.0, 700) : 1.0) * (3 * (rng.NextDouble() - 0.5) + 1.5 * (i % 3) - 0.25 * j);
        return GaussianData.FromColumnMajor(n, d, x).Value();
    }

    private static double[] Weights(int n, int K, int seed)
    {
        var rng = new System.Random(seed);
        var W = new double[n * K];
        for (var i = 0; i < n; i++)
        {
            var s = 0.0;
            for (var k = 0; k < K; k++) { var u = 0.05 + rng.NextDouble(); W[k * n + i] = u; s += u; }
            for (var k = 0; k < K; k++) W[k * n + i] /= s;
        }
        return W;
    }

    [Theory]
    [InlineData(4096 + 77, 20, 5, false)]
    [InlineData(300, 7, 3, false)]
    [InlineData(8192 + 131, 6, 4, false)]
    public void Diagonal_log_densities_are_each_rows_own_lane_sum(int n, int d, int K, bool huge)
    {
        var data = Data(n, d, 3, huge);
        var family = new GaussianFamily(CovarianceType.Diag, 1e-6);
        var c = family.Fit(data, Weights(n, K, 4), K).Value();
        var L = new double[n * K];
        family.LogDensities(data, c, L);
        var inv = GaussianKernels.Reciprocals(c);
        var log2Pi = Math.Log(2.0 * Math.PI);
        for (var k = 0; k < K; k++)
        for (var i = 0; i < n; i++)
        {
            var q = 0.0;
            for (var j = 0; j < d; j++)
            {
                var a = (data.x[j * n + i] - c.mu[k * d + j]) * inv[k * d + j];
                q = Math.FusedMultiplyAdd(a, a, q);
            }
            var expected = (d * log2Pi + c.logDet[k] + q) * -0.5;
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(L[k * n + i]));
        }
    }

    /// <summary>The four-lane kernels' sums sum_i fma(p_i, v_i, .) and sum_i p_i over n rows, spelled out: eight lanes per
    /// 256-row block (row r of the block to lane r mod 8, the lanes of the even and the odd vectors of rows), each block's
    /// lanes added as the kernels add them (even + odd, then <see cref="Vector.Sum{T}(Vector{T})"/>) to its chunk's sum, block
    /// after block, and the chunks' sums added in chunk order from zero.</summary>
    private static (double Q, double S) LaneSums(int n, Func<int, (double P, double V)> row)
    {
        double q = 0, s = 0;
        for (var from = 0; from < n; from += GaussianKernels.Chunk)
        {
            double qc = 0, sc = 0;
            var to = Math.Min(n, from + GaussianKernels.Chunk);
            for (var start = from; start < to; start += GaussianKernels.Block)
            {
                var b = Math.Min(GaussianKernels.Block, to - start);
                var qs = new double[8];
                var ts = new double[8];
                for (var r = 0; r < b; r++)
                {
                    var (p, v) = row(start + r);
                    qs[r % 8] = Math.FusedMultiplyAdd(p, v, qs[r % 8]);
                    ts[r % 8] += p;
                }
                qc += Vector.Sum(new Vector<double>(new[] { qs[0] + qs[4], qs[1] + qs[5], qs[2] + qs[6], qs[3] + qs[7] }));
                sc += Vector.Sum(new Vector<double>(new[] { ts[0] + ts[4], ts[1] + ts[5], ts[2] + ts[6], ts[3] + ts[7] }));
            }
            q += qc;
            s += sc;
        }
        return (q, s);
    }

    [Theory]
    [InlineData(4096 + 77, 20, 5, false)]
    [InlineData(300, 7, 3, false)]
    [InlineData(8192 + 131, 6, 4, true)]
    [InlineData(13, 3, 1, false)]
    [InlineData(4096 + 77, 5, 5, true)]   // five components in one kernel (AVX-512) in units, with a short last block
    [InlineData(4096 + 83, 4, 7, false)]  // a pair, then five components
    [InlineData(4096 + 77, 5, 3, true)]   // a last triple of components (AVX-512) in units, with a short last block
    public void Diagonal_moments_are_the_eight_lane_sums_of_each_block(int n, int d, int K, bool huge)
    {
        var data = Data(n, d, 5, huge);
        var W = Weights(n, K, 6);
        var rng = new System.Random(7);
        var centre = new double[K * d];
        for (var t = 0; t < centre.Length; t++) centre[t] = rng.NextDouble() * (huge && t % d == 1 ? Math.ScaleB(1.0, 700) : 1.0);
        var nk = new double[K];
        var shift = new double[K * d];
        var scatter = new double[K * d];
        GaussianKernels.AddCentredMoments(data, W, K, centre, true, nk, shift, scatter);
        var e = data.UnitExponent;
        for (var k = 0; k < K; k++)
        for (var j = 0; j < d; j++)
        {
            var u = e[j] == 0 ? 1.0 : Math.ScaleB(1.0, -e[j]);
            var m = e[j] == 0 ? centre[k * d + j] : centre[k * d + j] * u;
            var (q, s) = LaneSums(n, i =>
            {
                var x = data.x[j * n + i];
                var v = e[j] == 0 ? x - m : x * u - m;
                return (v * W[k * n + i], v);
            });
            Assert.Equal(BitConverter.DoubleToInt64Bits(q), BitConverter.DoubleToInt64Bits(scatter[k * d + j]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(s), BitConverter.DoubleToInt64Bits(shift[k * d + j]));
        }
    }
    [Theory]
    [InlineData(4096 + 77, 20, 5)]
    [InlineData(300, 7, 3)]
    [InlineData(8192 + 131, 6, 4)]
    [InlineData(8192, 6, 3)]   // 8 n bytes a multiple of 4 KiB: the blocks are copied, not read in place
    public void Full_log_densities_are_each_rows_own_forward_substitution(int n, int d, int K)
    {
        var data = Data(n, d, 8, false);
        var family = new GaussianFamily(CovarianceType.Full, 1e-6);
        var c = family.Fit(data, Weights(n, K, 9), K).Value();
        var L = new double[n * K];
        family.LogDensities(data, c, L);
        var log2Pi = Math.Log(2.0 * Math.PI);
        var y = new double[d];
        for (var k = 0; k < K; k++)
        for (var i = 0; i < n; i++)
        {
            var q = 0.0;
            for (var j = 0; j < d; j++)
            {
                var a = data.x[j * n + i] - c.mu[k * d + j];
                for (var l = 0; l < j; l++) a = Math.FusedMultiplyAdd(-c.factor[k * d * d + j * d + l], y[l], a);
                y[j] = a * (1.0 / c.factor[k * d * d + j * d + j]);
                q = Math.FusedMultiplyAdd(y[j], y[j], q);
            }
            var expected = (d * log2Pi + c.logDet[k] + q) * -0.5;
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(L[k * n + i]));
        }
    }

    [Theory]
    [InlineData(4096 + 77, 20, 5)]
    [InlineData(300, 7, 3)]
    [InlineData(8192 + 130, 6, 2)]
    [InlineData(13, 3, 1)]
    [InlineData(4096 + 300, 1, 3)]
    [InlineData(1000, 2, 2)]
    [InlineData(777, 4, 3)]
    [InlineData(4100, 5, 2)]
    [InlineData(4096 + 100, 12, 3)]   // whole stripes of four rows, the last block an odd number of vectors
    [InlineData(4096 + 100, 9, 2)]
    public void Full_moments_are_the_eight_lane_sums_of_each_block(int n, int d, int K)
    {
        var data = Data(n, d, 10, false);
        var W = Weights(n, K, 11);
        var rng = new System.Random(12);
        var centre = new double[K * d];
        for (var t = 0; t < centre.Length; t++) centre[t] = rng.NextDouble();
        var per = d * (d + 1) / 2;
        var nk = new double[K];
        var shift = new double[K * d];
        var scatter = new double[K * per];
        GaussianKernels.AddCentredMoments(data, W, K, centre, false, nk, shift, scatter);
        for (var k = 0; k < K; k++)
        for (var a = 0; a < d; a++)
        for (var col = 0; col <= a; col++)
        {
            var (q, s) = LaneSums(n, i =>
                ((data.x[a * n + i] - centre[k * d + a]) * W[k * n + i], data.x[col * n + i] - centre[k * d + col]));
            Assert.Equal(BitConverter.DoubleToInt64Bits(q), BitConverter.DoubleToInt64Bits(scatter[k * per + a * (a + 1) / 2 + col]));
            if (col == 0) Assert.Equal(BitConverter.DoubleToInt64Bits(s), BitConverter.DoubleToInt64Bits(shift[k * d + a]));
        }
    }
}
