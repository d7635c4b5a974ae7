using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Domain.Simulate;

namespace Mixtures.Tests.Regression;

public class EMTests
{
    [Fact]
    public void EM_log_likelihood_never_decreases_and_is_reported_at_the_final_parameters()
    {
        var fit = LatentClassRegression.EM(3, Example.Data, RegressionSettings.Default with { MinPrior = 0 }).Value();
        for (var t = 1; t < fit.Trace.Length; t++) Assert.True(fit.Trace[t] >= fit.Trace[t - 1] - 1e-9 * Math.Abs(fit.Trace[t - 1]), $"iteration {t + 1}");
        Assert.Equal(LatentClassRegression.LogL(fit.Mixture.Components, fit.Mixture.Weights, Example.Data), fit.LogLikelihood, 8);
        Assert.Equal(fit.Trace[^1], fit.LogLikelihood);
    }

    [Fact]
    public void EM_from_the_truth_recovers_the_worked_example()
    {
        var truth = RegressionTruth.Example;
        var fit = LatentClassRegression.EM(new Mixture<RegressionComponents>(truth.Classes, truth.Pi), Example.Data, RegressionSettings.Default).Value();
        Assert.True(fit.Converged);
        // canonical order is by ascending intercept: truth classes 3, 2, 1
        int[] map = [2, 1, 0];
        for (var c = 0; c < 3; c++)
        {
            var est = fit.Mixture.Components.Classes[c];
            var tru = truth.Classes.Classes[map[c]];
            for (var j = 0; j < 3; j++) Assert.InRange(est.Beta[j] - tru.Beta[j], -0.3, 0.3);
            Assert.InRange(est.Sigma - tru.Sigma, -0.2, 0.2);
            Assert.InRange(fit.Mixture.Weights.Pi[c] - truth.Pi.Pi[map[c]], -0.05, 0.05);
        }
    }

    [Fact]
    public void EM_random_start_is_the_same_run_as_that_start_inside_Estimate()
    {
        var settings = RegressionSettings.Default with { Starts = 2, MinPrior = 0 };
        var single = LatentClassRegression.EM(2, Example.Data, settings, start: 1).Value();
        var path = LatentClassRegression.Estimate([2], Example.Data, settings).Value();
        var inside = path.Fits[0].Estimate!.Starts.Single(s => s.Start.Seed == Mixtures.Domain.Random.Seeds.Derive(settings.Seed, 2, 1));
        Assert.Equal(StartKind.RandomSoft, inside.Start.Kind);
        Assert.Equal(inside.Start.Kind, single.Start.Kind);
        Assert.Equal(inside.LogLikelihood, single.LogLikelihood);
        Assert.Equal(inside.Iterations, single.Iterations);
    }

    [Fact]
    public void EM_abandons_a_start_whose_class_weight_falls_below_the_minimum_prior()
    {
        // with two classes one weight is always at most 0.5, so a minimum prior of 0.6 rejects every start
        var r = LatentClassRegression.EM(2, Example.Data, RegressionSettings.Default with { MinPrior = 0.6 });
        Assert.True(r.IsFail);
        r.IfFail(e => Assert.Equal(ErrorCodes.SmallPrior, e.Code));
    }
}
