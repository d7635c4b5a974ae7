using System.Text.Json;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Domain.Simulate;
using Mixtures.Data;
using Mixtures.Shell.Output;

namespace Mixtures.Tests.Regression;

/// <summary>
/// The worked example against R (tests/reference/regression_flexmix.R and its committed output
/// regression_flexmix.json): flexmix, mixtools' regmixEM and flexmix::refit on the CSV our simulator wrote.
/// </summary>
public class FlexmixReferenceTests
{
    private static string Reference(string name) => Path.Combine(AppContext.BaseDirectory, "reference", name);

    private static readonly Lazy<JsonElement> R = new(() => JsonDocument.Parse(File.ReadAllText(Reference("regression_flexmix.json"))).RootElement);

    private sealed record Ours(EstimateResult<RegressionComponents> Fit, RegressionInference Inference);

    private static readonly Lazy<Ours> ours = new(() =>
    {
        var columns = RegressionColumns.Parse("y", "x1,x2", null, false).Value();
        var input = RegressionInput.Read(Reference("regression_example.csv"), columns, null, false).Value();
        var data = input.Data();
        var fit = LatentClassRegression.Estimate(3, data, RegressionSettings.Default).Value();
        var inf = LatentClassRegression.StandardErrors(fit.Best.Mixture.Components, fit.Best.Mixture.Weights, data, VarianceModel.PerClass).Value();
        return new Ours(fit, inf);
    });

    private static double[] Vector(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();
    private static double[][] Rows(JsonElement e) => e.EnumerateArray().Select(Vector).ToArray();

    [Fact]
    public void The_reference_csv_is_what_our_simulator_writes_for_the_worked_example()
    {
        var sample = RegressionSimulator.Simulate(RegressionTruth.Example, RegressionTruth.ExampleRows, RegressionTruth.ExampleSeed);
        using var ms = new MemoryStream();
        RegressionCsvWriters.Sample(ms, sample);
        var expected = ms.ToArray();
        Assert.Equal(expected, File.ReadAllBytes(Reference("regression_example.csv")));
        Assert.Equal(expected, File.ReadAllBytes(Path.Combine(TestSupport.RepoRoot, "data", "regression.csv")));
    }

    [Fact]
    public void Our_best_log_likelihood_is_at_least_flexmix_and_mixtools()
    {
        var ll = ours.Value.Fit.LogLikelihood;
        Assert.True(ll >= R.Value.GetProperty("flexmix").GetProperty("loglik").GetDouble() - 1e-6, $"ours {ll}");
        Assert.True(ll >= R.Value.GetProperty("mixtools").GetProperty("loglik").GetDouble() - 1e-6, $"ours {ll}");
        // flexmix's df-corrected variance stops it below the maximum; mixtools' ML update reaches it
        Assert.True(R.Value.GetProperty("flexmix").GetProperty("loglik").GetDouble() < ll - 1e-4);
        Assert.Equal(R.Value.GetProperty("mixtools").GetProperty("loglik").GetDouble(), ll, 6);
    }

    [Fact]
    public void Coefficients_sigmas_and_weights_agree_with_mixtools_to_1e_3()
    {
        var m = R.Value.GetProperty("mixtools");
        var beta = Rows(m.GetProperty("beta"));
        var sigma = Vector(m.GetProperty("sigma"));
        var pi = Vector(m.GetProperty("pi"));
        var fit = ours.Value.Fit.Best.Mixture;
        for (var c = 0; c < 3; c++)
        {
            for (var j = 0; j < 3; j++) Assert.InRange(fit.Components.Classes[c].Beta[j] - beta[c][j], -1e-3, 1e-3);
            Assert.InRange(fit.Components.Classes[c].Sigma - sigma[c], -1e-3, 1e-3);
            Assert.InRange(fit.Weights.Pi[c] - pi[c], -1e-3, 1e-3);
        }
    }

    [Theory]
    [InlineData("refit", 1e-3)]        // refit as users run it (optim's default reltol)
    [InlineData("refit_tight", 1e-5)]  // refit with reltol = 1e-15, so its Hessian is taken at the MLE
    public void Standard_errors_agree_with_flexmix_refit(string which, double relative)
    {
        var r = R.Value.GetProperty(which);
        var inf = ours.Value.Inference;
        void Close(double expected, double actual, string what) =>
            Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), $"{what}: ours {actual}, refit {expected}");
        var betaSe = Rows(r.GetProperty("beta_se"));
        var logSigmaSe = Vector(r.GetProperty("log_sigma_se"));
        var logitSe = Vector(r.GetProperty("logit_se"));
        for (var c = 0; c < 3; c++)
        {
            for (var j = 0; j < 3; j++) Close(betaSe[c][j], inf.Beta[c][j].StdError, $"SE beta[{c + 1},{j + 1}]");
            Close(logSigmaSe[c], inf.LogSigma[c].StdError, $"SE log sigma[{c + 1}]");
        }
        for (var c = 0; c < 2; c++) Close(logitSe[c], inf.Logit[c].StdError, $"SE log(pi_{c + 2}/pi_1)");
    }

    [Fact]
    public void Refit_at_the_MLE_has_our_estimates()
    {
        var r = R.Value.GetProperty("refit_tight");
        var fit = ours.Value.Fit.Best.Mixture;
        var beta = Rows(r.GetProperty("beta"));
        var logit = Vector(r.GetProperty("logit"));
        for (var c = 0; c < 3; c++)
            for (var j = 0; j < 3; j++) Assert.InRange(fit.Components.Classes[c].Beta[j] - beta[c][j], -1e-6, 1e-6);
        for (var c = 0; c < 2; c++) Assert.InRange(ours.Value.Inference.Logit[c].Estimate - logit[c], -1e-6, 1e-6);
    }
}
