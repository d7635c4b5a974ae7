using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Multivariate;

namespace Mixtures.Tests.Comparison;

public class PrincipalComponentsTests
{
    private static Matrix<double> Cloud()
    {
        var rng = new System.Random(11);
        // Mostly along (1, 2, 0) / sqrt(5), some spread along (0, 0, 1), little elsewhere.
        return Matrix<double>.Build.DenseOfRowArrays(Enumerable.Range(0, 200).Select(_ =>
        {
            var t = rng.NextDouble() * 10 - 5;
            var u = rng.NextDouble() * 2 - 1;
            var e = (rng.NextDouble() - 0.5) * 0.1;
            return new[] { 3 + t - 2 * e, 1 + 2 * t + e, u };
        }));
    }

    [Fact]
    public void Variances_are_the_eigenvalues_of_the_sample_covariance_and_the_first_axis_is_the_long_one()
    {
        var X = Cloud();
        var pca = PrincipalComponents.Of(X, 3);
        var n = X.RowCount;
        var mean = Enumerable.Range(0, 3).Select(j => X.Column(j).Average()).ToArray();
        var C = Matrix<double>.Build.Dense(3, 3, (a, b) => Enumerable.Range(0, n).Sum(i => (X[i, a] - mean[a]) * (X[i, b] - mean[b])) / (n - 1));
        var eig = C.Evd().EigenValues.Select(z => z.Real).OrderDescending().ToArray();
        for (var c = 0; c < 3; c++) Assert.Equal(eig[c], pca.Variance[c], 9);
        Assert.Equal(1 / Math.Sqrt(5), pca.Loadings[0, 0], 2);
        Assert.Equal(2 / Math.Sqrt(5), pca.Loadings[1, 0], 2);
        Assert.Equal(1.0, pca.ExplainedRatio.Sum(), 12);
        // With every component kept, scores times loadings' rebuild the centred data.
        var back = pca.Scores * pca.Loadings.Transpose();
        for (var i = 0; i < n; i += 17)
        for (var j = 0; j < 3; j++) Assert.Equal(X[i, j] - mean[j], back[i, j], 9);
    }

    [Fact]
    public void Standardized_PCA_is_PCA_of_the_correlation_matrix()
    {
        var X = Cloud().MapIndexed((i, j, v) => j == 2 ? 1000 * v : v);
        var pca = PrincipalComponents.Of(X, 2, standardize: true);
        var corr = MathNet.Numerics.Statistics.Correlation.PearsonMatrix(Enumerable.Range(0, 3).Select(j => X.Column(j).ToArray()).ToArray());
        var eig = corr.Evd().EigenValues.Select(z => z.Real).OrderDescending().ToArray();
        // Population-sd scaling gives covariance eigenvalues n/(n-1) times the correlation's.
        for (var c = 0; c < 2; c++) Assert.Equal(eig[c] * 200 / 199.0, pca.Variance[c], 9);
    }
}
