using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Domain.Simulate;

namespace Mixtures.Tests.Em;

/// <summary>
/// The default stopping rules stop at the optimum: the log-likelihood reported by a default estimate is within
/// 1e-6 relative of what the same run reaches when plain EM continues it to a far tighter tolerance.
/// </summary>
public class StoppingTests
{
    private static double Continued<TD, TC>(IMixtureFamily<TD, TC> family, TD data, EmFit<TC> fit, EmOptions tight) =>
        Estimation.Continue(family, ConstantWeights.Instance, data, fit with { Iterations = 0 }, tight).Value().LogLikelihood;

    private static void AssertAtOptimum(double reported, double continued, string what) =>
        Assert.True(Math.Abs(continued - reported) <= 1e-6 * Math.Abs(continued), $"{what}: reported {reported:R}, continued {continued:R}");

    private static GaussianData Faithful()
    {
        var lines = File.ReadAllLines(Path.Combine(TestSupport.RepoRoot, "bench", "corpus", "data", "faithful.csv")).Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return GaussianData.Of(Matrix<double>.Build.Dense(lines.Length, 2, (i, j) => lines[i][j])).Value();
    }

    [Fact]
    public void Cluster_defaults_stop_at_the_optimum_where_scikit_learns_tolerance_does_not()
    {
        // faithful with a tied covariance: at scikit-learn's tol 1e-3 the K = 3 fit stopped after 7 iterations,
        // below the K = 2 value
        var data = Faithful();
        var s = GaussianSettings.Default with { Covariance = CovarianceType.Tied };
        var est = GaussianMixture.Estimate([1, 2, 3], data, s).Value();
        var tight = new EmOptions(1e-15, 100_000, 0, StopRule.LogLikelihoodChange);
        foreach (var k in est.Path)
            AssertAtOptimum(k.LogLikelihood, Continued(s.Family, data, k.Estimate!.Best, tight), $"K = {k.K}");
        Assert.True(est.Path[2].LogLikelihood >= est.Path[1].LogLikelihood);

        // a k-means++ start with scikit-learn's rule (tol 1e-3, plain EM) stops short of where it is going
        var sk = GaussianMixture.EM(3, data, s with { Tolerance = 1e-3, Accelerate = Acceleration.None, Init = GaussianInit.KMeans }).Value();
        var skContinued = Continued(s.Family, data, sk, tight);
        Assert.True(skContinued - sk.LogLikelihood > 1e-6 * Math.Abs(skContinued), $"tol 1e-3 stopped at {sk.LogLikelihood:R}, its optimum is {skContinued:R}");
    }

    [Fact]
    public void Sales_defaults_stop_at_the_optimum_above_the_true_K()
    {
        var s = StudentData.Simulate(StudentNumber.Parse("609948").Value());
        var y = s.Sales.Map(Math.Log);
        var X = SalesModel.Design(s.Prices);
        var est = SalesModel.EstimateMany([4], y, X).Value().Head;
        var data = RegressionData.Panel(y, X);
        var fit = new EmFit<RegressionComponents>(new Mixture<RegressionComponents>(SalesModel.ToComponents(est.Theta), est.Pi), est.LogLikelihood,
            est.Best.Trace, est.Best.Iterations, StopReason.Converged, est.WinningStart);
        Assert.True(est.Best.Converged);
        AssertAtOptimum(est.LogLikelihood, Continued(SalesModel.Family, data, fit, new EmOptions(1e-13, 200_000)), "K = 4");
    }

    [Fact]
    public void Regression_defaults_stop_at_the_optimum_above_the_true_K()
    {
        var path = LatentClassRegression.Estimate([4, 5], Regression.Example.Data, RegressionSettings.Default).Value();
        foreach (var k in path.Fits)
            AssertAtOptimum(k.LogLikelihood, Continued(LatentClassRegression.Family(VarianceModel.PerClass), Regression.Example.Data, k.Estimate!.Best,
                new EmOptions(1e-13, 200_000, RegressionSettings.DefaultMinPrior)), $"K = {k.K}");
    }
}
