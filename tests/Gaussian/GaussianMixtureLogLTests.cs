using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;

namespace Mixtures.Tests.Gaussian;

public class GaussianMixtureLogLTests
{
    /// <summary>log N(x | m, S) by the textbook formula with an explicit determinant and inverse (an independent route).</summary>
    private static double TextbookLogDensity(Vector<double> x, Vector<double> m, Matrix<double> S)
    {
        var d = x.Count;
        var r = x - m;
        return -0.5 * (d * Math.Log(2 * Math.PI) + Math.Log(S.Determinant()) + r * S.Inverse() * r);
    }

    [Fact]
    public void K1_fit_is_the_sample_mean_and_ML_covariance_plus_ridge_with_its_exact_log_likelihood()
    {
        var X = GaussianTestData.Correlated(200, 7);
        var n = X.RowCount;
        var reg = 1e-6;
        var fit = GaussianMixture.EM(1, X, new GaussianSettings(RegCovar: reg, Tolerance: 1e-12)).Value();

        var mean = X.ColumnSums() / n;
        var centred = X - Matrix<double>.Build.Dense(n, 3, (i, j) => mean[j]);
        var S = centred.TransposeThisAndMultiply(centred) / n + reg * Matrix<double>.Build.DenseIdentity(3);
        var c = fit.Mixture.Components;
        for (var j = 0; j < 3; j++) Assert.Equal(mean[j], c.Means[j], 1e-10);
        var Sigma = c.Covariance(0);
        for (var a = 0; a < 3; a++)
        for (var b = 0; b < 3; b++) Assert.Equal(S[a, b], Sigma[a, b], 1e-10);
        var logL = Enumerable.Range(0, n).Sum(i => TextbookLogDensity(X.Row(i), mean, S));
        Assert.Equal(logL, fit.LogLikelihood, 1e-8);
        Assert.Equal(logL, GaussianMixture.LogL(c, fit.Mixture.Weights, X), 1e-8);
        Assert.Equal(1.0, fit.Mixture.Weights.Pi[0]);
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Tied)]
    [InlineData(CovarianceType.Diag)]
    [InlineData(CovarianceType.Spherical)]
    public void K1_log_likelihood_matches_the_textbook_density_for_every_covariance_type(CovarianceType type)
    {
        var X = GaussianTestData.Correlated(120, 3);
        var n = X.RowCount;
        var fit = GaussianMixture.EM(1, X, new GaussianSettings(type, Tolerance: 1e-12)).Value();
        var mean = X.ColumnSums() / n;
        var centred = X - Matrix<double>.Build.Dense(n, 3, (i, j) => mean[j]);
        var S = centred.TransposeThisAndMultiply(centred) / n;
        var reg = GaussianFamily.DefaultRegCovar;
        var expected = type switch
        {
            CovarianceType.Full or CovarianceType.Tied => S + reg * Matrix<double>.Build.DenseIdentity(3),
            CovarianceType.Diag => Matrix<double>.Build.DenseDiagonal(3, 3, j => S[j, j] + reg),
            _ => Matrix<double>.Build.DenseIdentity(3) * (S.Trace() / 3 + reg),
        };
        var Sigma = fit.Mixture.Components.Covariance(0);
        for (var a = 0; a < 3; a++)
        for (var b = 0; b < 3; b++) Assert.Equal(expected[a, b], Sigma[a, b], 1e-9);
        var logL = Enumerable.Range(0, n).Sum(i => TextbookLogDensity(X.Row(i), mean, expected));
        Assert.Equal(logL, fit.LogLikelihood, 1e-8);
    }

    [Fact]
    public void LogL_of_a_two_component_mixture_matches_a_hand_computed_log_sum_exp()
    {
        var X = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0 }, { 1, 2 }, { -1, 0.5 }, { 3, 3 } });
        var theta = GaussianComponents.Create(CovarianceType.Full, 2, 2,
            [0, 0, 2, 2],
            [1, 0.3, 0.3, 2, 0.5, 0, 0, 0.25]).Value();
        var pi = MixingWeights.Of([0.3, 0.7]);
        var expected = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var p = 0.0;
            for (var k = 0; k < 2; k++) p += pi.Pi[k] * Math.Exp(TextbookLogDensity(X.Row(i), theta.Mean(k), theta.Covariance(k)));
            expected += Math.Log(p);
        }
        Assert.Equal(expected, GaussianMixture.LogL(theta, pi, X), 1e-10);
    }
}
