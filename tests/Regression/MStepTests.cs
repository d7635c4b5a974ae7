using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;

namespace Mixtures.Tests.Regression;

public class MStepTests
{
    private static (double[] y, Matrix<double> X, Matrix<double> W) Problem()
    {
        var rng = new System.Random(5);
        var n = 40;
        var X = Matrix<double>.Build.Dense(n, 3, (i, j) => j == 0 ? 1.0 : rng.NextDouble() * 4 - 2);
        var y = Enumerable.Range(0, n).Select(i => 1 + 2 * X[i, 1] - X[i, 2] + rng.NextDouble() - 0.5 + (i % 2) * 3).ToArray();
        var W = Matrix<double>.Build.Dense(n, 2, (i, k) => { var a = 0.2 + 0.6 * ((i * 7) % 10) / 9.0; return k == 0 ? a : 1 - a; });
        return (y, X, W);
    }

    /// <summary>Weighted least squares by QR of sqrt(w)-scaled rows: an independent route to beta.</summary>
    private static Vector<double> Wls(double[] y, Matrix<double> X, Vector<double> w)
    {
        var sw = w.Map(Math.Sqrt);
        var Xs = Matrix<double>.Build.Dense(X.RowCount, X.ColumnCount, (i, j) => X[i, j] * sw[i]);
        var ys = Vector<double>.Build.Dense(y.Length, i => y[i] * sw[i]);
        return Xs.QR().Solve(ys);
    }

    [Fact]
    public void MStep_per_class_is_weighted_least_squares_with_the_ML_variance()
    {
        var (y, X, W) = Problem();
        var m = LatentClassRegression.MStep(LatentClassRegression.Data(y, X), W, VarianceModel.PerClass).Value();
        for (var c = 0; c < 2; c++)
        {
            var w = W.Column(c);
            var b = Wls(y, X, w);
            for (var j = 0; j < 3; j++) Assert.Equal(b[j], m.Components.Classes[c].Beta[j], 10);
            var r = Vector<double>.Build.DenseOfArray(y) - X * b;
            var s2 = w.PointwiseMultiply(r.PointwiseMultiply(r)).Sum() / w.Sum();
            Assert.Equal(s2, m.Components.Classes[c].Variance, 10);
            Assert.Equal(w.Sum() / y.Length, m.Weights.Pi[c], 14);
        }
    }

    [Fact]
    public void MStep_common_variance_pools_the_weighted_residuals_over_classes()
    {
        var (y, X, W) = Problem();
        var m = LatentClassRegression.MStep(LatentClassRegression.Data(y, X), W, VarianceModel.Common).Value();
        var total = 0.0;
        for (var c = 0; c < 2; c++)
        {
            var w = W.Column(c);
            var r = Vector<double>.Build.DenseOfArray(y) - X * Wls(y, X, w);
            total += w.PointwiseMultiply(r.PointwiseMultiply(r)).Sum();
        }
        Assert.Equal(total / y.Length, m.Components.Classes[0].Variance, 10);
        Assert.Equal(m.Components.Classes[0].Sigma, m.Components.Classes[1].Sigma);
    }

    [Fact]
    public void MStep_fixed_variance_keeps_the_given_sigma()
    {
        var (y, X, W) = Problem();
        var m = LatentClassRegression.MStep(LatentClassRegression.Data(y, X), W, VarianceModel.Fixed(2.25)).Value();
        Assert.All(m.Components.Classes, c => Assert.Equal(1.5, c.Sigma, 14));
    }

    [Fact]
    public void MStep_reports_a_collapsed_variance_as_a_value()
    {
        // class 2 holds exactly two rows, which a line fits exactly: sigma_2 = 0
        double[] y = [1, 2, 3, 5, 0, 4, 2];
        var X = Matrix<double>.Build.Dense(7, 2, (i, j) => j == 0 ? 1.0 : i);
        var W = Matrix<double>.Build.Dense(7, 2, (i, k) => (i < 2) == (k == 1) ? 1.0 : 0.0);
        var r = LatentClassRegression.MStep(LatentClassRegression.Data(y, X), W, VarianceModel.PerClass);
        Assert.True(r.IsFail);
        r.IfFail(e => Assert.Equal(ErrorCodes.CollapsedVariance, e.Code));
    }

    [Fact]
    public void MStep_reports_an_empty_class_as_a_value()
    {
        double[] y = [1, 2, 3, 5];
        var X = Matrix<double>.Build.Dense(4, 1, 1.0);
        var W = Matrix<double>.Build.Dense(4, 2, (i, k) => k == 0 ? 1.0 : 0.0);
        var r = LatentClassRegression.MStep(LatentClassRegression.Data(y, X), W, VarianceModel.PerClass);
        r.IfFail(e => Assert.Equal(ErrorCodes.EmptyComponent, e.Code));
        Assert.True(r.IsFail);
    }
}
