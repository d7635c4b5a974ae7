using System.Text.Json;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;

namespace Mixtures.Tests.Regression;

/// <summary>
/// A text covariate against R: tests/reference/glm/categorical_covariate (flexmix_glm.R: <c>flexmix(y ~ x + region, k = 2)</c>,
/// 50 starts, then Newton on the incomplete-data log-likelihood to the ML optimum, since flexmix's Gaussian sigma is
/// df-corrected). R's <c>model.matrix</c> names the dummies regionsouth and regionwest (levels sorted, north the
/// reference, although the first row is west); our coding must give the same names, the same optimum and the same
/// standard errors.
/// </summary>
public class CategoricalFlexmixReferenceTests
{
    private static string Reference(string name) => Path.Combine(AppContext.BaseDirectory, "reference", "glm", name);

    private static readonly Lazy<JsonElement> R = new(() => JsonDocument.Parse(File.ReadAllText(Reference("categorical_covariate.json"))).RootElement);

    private sealed record Ours(RegressionInput Input, EstimateResult<RegressionComponents> Fit, RegressionInference Inference);

    private static readonly Lazy<Ours> ours = new(() =>
    {
        var columns = RegressionColumns.Parse("Y", "x,region", null, false).Value();
        var input = RegressionInput.Read(Reference("categorical_covariate.csv"), columns, null, false).Value();
        var fit = LatentClassRegression.Estimate(2, input.Data(), RegressionSettings.Default).Value();
        var inf = LatentClassRegression.StandardErrors(fit.Best.Mixture.Components, fit.Best.Mixture.Weights, input.Data(), VarianceModel.PerClass).Value();
        return new Ours(input, fit, inf);
    });

    private static JsonElement Optimum => R.Value.GetProperty("optimum");

    [Fact]
    public void The_dummies_have_R_s_names_and_north_is_the_reference()
    {
        var names = R.Value.GetProperty("coefficient_names").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(["(Intercept)", "x", "regionsouth", "regionwest"], names);
        Assert.Equal(names, ours.Value.Input.Coefficients.ToArray());
        Assert.Equal("north", ours.Value.Input.Coding.Of("region")!.Reference);
        Assert.Equal(R.Value.GetProperty("n").GetInt32(), ours.Value.Input.Rows);
    }

    [Fact]
    public void Our_K_2_optimum_is_R_s_ML_optimum()
    {
        var fit = ours.Value.Fit;
        Assert.Equal(Optimum.GetProperty("loglik").GetDouble(), fit.LogLikelihood, 8);
        // flexmix's own EM stops below the maximum (its df-corrected sigma)
        Assert.True(R.Value.GetProperty("flexmix").GetProperty("loglik").GetDouble() < fit.LogLikelihood - 1e-3);
        var names = ours.Value.Input.Coefficients;
        var components = Optimum.GetProperty("components");
        for (var c = 0; c < 2; c++)
        {
            var r = components[c];
            var mine = fit.Best.Mixture.Components.Classes[c];
            for (var j = 0; j < names.Length; j++)
                Assert.InRange(mine.Beta[j] - r.GetProperty("coefficients").GetProperty(names[j]).GetDouble(), -1e-7, 1e-7);
            Assert.InRange(mine.Sigma - r.GetProperty("sigma").GetDouble(), -1e-7, 1e-7);
            Assert.InRange(fit.Best.Mixture.Weights.Pi[c] - Optimum.GetProperty("prior")[c].GetDouble(), -1e-7, 1e-7);
        }
    }

    [Fact]
    public void Standard_errors_agree_with_the_Hessian_at_R_s_optimum()
    {
        var inf = ours.Value.Inference;
        var names = ours.Value.Input.Coefficients;
        void Close(double expected, double actual, string what) =>
            Assert.True(Math.Abs(actual - expected) <= 1e-6 * Math.Abs(expected), $"{what}: ours {actual}, R {expected}");
        var components = Optimum.GetProperty("components");
        for (var c = 0; c < 2; c++)
        {
            for (var j = 0; j < names.Length; j++)
                Close(components[c].GetProperty("coefficients_se").GetProperty(names[j]).GetDouble(), inf.Beta[c][j].StdError, $"SE {names[j]}, class {c + 1}");
            Close(components[c].GetProperty("log_sigma_se").GetDouble(), inf.LogSigma[c].StdError, $"SE log sigma, class {c + 1}");
        }
        Close(Optimum.GetProperty("logit_se")[1].GetDouble(), inf.Logit[0].StdError, "SE log(pi_2/pi_1)");
    }

    [Fact]
    public void Regress_on_the_reference_file_writes_R_s_names_in_model_json()
    {
        var dir = TestSupport.TempDir();
        var model = Path.Combine(dir, "m.json");
        var (code, _, err) = TestSupport.RunCli(["regress", Reference("categorical_covariate.csv"), "--y", "Y", "--x", "x,region", "--k", "2", "--quiet", "--out", model]);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(File.ReadAllText(model));
        var root = doc.RootElement;
        Assert.Equal(R.Value.GetProperty("coefficient_names").EnumerateArray().Select(e => e.GetString()),
            root.GetProperty("coefficients").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(Optimum.GetProperty("loglik").GetDouble(), root.GetProperty("selected").GetProperty("logLikelihood").GetDouble(), 8);
        var classes = root.GetProperty("selected").GetProperty("classes");
        for (var c = 0; c < 2; c++)
            foreach (var coefficient in classes[c].GetProperty("coefficients").EnumerateArray())
                Assert.InRange(coefficient.GetProperty("estimate").GetDouble() -
                               Optimum.GetProperty("components")[c].GetProperty("coefficients").GetProperty(coefficient.GetProperty("name").GetString()!).GetDouble(), -1e-7, 1e-7);
    }
}
