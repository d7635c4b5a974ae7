using System.Text.Json;
using Mixtures.Domain;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;

namespace Mixtures.Tests.Regression;

/// <summary>
/// GLM mixtures against flexmix (tests/reference/glm/flexmix_glm.R and its JSON outputs): flexmix's best log L over many
/// random starts, the optimum (Newton on flexmix's log L from that fit) and its standard errors from a numerical Hessian;
/// the tribolium binomial mixture without a concomitant model against tests/reference/glm/glm_single.R.
/// flexmix's log-likelihoods include the constants -log y! and log C(n, y), as ours do.
/// </summary>
public class GlmFlexmixReferenceTests
{
    private static JsonElement Json(string name) => JsonDocument.Parse(File.ReadAllText(GlmTests.Reference(name))).RootElement;

    private static GlmData Data(string name) => name switch
    {
        "patent_poisson_k3" => GlmTests.CaseData("patent_poisson"),
        "simulated_poisson" => GlmTests.CaseData("simulated_poisson"),
        "simulated_binomial_trials" => GlmTests.CaseData("simulated_binomial_trials"),
        _ => throw new ArgumentException(name),
    };

    private static readonly Dictionary<string, Lazy<(EstimateResult<GlmComponents> Fit, RegressionInference Se)>> Fits =
        new[] { "patent_poisson_k3", "simulated_poisson", "simulated_binomial_trials" }.ToDictionary(n => n, n =>
            new Lazy<(EstimateResult<GlmComponents>, RegressionInference)>(() =>
            {
                var data = Data(n);
                var K = Json(n + ".json").GetProperty("K").GetInt32();
                var fit = GlmRegression.Estimate(K, data, GlmSettings.Default with { MinPrior = 0 }).Value();
                return (fit, GlmRegression.StandardErrors(fit.Best.Mixture.Components, fit.Best.Mixture.Weights, data).Value());
            }));

    public static TheoryData<string> Cases => new() { "patent_poisson_k3", "simulated_poisson", "simulated_binomial_trials" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Our_best_log_likelihood_is_at_least_flexmixs_best_over_many_starts(string name)
    {
        var r = Json(name + ".json");
        var flexmix = r.GetProperty("flexmix").GetProperty("loglik").GetDouble();
        var ours = Fits[name].Value.Fit.LogLikelihood;
        Assert.True(ours >= flexmix - 1e-6 * Math.Abs(flexmix), $"ours {ours:R}, flexmix {flexmix:R}");
        // and it is the optimum itself
        Assert.Equal(r.GetProperty("optimum").GetProperty("loglik").GetDouble(), ours, 1e-10 * Math.Abs(ours));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Coefficients_weights_and_standard_errors_agree_at_the_optimum(string name)
    {
        var opt = Json(name + ".json").GetProperty("optimum");
        var (fit, se) = Fits[name].Value;
        var m = fit.Best.Mixture;
        var comps = opt.GetProperty("components").EnumerateArray().ToArray();
        var prior = opt.GetProperty("prior").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(comps.Length, m.Components.K);
        for (var c = 0; c < comps.Length; c++)
        {
            var beta = comps[c].GetProperty("coefficients").EnumerateObject().Select(p => p.Value.GetDouble()).ToArray();
            var bse = comps[c].GetProperty("coefficients_se").EnumerateObject().Select(p => p.Value.GetDouble()).ToArray();
            for (var j = 0; j < beta.Length; j++)
            {
                Assert.Equal(beta[j], m.Components.Classes[c].Beta[j], 1e-5 * Math.Max(1, Math.Abs(beta[j])));
                // flexmix's SEs come from a Hessian by central differences of its gradient: agreement to 1e-4 relative
                Assert.Equal(bse[j], se.Beta[c][j].StdError, 1e-4 * bse[j]);
            }
            Assert.Equal(prior[c], m.Weights.Pi[c], 1e-6);
        }
        var logitSe = opt.GetProperty("logit_se").EnumerateArray().Select(v => v.GetDouble()).Skip(1).ToArray();
        for (var j = 0; j < logitSe.Length; j++) Assert.Equal(logitSe[j], se.Logit[j].StdError, 1e-4 * logitSe[j]);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Tribolium_binomial_mixture_without_concomitants_reaches_flexmixs_best(int K)
    {
        var r = JsonDocument.Parse(File.ReadAllText(GlmTests.Reference("glm_single.json"))).RootElement.GetProperty($"tribolium_binomial_k{K}");
        var data = GlmTests.CaseData("tribolium_binomial_intercept");
        var fit = GlmRegression.Estimate(K, data, GlmSettings.Default with { MinPrior = 0, Starts = 50 }).Value();
        var flexmix = r.GetProperty("loglik").GetDouble();
        Assert.True(fit.LogLikelihood >= flexmix - 1e-6 * Math.Abs(flexmix), $"ours {fit.LogLikelihood:R}, flexmix {flexmix:R}");
        if (fit.LogLikelihood - flexmix < 1e-6 * Math.Abs(flexmix))
        {
            var beta = r.GetProperty("coefficients").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            for (var c = 0; c < K; c++) Assert.Equal(beta[c], fit.Best.Mixture.Components.Classes[c].Beta[0], 1e-3);
        }
    }
}
