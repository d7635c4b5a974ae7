using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Domain.Simulate;

namespace Mixtures.Tests.Regression;

public class EstimateTests
{
    private static readonly Lazy<EstimationPath<RegressionComponents>> path = new(() =>
        LatentClassRegression.Estimate([1, 2, 3, 4], Example.Data, RegressionSettings.Default with { Starts = 2, Tolerance = 1e-6, MaxIterations = 300 }).Value());

    [Fact]
    public void Estimate_selects_three_classes_on_the_worked_example_by_BIC()
    {
        var p = path.Value;
        Assert.Equal([1, 2, 3, 4], p.Fits.Select(f => f.K));
        Assert.Equal(3, p.SelectedK);
        Assert.Equal(3, Selection.Select(p.Fits, SelectionCriterion.Icl));
    }

    [Fact]
    public void Estimate_counts_free_parameters_as_Kp_plus_variances_plus_K_minus_1()
    {
        var data = Example.Data; // p = 3
        Assert.Equal(3 * 3 + 3 + 2, LatentClassRegression.Family(VarianceModel.PerClass).FreeParameters(data, 3));
        Assert.Equal(3 * 3 + 1 + 2, LatentClassRegression.Family(VarianceModel.Common).FreeParameters(data, 3));
        Assert.Equal(3 * 3 + 0 + 2, LatentClassRegression.Family(VarianceModel.Fixed(1)).FreeParameters(data, 3));
        var f3 = path.Value.For(3)!;
        Assert.Equal(14, f3.FreeParameters);
        Assert.Equal(-2 * f3.Estimate!.LogLikelihood + 14 * Math.Log(1200), f3.Estimate.Bic, 9);
    }

    [Fact]
    public void Estimate_log_likelihood_grows_with_K_on_nested_starts()
    {
        var ll = path.Value.Fits.Select(f => f.Estimate!.LogLikelihood).ToArray();
        for (var k = 1; k < ll.Length; k++) Assert.True(ll[k] >= ll[k - 1] - 1e-6, $"K = {k + 1}");
    }

    [Fact]
    public void Estimate_is_deterministic_for_a_seed()
    {
        var s = RegressionSettings.Default with { Starts = 3, Seed = 42, MaxIterations = 300 };
        var a = LatentClassRegression.Estimate(3, Example.Data, s).Value();
        var b = LatentClassRegression.Estimate(3, Example.Data, s).Value();
        Assert.Equal(a.LogLikelihood, b.LogLikelihood);
        Assert.Equal(a.Best.Mixture.Components, b.Best.Mixture.Components);
        Assert.Equal(a.Best.Mixture.Weights, b.Best.Mixture.Weights);
    }

    [Fact]
    public void Estimate_reports_a_K_whose_every_start_degenerates_instead_of_failing()
    {
        var p = LatentClassRegression.Estimate([1, 2], Example.Data, RegressionSettings.Default with { Starts = 2, MinPrior = 0.6 }).Value();
        Assert.True(p.Fits[0].Ok);
        Assert.False(p.Fits[1].Ok);
        Assert.Contains("below the minimum", p.Fits[1].Failure);
        Assert.Equal(1, p.SelectedK);
        // the same K without a minimum prior is fitted
        var q = LatentClassRegression.Estimate([2], Example.Data, RegressionSettings.Default with { Starts = 2, MinPrior = 0 }).Value();
        Assert.True(q.Fits[0].Ok);
    }

    [Fact]
    public void Estimate_rejects_more_classes_than_units()
    {
        var y = new double[] { 1, 2, 3 };
        var X = Matrix<double>.Build.Dense(3, 1, 1.0);
        var r = LatentClassRegression.Estimate([4], LatentClassRegression.Data(y, X), RegressionSettings.Default);
        Assert.True(r.IsFail);
    }

    [Fact]
    public void Sales_model_is_latent_class_regression_grouped_by_store_with_variance_fixed_at_one()
    {
        var sample = SalesSimulator.Simulate(SalesSimulator.RandomTruth(3, 11), stores: 60, weeks: 20, seed: 11);
        var X = SalesModel.Design(sample.Prices);
        var logS = sample.Sales.Map(Math.Log);
        var wide = SalesModel.Estimate(3, logS, X, starts: 4, seed: 5, SalesModel.EstimationOptions with { Tolerance = 1e-12 });

        // the same data in long format, one row per (week, store), week-major
        var rows = sample.Weeks * sample.Stores;
        var y = new double[rows];
        var group = new int[rows];
        var Xl = Matrix<double>.Build.Dense(rows, 2);
        for (var t = 0; t < sample.Weeks; t++)
        for (var i = 0; i < sample.Stores; i++)
        {
            var r = t * sample.Stores + i;
            y[r] = logS[t, i];
            group[r] = i + 1;
            Xl[r, 0] = 1.0;
            Xl[r, 1] = X[t, 1];
        }
        var settings = new RegressionSettings(VarianceModel.Fixed(1.0), Starts: 4, Seed: 5, Tolerance: 1e-12, MinPrior: 0);
        var lcr = LatentClassRegression.Estimate(3, LatentClassRegression.Data(y, Xl, group), settings);

        var a = wide.Value();
        var b = lcr.Value();
        Assert.Equal(a.LogLikelihood, b.LogLikelihood, 6);
        Assert.Equal(a.FreeParameters, b.FreeParameters);
        Assert.Equal(a.Observations, b.Observations);
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(a.Theta.Segments[c].Alpha, b.Best.Mixture.Components.Classes[c].Beta[0], 8);
            Assert.Equal(a.Theta.Segments[c].Beta, b.Best.Mixture.Components.Classes[c].Beta[1], 8);
            Assert.Equal(1.0, b.Best.Mixture.Components.Classes[c].Sigma);
            Assert.Equal(a.Pi.Pi[c], b.Best.Mixture.Weights.Pi[c], 8);
        }
        Assert.True(a.Best.W.Subtract(LatentClassRegression.Responsibilities(b.Best, LatentClassRegression.Data(y, Xl, group), settings.Variance)).Enumerate().All(d => Math.Abs(d) < 1e-8));
    }
}
