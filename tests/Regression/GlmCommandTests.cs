using System.Globalization;
using System.Text.Json;
using Mixtures.Tests.Instructor;

namespace Mixtures.Tests.Regression;

/// <summary><c>mixtures regress --family poisson|binomial</c>, <c>predict</c> and <c>simulate regression --family</c> end to end.</summary>
public class GlmCommandTests
{
    private static readonly string Patent = GlmTests.Reference("patent.csv");
    private static readonly string Tribolium = GlmTests.Reference("tribolium.csv");

    private static string Write(TempFolder dir, string name, string text)
    {
        File.WriteAllText(dir.File(name), text);
        return dir.File(name);
    }

    [Fact]
    public void Poisson_patent_K3_writes_the_flexmix_optimum_family_and_no_sigma()
    {
        using var dir = new TempFolder();
        var r = MixturesCli.Run(dir.Path, "regress", Patent, "--family", "poisson", "--y", "Patents", "--x", "lgRD", "--k", "1..3",
            "--min-prior", "0", "--out", "model.json", "--assignments", "a.csv");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Patents ~ Poisson(mu_c), log mu_c = x'beta_c", r.Stdout);
        Assert.DoesNotContain("sigma", r.Stdout);
        var root = JsonDocument.Parse(File.ReadAllText(dir.File("model.json"))).RootElement;
        Assert.Equal("regression", root.GetProperty("kind").GetString());
        Assert.Equal("poisson", root.GetProperty("family").GetString());
        Assert.Equal("log", root.GetProperty("link").GetString());
        Assert.False(root.TryGetProperty("variance", out _));
        Assert.Equal(3, root.GetProperty("selectedK").GetInt32());
        var sel = root.GetProperty("selected");
        Assert.Equal(-203.53320779650795, sel.GetProperty("logLikelihood").GetDouble(), 1e-7);
        Assert.Equal(8, sel.GetProperty("freeParameters").GetInt32());
        foreach (var c in sel.GetProperty("classes").EnumerateArray()) Assert.False(c.TryGetProperty("sigma", out _));
        Assert.Equal(71, File.ReadAllLines(dir.File("a.csv")).Length);
    }

    [Fact]
    public void Predict_round_trip_reproduces_the_assignments_and_gives_means()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, MixturesCli.Run(dir.Path, "regress", Patent, "--family", "poisson", "--y", "Patents", "--x", "lgRD", "--k", "2",
            "--out", "model.json", "--assignments", "a.csv", "--quiet").ExitCode);
        var r = MixturesCli.Run(dir.Path, "predict", "--model", "model.json", Patent, "--out", "p.csv");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var pred = File.ReadAllLines(dir.File("p.csv"));
        var assign = File.ReadAllLines(dir.File("a.csv"));
        Assert.Equal("row,lgRD,Patents,prediction,prediction_1,prediction_2,resp_1,resp_2,class,probability", pred[0]);
        var model = JsonDocument.Parse(File.ReadAllText(dir.File("model.json"))).RootElement.GetProperty("selected").GetProperty("classes")
            .EnumerateArray().Select(c => (Beta: c.GetProperty("beta").EnumerateArray().Select(v => v.GetDouble()).ToArray(), Pi: c.GetProperty("pi").GetDouble())).ToArray();
        for (var i = 1; i < pred.Length; i++)
        {
            var p = pred[i].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var a = assign[i].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(a[0], p[0]);
            var mu = model.Select(m => Math.Exp(m.Beta[0] + m.Beta[1] * p[1])).ToArray();
            Assert.Equal(mu[0], p[4], 1e-9 * mu[0]);
            Assert.Equal(mu[0] * model[0].Pi + mu[1] * model[1].Pi, p[3], 1e-9 * p[3]);
            Assert.Equal(a[1], p[6], 12);
            Assert.Equal(a[3], p[8]);
        }
    }

    [Fact]
    public void Offset_is_added_to_the_linear_predictor_and_required_by_predict()
    {
        using var dir = new TempFolder();
        var lines = File.ReadAllLines(Patent).Skip(1).Select(l => l[(l.LastIndexOf('"') + 2)..].Split(',')).ToArray();
        // Patents, RDS, lgRD -> y, log(RDS) as the offset
        var csv = "y,logrds,lgRD\n" + string.Join("\n", lines.Select(f => $"{f[0]},{Math.Log(double.Parse(f[1], CultureInfo.InvariantCulture)).ToString("R", CultureInfo.InvariantCulture)},{f[2]}")) + "\n";
        Write(dir, "p.csv", csv);
        var r = MixturesCli.Run(dir.Path, "regress", "p.csv", "--family", "poisson", "--y", "y", "--x", "lgRD", "--offset", "logrds", "--k", "1", "--out", "m.json", "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var root = JsonDocument.Parse(File.ReadAllText(dir.File("m.json"))).RootElement;
        Assert.Equal("logrds", root.GetProperty("offset").GetString());
        var beta = root.GetProperty("selected").GetProperty("classes")[0].GetProperty("beta").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        // R: glm(Patents ~ lgRD, family = poisson, offset = log(RDS)) (tests/reference/glm/glm_single.json)
        Assert.Equal(2.0003961154378196, beta[0], 1e-6);
        Assert.Equal(1.2369808626008616, beta[1], 1e-6);
        Write(dir, "new.csv", "lgRD\n1.5\n");
        var p = MixturesCli.Run(dir.Path, "predict", "--model", "m.json", "new.csv");
        Assert.Equal(65, p.ExitCode);
        Assert.Contains("no column logrds", p.Stderr);
    }

    [Fact]
    public void Binomial_with_trials_and_intercept_only_fits_tribolium()
    {
        using var dir = new TempFolder();
        var r = MixturesCli.Run(dir.Path, "regress", Tribolium, "--family", "binomial", "--y", "Remaining", "--trials", "Total", "--k", "1..2",
            "--out", "m.json", "--plots", "plots", "--report", "r.html");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Remaining ~ Binomial(Total, p_c), logit p_c = x'beta_c, x = (1)", r.Stdout);
        var root = JsonDocument.Parse(File.ReadAllText(dir.File("m.json"))).RootElement;
        Assert.Equal("binomial", root.GetProperty("family").GetString());
        Assert.Equal("Total", root.GetProperty("trials").GetString());
        // flexmix's best of 50 starts, K = 2 (tests/reference/glm/glm_single.json)
        Assert.Equal(-86.59471098026555, root.GetProperty("selected").GetProperty("logLikelihood").GetDouble(), 1e-6);
        Assert.True(File.Exists(dir.File("r.html")));
        Assert.True(File.Exists(Path.Combine(dir.Path, "plots", "classes.svg")));
    }

    public static TheoryData<string, string, string[], string> BadResponses() => new()
    {
        { "negative", "y,x\n1,0.5\n-2,1\n3,2\n", ["--family", "poisson"], "row 3, column y: -2 is negative" },
        { "fraction", "y,x\n1,0.5\n2,1\n3.5,2\n", ["--family", "poisson"], "row 4, column y: 3.5 is not a whole number" },
        { "not01", "y,x\n1,0.5\n0,1\n2,2\n", ["--family", "binomial"], "row 4, column y: 2 is not 0 or 1" },
        { "abovetrials", "y,n,x\n1,3,0.5\n4,3,1\n2,3,2\n", ["--family", "binomial", "--trials", "n"], "row 3, column y: 4 is not a whole number of successes between 0 and the trials (3)" },
        { "zerotrials", "y,n,x\n1,3,0.5\n0,0,1\n2,3,2\n", ["--family", "binomial", "--trials", "n"], "row 3, column n: 0 is not a whole number of trials" },
    };

    [Theory]
    [MemberData(nameof(BadResponses))]
    public void Invalid_responses_name_file_row_and_column_and_exit_65(string name, string content, string[] extra, string message)
    {
        using var dir = new TempFolder();
        var file = Write(dir, name + ".csv", content);
        var r = MixturesCli.Run(dir.Path, ["regress", file, "--y", "y", "--x", "x", "--k", "1", "--out", "m.json", .. extra]);
        Assert.Equal(65, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains($"{file}: {message}", r.Stderr);
        Assert.False(File.Exists(dir.File("m.json")));
    }

    public static TheoryData<string[], string> BadOptions() => new()
    {
        { ["--family", "gamma"], "--family: 'gamma' is not gaussian, poisson or binomial" },
        { ["--family", "binomial", "--offset", "x"], "--offset is for --family poisson" },
        { ["--family", "poisson", "--trials", "x"], "--trials is for --family binomial" },
        { ["--offset", "x"], "--offset is for --family poisson" },
        { ["--family", "poisson", "--variance", "common"], "--variance is for --family gaussian" },
        { [], "--x: give the covariate columns (required with --family gaussian" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_options_exit_64(string[] extra, string message)
    {
        using var dir = new TempFolder();
        var file = Write(dir, "d.csv", "y,x\n1,0.5\n0,1\n2,2\n");
        var r = MixturesCli.Run(dir.Path, ["regress", file, "--y", "y", "--k", "1", .. extra]);
        Assert.Equal(64, r.ExitCode);
        Assert.Contains(message, r.Stderr);
    }

    [Theory]
    [InlineData("poisson", new string[0], "y,x1,true_class")]
    [InlineData("binomial", new[] { "--trials", "6" }, "y,x1,trials,true_class")]
    public void Simulate_regression_family_writes_data_that_regress_recovers(string family, string[] trials, string header)
    {
        using var dir = new TempFolder();
        var s = MixturesCli.Run(dir.Path, ["simulate", "regression", "--family", family, "--rows", "3000", "--seed", "5", "--out", "d.csv", .. trials]);
        Assert.True(s.ExitCode == 0, s.Stderr);
        Assert.Equal(header, File.ReadLines(dir.File("d.csv")).First());
        var fit = MixturesCli.Run(dir.Path, ["regress", "d.csv", "--family", family, "--y", "y", "--x", "x1", "--k", "2", "--out", "m.json", "--quiet",
            .. family == "binomial" ? new[] { "--trials", "trials" } : []]);
        Assert.True(fit.ExitCode == 0, fit.Stderr);
        var classes = JsonDocument.Parse(File.ReadAllText(dir.File("m.json"))).RootElement.GetProperty("selected").GetProperty("classes")
            .EnumerateArray().Select(c => c.GetProperty("beta").EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        double[][] truth = family == "poisson" ? [[1.0, 0.5], [2.5, -0.5]] : [[-1.0, 1.5], [1.0, -0.5]];
        for (var c = 0; c < 2; c++)
        for (var j = 0; j < 2; j++) Assert.InRange(classes[c][j] - truth[c][j], -0.15, 0.15);
        // the same seed, the same file
        Assert.Equal(0, MixturesCli.Run(dir.Path, ["simulate", "regression", "--family", family, "--rows", "3000", "--seed", "5", "--out", "e.csv", "--quiet", .. trials]).ExitCode);
        Assert.Equal(File.ReadAllBytes(dir.File("d.csv")), File.ReadAllBytes(dir.File("e.csv")));
    }
}
