using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;

namespace Mixtures.Tests.Gaussian;

/// <summary>
/// The vectorised kernels behind the Gaussian family's weighted fit and log-densities against plain loops written
/// here, on shapes that exercise every remainder: several chunks of 4096 rows with a short last chunk, blocks whose
/// last vector of rows is partial, an odd number of components and of columns; and their independence of the thread
/// count, bit for bit.
/// </summary>
public class GaussianKernelTests
{
    private const double Reg = 1e-6;

    /// <summary>n x d column-major rows around <paramref name="offset"/> and soft responsibilities (rows sum to 1).</summary>
    private static (GaussianData Data, double[] W) Case(int n, int d, int K, double offset, int seed)
    {
        var rng = new System.Random(seed);
        var x = new double[n * d];
        for (var j = 0; j < d; j++)
        for (var i = 0; i < n; i++) x[j * n + i] = offset + (1 + 0.3 * j) * (rng.NextDouble() - 0.5) + 2.0 * (i % 3) - 0.5 * j;
        var W = new double[n * K];
        for (var i = 0; i < n; i++)
        {
            var s = 0.0;
            for (var k = 0; k < K; k++) { var u = 0.05 + rng.NextDouble() * (1 + (i + k) % 4); W[k * n + i] = u; s += u; }
            for (var k = 0; k < K; k++) W[k * n + i] /= s;
        }
        return (GaussianData.FromColumnMajor(n, d, x).Value(), W);
    }

    /// <summary>n_k, mu_k and the centred scatter sum_i W[i,k] (x_i - mu_k)(x_i - mu_k)' by plain loops in row order.</summary>
    private static (double[] Nk, double[,] Mu, double[,,] S) Reference(GaussianData data, double[] W, int K)
    {
        var n = data.N;
        var d = data.D;
        var nk = new double[K];
        var mu = new double[K, d];
        var S = new double[K, d, d];
        for (var k = 0; k < K; k++)
        {
            for (var i = 0; i < n; i++)
            {
                nk[k] += W[k * n + i];
                for (var j = 0; j < d; j++) mu[k, j] += W[k * n + i] * data[i, j];
            }
            for (var j = 0; j < d; j++) mu[k, j] /= nk[k];
            for (var i = 0; i < n; i++)
            for (var a = 0; a < d; a++)
            for (var c = 0; c < d; c++) S[k, a, c] += W[k * n + i] * (data[i, a] - mu[k, a]) * (data[i, c] - mu[k, c]);
        }
        return (nk, mu, S);
    }

    private static void Close(double expected, double actual, double rel, string what) =>
        Assert.True(Math.Abs(expected - actual) <= rel * Math.Max(1.0, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");

    [Theory]
    [InlineData(9001, 7, 5, 0.0)]
    [InlineData(4099, 20, 3, 0.0)]
    [InlineData(8195, 6, 4, 0.0)]
    [InlineData(5003, 5, 5, 1e6)]
    [InlineData(13, 3, 2, 0.0)]
    public void Diagonal_fit_equals_the_plain_weighted_means_and_centred_variances(int n, int d, int K, double offset)
    {
        var (data, W) = Case(n, d, K, offset, 11);
        var (nk, mu, S) = Reference(data, W, K);
        var diag = new GaussianFamily(CovarianceType.Diag, Reg).Fit(data, W, K).Value();
        var sph = new GaussianFamily(CovarianceType.Spherical, Reg).Fit(data, W, K).Value();
        for (var k = 0; k < K; k++)
        {
            var mean = 0.0;
            for (var j = 0; j < d; j++)
            {
                Close(mu[k, j], diag.Means[k * d + j], 1e-12, $"mu[{k},{j}]");
                // far from the origin the variance is relative to the offset's square (the means' rounding), hence the scale
                Close(S[k, j, j] / nk[k] + Reg, diag.Covariances[k * d + j], 1e-12 * (1 + offset * offset), $"var[{k},{j}]");
                mean += S[k, j, j] / nk[k];
            }
            Close(mean / d + Reg, sph.Covariances[k], 1e-12 * (1 + offset * offset), $"spherical var[{k}]");
        }
    }

    [Theory]
    [InlineData(9001, 7, 5, 0.0)]
    [InlineData(4099, 20, 3, 0.0)]
    [InlineData(8195, 6, 4, 0.0)]
    [InlineData(5003, 5, 5, 1e6)]
    [InlineData(13, 1, 2, 0.0)]
    public void Full_and_tied_fits_equal_the_plain_weighted_centred_scatter(int n, int d, int K, double offset)
    {
        var (data, W) = Case(n, d, K, offset, 12);
        var (nk, mu, S) = Reference(data, W, K);
        var full = new GaussianFamily(CovarianceType.Full, Reg).Fit(data, W, K).Value();
        var tied = new GaussianFamily(CovarianceType.Tied, Reg).Fit(data, W, K).Value();
        var tol = 1e-12 * (1 + offset * offset);
        for (var a = 0; a < d; a++)
        for (var c = 0; c < d; c++)
        {
            var pooled = 0.0;
            for (var k = 0; k < K; k++)
            {
                Close(S[k, a, c] / nk[k] + (a == c ? Reg : 0.0), full.Covariances[k * d * d + a * d + c], tol, $"Sigma[{k}][{a},{c}]");
                pooled += S[k, a, c];
            }
            Close(pooled / nk.Sum() + (a == c ? Reg : 0.0), tied.Covariances[a * d + c], tol, $"tied Sigma[{a},{c}]");
        }
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Tied)]
    [InlineData(CovarianceType.Diag)]
    [InlineData(CovarianceType.Spherical)]
    public void Log_densities_equal_the_textbook_formula(CovarianceType type)
    {
        const int n = 4103, d = 9, K = 3;
        var (data, W) = Case(n, d, K, 0.0, 13);
        var c = new GaussianFamily(type, Reg).Fit(data, W, K).Value();
        var L = new double[n * K];
        new GaussianFamily(type, Reg).LogDensities(data, c, L);
        for (var k = 0; k < K; k++)
        {
            var Sigma = c.Covariance(k);
            var inverse = Sigma.Inverse();
            var logDet = Math.Log(Sigma.Determinant());
            var m = c.Mean(k);
            foreach (var i in new[] { 0, 1, 2, 3, 4, 255, 256, 1000, 4095, 4096, 4097, n - 2, n - 1 })
            {
                var r = Vector<double>.Build.Dense(d, j => data[i, j]) - m;
                var expected = -0.5 * (d * Math.Log(2 * Math.PI) + logDet + r * inverse * r);
                Close(expected, L[k * n + i], 1e-11, $"log N(x_{i} | component {k})");
            }
        }
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Tied)]
    [InlineData(CovarianceType.Diag)]
    [InlineData(CovarianceType.Spherical)]
    public void Fit_and_log_densities_do_not_depend_on_the_thread_count(CovarianceType type)
    {
        const int n = 3 * 4096 + 1001, d = 11, K = 5;
        var (data, W) = Case(n, d, K, 3.0, 14);
        var family = new GaussianFamily(type, Reg);
        var parallel = family.Fit(data, W, K).Value();
        var sequential = Parallelism.OnThisThread(() => family.Fit(data, W, K).Value());
        Assert.Equal(sequential.Means.ToArray(), parallel.Means.ToArray());
        Assert.Equal(sequential.Covariances.ToArray(), parallel.Covariances.ToArray());
        var Lp = new double[n * K];
        var Ls = new double[n * K];
        family.LogDensities(data, parallel, Lp);
        Parallelism.OnThisThread(() => { family.LogDensities(data, parallel, Ls); return 0; });
        Assert.Equal(Ls, Lp);
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Tied)]
    [InlineData(CovarianceType.Diag)]
    [InlineData(CovarianceType.Spherical)]
    public void A_row_has_the_same_log_density_wherever_it_falls_in_a_block(CovarianceType type)
    {
        // the same 40 distinct rows repeated at shifted positions (in a vector group, a short last vector, a second chunk):
        // each copy must give the same value bit for bit
        const int d = 6, K = 3, m = 40;
        var (small, W0) = Case(m, d, K, 0.0, 15);
        var family = new GaussianFamily(type, Reg);
        var c = family.Fit(small, W0, K).Value();
        foreach (var shift in new[] { 1, 3, 5, 250, 4093 })
        {
            var n = shift + m;
            var x = new double[n * d];
            for (var j = 0; j < d; j++)
            for (var i = 0; i < n; i++) x[j * n + i] = small[(i - shift + m * 1000) % m, j];
            var data = GaussianData.FromColumnMajor(n, d, x).Value();
            var L = new double[n * K];
            family.LogDensities(data, c, L);
            var L0 = new double[m * K];
            family.LogDensities(small, c, L0);
            for (var k = 0; k < K; k++)
            for (var i = 0; i < n; i++)
                Assert.Equal(L0[k * m + (i - shift + m * 1000) % m], L[k * n + i]);
        }
    }
}
