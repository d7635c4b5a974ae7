using System.Globalization;
using System.Text.Json;
using Mixtures.Tests.Instructor;

namespace Mixtures.Tests.Regression;

/// <summary><c>mixtures regress --family poisson|binomial</c> with <c>--concomitant</c> and categorical covariates, end to end,
/// against flexmix's references (tests/reference/glm) and closed forms.</summary>
public class GlmConcomitantCommandTests
{
    private static readonly string Patent = GlmTests.Reference("patent.csv");
    private static readonly string Tribolium = GlmTests.Reference("tribolium.csv");
    private static JsonElement Json(string name) => JsonDocument.Parse(File.ReadAllText(GlmTests.Reference(name))).RootElement;

    [Fact]
    public void Poisson_patent_with_rds_as_concomitant_writes_flexmixs_optimum_and_gamma_with_standard_errors()
    {
        using var dir = new TempFolder();
        var r = MixturesCli.Run(dir.Path, "regress", Patent, "--family", "poisson", "--y", "Patents", "--x", "lgRD", "--concomitant", "RDS",
            "--k", "3", "--min-prior", "0", "--out", "model.json", "--report", "r.html");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Concomitant model", r.Stdout);
        var html = File.ReadAllText(dir.File("r.html"));
        Assert.Contains("Concomitant model: Pr[class k | z] = softmax_k(z'gamma_k)", html);
        Assert.Contains("Concomitant variables by class", html);
        Assert.Contains("-40.34", html);
        Assert.Contains("k = K p + (K - 1) q, q = 2 concomitant terms", r.Stdout);
        var opt = Json("patent_poisson_k3_concomitant.json").GetProperty("optimum");
        var sel = JsonDocument.Parse(File.ReadAllText(dir.File("model.json"))).RootElement.GetProperty("selected");
        var ll = opt.GetProperty("loglik").GetDouble();
        Assert.Equal(ll, sel.GetProperty("logLikelihood").GetDouble(), 1e-9 * Math.Abs(ll));
        Assert.Equal(10, sel.GetProperty("freeParameters").GetInt32());
        var z = sel.GetProperty("concomitant");
        Assert.Equal(["(Intercept)", "RDS"], z.GetProperty("terms").EnumerateArray().Select(t => t.GetString()!).ToArray());
        var gamma = z.GetProperty("gamma").EnumerateArray().Select(g => g.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var coefficients = z.GetProperty("coefficients").EnumerateArray().ToArray();
        var refGamma = opt.GetProperty("gamma").EnumerateArray().ToArray();
        var refSe = opt.GetProperty("gamma_se").EnumerateArray().ToArray();
        for (var c = 1; c < 3; c++)
        {
            var g = refGamma[c].EnumerateObject().Select(p => p.Value.GetDouble()).ToArray();
            var se = refSe[c].EnumerateObject().Select(p => p.Value.GetDouble()).ToArray();
            var ours = coefficients[c - 1].EnumerateArray().ToArray();
            for (var j = 0; j < 2; j++)
            {
                Assert.Equal(g[j], gamma[c][j], 2e-3 * Math.Max(1, Math.Abs(g[j])));
                Assert.Equal(se[j], ours[j].GetProperty("se").GetDouble(), 5e-3 * se[j]);
            }
        }
        Assert.Contains("softmax", JsonDocument.Parse(File.ReadAllText(dir.File("model.json"))).RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public void Binomial_tribolium_with_species_as_concomitant_reaches_the_supremum_and_reports_no_standard_errors()
    {
        using var dir = new TempFolder();
        var r = MixturesCli.Run(dir.Path, "regress", Tribolium, "--family", "binomial", "--y", "Remaining", "--trials", "Total", "--concomitant", "Species",
            "--k", "3", "--starts", "50", "--min-prior", "0", "--out", "model.json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("separate the classes", r.Stdout);
        var sel = JsonDocument.Parse(File.ReadAllText(dir.File("model.json"))).RootElement.GetProperty("selected");
        var supremum = Json("tribolium_binomial.json").GetProperty("supremum").GetProperty("loglik").GetDouble();
        var ll = sel.GetProperty("logLikelihood").GetDouble();
        Assert.InRange(ll, supremum - 1e-7 * Math.Abs(supremum), supremum + 1e-9 * Math.Abs(supremum));
        Assert.Contains("separate the classes", sel.GetProperty("standardErrorsUnavailable").GetString());
        var coding = sel.GetProperty("concomitant").GetProperty("categorical")[0];
        Assert.Equal("Species", coding.GetProperty("column").GetString());
        Assert.Equal("Castaneum", coding.GetProperty("reference").GetString());
        Assert.Equal(["(Intercept)", "SpeciesConfusum", "SpeciesMadens"],
            sel.GetProperty("concomitant").GetProperty("terms").EnumerateArray().Select(t => t.GetString()!).ToArray());
    }

    [Fact]
    public void Categorical_covariate_in_a_one_class_binomial_model_gives_the_per_level_logits_and_predict_applies_the_coding()
    {
        // K = 1 with x = Species: the MLE of each species' success probability is its pooled proportion sum y / sum n
        using var dir = new TempFolder();
        var r = MixturesCli.Run(dir.Path, "regress", Tribolium, "--family", "binomial", "--y", "Remaining", "--trials", "Total", "--x", "Species",
            "--k", "1", "--out", "model.json", "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var lines = File.ReadAllLines(Tribolium).Skip(1).Select(l => l.Split(',')).ToArray();
        double Logit(string species)
        {
            var rows = lines.Where(l => l[3] == species).ToArray();
            var p = rows.Sum(l => double.Parse(l[0], CultureInfo.InvariantCulture)) / rows.Sum(l => double.Parse(l[1], CultureInfo.InvariantCulture));
            return Math.Log(p / (1 - p));
        }
        var root = JsonDocument.Parse(File.ReadAllText(dir.File("model.json"))).RootElement;
        Assert.Equal(["(Intercept)", "SpeciesConfusum", "SpeciesMadens"], root.GetProperty("coefficients").EnumerateArray().Select(t => t.GetString()!).ToArray());
        var beta = root.GetProperty("selected").GetProperty("classes")[0].GetProperty("beta").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(Logit("Castaneum"), beta[0], 1e-8);
        Assert.Equal(Logit("Confusum") - Logit("Castaneum"), beta[1], 1e-8);
        Assert.Equal(Logit("Madens") - Logit("Castaneum"), beta[2], 1e-8);

        var p = MixturesCli.Run(dir.Path, "predict", "--model", "model.json", Tribolium, "--out", "p.csv");
        Assert.True(p.ExitCode == 0, p.Stderr);
        var pred = File.ReadAllLines(dir.File("p.csv"));
        var col = Array.IndexOf(pred[0].Split(','), "prediction");
        for (var i = 1; i < pred.Length; i++)
        {
            var expected = 1 / (1 + Math.Exp(-Logit(lines[i - 1][3])));
            Assert.Equal(expected, double.Parse(pred[i].Split(',')[col], CultureInfo.InvariantCulture), 1e-8);
        }
        // a level the model never saw is an error naming the file, row and column, and writes nothing
        var bad = dir.File("new.csv");
        File.WriteAllText(bad, "Remaining,Total,Replicate,Species\n10,50,1,Castaneum\n10,50,1,Unknown\n");
        var q = MixturesCli.Run(dir.Path, "predict", "--model", "model.json", bad, "--out", "q.csv");
        Assert.NotEqual(0, q.ExitCode);
        Assert.Contains("row 3", q.Stderr);
        Assert.Contains("Species", q.Stderr);
        Assert.False(File.Exists(dir.File("q.csv")));
    }

    [Fact]
    public void Predict_applies_a_glm_models_concomitants_and_bad_concomitant_options_fail_cleanly()
    {
        // on the fitted file predict reproduces the assignments, and the mixture mean is sum_c softmax_c(z'gamma) exp(x'beta_c)
        using var dir = new TempFolder();
        Assert.Equal(0, MixturesCli.Run(dir.Path, "regress", Patent, "--family", "poisson", "--y", "Patents", "--x", "lgRD", "--concomitant", "RDS",
            "--k", "2", "--out", "model.json", "--assignments", "a.csv", "--quiet").ExitCode);
        var r = MixturesCli.Run(dir.Path, "predict", "--model", "model.json", Patent, "--out", "p.csv");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var sel = JsonDocument.Parse(File.ReadAllText(dir.File("model.json"))).RootElement.GetProperty("selected");
        var beta = sel.GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("beta").EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var gamma = sel.GetProperty("concomitant").GetProperty("gamma").EnumerateArray().Select(g => g.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var pred = File.ReadAllLines(dir.File("p.csv"));
        var assign = File.ReadAllLines(dir.File("a.csv"));
        var header = pred[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        var rds = GlmTests.Csv("patent.csv", "RDS")["RDS"];
        for (var i = 1; i < pred.Length; i++)
        {
            var p = pred[i].Split(',');
            double V(string name) => double.Parse(p[Col(name)], CultureInfo.InvariantCulture);
            var eta = gamma.Select(g => g[0] + g[1] * rds[i - 1]).ToArray();
            var max = eta.Max();
            var prior = eta.Select(e => Math.Exp(e - max)).ToArray();
            var total = prior.Sum();
            var mu = beta.Select(b => Math.Exp(b[0] + b[1] * V("lgRD"))).ToArray();
            var expected = prior[0] / total * mu[0] + prior[1] / total * mu[1];
            Assert.Equal(expected, V("prediction"), 1e-9 * expected);
            var a = assign[i].Split(',');
            Assert.Equal(double.Parse(a[1], CultureInfo.InvariantCulture), V("resp_1"), 1e-10);
        }

        var clash = MixturesCli.Run(dir.Path, "regress", Tribolium, "--family", "binomial", "--y", "Remaining", "--trials", "Total", "--concomitant", "Total",
            "--k", "2", "--out", "m2.json");
        Assert.NotEqual(0, clash.ExitCode);
        Assert.Contains("--concomitant: 'Total'", clash.Stderr);
        Assert.False(File.Exists(dir.File("m2.json")));

        var missing = MixturesCli.Run(dir.Path, "regress", Patent, "--family", "poisson", "--y", "Patents", "--concomitant", "Nope", "--k", "2", "--out", "m3.json");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("Nope", missing.Stderr);
        Assert.False(File.Exists(dir.File("m3.json")));
    }
}
