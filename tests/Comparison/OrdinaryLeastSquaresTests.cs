using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Comparison;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;

namespace Mixtures.Tests.Comparison;

public class OrdinaryLeastSquaresTests
{
    [Fact]
    public void Simple_regression_matches_the_closed_form_slope_Sxy_over_Sxx()
    {
        double[] x = [1, 2, 4, 5, 7];
        double[] y = [2.1, 2.9, 5.2, 5.8, 8.4];
        var fit = OrdinaryLeastSquares.Fit(LatentClassRegression.Design(Matrix<double>.Build.DenseOfColumnArrays(x)), y).Value();
        var xbar = x.Average();
        var ybar = y.Average();
        var slope = x.Zip(y).Sum(p => (p.Item1 - xbar) * (p.Item2 - ybar)) / x.Sum(v => (v - xbar) * (v - xbar));
        var intercept = ybar - slope * xbar;
        Assert.Equal(intercept, fit.Beta[0], 12);
        Assert.Equal(slope, fit.Beta[1], 12);
        var rss = x.Zip(y).Sum(p => Math.Pow(p.Item2 - intercept - slope * p.Item1, 2));
        Assert.Equal(Math.Sqrt(rss / 5), fit.Sigma, 12);
        Assert.Equal(5, fit.Rows);
    }

    [Fact]
    public void OLS_is_the_one_class_M_step_of_latent_class_regression()
    {
        var rng = new System.Random(3);
        var X = Matrix<double>.Build.Dense(30, 3, (i, j) => j == 0 ? 1 : rng.NextDouble() * 10);
        var y = Enumerable.Range(0, 30).Select(i => 1 + 2 * X[i, 1] - 3 * X[i, 2] + rng.NextDouble()).ToArray();
        var ols = OrdinaryLeastSquares.Fit(X, y).Value();
        var m = LatentClassRegression.MStep(LatentClassRegression.Data(y, X), Matrix<double>.Build.Dense(30, 1, 1.0), VarianceModel.PerClass).Value();
        for (var j = 0; j < 3; j++) Assert.Equal(m.Components.Classes[0].Beta[j], ols.Beta[j], 10);
        Assert.Equal(m.Components.Classes[0].Sigma, ols.Sigma, 10);
        // And it agrees with an independent QR solve.
        var qr = X.QR().Solve(Vector<double>.Build.DenseOfArray(y));
        for (var j = 0; j < 3; j++) Assert.Equal(qr[j], ols.Beta[j], 9);
    }

    [Fact]
    public void A_singular_design_fails_with_a_domain_error()
    {
        var X = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 }, { 1, 2 }, { 1, 2 } });
        Assert.False(OrdinaryLeastSquares.Fit(X, [1.0, 2.0, 3.0]).TryGet(out _, out var e));
        Assert.IsType<SingularDesignError>(e);
    }

    [Fact]
    public void One_factor_of_the_shared_design_fits_every_column_as_a_separate_OLS_would()
    {
        var rng = new System.Random(11);
        var X = Matrix<double>.Build.Dense(26, 2, (t, j) => j == 0 ? 1 : Math.Log(1 + 2 * rng.NextDouble()));
        var Y = Matrix<double>.Build.Dense(26, 300, (t, c) => 2 + c % 3 - (1 + c % 5) * X[t, 1] + rng.NextDouble() - 0.5);
        var B = OrdinaryLeastSquares.FitColumns(X, Y).Value();
        Assert.Equal((2, 300), (B.RowCount, B.ColumnCount));
        for (var c = 0; c < 300; c++)
        {
            var one = OrdinaryLeastSquares.Fit(X, Y.Column(c).ToArray()).Value();
            Assert.Equal(one.Beta[0], B[0, c], 11);
            Assert.Equal(one.Beta[1], B[1, c], 11);
            var qr = X.QR().Solve(Y.Column(c));
            Assert.Equal(qr[1], B[1, c], 9);
        }
    }

    [Fact]
    public void Columns_far_outside_the_range_of_ordinary_data_fit_as_their_scaled_copies_do()
    {
        var X = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0.1 }, { 1, 0.5 }, { 1, 0.9 }, { 1, 1.3 } });
        var Y = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 3e300 }, { 2, 2e300 }, { 2.5, 1.5e300 }, { 4, 1e300 } });
        var B = OrdinaryLeastSquares.FitColumns(X, Y).Value();
        var plain = OrdinaryLeastSquares.FitColumns(X, Y.MapIndexed((t, c, v) => c == 1 ? v / 1e300 : v)).Value();
        Assert.Equal(plain[1, 0], B[1, 0], 12);
        Assert.Equal(plain[1, 1], B[1, 1] / 1e300, 12);
        Assert.True(double.IsFinite(B[0, 1]));
    }

    [Fact]
    public void A_shared_design_that_is_singular_fails_with_a_domain_error()
    {
        var X = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 }, { 1, 2 }, { 1, 2 } });
        Assert.False(OrdinaryLeastSquares.FitColumns(X, Matrix<double>.Build.Dense(3, 4, 1.0)).TryGet(out _, out var e));
        Assert.IsType<SingularDesignError>(e);
    }
}
