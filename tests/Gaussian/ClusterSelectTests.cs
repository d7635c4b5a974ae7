using System.Text.Json;
using Mixtures.Tests.Instructor;

namespace Mixtures.Tests.Gaussian;

/// <summary><c>cluster --select icl|aic</c>: K chosen by another criterion among the eligible fits.</summary>
public class ClusterSelectTests
{
    private static readonly string Customers = Path.Combine(TestSupport.RepoRoot, "data", "customers.tsv");
    private const string Columns = "MntWines,MntFruits,MntMeatProducts,MntFishProducts,MntSweetProducts,MntGoldProds";

    [Fact]
    public void ICL_chooses_the_K_with_the_lowest_ICL_among_sound_fits_and_is_at_least_BIC()
    {
        using var dir = new TempFolder();
        var r = MixturesCli.Run(dir.Path, "cluster", Customers, "--columns", Columns, "--k", "1..4", "--select", "icl", "--out", "m.json");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Model selection (lower ICL is better)", r.Stdout);
        using var doc = JsonDocument.Parse(File.ReadAllText(dir.File("m.json")));
        var root = doc.RootElement;
        Assert.Equal("icl", root.GetProperty("settings").GetProperty("select").GetString());
        var rows = root.GetProperty("selection").EnumerateArray().ToList();
        foreach (var k in rows)
        {
            var bic = k.GetProperty("bic").GetDouble();
            var icl = k.GetProperty("icl").GetDouble();
            // ICL = BIC - 2 sum_i log max_k W[i,k] >= BIC, equal at K = 1
            if (k.GetProperty("K").GetInt32() == 1) Assert.Equal(bic, icl);
            else Assert.True(icl > bic);
        }
        var eligible = rows.Where(k => !k.GetProperty("degenerate").GetBoolean()).ToList();
        var best = eligible.MinBy(k => k.GetProperty("icl").GetDouble());
        Assert.Equal(best.GetProperty("K").GetInt32(), root.GetProperty("K").GetInt32());
        Assert.Contains($"selected K = {best.GetProperty("K").GetInt32()} (lowest ICL", r.Stdout);
    }

    [Fact]
    public void The_default_writes_no_ICL_and_an_unknown_criterion_is_a_usage_error()
    {
        using var dir = new TempFolder();
        var r = MixturesCli.Run(dir.Path, "cluster", Customers, "--columns", Columns, "--k", "1..2", "--quiet", "--out", "m.json");
        Assert.Equal(0, r.ExitCode);
        var json = File.ReadAllText(dir.File("m.json"));
        Assert.DoesNotContain("\"icl\"", json);
        Assert.DoesNotContain("\"select\"", json);
        var bad = MixturesCli.Run(dir.Path, "cluster", Customers, "--columns", Columns, "--select", "hqic", "--out", "x.json");
        Assert.Equal(64, bad.ExitCode);
        Assert.Contains("--select: 'hqic' is not bic, aic or icl", Assert.Single(bad.ErrorLines));
        Assert.False(File.Exists(dir.File("x.json")));
    }
}
