using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Fits;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;

namespace Mixtures.Tests.Api;

/// <summary>The three facades (<c>GaussianMixture.Fit</c>, <c>LatentClassRegression.Fit</c>, <c>SalesModel.Fit</c>):
/// the same questions answered alike, checked against the spec functions and closed forms.</summary>
public class FacadeTests
{
    /// <summary>What every fit must satisfy on its own data: W rows sum to one, labels are argmax W, predicting the
    /// fitted data gives the labels and W again, the unit scores add up to log L, BIC and AIC from their formulas.</summary>
    private static void CommonContract<TData, TC>(IMixtureFit<TData, TC> fit, TData fitted, double logLOfFittedData)
    {
        var W = fit.Responsibilities;
        Assert.Equal(fit.K, W.ColumnCount);
        for (var u = 0; u < W.RowCount; u++) Assert.Equal(1.0, W.Row(u).Sum(), 1e-12);
        Assert.Equal(W.RowCount, fit.Labels.Length);
        for (var u = 0; u < W.RowCount; u++) Assert.Equal(W.Row(u).MaximumIndex(), fit.Labels[u]);
        Assert.Equal(fit.Labels.ToArray(), fit.Predict(fitted).Value().ToArray());
        var P = fit.PredictProba(fitted).Value();
        Assert.True((P - W).Enumerate().All(v => Math.Abs(v) < 1e-10));
        var scores = fit.ScoreSamples(fitted).Value();
        Assert.Equal(W.RowCount, scores.Length);
        Assert.Equal(logLOfFittedData, scores.Sum(), 1e-8 * Math.Abs(logLOfFittedData));
        Assert.Equal(-2 * fit.LogLikelihood + fit.FreeParameters * Math.Log(fit.Observations), fit.Bic, 1e-9);
        Assert.Equal(-2 * fit.LogLikelihood + 2 * fit.FreeParameters, fit.Aic, 1e-9);
        Assert.Equal(fit.Path.SelectedK, fit.K);
    }

    private static (double[,] X, int[] truth) TwoBlobs(int n, ulong seed)
    {
        var rng = Mixtures.Domain.Random.Seeds.Generator(seed);
        var X = new double[n, 2];
        var truth = new int[n];
        for (var i = 0; i < n; i++)
        {
            truth[i] = i % 3 == 0 ? 1 : 0;
            X[i, 0] = (truth[i] == 1 ? 6.0 : 0.0) + MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1);
            X[i, 1] = (truth[i] == 1 ? -2.0 : 1.0) + 0.5 * MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1);
        }
        return (X, truth);
    }

    [Fact]
    public void Gaussian_fit_on_plain_arrays_is_the_estimate_and_keeps_the_contract()
    {
        var (X, _) = TwoBlobs(600, 3);
        var fit = GaussianMixture.Fit(X, [1, 2, 3]).Value();
        var M = Matrix<double>.Build.DenseOfArray(X);
        var estimate = GaussianMixture.Estimate([1, 2, 3], M).Value();
        Assert.Equal(2, fit.K);
        Assert.Equal(estimate.SelectedK, fit.K);
        Assert.Equal(estimate.Selected.LogLikelihood, fit.LogLikelihood);
        var jagged = Enumerable.Range(0, X.GetLength(0)).Select(i => new[] { X[i, 0], X[i, 1] }).ToArray();
        Assert.Equal(fit.Labels.ToArray(), GaussianMixture.Fit(jagged, [1, 2, 3]).Value().Labels.ToArray());
        CommonContract(fit, M, GaussianMixture.LogL(fit.Components, fit.Weights, M));
    }

    [Fact]
    public void Gaussian_scores_are_the_closed_form_density_and_undo_standardization()
    {
        var (X, _) = TwoBlobs(300, 5);
        var M = Matrix<double>.Build.DenseOfArray(X);
        // K = 1: the ML mean and covariance (plus the ridge), then log N(x; mu, Sigma) written out
        var fit = GaussianMixture.Fit(X, [1]).Value();
        var n = M.RowCount;
        var mu = M.ColumnSums() / n;
        var C = Matrix<double>.Build.Dense(2, 2, (a, b) => Enumerable.Range(0, n).Sum(i => (M[i, a] - mu[a]) * (M[i, b] - mu[b])) / n)
                + Matrix<double>.Build.DenseIdentity(2) * GaussianFamily.DefaultRegCovar;
        var Cinv = C.Inverse();
        var logDet = Math.Log(C.Determinant());
        var scores = fit.ScoreSamples(X).Value();
        for (var i = 0; i < n; i += 37)
        {
            var r = M.Row(i) - mu;
            var expected = -0.5 * (2 * Math.Log(2 * Math.PI) + logDet + r * Cinv * r);
            Assert.Equal(expected, scores[i], 1e-9);
        }
        // standardized: densities are still in the data's units, so the scores agree with the unstandardized fit
        var std = GaussianMixture.Fit(X, [1], GaussianSettings.Default with { Standardize = true, RegCovar = 0 }).Value();
        var raw = GaussianMixture.Fit(X, [1], GaussianSettings.Default with { RegCovar = 0 }).Value();
        var a = std.ScoreSamples(X).Value();
        var b = raw.ScoreSamples(X).Value();
        for (var i = 0; i < n; i++) Assert.Equal(b[i], a[i], 1e-8);
        Assert.True((std.Means - raw.Means).Enumerate().All(v => Math.Abs(v) < 1e-9));
    }

    [Fact]
    public void Gaussian_sample_is_reproducible_and_recovers_the_model()
    {
        var (X, _) = TwoBlobs(900, 7);
        var fit = GaussianMixture.Fit(X, [2]).Value();
        var s1 = fit.Sample(20_000, 11);
        var s2 = fit.Sample(20_000, 11);
        Assert.Equal(s1.Data, s2.Data);
        Assert.Equal(s1.Labels.ToArray(), s2.Labels.ToArray());
        Assert.NotEqual(s1.Data, fit.Sample(20_000, 12).Data);
        // the draws' frequencies and the refit's means match the model (sampling error ~ 1/sqrt(n))
        for (var k = 0; k < 2; k++) Assert.Equal(fit.Weights.Pi[k], s1.Labels.Count(l => l == k) / 20_000.0, 0.02);
        var refit = GaussianMixture.Fit(s1.Data, [2]).Value();
        var order = Enumerable.Range(0, 2).Select(k => Enumerable.Range(0, 2).MinBy(m => (refit.Means.Row(m) - fit.Means.Row(k)).L2Norm())).ToArray();
        for (var k = 0; k < 2; k++)
        {
            Assert.True((refit.Means.Row(order[k]) - fit.Means.Row(k)).L2Norm() < 0.05);
            Assert.True((refit.Covariance(order[k]) - fit.Covariance(k)).FrobeniusNorm() < 0.1);
        }
    }

    [Fact]
    public void Ragged_rows_and_shape_mismatches_fail_as_values()
    {
        var ragged = new[] { new[] { 1.0, 2.0 }, new[] { 3.0 } };
        Assert.Contains("row 2 has 1 values but row 1 has 2", GaussianMixture.Fit(ragged).Match(_ => "", e => e.Message));
        var (X, _) = TwoBlobs(200, 1);
        var fit = GaussianMixture.Fit(X, [1, 2]).Value();
        Assert.Contains("the model has 2 columns, the data 3", fit.Predict(new double[4, 3]).Match(_ => "", e => e.Message));
        Assert.Contains("y has 2 values but the covariates have 3 rows", RegressionRows.Of([1.0, 2.0], new double[3, 1]).Match(_ => "", e => e.Message));
        Assert.Contains("store 2, week 3", SalesPanel.Of(new double[,] { { 1, 2, 3 }, { 1, 2, -1 } }, [1.0, 2.0, 3.0]).Match(_ => "", e => e.Message));
    }

    private static RegressionRows TwoLines(int n, ulong seed, bool grouped)
    {
        var rng = Mixtures.Domain.Random.Seeds.Generator(seed);
        var y = new double[n];
        var x = new double[n, 1];
        var g = new int[n];
        for (var i = 0; i < n; i++)
        {
            g[i] = i / 4;
            var c = grouped ? (g[i] % 3 == 0 ? 1 : 0) : (i % 3 == 0 ? 1 : 0);
            x[i, 0] = rng.NextDouble() * 10;
            y[i] = (c == 1 ? 5.0 - 1.0 * x[i, 0] : 1.0 + 2.0 * x[i, 0]) + (c == 1 ? 0.5 : 1.0) * MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1);
        }
        return RegressionRows.Of(y, x, grouped ? g : null).Value();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Regression_fit_keeps_the_contract_and_its_sample_recovers_the_classes(bool grouped)
    {
        var rows = TwoLines(800, 2, grouped);
        var fit = LatentClassRegression.Fit(rows, [1, 2, 3]).Value();
        Assert.Equal(2, fit.K);
        Assert.Equal(grouped ? 200 : 800, fit.Labels.Length);
        CommonContract(fit, rows, LatentClassRegression.LogL(fit.Components, fit.Weights, rows.Data));
        var path = LatentClassRegression.Estimate([1, 2, 3], rows.Data, RegressionSettings.Default).Value();
        Assert.Equal(path.Selected!.LogLikelihood, fit.LogLikelihood);

        var sample = fit.Sample(grouped ? 2000 : 8000, 9);
        var again = fit.Sample(grouped ? 2000 : 8000, 9);
        Assert.Equal(sample.Data.Y.ToArray(), again.Data.Y.ToArray());
        Assert.Equal(sample.Data.Design, again.Data.Design);
        Assert.Equal(sample.Labels.ToArray(), again.Labels.ToArray());
        Assert.Equal(grouped, sample.Data.Grouped);
        var refit = LatentClassRegression.Fit(sample.Data, [2]).Value();
        foreach (var c in fit.Components.Classes)
        {
            var near = refit.Components.Classes.MinBy(r => Math.Abs(r.Beta[1] - c.Beta[1]))!;
            Assert.Equal(c.Beta[0], near.Beta[0], 0.1);
            Assert.Equal(c.Beta[1], near.Beta[1], 0.02);
            Assert.Equal(c.Sigma, near.Sigma, 0.05);
        }
    }

    [Fact]
    public void Regression_fit_on_plain_arrays_adds_the_intercept()
    {
        var rows = TwoLines(300, 4, false);
        var y = rows.Y.ToArray();
        var x = Enumerable.Range(0, rows.Rows).Select(i => new[] { rows.Design[i, 1] }).ToArray();
        var fit = LatentClassRegression.Fit(y, x, [2]).Value();
        Assert.Equal(2, fit.Components.Classes[0].Beta.Length);
        Assert.Equal(LatentClassRegression.Fit(rows, [2]).Value().LogLikelihood, fit.LogLikelihood);
    }

    private static SalesPanel Bundled()
    {
        var input = SalesCsv.Read(Path.Combine(TestSupport.RepoRoot, "data", "sales.csv")).Value();
        return input.Panel;
    }

    [Fact]
    public void Sales_fit_is_the_spec_estimate_with_stores_in_rows()
    {
        var panel = Bundled();
        var fit = SalesModel.Fit(panel, [2, 3]).Value();
        var y = panel.LogSales;
        var X = panel.Design;
        var spec = SalesModel.EstimateMany([2, 3], y, X).Value();
        var selected = spec.MinBy(e => e.Bic)!;
        Assert.Equal(selected.K, fit.K);
        Assert.Equal(selected.LogLikelihood, fit.LogLikelihood);
        Assert.Equal(selected.Theta, fit.Theta);
        Assert.Equal(panel.Stores, fit.Labels.Length);
        CommonContract(fit, panel, SalesModel.LogL(fit.Theta, fit.Weights, y, X));
        Assert.True((SalesModel.EStep(fit.Theta, fit.Weights, y, X) - fit.Responsibilities).Enumerate().All(v => Math.Abs(v) < 1e-12));
    }

    [Fact]
    public void Sales_panel_from_rows_of_unit_sales_is_the_transposed_log()
    {
        var panel = SalesPanel.Of(new double[][] { [1.0, Math.E, 10.0], [2.0, 3.0, 4.0] }, [1.0, 2.0, 4.0]).Value();
        Assert.Equal(2, panel.Stores);
        Assert.Equal(3, panel.Weeks);
        Assert.Equal(1.0, panel.LogSales[1, 0], 1e-15);
        Assert.Equal(Math.Log(4.0), panel.LogSales[2, 1], 1e-15);
        Assert.Equal(Math.Log(2.0), panel.Design[1, 1], 1e-15);
        Assert.Equal(4.0, panel.Sales[1, 2], 1e-12);
        Assert.Contains("same price", SalesPanel.Of(new double[,] { { 1, 2, 3 } }, [2.0, 2.0, 2.0]).Match(_ => "", e => e.Message));
    }

    [Fact]
    public void Sales_sample_is_at_the_fitted_prices_and_recovers_theta()
    {
        var panel = Bundled();
        var fit = SalesModel.Fit(panel, [3]).Value();
        var sample = fit.Sample(3000, 5);
        Assert.Equal(panel.Prices.ToArray(), sample.Data.Prices.ToArray());
        Assert.Equal(sample.Data.LogSales, fit.Sample(3000, 5).Data.LogSales);
        var refit = SalesModel.Fit(sample.Data, [3]).Value();
        foreach (var s in fit.Theta.Segments)
        {
            var near = refit.Theta.Segments.MinBy(r => Math.Abs(r.Beta - s.Beta) + Math.Abs(r.Alpha - s.Alpha))!;
            Assert.Equal(s.Alpha, near.Alpha, 0.05);
            Assert.Equal(s.Beta, near.Beta, 0.05);
        }
        // new stores at other prices are refused, naming the week
        var other = SalesPanel.FromLogSales(sample.Data.LogSales, sample.Data.Prices.SetItem(4, sample.Data.Prices[4] + 0.01)).Value();
        Assert.Contains("week 5", fit.Predict(other).Match(_ => "", e => e.Message));
        // the predicted segments of sampled stores are mostly the ones they were drawn from (both in the model's order)
        var predicted = fit.Predict(sample.Data).Value();
        Assert.True(Enumerable.Range(0, 3000).Count(i => predicted[i] == sample.Labels[i]) > 0.9 * 3000);
    }
}
