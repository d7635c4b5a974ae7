using System.Text.Json;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Domain.Random;
using Mixtures.Domain.Regression;
using Mixtures.Domain.Simulate;
using Mixtures.Tests.Gaussian;
using Mixtures.Tests.Regression;

namespace Mixtures.Tests.Em;

/// <summary>
/// Observation weights (<see cref="ObservationWeights"/>): whole-number weights give exactly what the data with every unit
/// repeated w_u times give (log L at fixed parameters, EM from the same start, the observed information and so the
/// standard errors, BIC's n), for every family; a weight of 0 is the unit left out; the weighted Gaussian regression reaches
/// flexmix's weighted optimum (tests/reference/glm/weights_replication.json, its <c>optimum</c> block, which is ML).
/// </summary>
public class ObservationWeightsTests
{
    private static readonly EmOptions Plain = EmOptions.Default with { Tolerance = 1e-11, MaxIterations = 20000 };

    private static void Close(double expected, double actual, double relative, string what) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(1.0, Math.Abs(expected)),
            $"{what}: expected {expected:R}, got {actual:R} (difference {Math.Abs(expected - actual):G3})");

    /// <summary>The rows of every unit repeated w_u times, in order: the source index of every replicated unit.</summary>
    private static int[] Replicate(IReadOnlyList<double> w)
    {
        var idx = new List<int>();
        for (var u = 0; u < w.Count; u++)
            for (var r = 0; r < (int)w[u]; r++) idx.Add(u);
        return [.. idx];
    }

    /// <summary>W0 of the replicated units from W0 of the units.</summary>
    private static Matrix<double> ReplicateRows(Matrix<double> W0, int[] source) =>
        Matrix<double>.Build.Dense(source.Length, W0.ColumnCount, (i, k) => W0[source[i], k]);

    private static double[] IntegerWeights(int n, ulong seed, int max = 3, bool zeros = false)
    {
        var rng = Seeds.Generator(seed);
        return Enumerable.Range(0, n).Select(_ => (double)rng.Next(zeros ? 0 : 1, max + 1)).ToArray();
    }

    private static ObservationWeights Weights(double[] w) => ObservationWeights.Of(w).Value();

    // ---------------------------------------------------------------- the Gaussian regression of flexmix's reference

    private static (double[] Y, double[] X, double[] W) Reference()
    {
        var c = GlmTests.Csv("weights_replication.csv", "y", "x", "w");
        return (c["y"], c["x"], c["w"]);
    }

    private static (double[] Y, double[] X) ReferenceReplicated()
    {
        var c = GlmTests.Csv("weights_replication_replicated.csv", "y", "x");
        return (c["y"], c["x"]);
    }

    private static JsonElement Optimum() =>
        JsonDocument.Parse(File.ReadAllText(GlmTests.Reference("weights_replication.json"))).RootElement.GetProperty("optimum");

    private static Mixture<RegressionComponents> OptimumMixture()
    {
        var opt = Optimum();
        var classes = opt.GetProperty("components").EnumerateArray()
            .Select(c => new RegressionClass([.. c.GetProperty("coefficients").EnumerateObject().Select(p => p.Value.GetDouble())], c.GetProperty("sigma").GetDouble()))
            .ToArray();
        return new(new RegressionComponents([.. classes]), MixingWeights.Normalised(opt.GetProperty("prior").EnumerateArray().Select(v => v.GetDouble())));
    }

    [Fact]
    public void The_replicated_reference_file_is_the_weighted_file_with_every_row_repeated_w_times()
    {
        var (y, x, w) = Reference();
        var (yr, xr) = ReferenceReplicated();
        var src = Replicate(w);
        Assert.Equal(390.0, w.Sum());
        Assert.Equal(src.Select(i => y[i]), yr);
        Assert.Equal(src.Select(i => x[i]), xr);
    }

    [Fact]
    public void Regression_log_likelihood_with_integer_weights_equals_the_replicated_rows_at_fixed_parameters()
    {
        var (y, x, w) = Reference();
        var (yr, xr) = ReferenceReplicated();
        var m = OptimumMixture();
        var weighted = LatentClassRegression.Data(y, GlmTests.Design(x), null, Weights(w));
        var replicated = LatentClassRegression.Data(yr, GlmTests.Design(xr));
        var a = LatentClassRegression.LogL(m.Components, m.Weights, weighted);
        var b = LatentClassRegression.LogL(m.Components, m.Weights, replicated);
        Close(b, a, 1e-12, "log L");
        // and flexmix's log L at its optimum
        Close(Optimum().GetProperty("loglik").GetDouble(), a, 1e-12, "flexmix's log L");
        // the unweighted data differ
        Assert.NotEqual(a, LatentClassRegression.LogL(m.Components, m.Weights, LatentClassRegression.Data(y, GlmTests.Design(x))), 6);
    }

    [Fact]
    public void Regression_EM_from_the_same_start_gives_the_replicated_fit_and_standard_errors()
    {
        var (y, x, w) = Reference();
        var (yr, xr) = ReferenceReplicated();
        var weighted = LatentClassRegression.Data(y, GlmTests.Design(x), null, Weights(w));
        var replicated = LatentClassRegression.Data(yr, GlmTests.Design(xr));
        var family = new RegressionFamily(VarianceModel.PerClass);
        var W0 = Estimation.RandomPartition(y.Length, 2, Seeds.Generator(7));
        var a = EmLoop.Run(family, weighted, W0, Plain, new StartInfo(StartKind.Given, 0)).Value();
        var b = EmLoop.Run(family, replicated, ReplicateRows(W0, Replicate(w)), Plain, new StartInfo(StartKind.Given, 0)).Value();
        Assert.True(a.Converged && b.Converged);
        Close(b.LogLikelihood, a.LogLikelihood, 1e-12, "log L");
        for (var c = 0; c < 2; c++)
        {
            for (var j = 0; j < 2; j++) Close(b.Mixture.Components.Classes[c].Beta[j], a.Mixture.Components.Classes[c].Beta[j], 1e-9, $"beta[{c},{j}]");
            Close(b.Mixture.Components.Classes[c].Sigma, a.Mixture.Components.Classes[c].Sigma, 1e-9, $"sigma[{c}]");
            Close(b.Mixture.Weights.Pi[c], a.Mixture.Weights.Pi[c], 1e-9, $"pi[{c}]");
        }
        // the standard errors at the same parameters: the information of the weighted log L is that of the replicated rows
        var sa = LatentClassRegression.StandardErrors(a.Mixture.Components, a.Mixture.Weights, weighted, VarianceModel.PerClass).Value();
        var sb = LatentClassRegression.StandardErrors(a.Mixture.Components, a.Mixture.Weights, replicated, VarianceModel.PerClass).Value();
        for (var i = 0; i < sa.Covariance.RowCount; i++)
        for (var k = 0; k < sa.Covariance.ColumnCount; k++)
            Close(sb.Covariance[i, k], sa.Covariance[i, k], 1e-9 * Math.Sqrt(sb.Covariance[i, i] * sb.Covariance[k, k]) / Math.Max(1.0, Math.Abs(sb.Covariance[i, k])), $"Cov[{i},{k}]");
    }

    [Fact]
    public void Weighted_regression_reaches_flexmixs_weighted_optimum_with_its_standard_errors_and_n_for_BIC_is_the_sum_of_weights()
    {
        var (y, x, w) = Reference();
        var data = LatentClassRegression.Data(y, GlmTests.Design(x), null, Weights(w));
        var settings = RegressionSettings.Default with { MinPrior = 0 };
        var path = LatentClassRegression.Estimate([1, 2], data, settings).Value();
        var fit = path.For(2)!.Estimate!;
        var opt = Optimum();
        var ll = opt.GetProperty("loglik").GetDouble();
        Assert.True(fit.LogLikelihood >= ll - 1e-6 * Math.Abs(ll), $"ours {fit.LogLikelihood:R}, flexmix's optimum {ll:R}");
        Close(ll, fit.LogLikelihood, 1e-10, "log L");
        Assert.Equal(200, path.Observations);
        Assert.Equal(390.0, path.SampleSize);
        Assert.Equal(390.0, fit.SampleSize);
        Assert.Equal(-2 * fit.LogLikelihood + 7 * Math.Log(390), fit.Bic, 1e-9);
        var se = LatentClassRegression.StandardErrors(fit.Best.Mixture.Components, fit.Best.Mixture.Weights, data, VarianceModel.PerClass).Value();
        var comps = opt.GetProperty("components").EnumerateArray().ToArray();
        for (var c = 0; c < 2; c++)
        {
            var cls = fit.Best.Mixture.Components.Classes[c];
            var beta = comps[c].GetProperty("coefficients").EnumerateObject().Select(p => p.Value.GetDouble()).ToArray();
            var bse = comps[c].GetProperty("coefficients_se").EnumerateObject().Select(p => p.Value.GetDouble()).ToArray();
            for (var j = 0; j < 2; j++)
            {
                Close(beta[j], cls.Beta[j], 1e-7, $"beta[{c},{j}]");
                Close(bse[j], se.Beta[c][j].StdError, 1e-5 * bse[j], $"SE beta[{c},{j}]");
            }
            Close(comps[c].GetProperty("sigma").GetDouble(), cls.Sigma, 1e-7, $"sigma[{c}]");
            var lse = comps[c].GetProperty("log_sigma_se").GetDouble();
            Close(lse, se.LogSigma[c].StdError, 1e-5 * lse, $"SE log sigma[{c}]");
            Close(opt.GetProperty("prior")[c].GetDouble(), fit.Best.Mixture.Weights.Pi[c], 1e-7, $"pi[{c}]");
        }
        var logitSe = opt.GetProperty("logit_se")[1].GetDouble();
        Close(logitSe, se.Logit[0].StdError, 1e-5 * logitSe, "SE logit");
    }

    [Fact]
    public void Weights_all_one_give_bit_identical_estimates_to_no_weights()
    {
        var (y, x, _) = Reference();
        var plain = LatentClassRegression.Data(y, GlmTests.Design(x));
        var ones = plain.WithWeights(Weights(Enumerable.Repeat(1.0, y.Length).ToArray()));
        var settings = RegressionSettings.Default with { Starts = 4 };
        var a = LatentClassRegression.Estimate([1, 2, 3], plain, settings).Value();
        var b = LatentClassRegression.Estimate([1, 2, 3], ones, settings).Value();
        Assert.Null(b.WeightedObservations);
        for (var i = 0; i < a.Fits.Length; i++)
        {
            Assert.Equal(a.Fits[i].LogLikelihood, b.Fits[i].LogLikelihood);
            Assert.Equal(a.Fits[i].Bic, b.Fits[i].Bic);
            Assert.Equal(a.Fits[i].Estimate!.Best.Mixture, b.Fits[i].Estimate!.Best.Mixture);
        }
    }

    [Fact]
    public void A_zero_weight_is_the_unit_left_out()
    {
        var (y, x, _) = Reference();
        var w = IntegerWeights(y.Length, 11, max: 2, zeros: true);
        var keep = Enumerable.Range(0, y.Length).Where(i => w[i] > 0).ToArray();
        var weighted = LatentClassRegression.Data(y, GlmTests.Design(x), null, Weights(w.Select(v => v > 0 ? 1.0 : 0.0).ToArray()));
        var kept = LatentClassRegression.Data(keep.Select(i => y[i]).ToArray(), GlmTests.Design(keep.Select(i => x[i]).ToArray()));
        var m = OptimumMixture();
        Close(LatentClassRegression.LogL(m.Components, m.Weights, kept), LatentClassRegression.LogL(m.Components, m.Weights, weighted), 1e-12, "log L");
        var family = new RegressionFamily(VarianceModel.PerClass);
        var W0 = Estimation.RandomPartition(y.Length, 2, Seeds.Generator(3));
        var a = EmLoop.Run(family, weighted, W0, Plain, new StartInfo(StartKind.Given, 0)).Value();
        var b = EmLoop.Run(family, kept, Matrix<double>.Build.Dense(keep.Length, 2, (i, k) => W0[keep[i], k]), Plain, new StartInfo(StartKind.Given, 0)).Value();
        Close(b.LogLikelihood, a.LogLikelihood, 1e-12, "log L");
        for (var c = 0; c < 2; c++) Close(b.Mixture.Components.Classes[c].Beta[0], a.Mixture.Components.Classes[c].Beta[0], 1e-9, "intercept");
    }

    // ---------------------------------------------------------------- grouped regression, with and without concomitants

    private static (double[] Y, Matrix<double> X, int[] Group, double[] GroupW, double[] Z) Grouped(int groups, int rows, ulong seed)
    {
        var rng = Seeds.Generator(seed);
        var n = groups * rows;
        var y = new double[n];
        var x = new double[n];
        var g = new int[n];
        var z = new double[groups];
        for (var u = 0; u < groups; u++)
        {
            z[u] = rng.NextDouble() * 2 - 1;
            var cls = rng.NextDouble() < 1 / (1 + Math.Exp(-1.5 * z[u])) ? 1 : 0;
            for (var r = 0; r < rows; r++)
            {
                var i = u * rows + r;
                x[i] = rng.NextDouble() * 4;
                var e = Normal(rng);
                y[i] = cls == 0 ? 1 + 2 * x[i] + 0.5 * e : 4 - x[i] + e;
                g[i] = u;
            }
        }
        return (y, GlmTests.Design(x), g, IntegerWeights(groups, seed + 1), z);
    }

    private static double Normal(System.Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>The grouped rows with every group repeated w_g times (each copy a new group), and the source group of every unit.</summary>
    private static (double[] Y, Matrix<double> X, int[] Group, int[] Source) ReplicateGroups(double[] y, Matrix<double> X, int[] g, double[] gw)
    {
        var ry = new List<double>();
        var rx = new List<double[]>();
        var rg = new List<int>();
        var source = new List<int>();
        var groups = g.Max() + 1;
        for (var u = 0; u < groups; u++)
            for (var copy = 0; copy < (int)gw[u]; copy++)
            {
                var label = source.Count;
                source.Add(u);
                for (var i = 0; i < y.Length; i++)
                    if (g[i] == u) { ry.Add(y[i]); rx.Add(X.Row(i).ToArray()); rg.Add(label); }
            }
        return ([.. ry], Matrix<double>.Build.DenseOfRowArrays(rx), [.. rg], [.. source]);
    }

    [Fact]
    public void Grouped_regression_with_weights_per_group_equals_the_groups_replicated()
    {
        var (y, X, g, gw, _) = Grouped(60, 3, 21);
        var (yr, Xr, gr, src) = ReplicateGroups(y, X, g, gw);
        var weighted = LatentClassRegression.Data(y, X, g, Weights(gw));
        var replicated = LatentClassRegression.Data(yr, Xr, gr);
        Assert.Equal(replicated.Observations, weighted.WeightedObservations);
        var family = new RegressionFamily(VarianceModel.PerClass);
        var W0 = Estimation.RandomPartition(60, 2, Seeds.Generator(5));
        var a = EmLoop.Run(family, weighted, W0, Plain, new StartInfo(StartKind.Given, 0)).Value();
        var b = EmLoop.Run(family, replicated, ReplicateRows(W0, src), Plain, new StartInfo(StartKind.Given, 0)).Value();
        Close(b.LogLikelihood, a.LogLikelihood, 1e-12, "log L");
        Close(LatentClassRegression.LogL(a.Mixture.Components, a.Mixture.Weights, replicated), LatentClassRegression.LogL(a.Mixture.Components, a.Mixture.Weights, weighted), 1e-12, "log L at fixed parameters");
        for (var c = 0; c < 2; c++)
        for (var j = 0; j < 2; j++) Close(b.Mixture.Components.Classes[c].Beta[j], a.Mixture.Components.Classes[c].Beta[j], 1e-9, $"beta[{c},{j}]");
        var sa = LatentClassRegression.StandardErrors(a.Mixture.Components, a.Mixture.Weights, weighted, VarianceModel.PerClass).Value();
        var sb = LatentClassRegression.StandardErrors(a.Mixture.Components, a.Mixture.Weights, replicated, VarianceModel.PerClass).Value();
        for (var c = 0; c < 2; c++)
        for (var j = 0; j < 2; j++) Close(sb.Beta[c][j].StdError, sa.Beta[c][j].StdError, 1e-9 * sb.Beta[c][j].StdError, $"SE beta[{c},{j}]");
        Close(sb.Logit[0].StdError, sa.Logit[0].StdError, 1e-9 * sb.Logit[0].StdError, "SE logit");
    }

    [Fact]
    public void Grouped_regression_with_concomitants_and_weights_equals_the_groups_replicated()
    {
        var (y, X, g, gw, z) = Grouped(80, 2, 31);
        var (yr, Xr, gr, src) = ReplicateGroups(y, X, g, gw);
        var weighted = LatentClassRegression.Data(y, X, g, Weights(gw));
        var replicated = LatentClassRegression.Data(yr, Xr, gr);
        var cw = ConcomitantWeights.WithIntercept(Matrix<double>.Build.Dense(80, 1, z), ["z"]).WithObservationWeights(weighted.Weights);
        var cr = ConcomitantWeights.WithIntercept(Matrix<double>.Build.Dense(src.Length, 1, (i, _) => z[src[i]]), ["z"]);
        var family = new RegressionFamily(VarianceModel.PerClass);
        var W0 = Estimation.RandomPartition(80, 2, Seeds.Generator(8));
        var a = EmLoop.Run(family, cw, weighted, W0, Plain, new StartInfo(StartKind.Given, 0)).Value();
        var b = EmLoop.Run(family, cr, replicated, ReplicateRows(W0, src), Plain, new StartInfo(StartKind.Given, 0)).Value();
        Close(b.LogLikelihood, a.LogLikelihood, 1e-12, "log L");
        for (var j = 0; j < 2; j++) Close(b.Mixture.Weights.Gamma(1, j), a.Mixture.Weights.Gamma(1, j), 1e-7, $"gamma[{j}]");
        for (var c = 0; c < 2; c++) Close(b.Mixture.Weights.Pi[c], a.Mixture.Weights.Pi[c], 1e-9, $"mean prior[{c}]");
        var sa = LatentClassRegression.StandardErrors(a.Mixture.Components, a.Mixture.Weights, weighted, VarianceModel.PerClass, cw).Value();
        var sb = LatentClassRegression.StandardErrors(a.Mixture.Components, a.Mixture.Weights, replicated, VarianceModel.PerClass, cr).Value();
        for (var c = 0; c < 2; c++)
        for (var j = 0; j < 2; j++) Close(sb.Beta[c][j].StdError, sa.Beta[c][j].StdError, 1e-9 * sb.Beta[c][j].StdError, $"SE beta[{c},{j}]");
        for (var j = 0; j < 2; j++) Close(sb.Gamma[0][j].StdError, sa.Gamma[0][j].StdError, 1e-9 * sb.Gamma[0][j].StdError, $"SE gamma[{j}]");
        for (var c = 0; c < 2; c++) Close(sb.Pi[c].StdError, sa.Pi[c].StdError, 1e-9 * sb.Pi[c].StdError, $"SE pi[{c}]");
    }

    // ---------------------------------------------------------------- GLM families

    public static TheoryData<string> GlmCases => new() { "poisson", "binomial" };

    [Theory]
    [MemberData(nameof(GlmCases))]
    public void Glm_with_integer_weights_equals_the_replicated_rows(string response)
    {
        var truth = response == "poisson" ? GlmTruth.PoissonExample : GlmTruth.BinomialExample(8);
        var s = GlmSimulator.Simulate(truth, 300, 17);
        var X = LatentClassRegression.Design(s.Covariates);
        var w = IntegerWeights(300, 19);
        var src = Replicate(w);
        double[]? trials = s.Trials.IsDefaultOrEmpty ? null : [.. s.Trials];
        var weighted = GlmData.Of(truth.Response, s.Y, X, trials: trials).Value().WithWeights(Weights(w));
        var replicated = GlmData.Of(truth.Response, src.Select(i => s.Y[i]).ToArray(), Matrix<double>.Build.Dense(src.Length, X.ColumnCount, (i, j) => X[src[i], j]),
            trials: trials is null ? null : src.Select(i => s.Trials[i]).ToArray()).Value();
        Assert.Equal(replicated.Rows, weighted.WeightedObservations);
        var W0 = Estimation.RandomPartition(300, 2, Seeds.Generator(2));
        var a = EmLoop.Run(GlmFamily.Instance, weighted, W0, Plain, new StartInfo(StartKind.Given, 0)).Value();
        var b = EmLoop.Run(GlmFamily.Instance, replicated, ReplicateRows(W0, src), Plain, new StartInfo(StartKind.Given, 0)).Value();
        Close(b.LogLikelihood, a.LogLikelihood, 1e-12, "log L");
        Close(GlmRegression.LogL(a.Mixture.Components, a.Mixture.Weights, replicated), GlmRegression.LogL(a.Mixture.Components, a.Mixture.Weights, weighted), 1e-12, "log L at fixed parameters");
        for (var c = 0; c < 2; c++)
        for (var j = 0; j < 2; j++) Close(b.Mixture.Components.Classes[c].Beta[j], a.Mixture.Components.Classes[c].Beta[j], 1e-9, $"beta[{c},{j}]");
        var sa = GlmRegression.StandardErrors(a.Mixture.Components, a.Mixture.Weights, weighted).Value();
        var sb = GlmRegression.StandardErrors(a.Mixture.Components, a.Mixture.Weights, replicated).Value();
        for (var c = 0; c < 2; c++)
        for (var j = 0; j < 2; j++) Close(sb.Beta[c][j].StdError, sa.Beta[c][j].StdError, 1e-9 * sb.Beta[c][j].StdError, $"SE beta[{c},{j}]");
        Close(sb.Logit[0].StdError, sa.Logit[0].StdError, 1e-9 * sb.Logit[0].StdError, "SE logit");
    }

    // ---------------------------------------------------------------- Gaussian mixtures

    public static TheoryData<CovarianceType> Covariances => new() { CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diag, CovarianceType.Spherical };

    [Theory]
    [MemberData(nameof(Covariances))]
    public void Gaussian_mixture_with_integer_weights_equals_the_replicated_rows(CovarianceType type)
    {
        var (X, _, _) = GaussianTestData.Separated(240, 2, 3, 4, spacing: 3.0);
        var w = IntegerWeights(240, 9, max: 3, zeros: true);
        var src = Replicate(w);
        var weighted = GaussianData.Of(X).Value().WithWeights(Weights(w));
        var replicated = GaussianData.Of(Matrix<double>.Build.Dense(src.Length, 2, (i, j) => X[src[i], j])).Value();
        var family = new GaussianFamily(type);
        Assert.Equal(replicated.N, family.WeightedObservations(weighted));
        var W0 = Estimation.RandomPartition(240, 3, Seeds.Generator(6));
        var a = EmLoop.Run(family, weighted, W0, Plain, new StartInfo(StartKind.Given, 0)).Value();
        var b = EmLoop.Run(family, replicated, ReplicateRows(W0, src), Plain, new StartInfo(StartKind.Given, 0)).Value();
        Close(b.LogLikelihood, a.LogLikelihood, 1e-12, "log L");
        Close(GaussianMixture.LogL(a.Mixture.Components, a.Mixture.Weights, replicated), GaussianMixture.LogL(a.Mixture.Components, a.Mixture.Weights, weighted), 1e-12, "log L at fixed parameters");
        var ca = a.Mixture.Components;
        var cb = b.Mixture.Components;
        for (var k = 0; k < 3; k++)
        {
            Close(b.Mixture.Weights.Pi[k], a.Mixture.Weights.Pi[k], 1e-9, $"pi[{k}]");
            for (var j = 0; j < 2; j++) Close(cb.Mean(k)[j], ca.Mean(k)[j], 1e-9, $"mu[{k},{j}]");
            var Sa = ca.Covariance(k);
            var Sb = cb.Covariance(k);
            for (var i = 0; i < 2; i++)
            for (var j = 0; j < 2; j++) Close(Sb[i, j], Sa[i, j], 1e-9, $"Sigma[{k}][{i},{j}]");
        }
    }

    // ---------------------------------------------------------------- the store-sales panel

    [Fact]
    public void Sales_panel_with_integer_store_weights_equals_the_stores_replicated()
    {
        var (y, X, _) = TestSupport.Panel(SalesSimulator.RandomTruth(3, 5), 40, 12, 6);
        var w = IntegerWeights(40, 13);
        var src = Replicate(w);
        var yr = Matrix<double>.Build.Dense(12, src.Length, (t, i) => y[t, src[i]]);
        var W0 = Estimation.RandomPartition(40, 3, Seeds.Generator(4));
        var a = SalesModel.EM(W0, y, X, Plain, Weights(w)).Value();
        var b = SalesModel.EM(ReplicateRows(W0, src), yr, X, Plain).Value();
        Close(b.LogLikelihood, a.LogLikelihood, 1e-12, "log L");
        Close(SalesModel.LogL(a.Theta, a.Pi, yr, X), SalesModel.LogL(a.Theta, a.Pi, y, X, Weights(w)), 1e-12, "log L at fixed parameters");
        for (var k = 0; k < 3; k++)
        {
            Close(b.Theta.Segments[k].Alpha, a.Theta.Segments[k].Alpha, 1e-9, $"alpha[{k}]");
            Close(b.Theta.Segments[k].Beta, a.Theta.Segments[k].Beta, 1e-9, $"beta[{k}]");
            Close(b.Pi.Pi[k], a.Pi.Pi[k], 1e-9, $"pi[{k}]");
        }
        var path = SalesModel.EstimatePath([2], y, X, new EstimationSettings(SalesModel.Plan(4), 1, SalesModel.EstimationOptions), Weights(w));
        Assert.Equal(12 * w.Sum(), path.SampleSize);
        Assert.Equal(12 * w.Sum(), SalesModel.ToSalesEstimate(path.Fits[0], y, X).SampleSize);
    }

    // ---------------------------------------------------------------- validation

    [Theory]
    [InlineData(double.NaN, "not a finite number")]
    [InlineData(double.PositiveInfinity, "not a finite number")]
    [InlineData(-1.0, "negative")]
    public void Bad_weights_fail_naming_the_unit(double bad, string why)
    {
        var e = ObservationWeights.Of([1.0, bad, 2.0]).Match(_ => null!, e => e);
        var rv = Assert.IsType<RowValueError>(e);
        Assert.Equal(1, rv.Row);
        Assert.Contains(why, rv.Reason);
    }

    [Fact]
    public void All_zero_weights_fail()
    {
        Assert.True(ObservationWeights.Of([0.0, 0.0]).IsFail);
        Assert.True(ObservationWeights.Of([0.0, 0.5]).IsSucc);
    }
}
