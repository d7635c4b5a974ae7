using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Simulate;

namespace Mixtures.Tests.Sales;

public class MStepTests
{
    private static readonly SalesTruth Truth = new(Theta.Of((2.0, -1.0), (4.0, -2.0)), MixingWeights.Of([0.5, 0.5]));

    /// <summary>Weighted least squares on the stacked rows (store i's T rows weighted by w_i), solved by QR
    /// of sqrt(w) X: an independent path from the M-step's sufficient statistics and Cholesky.</summary>
    private static (double Alpha, double Beta) StackedWls(Matrix<double> y, Matrix<double> X, Vector<double> w)
    {
        var T = y.RowCount;
        var N = y.ColumnCount;
        var A = Matrix<double>.Build.Dense(N * T, 2);
        var b = Vector<double>.Build.Dense(N * T);
        for (var i = 0; i < N; i++)
        for (var t = 0; t < T; t++)
        {
            var s = Math.Sqrt(w[i]);
            A[i * T + t, 0] = s * X[t, 0];
            A[i * T + t, 1] = s * X[t, 1];
            b[i * T + t] = s * y[t, i];
        }
        var coef = A.QR().Solve(b);
        return (coef[0], coef[1]);
    }

    [Fact]
    public void MStep_equals_directly_solved_weighted_least_squares()
    {
        var (y, X, _) = TestSupport.Panel(Truth, 40, 12, 5);
        var rng = new Random(3);
        var W = Matrix<double>.Build.Dense(40, 2, (i, k) => 0);
        for (var i = 0; i < 40; i++) { var u = rng.NextDouble(); W[i, 0] = u; W[i, 1] = 1 - u; }
        var (theta, pi) = SalesModel.MStep(y, X, W).Value();
        for (var k = 0; k < 2; k++)
        {
            var (a, b) = StackedWls(y, X, W.Column(k));
            Assert.Equal(a, theta.Segments[k].Alpha, 10);
            Assert.Equal(b, theta.Segments[k].Beta, 10);
            Assert.Equal(W.Column(k).Average(), pi.Pi[k], 14);
        }
    }

    [Fact]
    public void K1_estimate_equals_the_pooled_OLS_fit_and_its_closed_form_log_likelihood()
    {
        var (y, X, _) = TestSupport.Panel(Truth, 30, 10, 11);
        var est = SalesModel.Estimate(1, y, X).Value();
        var (a, b) = StackedWls(y, X, Vector<double>.Build.Dense(30, 1.0));
        Assert.Equal(a, est.Theta.Segments[0].Alpha, 10);
        Assert.Equal(b, est.Theta.Segments[0].Beta, 10);
        var rss = 0.0;
        for (var i = 0; i < 30; i++)
        for (var t = 0; t < 10; t++) rss += Math.Pow(y[t, i] - a - b * X[t, 1], 2);
        Assert.Equal(-0.5 * 300 * Math.Log(2 * Math.PI) - 0.5 * rss, est.LogLikelihood, 8);
        Assert.Equal(1.0, est.Pi.Pi[0]);
    }

    [Fact]
    public void MStep_reports_an_empty_segment_as_a_failure_value()
    {
        var (y, X, _) = TestSupport.Panel(Truth, 10, 8, 2);
        var W = Matrix<double>.Build.Dense(10, 2, (i, k) => k == 0 ? 1.0 : 0.0);
        var result = SalesModel.MStep(y, X, W);
        Assert.True(result.IsFail);
        Assert.Contains("empty", result.Match(_ => "", e => e.Message));
    }

    [Fact]
    public void BIC_and_AIC_follow_the_spec_formulas()
    {
        var (y, X, _) = TestSupport.Panel(Truth, 50, 8, 4);
        var est = SalesModel.Estimate(2, y, X, starts: 3).Value();
        Assert.Equal(5, est.FreeParameters);                 // k = 3K - 1
        Assert.Equal(400, est.Observations);                 // n = N T
        Assert.Equal(5 * Math.Log(400) - 2 * est.LogLikelihood, est.Bic, 9);
        Assert.Equal(2 * 5 - 2 * est.LogLikelihood, est.Aic, 9);
        Assert.Equal(-2 * 10.0 + 3 * Math.Log(7), Selection.Bic(10.0, 3, 7), 12);
    }
}
