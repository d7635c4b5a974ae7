using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mixtures.Tests.Instructor;

namespace Mixtures.Tests.Regression;

/// <summary>
/// <c>--weights</c> on the fitting commands (regress with every family, with and without --group and --concomitant;
/// cluster; sales with --stores): integer weights reproduce the replicated file, bad weights are one line naming the
/// file, row and column with a non-zero exit and no output, and weights all 1 change nothing but the record of them.
/// </summary>
public class WeightsCommandTests
{
    private static string Reference(string name) => GlmTests.Reference(name);

    private static JsonElement Model(TempFolder dir, string name = "model.json") => JsonDocument.Parse(File.ReadAllText(dir.File(name))).RootElement;

    private static void Close(double expected, double actual, double relative) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(1, Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void Regress_with_integer_weights_gives_the_replicated_files_optimum_and_states_n_for_BIC()
    {
        using var dir = new TempFolder();
        var a = MixturesCli.Run(dir.Path, "regress", Reference("weights_replication.csv"), "--y", "y", "--x", "x", "--weights", "w", "--k", "1..2", "--min-prior", "0",
            "--out", "weighted.json");
        Assert.True(a.ExitCode == 0, a.Stderr);
        Assert.Contains("n = 390 = sum of the weights over 200 rows", a.Stdout);
        var b = MixturesCli.Run(dir.Path, "regress", Reference("weights_replication_replicated.csv"), "--y", "y", "--x", "x", "--k", "1..2", "--min-prior", "0",
            "--out", "replicated.json");
        Assert.True(b.ExitCode == 0, b.Stderr);
        var wa = Model(dir, "weighted.json");
        var wb = Model(dir, "replicated.json");
        var w = wa.GetProperty("observationWeights");
        Assert.Equal("w", w.GetProperty("column").GetString());
        Assert.Equal(390, w.GetProperty("sum").GetDouble());
        Assert.Equal(390, w.GetProperty("bicN").GetDouble());
        Assert.Contains("390", wa.GetProperty("conventions").GetProperty("n").GetString());
        var sa = wa.GetProperty("selected");
        var sb = wb.GetProperty("selected");
        Close(sb.GetProperty("logLikelihood").GetDouble(), sa.GetProperty("logLikelihood").GetDouble(), 1e-9);
        Close(sb.GetProperty("bic").GetDouble(), sa.GetProperty("bic").GetDouble(), 1e-9);
        var opt = JsonDocument.Parse(File.ReadAllText(Reference("weights_replication.json"))).RootElement.GetProperty("optimum");
        Close(opt.GetProperty("loglik").GetDouble(), sa.GetProperty("logLikelihood").GetDouble(), 1e-9);
        for (var c = 0; c < 2; c++)
        {
            var ca = sa.GetProperty("classes")[c].GetProperty("coefficients");
            var cb = sb.GetProperty("classes")[c].GetProperty("coefficients");
            for (var j = 0; j < 2; j++)
            {
                Close(cb[j].GetProperty("estimate").GetDouble(), ca[j].GetProperty("estimate").GetDouble(), 1e-6);
                Close(cb[j].GetProperty("se").GetDouble(), ca[j].GetProperty("se").GetDouble(), 1e-5);
            }
        }
    }

    /// <summary>A small grouped regression file with a weight per group (and one per row where asked), a concomitant z and
    /// a Poisson count.</summary>
    private static string Write(TempFolder dir, Func<int, int, string>? weight = null, string name = "data.csv")
    {
        var rng = Mixtures.Domain.Random.Seeds.Generator(5);
        var b = new StringBuilder("y,x,z,g,count,w\n");
        for (var g = 0; g < 40; g++)
        {
            var z = rng.NextDouble() * 2 - 1;
            var c = rng.NextDouble() < 0.5 ? 0 : 1;
            var gw = 1 + g % 3;
            for (var r = 0; r < 3; r++)
            {
                var x = rng.NextDouble() * 4;
                var y = (c == 0 ? 1 + 2 * x : 6 - x) + 0.5 * (rng.NextDouble() - 0.5);
                var count = (int)Math.Round(Math.Exp(c == 0 ? 0.5 + 0.3 * x : 1.5 - 0.2 * x) + rng.NextDouble());
                var w = weight?.Invoke(g, r) ?? gw.ToString(CultureInfo.InvariantCulture);
                b.Append(string.Create(CultureInfo.InvariantCulture, $"{y:R},{x:R},{z:R},g{g},{count},{w}\n"));
            }
        }
        File.WriteAllText(dir.File(name), b.ToString());
        return dir.File(name);
    }

    public static TheoryData<string[]> Fits => new()
    {
        new[] { "regress", "--y", "y", "--x", "x" },
        new[] { "regress", "--y", "y", "--x", "x", "--group", "g" },
        new[] { "regress", "--y", "y", "--x", "x", "--group", "g", "--concomitant", "z" },
        new[] { "regress", "--y", "count", "--x", "x", "--family", "poisson" },
        new[] { "regress", "--y", "count", "--x", "x", "--family", "poisson", "--group", "g" },
        new[] { "cluster", "--columns", "x,y" },
    };

    [Theory]
    [MemberData(nameof(Fits))]
    public void Every_fitting_command_runs_with_weights_and_weights_all_one_change_nothing_but_their_record(string[] args)
    {
        using var dir = new TempFolder();
        var file = Write(dir);
        var ones = Write(dir, (_, _) => "1", "ones.csv");
        string[] Args(string f, string out_, params string[] more) => [args[0], f, .. args[1..], "--k", "1..2", "--starts", "3", "--out", out_, "--assignments", out_ + ".csv", .. more];
        var weighted = MixturesCli.Run(dir.Path, Args(file, "weighted.json", "--weights", "w"));
        Assert.True(weighted.ExitCode == 0, weighted.Stderr);
        Assert.Equal(args.Contains("--group") ? 79 : 237, Model(dir, "weighted.json").GetProperty("observationWeights").GetProperty("sum").GetDouble());
        var plain = MixturesCli.Run(dir.Path, Args(ones, "plain.json"));
        var unit = MixturesCli.Run(dir.Path, Args(ones, "ones.json", "--weights", "w"));
        Assert.True(plain.ExitCode == 0 && unit.ExitCode == 0, plain.Stderr + unit.Stderr);
        Assert.Equal(File.ReadAllBytes(dir.File("plain.json.csv")), File.ReadAllBytes(dir.File("ones.json.csv")));
        var p = JsonNode.Parse(File.ReadAllText(dir.File("plain.json")))!.AsObject();
        var o = JsonNode.Parse(File.ReadAllText(dir.File("ones.json")))!.AsObject();
        Assert.NotNull(o["observationWeights"]);
        Assert.Null(p["observationWeights"]);
        o.Remove("observationWeights");
        if (o["conventions"] is JsonObject conv) conv["n"] = p["conventions"]!["n"]!.DeepClone();
        Assert.Equal(p.ToJsonString(), o.ToJsonString());
    }

    public static TheoryData<string, string, string> BadWeights => new()
    {
        { "-1", "negative", "row 3, column w" },
        { "abc", "not a finite number", "row 3, column w" },
        { "NaN", "not a finite number", "row 3, column w" },
    };

    [Theory]
    [MemberData(nameof(BadWeights))]
    public void A_bad_weight_is_one_line_naming_file_row_and_column_and_nothing_is_written(string cell, string why, string where)
    {
        using var dir = new TempFolder();
        var file = Write(dir, (g, r) => g == 0 && r == 1 ? cell : "1");
        foreach (var cmd in new[] { new[] { "regress", file, "--y", "y", "--x", "x" }, ["cluster", file, "--columns", "x,y"] })
        {
            var res = MixturesCli.Run(dir.Path, [.. cmd, "--k", "2", "--weights", "w", "--out", "model.json"]);
            Assert.Equal(65, res.ExitCode);
            var line = Assert.Single(res.ErrorLines);
            Assert.Contains("data.csv", line);
            Assert.Contains(where, line);
            Assert.Contains(why, line);
            Assert.False(File.Exists(dir.File("model.json")));
        }
    }

    [Fact]
    public void Weights_that_vary_within_a_group_all_zero_or_a_missing_column_fail_with_one_line()
    {
        using var dir = new TempFolder();
        var varying = Write(dir, (g, r) => g == 2 && r == 2 ? "5" : "1");
        var res = MixturesCli.Run(dir.Path, "regress", varying, "--y", "y", "--x", "x", "--group", "g", "--k", "2", "--weights", "w", "--out", "model.json");
        Assert.Equal(65, res.ExitCode);
        var line = Assert.Single(res.ErrorLines);
        Assert.Contains("row 10, column w: weight 5 differs from 1 on row 8 of the same g", line);
        Assert.False(File.Exists(dir.File("model.json")));

        var zeros = Write(dir, (_, _) => "0", "zeros.csv");
        res = MixturesCli.Run(dir.Path, "regress", zeros, "--y", "y", "--x", "x", "--k", "2", "--weights", "w", "--out", "model.json");
        Assert.Equal(65, res.ExitCode);
        line = Assert.Single(res.ErrorLines);
        Assert.Contains("zeros.csv: column w: every weight is 0", line);
        Assert.False(File.Exists(dir.File("model.json")));

        res = MixturesCli.Run(dir.Path, "cluster", zeros, "--columns", "x,y", "--k", "2", "--weights", "nope", "--out", "model.json");
        Assert.NotEqual(0, res.ExitCode);
        line = Assert.Single(res.ErrorLines);
        Assert.Contains("no column named 'nope'", line);
        Assert.False(File.Exists(dir.File("model.json")));

        res = MixturesCli.Run(dir.Path, "regress", zeros, "--y", "y", "--x", "x", "--k", "2", "--weights", "x");
        Assert.Equal(64, res.ExitCode);
        Assert.Contains("--weights: 'x' is already used", Assert.Single(res.ErrorLines));
    }

    /// <summary>A sales file of 12 stores x 10 weeks and its store-attribute file.</summary>
    private static (string Sales, string Stores) WriteSales(TempFolder dir, Func<int, string> weight, int replicate = 1, string? storesText = null)
    {
        var rng = Mixtures.Domain.Random.Seeds.Generator(9);
        const int N = 12, T = 10;
        var price = Enumerable.Range(0, T).Select(_ => 1 + 2 * rng.NextDouble()).ToArray();
        var alpha = new double[N];
        var beta = new double[N];
        for (var i = 0; i < N; i++) { var c = i % 2; alpha[i] = c == 0 ? 3 : 5; beta[i] = c == 0 ? -1 : -2.5; }
        var logS = new double[T, N];
        for (var t = 0; t < T; t++)
        for (var i = 0; i < N; i++) logS[t, i] = alpha[i] + beta[i] * Math.Log(price[t]) + (rng.NextDouble() - 0.5);
        var copies = Enumerable.Range(0, N).SelectMany(i => Enumerable.Repeat(i, replicate == 1 ? 1 : int.Parse(weight(i), CultureInfo.InvariantCulture))).ToList();
        var b = new StringBuilder("Price," + string.Join(",", copies.Select((i, j) => replicate == 1 ? $"S{i}" : $"S{i}_{j}")) + "\n");
        for (var t = 0; t < T; t++)
            b.Append(price[t].ToString("R", CultureInfo.InvariantCulture) + "," + string.Join(",", copies.Select(i => Math.Exp(logS[t, i]).ToString("R", CultureInfo.InvariantCulture))) + "\n");
        var sales = dir.File(replicate == 1 ? "sales.csv" : "replicated.csv");
        File.WriteAllText(sales, b.ToString());
        var stores = dir.File("stores.csv");
        File.WriteAllText(stores, storesText ?? "Store,w,region\n" + string.Join("", Enumerable.Range(0, N).Reverse().Select(i => $"S{i},{weight(i)},r{i % 3}\n")));
        return (sales, stores);
    }

    [Fact]
    public void Sales_store_weights_from_the_stores_file_equal_replicated_store_columns()
    {
        using var dir = new TempFolder();
        string W(int i) => (1 + i % 3).ToString(CultureInfo.InvariantCulture);
        var (sales, stores) = WriteSales(dir, W);
        var (replicated, _) = WriteSales(dir, W, replicate: 2);
        var a = MixturesCli.Run(dir.Path, "sales", sales, "--stores", stores, "--weights", "w", "--k", "2", "--accelerate", "none", "--tol", "1e-11", "--out", "a.json");
        Assert.True(a.ExitCode == 0, a.Stderr);
        Assert.Contains("n for BIC = T x sum of the weights = 10 x 24 = 240", a.Stdout);
        var b = MixturesCli.Run(dir.Path, "sales", replicated, "--k", "2", "--accelerate", "none", "--tol", "1e-11", "--out", "b.json");
        Assert.True(b.ExitCode == 0, b.Stderr);
        var ma = Model(dir, "a.json");
        var mb = Model(dir, "b.json");
        Assert.Equal(240, ma.GetProperty("observationWeights").GetProperty("bicN").GetDouble());
        Assert.Equal("stores.csv", ma.GetProperty("storesFile").GetString());
        var ka = ma.GetProperty("models")[0];
        var kb = mb.GetProperty("models")[0];
        Close(kb.GetProperty("logLikelihood").GetDouble(), ka.GetProperty("logLikelihood").GetDouble(), 1e-9);
        Close(kb.GetProperty("bic").GetDouble(), ka.GetProperty("bic").GetDouble(), 1e-9);
        for (var c = 0; c < 2; c++)
        for (var j = 0; j < 2; j++) Close(kb.GetProperty("theta")[c][j].GetDouble(), ka.GetProperty("theta")[c][j].GetDouble(), 1e-7);
    }

    [Fact]
    public void Sales_store_weights_with_store_attributes_as_concomitants_equal_replicated_stores()
    {
        // the weighted fit with region as concomitant = the replicated stores with their own attribute rows:
        // log L, gamma and gamma's SEs
        using var dir = new TempFolder();
        string W(int i) => (1 + i % 3).ToString(CultureInfo.InvariantCulture);
        var (sales, stores) = WriteSales(dir, W);
        var (replicated, _) = WriteSales(dir, W, replicate: 2);
        var copies = Enumerable.Range(0, 12).SelectMany(i => Enumerable.Repeat(i, 1 + i % 3)).ToList();
        var repStores = dir.File("replicated_stores.csv");
        File.WriteAllText(repStores, "Store,region\n" + string.Join("", copies.Select((i, j) => $"S{i}_{j},r{i % 3}\n")));
        var a = MixturesCli.Run(dir.Path, "sales", sales, "--stores", stores, "--weights", "w", "--concomitant", "region", "--k", "2",
            "--accelerate", "none", "--tol", "1e-11", "--out", "a.json");
        Assert.True(a.ExitCode == 0, a.Stderr);
        var b = MixturesCli.Run(dir.Path, "sales", replicated, "--stores", repStores, "--concomitant", "region", "--k", "2",
            "--accelerate", "none", "--tol", "1e-11", "--out", "b.json");
        Assert.True(b.ExitCode == 0, b.Stderr);
        var ma = Model(dir, "a.json");
        var mb = Model(dir, "b.json");
        Close(mb.GetProperty("models")[0].GetProperty("logLikelihood").GetDouble(), ma.GetProperty("models")[0].GetProperty("logLikelihood").GetDouble(), 1e-9);
        var ga = ma.GetProperty("concomitant").GetProperty("model");
        var gb = mb.GetProperty("concomitant").GetProperty("model");
        for (var j = 0; j < 3; j++)
        {
            Close(gb.GetProperty("gamma")[1][j].GetDouble(), ga.GetProperty("gamma")[1][j].GetDouble(), 1e-6);
            Close(gb.GetProperty("coefficients")[0][j].GetProperty("se").GetDouble(), ga.GetProperty("coefficients")[0][j].GetProperty("se").GetDouble(), 1e-6);
        }
    }

    [Theory]
    [InlineData("Store,w\nS0,1\nS1,1\n", "no row for stores 'S2', 'S3'")]
    [InlineData("Store,w\nS0,1\nS0,2\n", "row 3, column Store: store 'S0' appears again (first on row 2)")]
    [InlineData("Store,w\nX9,1\n", "row 2, column Store: 'X9' is not a store of the sales file")]
    [InlineData("Store,w\nS0,-2\nS1,1\nS2,1\nS3,1\nS4,1\nS5,1\nS6,1\nS7,1\nS8,1\nS9,1\nS10,1\nS11,1\n", "row 2, column w: -2 is negative")]
    [InlineData("Shop,w\nS0,1\n", "no column named 'Store'")]
    public void A_bad_stores_file_is_one_line_naming_it_and_nothing_is_written(string text, string message)
    {
        using var dir = new TempFolder();
        var (sales, stores) = WriteSales(dir, _ => "1", storesText: text);
        var r = MixturesCli.Run(dir.Path, "sales", sales, "--stores", stores, "--weights", "w", "--k", "2", "--out", "results.json");
        Assert.NotEqual(0, r.ExitCode);
        var line = Assert.Single(r.ErrorLines);
        Assert.Contains("stores.csv", line);
        Assert.Contains(message, line);
        Assert.False(File.Exists(dir.File("results.json")));
        var u = MixturesCli.Run(dir.Path, "sales", sales, "--weights", "w", "--k", "2");
        Assert.Equal(64, u.ExitCode);
        Assert.Contains("--weights needs --stores", Assert.Single(u.ErrorLines));
    }
}
