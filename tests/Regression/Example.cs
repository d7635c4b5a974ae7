using Mixtures.Domain;
using Mixtures.Domain.Regression;
using Mixtures.Domain.Simulate;

namespace Mixtures.Tests.Regression;

/// <summary>The worked example's data set (n = 1200, three classes), simulated once per test run.</summary>
public static class Example
{
    private static readonly Lazy<RegressionSample> sample = new(() =>
        RegressionSimulator.Simulate(RegressionTruth.Example, RegressionTruth.ExampleRows, RegressionTruth.ExampleSeed));

    public static RegressionSample Sample => sample.Value;

    private static readonly Lazy<RegressionData> data = new(() => LatentClassRegression.Data(Sample.Y, Sample.Design));

    public static RegressionData Data => data.Value;
}
