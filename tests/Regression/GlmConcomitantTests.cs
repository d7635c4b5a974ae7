using System.Collections.Immutable;
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;

namespace Mixtures.Tests.Regression;

/// <summary>
/// GLM mixtures with concomitant variables against flexmix (tests/reference/glm/flexmix_glm.R):
/// patent (Poisson, Patents ~ lgRD, K = 3, concomitant = FLXPmultinom(~ RDS)) at its optimum, and tribolium
/// (binomial, ~ 1, concomitant ~ Species), whose maximum is at infinity (the supremum block of its reference).
/// </summary>
public class GlmConcomitantTests
{
    private static JsonElement Json(string name) => JsonDocument.Parse(File.ReadAllText(GlmTests.Reference(name))).RootElement;

    private static readonly Lazy<(GlmData Data, ConcomitantWeights Model)> Patent = new(() =>
    {
        var d = GlmTests.Csv("patent.csv", "Patents", "lgRD", "RDS");
        var data = GlmData.Of(GlmResponse.Poisson, d["Patents"], GlmTests.Design(d["lgRD"])).Value();
        return (data, ConcomitantWeights.WithIntercept(Matrix<double>.Build.Dense(d["RDS"].Length, 1, d["RDS"]), ["RDS"]));
    });

    private static readonly Lazy<EstimateResult<GlmComponents>> PatentFit = new(() =>
        GlmRegression.Estimate([3], Patent.Value.Data, GlmSettings.Default with { MinPrior = 0, Starts = 30 }, concomitant: Patent.Value.Model)
            .Value().Fits[0].Estimate!);

    /// <summary>Tribolium's rows with the Species dummies (treatment coding, Castaneum the reference level).</summary>
    internal static (GlmData Data, ConcomitantWeights Model, string[] Species) Tribolium()
    {
        var lines = File.ReadAllLines(GlmTests.Reference("tribolium.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        var y = lines.Select(l => double.Parse(l[0], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var total = lines.Select(l => double.Parse(l[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var species = lines.Select(l => l[3]).ToArray();
        var Z = Matrix<double>.Build.Dense(y.Length, 2, (i, j) => species[i] == (j == 0 ? "Confusum" : "Madens") ? 1.0 : 0.0);
        var data = GlmData.Of(GlmResponse.Binomial, y, GlmTests.Ones(y.Length), trials: total).Value();
        return (data, ConcomitantWeights.WithIntercept(Z, ["SpeciesConfusum", "SpeciesMadens"]), species);
    }

    [Fact]
    public void Patent_with_a_concomitant_reaches_flexmixs_optimum()
    {
        var r = Json("patent_poisson_k3_concomitant.json");
        var fit = PatentFit.Value;
        var flexmix = r.GetProperty("flexmix").GetProperty("loglik_reported").GetDouble();
        var optimum = r.GetProperty("optimum").GetProperty("loglik").GetDouble();
        Assert.True(fit.LogLikelihood >= flexmix - 1e-6 * Math.Abs(flexmix), $"ours {fit.LogLikelihood:R}, flexmix {flexmix:R}");
        Assert.Equal(optimum, fit.LogLikelihood, 1e-9 * Math.Abs(optimum));
        // the free parameters flexmix counts: 3 x 2 coefficients + 2 x 2 gammas
        Assert.Equal(r.GetProperty("flexmix").GetProperty("df").GetInt32(), fit.FreeParameters);
    }

    [Fact]
    public void Patent_coefficients_gamma_and_standard_errors_agree_with_the_reference_optimum()
    {
        var (data, model) = Patent.Value;
        var opt = Json("patent_poisson_k3_concomitant.json").GetProperty("optimum");
        var m = PatentFit.Value.Best.Mixture;
        var se = GlmRegression.StandardErrors(m.Components, m.Weights, data, model).Value();
        var comps = opt.GetProperty("components").EnumerateArray().ToArray();
        var gamma = opt.GetProperty("gamma").EnumerateArray().ToArray();
        var gammaSe = opt.GetProperty("gamma_se").EnumerateArray().ToArray();
        var prior = opt.GetProperty("prior").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        for (var c = 0; c < 3; c++)
        {
            var beta = comps[c].GetProperty("coefficients").EnumerateObject().Select(p => p.Value.GetDouble()).ToArray();
            var bse = comps[c].GetProperty("coefficients_se").EnumerateObject().Select(p => p.Value.GetDouble()).ToArray();
            for (var j = 0; j < 2; j++)
            {
                Assert.Equal(beta[j], m.Components.Classes[c].Beta[j], 1e-4 * Math.Max(1, Math.Abs(beta[j])));
                Assert.Equal(bse[j], se.Beta[c][j].StdError, 1e-3 * bse[j]);
            }
            Assert.Equal(prior[c], m.Weights.Pi[c], 1e-5);
            var g = gamma[c].EnumerateObject().Select(p => p.Value.GetDouble()).ToArray();
            // the likelihood is flat in gamma[2]:RDS (the Hessian's largest eigenvalue is -1.9e-3): a looser tolerance there
            for (var j = 0; j < 2; j++) Assert.Equal(g[j], m.Weights.Gamma(c, j), 2e-3 * Math.Max(1, Math.Abs(g[j])));
            if (c == 0) continue;
            var gs = gammaSe[c].EnumerateObject().Select(p => p.Value.GetDouble()).ToArray();
            for (var j = 0; j < 2; j++) Assert.Equal(gs[j], se.Gamma[c - 1][j].StdError, 5e-3 * gs[j]);
        }
    }

    [Fact]
    public void Information_with_concomitants_is_minus_the_numerical_hessian_of_our_own_log_l()
    {
        var (data, model) = Patent.Value;
        var m = PatentFit.Value.Best.Mixture;
        var (grad, info, logL) = GlmInformation.Derivatives(m.Components, m.Weights, data, model);
        Assert.Equal(PatentFit.Value.LogLikelihood, logL, 1e-10 * Math.Abs(logL));
        Assert.True(grad.All(g => Math.Abs(g) < 1e-3), $"score at the MLE: {string.Join(", ", grad)}");
        double[] psi0 = [.. m.Components.Classes.SelectMany(c => c.Beta), .. Enumerable.Range(1, 2).SelectMany(k => new[] { m.Weights.Gamma(k, 0), m.Weights.Gamma(k, 1) })];
        double LogL(double[] psi)
        {
            var theta = new GlmComponents([.. Enumerable.Range(0, 3).Select(c => new GlmClass([psi[2 * c], psi[2 * c + 1]]))]);
            var w = MixingWeights.WithCoefficients([1.0 / 3, 1.0 / 3, 1.0 / 3], [0, 0, psi[6], psi[7], psi[8], psi[9]], 2);
            var L = GlmRegression.Family.LogDensityMatrix(data, theta).ToColumnMajorArray();
            return EmLoop.EStepInto(L, model.LogPrior(w, data.Units), data.Units, 3, new double[3 * data.Units]);
        }
        var D = psi0.Length;
        Assert.Equal(GlmInformation.Dimension(3, 2, model), D);
        for (var a = 0; a < D; a++)
        for (var b = a; b < D; b++)
        {
            double F(double da, double db) { var x = psi0.ToArray(); x[a] += da; x[b] += db; return LogL(x); }
            double H(double h) => (F(h, h) - F(h, -h) - F(-h, h) + F(-h, -h)) / (4 * h * h);
            // central differences at h and h/2, Richardson-extrapolated (error O(h^4))
            var hess = (4 * H(1e-4) - H(2e-4)) / 3;
            Assert.True(Math.Abs(-hess - info[a, b]) < 1e-6 * Math.Max(1, Math.Abs(info[a, b])) + 1e-5, $"I[{a},{b}] = {info[a, b]} but -d2 log L = {-hess}");
        }
    }

    [Fact]
    public void Constant_weights_information_is_the_intercept_only_concomitant_information()
    {
        // alpha_c = log(pi_c / pi_1) is gamma_c with the single term z_u = 1: the same psi, the same information
        var (data, _) = Patent.Value;
        var fit = GlmRegression.Estimate(3, data, GlmSettings.Default with { MinPrior = 0 }).Value().Best.Mixture;
        var ones = new ConcomitantWeights(Matrix<double>.Build.Dense(data.Units, 1, 1.0), ["(Intercept)"]);
        var pi = fit.Weights.Pi;
        var gamma = MixingWeights.WithCoefficients(pi, [0, Math.Log(pi[1] / pi[0]), Math.Log(pi[2] / pi[0])], 1);
        var a = GlmInformation.Derivatives(fit.Components, fit.Weights, data);
        var b = GlmInformation.Derivatives(fit.Components, gamma, data, ones);
        Assert.Equal(a.LogLikelihood, b.LogLikelihood, 1e-12 * Math.Abs(a.LogLikelihood));
        for (var i = 0; i < a.Information.RowCount; i++)
        for (var j = 0; j < a.Information.ColumnCount; j++)
            Assert.Equal(a.Information[i, j], b.Information[i, j], 1e-9 * Math.Max(1, Math.Abs(a.Information[i, j])));
    }

    [Fact]
    public void Tribolium_with_species_as_concomitant_reaches_the_supremum_and_says_gamma_is_not_finite()
    {
        var (data, model, species) = Tribolium();
        var sup = Json("tribolium_binomial.json").GetProperty("supremum");
        var fit = GlmRegression.Estimate([3], data, GlmSettings.Default with { MinPrior = 0, Starts = 50 }, concomitant: model).Value().Fits[0].Estimate!;
        var flexmix = Json("tribolium_binomial.json").GetProperty("flexmix").GetProperty("loglik_reported").GetDouble();
        var supremum = sup.GetProperty("loglik").GetDouble();
        Assert.True(fit.LogLikelihood >= flexmix - 1e-6 * Math.Abs(flexmix), $"ours {fit.LogLikelihood:R}, flexmix {flexmix:R}");
        Assert.True(fit.LogLikelihood <= supremum + 1e-9 * Math.Abs(supremum), $"ours {fit.LogLikelihood:R} above the supremum {supremum:R}");
        Assert.True(fit.LogLikelihood >= supremum - 1e-7 * Math.Abs(supremum), $"ours {fit.LogLikelihood:R}, supremum {supremum:R}");
        var m = fit.Best.Mixture;
        var intercepts = sup.GetProperty("components").EnumerateArray().Select(c => c.GetProperty("coefficients").GetProperty("(Intercept)").GetDouble()).ToArray();
        for (var c = 0; c < 3; c++) Assert.Equal(intercepts[c], m.Components.Classes[c].Beta[0], 1e-4);
        // P(class | species) against the supremum's species priors (0 in the limit where gamma runs off)
        var levels = sup.GetProperty("species_levels").EnumerateArray().Select(v => v.GetString()!).ToArray();
        var expected = sup.GetProperty("species_prior").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var logPrior = model.LogPrior(m.Weights, data.Units);
        for (var s = 0; s < levels.Length; s++)
        {
            var u = Array.IndexOf(species, levels[s]);
            for (var c = 0; c < 3; c++) Assert.Equal(expected[s][c], Math.Exp(logPrior[c * data.Units + u]), 1e-4);
        }
        Assert.True(model.Separates(GlmRegression.Responsibilities(fit.Best, data, model).ToColumnMajorArray(), data.Units, m.Weights));
        var se = GlmRegression.StandardErrors(m.Components, m.Weights, data, model);
        Assert.Contains("separate the classes", se.Match(_ => "", e => e.Message));
    }

    [Fact]
    public void Integer_weights_with_a_concomitant_equal_replicated_rows()
    {
        // w_i in {1, 2, 3}: the weighted Poisson mixture with RDS as concomitant is the one on the rows repeated w_i times,
        // in log L, the EM fit from the same start and the observed information (hence the SEs of beta and gamma)
        var d = GlmTests.Csv("patent.csv", "Patents", "lgRD", "RDS");
        var n = d["Patents"].Length;
        var w = Enumerable.Range(0, n).Select(i => (double)(1 + i % 3)).ToArray();
        var rep = Enumerable.Range(0, n).SelectMany(i => Enumerable.Repeat(i, (int)w[i])).ToArray();
        double[] Pick(double[] v) => rep.Select(i => v[i]).ToArray();
        var weighted = GlmData.Of(GlmResponse.Poisson, d["Patents"], GlmTests.Design(d["lgRD"])).Value().WithWeights(ObservationWeights.Of(w).Value());
        var replicated = GlmData.Of(GlmResponse.Poisson, Pick(d["Patents"]), GlmTests.Design(Pick(d["lgRD"]))).Value();
        var zw = ConcomitantWeights.WithIntercept(Matrix<double>.Build.Dense(n, 1, d["RDS"]), ["RDS"]).WithObservationWeights(ObservationWeights.Of(w).Value());
        var zr = ConcomitantWeights.WithIntercept(Matrix<double>.Build.Dense(rep.Length, 1, Pick(d["RDS"])), ["RDS"]);
        var settings = GlmSettings.Default with { MinPrior = 0, Starts = 10 };
        var a = GlmRegression.Estimate([3], weighted, settings, concomitant: zw).Value().Fits[0].Estimate!;
        var b = GlmRegression.Estimate([3], replicated, settings, concomitant: zr).Value().Fits[0].Estimate!;
        Assert.Equal(b.LogLikelihood, a.LogLikelihood, 1e-9 * Math.Abs(b.LogLikelihood));
        var m = a.Best.Mixture;
        var ia = GlmInformation.Derivatives(m.Components, m.Weights, weighted, zw);
        var ib = GlmInformation.Derivatives(m.Components, m.Weights, replicated, zr);
        Assert.Equal(ib.LogLikelihood, ia.LogLikelihood, 1e-12 * Math.Abs(ib.LogLikelihood));
        for (var i = 0; i < ia.Information.RowCount; i++)
        for (var j = 0; j < ia.Information.ColumnCount; j++)
            Assert.Equal(ib.Information[i, j], ia.Information[i, j], 1e-9 * Math.Max(1, Math.Abs(ib.Information[i, j])));
        var sa = GlmRegression.StandardErrors(m.Components, m.Weights, weighted, zw).Value();
        var sb = GlmRegression.StandardErrors(m.Components, m.Weights, replicated, zr).Value();
        for (var k = 0; k < 2; k++)
        for (var j = 0; j < 2; j++) Assert.Equal(sb.Gamma[k][j].StdError, sa.Gamma[k][j].StdError, 1e-8 * sb.Gamma[k][j].StdError);
        for (var c = 0; c < 3; c++) Assert.Equal(sb.Pi[c].StdError, sa.Pi[c].StdError, 1e-8);
    }
}
