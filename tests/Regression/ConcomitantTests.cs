using System.Collections.Immutable;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;

namespace Mixtures.Tests.Regression;

/// <summary>Concomitant variables: Pr[C_u = k | z_u] = softmax_k(z_u' gamma_k), gamma_1 = 0 (flexmix's FLXPmultinom).</summary>
public class ConcomitantTests
{
    private static readonly double[,] TrueGamma = { { 0, 0 }, { -0.5, 1.5 }, { 0.8, -1.0 } };   // K = 3, q = 2 (intercept, z)

    private static double[] Softmax(double z, double[,] gamma)
    {
        var K = gamma.GetLength(0);
        var eta = Enumerable.Range(0, K).Select(k => gamma[k, 0] + gamma[k, 1] * z).ToArray();
        var m = eta.Max();
        var e = eta.Select(x => Math.Exp(x - m)).ToArray();
        return e.Select(x => x / e.Sum()).ToArray();
    }

    [Fact]
    public void The_m_step_recovers_gamma_exactly_when_the_responsibilities_are_the_priors()
    {
        // with W[u,.] = softmax(z_u' gamma*) the score sum_u (W_uk - p_uk) z_u vanishes at gamma*: the M-step must return it
        var n = 400;
        var rng = Mixtures.Domain.Random.Seeds.Generator(3);
        var zs = Enumerable.Range(0, n).Select(_ => Normal.Sample(rng, 0, 1)).ToArray();
        var W = new double[n * 3];
        for (var u = 0; u < n; u++)
        {
            var p = Softmax(zs[u], TrueGamma);
            for (var k = 0; k < 3; k++) W[k * n + u] = p[k];
        }
        var model = ConcomitantWeights.WithIntercept(Matrix<double>.Build.Dense(n, 1, zs), ["z"]);
        var w = model.Fit(W, n, 3).Value();
        Assert.Equal(2, w.CoefficientCount);
        for (var k = 0; k < 3; k++)
        for (var j = 0; j < 2; j++) Assert.Equal(TrueGamma[k, j], w.Gamma(k, j), 1e-8);
        // pi is the mean prior
        for (var k = 0; k < 3; k++) Assert.Equal(Enumerable.Range(0, n).Average(u => W[k * n + u]), w.Pi[k], 1e-10);
        // and the E-step's log priors are log softmax
        var logP = model.LogPrior(w, n);
        Assert.Equal(Math.Log(Softmax(zs[7], TrueGamma)[2]), logP[2 * n + 7], 1e-9);
    }

    [Fact]
    public void Two_classes_reduce_to_a_weighted_logistic_regression()
    {
        // K = 2: gamma_2 solves sum_u (W_u2 - p_u) z_u = 0 (the logistic score) - checked on the fitted values
        var n = 300;
        var rng = Mixtures.Domain.Random.Seeds.Generator(8);
        var zs = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
        var W = new double[n * 2];
        for (var u = 0; u < n; u++) { W[n + u] = rng.NextDouble(); W[u] = 1 - W[n + u]; }
        var w = ConcomitantWeights.WithIntercept(Matrix<double>.Build.Dense(n, 1, zs), ["z"]).Fit(W, n, 2).Value();
        double g0 = 0, g1 = 0;
        for (var u = 0; u < n; u++)
        {
            var p = 1 / (1 + Math.Exp(-(w.Gamma(1, 0) + w.Gamma(1, 1) * zs[u])));
            g0 += W[n + u] - p;
            g1 += (W[n + u] - p) * zs[u];
        }
        Assert.True(Math.Abs(g0) < 1e-8 && Math.Abs(g1) < 1e-8, $"score ({g0}, {g1})");
        Assert.Equal(0.0, w.Gamma(0, 0));
        Assert.Equal(0.0, w.Gamma(0, 1));
    }

    [Fact]
    public void Separating_concomitants_reach_the_supremum_with_numerically_zero_priors()
    {
        // z < 24.5 is class 1, z > 24.5 class 2: the logit's maximum is at infinity, where the objective
        // sum_u sum_k W_uk log p_uk (W 0 or 1) tends to its supremum 0
        var n = 50;
        var zs = Enumerable.Range(0, n).Select(u => (double)u).ToArray();
        var W = new double[n * 2];
        for (var u = 0; u < n; u++) { var hi = u >= 25 ? 1.0 : 0.0; W[n + u] = hi; W[u] = 1 - hi; }
        var model = ConcomitantWeights.WithIntercept(Matrix<double>.Build.Dense(n, 1, zs), ["z"]);
        var separated = model.Fit(W, n, 2).Value();
        Assert.True(model.Separates(W, n, separated));
        var logP = model.LogPrior(separated, n);
        var objective = Enumerable.Range(0, 2 * n).Sum(i => W[i] == 0 ? 0 : W[i] * logP[i]);
        Assert.InRange(objective, -1e-9, 0);
        // the same rule from the current weights: a generalised EM step never lowers the objective
        var again = model.Fit(W, n, 2, separated).Value();
        var logP2 = model.LogPrior(again, n);
        Assert.True(Enumerable.Range(0, 2 * n).Sum(i => W[i] == 0 ? 0 : W[i] * logP2[i]) >= objective);
        // well inside the data (W not 0/1 everywhere) the priors are not numerically zero
        for (var u = 0; u < n; u++) { W[n + u] = 0.3 + 0.4 * (u % 2); W[u] = 1 - W[n + u]; }
        Assert.False(model.Separates(W, n, model.Fit(W, n, 2).Value()));
    }

    [Fact]
    public void Collinear_concomitants_fail_as_values()
    {
        var n = 50;
        var zs = Enumerable.Range(0, n).Select(u => (double)u).ToArray();
        var W = new double[n * 2];
        var collinear = ConcomitantWeights.WithIntercept(Matrix<double>.Build.Dense(n, 2, (u, j) => j == 0 ? zs[u] : 2 * zs[u]), ["a", "b"]);
        for (var u = 0; u < n; u++) { W[n + u] = 0.3 + 0.4 * (u % 2); W[u] = 1 - W[n + u]; }
        Assert.Contains("collinear", collinear.Fit(W, n, 2).Match(_ => "", e => e.Message));
    }

    private static (RegressionData Data, ConcomitantWeights Model, int[] Truth) Simulate(int n, ulong seed)
    {
        // y = x' beta_c + e, classes drawn from softmax(gamma' [1, z])
        var rng = Mixtures.Domain.Random.Seeds.Generator(seed);
        double[][] beta = [[0.0, 1.0], [5.0, -1.0], [10.0, 0.5]];
        var y = new double[n];
        var X = Matrix<double>.Build.Dense(n, 2);
        var zs = new double[n];
        var truth = new int[n];
        for (var i = 0; i < n; i++)
        {
            zs[i] = Normal.Sample(rng, 0, 1);
            var p = Softmax(zs[i], TrueGamma);
            var u = rng.NextDouble();
            var c = u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2;
            truth[i] = c;
            var x = rng.NextDouble() * 4;
            X[i, 0] = 1;
            X[i, 1] = x;
            y[i] = beta[c][0] + beta[c][1] * x + Normal.Sample(rng, 0, 1);
        }
        return (RegressionData.FromRows(y, X), ConcomitantWeights.WithIntercept(Matrix<double>.Build.Dense(n, 1, zs), ["z"]), truth);
    }

    [Fact]
    public void Em_with_concomitants_raises_log_l_every_step_and_recovers_gamma()
    {
        var (data, model, _) = Simulate(3000, 5);
        var settings = RegressionSettings.Default with { Starts = 5, Accelerate = Acceleration.None };
        var path = LatentClassRegression.Estimate([3], data, settings, concomitant: model).Value();
        var best = path.Fits[0].Estimate!.Best;
        var trace = best.Trace;
        for (var t = 1; t < trace.Length; t++) Assert.True(trace[t] >= trace[t - 1] - 1e-9 * Math.Abs(trace[t - 1]), $"log L fell at step {t}");
        var w = best.Mixture.Weights;
        Assert.True(w.HasCoefficients);
        // classes in canonical order (by intercept): 0, 5, 10 are the simulated 1, 2, 3; gamma within sampling error (~0.1 at n = 3000)
        for (var k = 0; k < 3; k++)
        for (var j = 0; j < 2; j++) Assert.Equal(TrueGamma[k, j], w.Gamma(k, j), 0.25);
        // the concomitant model fits better than one pi for everyone, by more than its 2 extra parameters' worth
        var constant = LatentClassRegression.Estimate([3], data, settings).Value().Fits[0].Estimate!;
        Assert.True(best.LogLikelihood > constant.LogLikelihood + 10);
        Assert.Equal(constant.FreeParameters + 2, path.Fits[0].Estimate!.FreeParameters);
    }
}

/// <summary>The observed information with concomitant variables against a numerical Hessian of log L itself.</summary>
public class ConcomitantInformationTests
{
    [Theory]
    [InlineData("per-class")]
    [InlineData("common")]
    public void Information_is_minus_the_numerical_hessian_of_log_l_and_the_score_vanishes_at_the_mle(string varianceName)
    {
        var variance = varianceName == "common" ? VarianceModel.Common : VarianceModel.PerClass;
        var rng = Mixtures.Domain.Random.Seeds.Generator(21);
        var n = 400;
        var y = new double[n];
        var X = Matrix<double>.Build.Dense(n, 2);
        var zs = new double[n];
        for (var i = 0; i < n; i++)
        {
            zs[i] = Normal.Sample(rng, 0, 1);
            var c = rng.NextDouble() < 1 / (1 + Math.Exp(-(0.3 + 1.2 * zs[i]))) ? 1 : 0;
            X[i, 0] = 1;
            X[i, 1] = rng.NextDouble() * 3;
            y[i] = (c == 0 ? 1 + X[i, 1] : 4 - X[i, 1]) + (c == 0 ? 0.7 : 1.0) * Normal.Sample(rng, 0, 1);
        }
        var data = RegressionData.FromRows(y, X);
        var model = ConcomitantWeights.WithIntercept(Matrix<double>.Build.Dense(n, 1, zs), ["z"]);
        var fit = LatentClassRegression.Estimate([2], data, RegressionSettings.Default with { Variance = variance, Tolerance = 1e-12, Starts = 5 }, concomitant: model)
            .Value().Fits[0].Estimate!.Best;
        var theta = fit.Mixture.Components;
        var w = fit.Mixture.Weights;
        var (grad, info, logL) = ObservedInformation.Derivatives(theta, w, data, variance, model);
        Assert.Equal(fit.LogLikelihood, logL, 1e-9 * Math.Abs(logL));
        Assert.True(grad.All(g => Math.Abs(g) < 1e-3), $"score at the MLE: {string.Join(", ", grad)}");

        // psi = (beta_1, beta_2, log sigma(s), gamma_2): log L from the family's densities and the concomitant priors
        var nv = variance.FreeParameters(2);
        var psi0 = new List<double>();
        foreach (var c in theta.Classes) psi0.AddRange(c.Beta);
        for (var v = 0; v < nv; v++) psi0.Add(Math.Log(theta.Classes[v].Sigma));
        psi0.Add(w.Gamma(1, 0));
        psi0.Add(w.Gamma(1, 1));
        double LogL(double[] psi)
        {
            var classes = Enumerable.Range(0, 2).Select(c => new RegressionClass([psi[2 * c], psi[2 * c + 1]],
                Math.Exp(psi[4 + (variance.Kind == VarianceKind.PerClass ? c : 0)]))).ToImmutableArray();
            var g = new[] { 0.0, 0.0, psi[4 + nv], psi[5 + nv] };
            var weights = MixingWeights.WithCoefficients([0.5, 0.5], g, 2);
            var L = LatentClassRegression.Family(variance).LogDensityMatrix(data, new RegressionComponents(classes));
            return EmLoop.EStepInto(L.ToColumnMajorArray(), model.LogPrior(weights, n), n, 2, new double[2 * n]);
        }
        var D = psi0.Count;
        Assert.Equal(D, info.RowCount);
        var h = 1e-4;
        var maxEntry = info.Enumerate().Max(Math.Abs);
        for (var a = 0; a < D; a++)
        for (var b = a; b < D; b++)
        {
            double F(double da, double db) { var x = psi0.ToArray(); x[a] += da; x[b] += db; return LogL(x); }
            var hess = (F(h, h) - F(h, -h) - F(-h, h) + F(-h, -h)) / (4 * h * h);
            Assert.True(Math.Abs(-hess - info[a, b]) < 1e-4 * maxEntry, $"I[{a},{b}] = {info[a, b]} but -d2 log L = {-hess}");
        }
        var inference = ObservedInformation.Inference(theta, w, data, variance, model).Value();
        Assert.Single(inference.Gamma);
        Assert.Equal(w.Gamma(1, 1), inference.Gamma[0][1].Estimate);
        Assert.True(inference.Gamma[0][1].StdError > 0 && inference.Gamma[0][1].StdError < 1);
    }
}
