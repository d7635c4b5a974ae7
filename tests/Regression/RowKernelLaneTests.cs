using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Regression;

namespace Mixtures.Tests.Regression;

/// <summary>
/// The single-row log-density kernel against the scalar formula it is specified by, bit for bit: each row's
/// e = r0 - x_0 d_0 - x_1 d_1 - ... (in that order) and logNorm - e e half. The kernel takes eight rows to a register,
/// up to four classes per pass with p &lt;= 4 and class by class otherwise, then four rows and single rows; every form
/// must give the scalar values, whatever the row range, p and K.
/// </summary>
public class RowKernelLaneTests
{
    private static RegressionData Rows(int n, int p, int seed)
    {
        var rng = new System.Random(seed);
        var X = Matrix<double>.Build.Dense(n, p, (i, j) => j == 0 ? 1.0 : 4 * (rng.NextDouble() - 0.5) + j);
        var y = Enumerable.Range(0, n).Select(i => 1.5 * X[i, Math.Min(1, p - 1)] + 2 * rng.NextDouble()).ToArray();
        return LatentClassRegression.Data(y, X);
    }

    [Theory]
    [InlineData(4096 + 13, 3, 3, 0, 4096 + 13)]
    [InlineData(300, 1, 5, 5, 300)]        // p = 1; four classes, then one
    [InlineData(300, 2, 4, 8, 297)]
    [InlineData(1000, 4, 8, 3, 1000)]      // two passes of four classes
    [InlineData(1000, 5, 3, 0, 1000)]      // p = 5: class by class
    [InlineData(23, 3, 2, 0, 23)]
    [InlineData(7, 3, 3, 0, 7)]            // no eight-row group
    public void Row_log_densities_are_each_rows_scalar_formula(int n, int p, int K, int from, int to)
    {
        var data = Rows(n, p, n + p + K);
        var rng = new System.Random(K);
        var d = Enumerable.Range(0, K).Select(_ => Enumerable.Range(0, p).Select(_ => rng.NextDouble() - 0.5).ToArray()).ToArray();
        var half = Enumerable.Range(0, K).Select(c => 0.5 / (0.3 + c)).ToArray();
        var logNorm = Enumerable.Range(0, K).Select(c => -1.0 - 0.1 * c).ToArray();
        var L = new double[n * K];
        RegressionFamily.RowLogDensityChunk(data, d, half, logNorm, L, from, to);
        var r0 = data.r0!;
        var x = data.design;
        for (var c = 0; c < K; c++)
        for (var u = from; u < to; u++)
        {
            var e = r0[u];
            for (var j = 0; j < p; j++) e -= x[j * n + u] * d[c][j];
            Assert.Equal(logNorm[c] - e * e * half[c], L[c * n + u]);
        }
    }
}
