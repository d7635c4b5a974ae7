using System.Globalization;
using System.Text;
using System.Text.Json;
using MathNet.Numerics.Distributions;
using Mixtures.Tests.Instructor;

namespace Mixtures.Tests.Regression;

/// <summary><c>regress --concomitant</c> then <c>predict</c>: the class priors of new units are softmax(z'gamma), and the
/// class profiles show each concomitant's posterior-weighted mean.</summary>
public class ConcomitantPredictTests
{
    /// <summary>Groups of 4 rows; logit Pr[class 2 | z, tier] = 0.5 + 2 z + 0.7 [tier = b]; y = 1 + 2x (class 1) or 6 - x (class 2).</summary>
    private static string Write(TempFolder dir, int groups, ulong seed, string name = "panel.csv")
    {
        var rng = Mixtures.Domain.Random.Seeds.Generator(seed);
        var b = new StringBuilder("y,x,z,tier,store\n");
        for (var g = 0; g < groups; g++)
        {
            var z = Normal.Sample(rng, 0, 1);
            var tier = rng.NextDouble() < 0.5 ? "a" : "b";
            var c = rng.NextDouble() < 1 / (1 + Math.Exp(-(0.5 + 2 * z + (tier == "b" ? 0.7 : 0)))) ? 1 : 0;
            for (var r = 0; r < 4; r++)
            {
                var x = rng.NextDouble() * 4;
                var y = (c == 0 ? 1 + 2 * x : 6 - x) + 0.8 * Normal.Sample(rng, 0, 1);
                b.Append(string.Create(CultureInfo.InvariantCulture, $"{y:R},{x:R},{z:R},{tier},s{g}\n"));
            }
        }
        File.WriteAllText(dir.File(name), b.ToString());
        return dir.File(name);
    }

    private static List<Dictionary<string, string>> Csv(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => header.Zip(l.Split(','), (h, v) => (h, v)).ToDictionary(t => t.h, t => t.v)).ToList();
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [Fact]
    public void Predict_uses_softmax_of_z_gamma_as_each_groups_prior_and_reproduces_the_fits_posteriors()
    {
        using var dir = new TempFolder();
        var file = Write(dir, 300, 21);
        var r = MixturesCli.Run(dir.Path, "regress", file, "--y", "y", "--x", "x", "--group", "store", "--concomitant", "z,tier", "--k", "2", "--starts", "3",
            "--out", "model.json", "--assignments", "a.csv", "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var p = MixturesCli.Run(dir.Path, "predict", "--model", "model.json", file, "--out", "p.csv");
        Assert.True(p.ExitCode == 0, p.Stderr);
        var fitted = Csv(dir.File("a.csv")).ToDictionary(row => row["store"]);
        var sel = JsonDocument.Parse(File.ReadAllText(dir.File("model.json"))).RootElement.GetProperty("selected");
        var gamma = sel.GetProperty("concomitant").GetProperty("gamma")[1].EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(3, gamma.Length);   // (Intercept), z, tierb
        var beta = sel.GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("beta").EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var zOf = File.ReadAllLines(file).Skip(1).Select(l => l.Split(',')).GroupBy(f => f[4]).ToDictionary(g => g.Key, g => (z: D(g.First()[2]), tier: g.First()[3]));
        foreach (var row in Csv(dir.File("p.csv")))
        {
            var store = row["store"];
            // the posterior of the fit, to rounding
            Assert.Equal(D(fitted[store]["resp_2"]), D(row["resp_2"]), 1e-12);
            // the mixture prediction with the prior softmax(z'gamma) computed here
            var (z, tier) = zOf[store];
            var p2 = 1 / (1 + Math.Exp(-(gamma[0] + gamma[1] * z + gamma[2] * (tier == "b" ? 1 : 0))));
            var x = D(row["x"]);
            var expected = (1 - p2) * (beta[0][0] + beta[0][1] * x) + p2 * (beta[1][0] + beta[1][1] * x);
            Assert.Equal(expected, D(row["prediction"]), 1e-9);
        }
    }

    [Fact]
    public void Class_profiles_show_the_posterior_weighted_mean_of_each_concomitant_and_the_share_of_each_level()
    {
        using var dir = new TempFolder();
        var file = Write(dir, 250, 23);
        var r = MixturesCli.Run(dir.Path, "regress", file, "--y", "y", "--x", "x", "--group", "store", "--concomitant", "z,tier", "--k", "2", "--starts", "3",
            "--out", "model.json", "--assignments", "a.csv", "--report", "r.html");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Concomitant variables by class", r.Stdout);
        Assert.Contains("tier = b", r.Stdout);
        Assert.Contains("Concomitant variables by class", File.ReadAllText(dir.File("r.html")));
        var assigned = Csv(dir.File("a.csv"));
        var zOf = File.ReadAllLines(file).Skip(1).Select(l => l.Split(',')).GroupBy(f => f[4]).ToDictionary(g => g.Key, g => (z: D(g.First()[2]), tier: g.First()[3]));
        var profiles = JsonDocument.Parse(File.ReadAllText(dir.File("model.json"))).RootElement.GetProperty("selected").GetProperty("profiles");
        for (var k = 0; k < 2; k++)
        {
            var w = assigned.Select(a => (w: D(a[$"resp_{k + 1}"]), zOf[a["store"]].z, zOf[a["store"]].tier)).ToList();
            var total = w.Sum(t => t.w);
            var means = profiles[k].GetProperty("concomitantMeans");
            Assert.Equal("z", means[0].GetProperty("variable").GetString());
            Assert.Equal(w.Sum(t => t.w * t.z) / total, means[0].GetProperty("mean").GetDouble(), 1e-9);
            Assert.Equal("a", means[1].GetProperty("level").GetString());
            Assert.Equal(w.Where(t => t.tier == "a").Sum(t => t.w) / total, means[1].GetProperty("mean").GetDouble(), 1e-9);
            Assert.Equal(w.Where(t => t.tier == "b").Sum(t => t.w) / total, means[2].GetProperty("mean").GetDouble(), 1e-9);
        }
    }

    [Fact]
    public void Predict_needs_the_concomitant_columns_and_the_fits_levels()
    {
        using var dir = new TempFolder();
        var file = Write(dir, 150, 25);
        Assert.Equal(0, MixturesCli.Run(dir.Path, "regress", file, "--y", "y", "--x", "x", "--group", "store", "--concomitant", "z,tier", "--k", "2", "--starts", "2",
            "--out", "model.json", "--quiet").ExitCode);
        File.WriteAllText(dir.File("new.csv"), "y,x,z,store\n1,2,0.5,s1\n");
        var missing = MixturesCli.Run(dir.Path, "predict", "--model", "model.json", dir.File("new.csv"), "--out", "p.csv");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("tier", Assert.Single(missing.ErrorLines));
        File.WriteAllText(dir.File("new.csv"), "y,x,z,tier,store\n1,2,0.5,a,s1\n2,1,0.1,c,s2\n");
        var level = MixturesCli.Run(dir.Path, "predict", "--model", "model.json", dir.File("new.csv"), "--out", "p.csv");
        Assert.Equal(65, level.ExitCode);
        var line = Assert.Single(level.ErrorLines);
        Assert.Contains("row 3, column tier", line);
        File.WriteAllText(dir.File("new.csv"), "y,x,z,tier,store\n1,2,0.5,a,s1\n2,1,0.7,a,s1\n");
        var varies = MixturesCli.Run(dir.Path, "predict", "--model", "model.json", dir.File("new.csv"), "--out", "p.csv");
        Assert.Equal(65, varies.ExitCode);
        Assert.Contains("row 3, column z", Assert.Single(varies.ErrorLines));
        Assert.False(File.Exists(dir.File("p.csv")));
    }
}
