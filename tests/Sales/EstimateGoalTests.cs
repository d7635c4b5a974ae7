using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Domain.Simulate;

namespace Mixtures.Tests.Sales;

/// <summary>
/// The goal for Estimate: with the default 10 random starts plus the split starts, reach the
/// best optimum that 200 purely random starts find, for K above the true number of segments.
/// </summary>
public class EstimateGoalTests
{
    [Fact]
    public void Default_Estimate_reaches_the_best_of_200_random_starts_when_K_exceeds_the_truth()
    {
        var truth = SalesSimulator.RandomTruth(3, 12);
        var (y, X, _) = TestSupport.Panel(truth, 300, 52, 12);
        var ours = SalesModel.EstimateMany([1, 2, 3, 4, 5], y, X).Value().ToArray();
        var data = RegressionData.Panel(y, X);
        foreach (var K in new[] { 4, 5 })
        {
            var random = Estimation.ForK(SalesModel.Family, ConstantWeights.Instance, data, K,
                new EstimationSettings(new StartPlan(200, SplitStarts: false), 99, SalesModel.EstimationOptions)).Estimate!;
            Assert.True(ours[K - 1].LogLikelihood >= random.LogLikelihood - 1e-6,
                $"K = {K}: Estimate {ours[K - 1].LogLikelihood} < best of 200 random starts {random.LogLikelihood}");
        }
    }
}
