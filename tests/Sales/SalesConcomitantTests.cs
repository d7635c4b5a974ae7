using System.Text;
using System.Text.Json;
using Mixtures.Tests.Instructor;

namespace Mixtures.Tests.Sales;

/// <summary><c>sales --stores FILE --concomitant A,B</c>: store attributes as concomitant variables of the segment probabilities.</summary>
public class SalesConcomitantTests
{
    private static string SalesFile => Path.Combine(TestSupport.RepoRoot, "data", "sales.csv");

    /// <summary>The attribute file of data/sales.csv: size = true segment + noise (so it predicts the segment), a random region.</summary>
    private static string Stores(TempFolder dir, Func<List<string>, List<string>>? edit = null)
    {
        var truth = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestSupport.RepoRoot, "data", "sales.truth.json"))).RootElement;
        var seg = truth.GetProperty("segmentOfStore").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var rng = Mixtures.Domain.Random.Seeds.Generator(3);
        var lines = new List<string> { "Store,size,region" };
        // rows in reverse order: matched by name, not position
        for (var i = seg.Length - 1; i >= 0; i--)
            lines.Add(FormattableString.Invariant($"Store{i + 1},{seg[i] + 0.8 * MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1):R},{(rng.NextDouble() < 0.5 ? "north" : "south")}"));
        File.WriteAllLines(dir.File("stores.csv"), edit is null ? lines : edit(lines));
        return dir.File("stores.csv");
    }

    [Fact]
    public void Store_attributes_give_gamma_with_standard_errors_segment_means_and_the_free_parameter_count()
    {
        using var dir = new TempFolder();
        var stores = Stores(dir);
        var r = MixturesCli.Run(dir.Path, "sales", SalesFile, "--k", "2,3", "--stores", stores, "--concomitant", "size,region", "--out", "results.json",
            "--assignments", "a.csv", "--report", "r.html");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Concomitant model", r.Stdout);
        Assert.Contains("region = south", r.Stdout);
        Assert.Contains("Concomitant variables by segment", File.ReadAllText(dir.File("r.html")));
        var root = JsonDocument.Parse(File.ReadAllText(dir.File("results.json"))).RootElement;
        var models = root.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal([2 * 2 + 1 * 3, 2 * 3 + 2 * 3], models.Select(m => m.GetProperty("freeParameters").GetInt32()));
        Assert.True(models.All(m => m.TryGetProperty("gamma", out _)));
        Assert.Contains("k = 2K + (K - 1) q", root.GetProperty("criterion").GetString());
        Assert.Equal(3, root.GetProperty("selectedK").GetInt32());
        var con = root.GetProperty("concomitant");
        Assert.Equal("stores.csv", con.GetProperty("storesFile").GetString());
        var model = con.GetProperty("model");
        Assert.Equal(["(Intercept)", "size", "regionsouth"], model.GetProperty("terms").EnumerateArray().Select(t => t.GetString()));
        var coefficients = model.GetProperty("coefficients");
        Assert.Equal(2, coefficients.GetArrayLength());   // gamma_2 and gamma_3
        // size predicts the segment: its gamma is positive, several SEs from 0, in both contrasts
        for (var k = 0; k < 2; k++)
        {
            var size = coefficients[k][1];
            Assert.True(size.GetProperty("estimate").GetDouble() > 3 * size.GetProperty("se").GetDouble());
        }
        var profiles = con.GetProperty("profiles");
        var sizeMeans = profiles.EnumerateArray().Select(p => p.GetProperty("concomitantMeans")[0].GetProperty("mean").GetDouble()).ToArray();
        Assert.True(sizeMeans[0] < sizeMeans[1] && sizeMeans[1] < sizeMeans[2], string.Join(", ", sizeMeans));

        // predict does not take store attributes: it says so
        var p = MixturesCli.Run(dir.Path, "predict", "--model", "results.json", SalesFile, "--out", "p.csv");
        Assert.NotEqual(0, p.ExitCode);
        Assert.Contains("store attributes", Assert.Single(p.ErrorLines));
        Assert.False(File.Exists(dir.File("p.csv")));
    }

    [Theory]
    [InlineData("missing", "no row for store 'Store300'")]
    [InlineData("twice", "row 302, column Store: store 'Store7' appears again")]
    [InlineData("unknown", "row 302, column Store: 'Store999' is not a store of the sales file")]
    [InlineData("empty", "row 3, column size")]
    public void A_bad_store_attribute_file_is_a_one_line_error_naming_file_row_and_column_and_nothing_is_written(string problem, string expected)
    {
        using var dir = new TempFolder();
        var stores = Stores(dir, lines => problem switch
        {
            "missing" => lines.Where((_, i) => i != 1).ToList(),
            "twice" => [.. lines, "Store7,1.5,north"],
            "unknown" => [.. lines, "Store999,1.5,north"],
            _ => lines.Select((l, i) => i == 2 ? l.Split(',')[0] + ",," + l.Split(',')[2] : l).ToList(),
        });
        var r = MixturesCli.Run(dir.Path, "sales", SalesFile, "--k", "2", "--stores", stores, "--concomitant", "size,region", "--out", "results.json");
        Assert.Equal(65, r.ExitCode);
        var line = Assert.Single(r.ErrorLines);
        Assert.Contains("stores.csv", line);
        Assert.Contains(expected, line);
        Assert.False(File.Exists(dir.File("results.json")));
    }

    [Fact]
    public void Stores_and_concomitant_go_together_and_a_missing_column_is_named()
    {
        using var dir = new TempFolder();
        var stores = Stores(dir);
        var alone = MixturesCli.Run(dir.Path, "sales", SalesFile, "--k", "2", "--concomitant", "size", "--out", "results.json");
        Assert.Equal(64, alone.ExitCode);
        Assert.Contains("--stores", Assert.Single(alone.ErrorLines));
        var noColumns = MixturesCli.Run(dir.Path, "sales", SalesFile, "--k", "2", "--stores", stores, "--out", "results.json");
        Assert.Equal(64, noColumns.ExitCode);
        var missing = MixturesCli.Run(dir.Path, "sales", SalesFile, "--k", "2", "--stores", stores, "--concomitant", "weight", "--out", "results.json");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("weight", Assert.Single(missing.ErrorLines));
        Assert.False(File.Exists(dir.File("results.json")));
    }
}
