using System.Globalization;
using System.Text;
using System.Text.Json;
using MathNet.Numerics.Distributions;
using Mixtures.Tests.Instructor;

namespace Mixtures.Tests.Regression;

/// <summary><c>regress --concomitant</c>: class probabilities that depend on a unit's variables.</summary>
public class ConcomitantCommandTests
{
    private static readonly double[,] Gamma = { { 0, 0 }, { 0.5, 2.0 } };   // K = 2: logit Pr[class 2 | z] = 0.5 + 2 z

    /// <summary>Groups of 5 rows; class drawn from the concomitant z of the group; y = 1 + 2x (class 1) or 6 - x (class 2).</summary>
    private static string Write(TempFolder dir, int groups, ulong seed, bool varyWithinGroup = false)
    {
        var rng = Mixtures.Domain.Random.Seeds.Generator(seed);
        var b = new StringBuilder("y,x,z,store\n");
        for (var g = 0; g < groups; g++)
        {
            var z = Normal.Sample(rng, 0, 1);
            var p2 = 1 / (1 + Math.Exp(-(Gamma[1, 0] + Gamma[1, 1] * z)));
            var c = rng.NextDouble() < p2 ? 1 : 0;
            for (var r = 0; r < 5; r++)
            {
                var x = rng.NextDouble() * 4;
                var y = (c == 0 ? 1 + 2 * x : 6 - x) + 0.5 * Normal.Sample(rng, 0, 1);
                var zz = varyWithinGroup && g == 3 && r == 2 ? z + 1 : z;
                b.Append(string.Create(CultureInfo.InvariantCulture, $"{y:R},{x:R},{zz:R},s{g}\n"));
            }
        }
        File.WriteAllText(dir.File("panel.csv"), b.ToString());
        return dir.File("panel.csv");
    }

    [Fact]
    public void Gamma_is_estimated_printed_and_written_and_fits_better_than_one_pi()
    {
        using var dir = new TempFolder();
        var file = Write(dir, 600, 4);
        var r = MixturesCli.Run(dir.Path, "regress", file, "--y", "y", "--x", "x", "--group", "store", "--concomitant", "z", "--k", "2", "--starts", "5", "--out", "model.json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Concomitant model", r.Stdout);
        var sel = JsonDocument.Parse(File.ReadAllText(dir.File("model.json"))).RootElement.GetProperty("selected");
        var con = sel.GetProperty("concomitant");
        Assert.Equal(["(Intercept)", "z"], con.GetProperty("terms").EnumerateArray().Select(t => t.GetString()!).ToArray());
        var gamma = con.GetProperty("gamma").EnumerateArray().Select(g => g.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        Assert.Equal([0.0, 0.0], gamma[0]);
        // classes in canonical order: class 1 has intercept 1 (the simulated class 1), so gamma_2 estimates (0.5, 2) (SE ~ 0.15 at 600 groups)
        Assert.Equal(0.5, gamma[1][0], 0.45);
        Assert.Equal(2.0, gamma[1][1], 0.6);
        Assert.Equal(4 + 2 + 2, sel.GetProperty("freeParameters").GetInt32());   // 2 x 2 betas, 2 sigmas, (K - 1) q = 2 gammas (no separate pi)
        Assert.False(sel.TryGetProperty("standardErrorsUnavailable", out _));
        // the simulated gamma_2 lies within 4 standard errors of the estimate (observed information)
        var se = con.GetProperty("coefficients")[0].EnumerateArray().Select(c => c.GetProperty("se").GetDouble()).ToArray();
        Assert.InRange(Math.Abs(gamma[1][0] - Gamma[1, 0]), 0, 4 * se[0]);
        Assert.InRange(Math.Abs(gamma[1][1] - Gamma[1, 1]), 0, 4 * se[1]);
        Assert.InRange(se[1], 0.05, 0.5);

        var plain = MixturesCli.Run(dir.Path, "regress", file, "--y", "y", "--x", "x", "--group", "store", "--k", "2", "--starts", "5", "--out", "plain.json");
        Assert.True(plain.ExitCode == 0, plain.Stderr);
        var ll = sel.GetProperty("logLikelihood").GetDouble();
        var llPlain = JsonDocument.Parse(File.ReadAllText(dir.File("plain.json"))).RootElement.GetProperty("selected").GetProperty("logLikelihood").GetDouble();
        Assert.True(ll > llPlain + 20, $"{ll} vs {llPlain}");

        // predict applies the concomitant model (see ConcomitantPredictTests)
        var p = MixturesCli.Run(dir.Path, "predict", "--model", "model.json", file, "--out", "p.csv");
        Assert.True(p.ExitCode == 0, p.Stderr);
    }

    [Fact]
    public void A_concomitant_that_varies_within_a_group_or_repeats_a_column_is_an_error_and_nothing_is_written()
    {
        using var dir = new TempFolder();
        var file = Write(dir, 40, 2, varyWithinGroup: true);
        var r = MixturesCli.Run(dir.Path, "regress", file, "--y", "y", "--x", "x", "--group", "store", "--concomitant", "z", "--k", "2", "--out", "model.json");
        Assert.Equal(65, r.ExitCode);
        var line = Assert.Single(r.ErrorLines);
        Assert.Contains("row 19, column z:", line);      // group 3's third row is the 18th data row, line 19 of the file
        Assert.Contains("row 17 of the same store", line);
        Assert.False(File.Exists(dir.File("model.json")));
        var u = MixturesCli.Run(dir.Path, "regress", file, "--y", "y", "--x", "x", "--concomitant", "x", "--k", "2");
        Assert.Equal(64, u.ExitCode);
        Assert.Contains("--concomitant: 'x' is already used", u.Stderr);
    }
}
