using System.Globalization;
using System.Text;
using System.Text.Json;
using Mixtures.Tests.Gaussian;

namespace Mixtures.Tests.Streaming;

/// <summary><c>mixtures cluster --stream</c> end to end on small files.</summary>
public class ClusterStreamCliTests
{
    /// <summary>n rows of two well-separated clusters in columns a, b (seeded), optionally with one bad cell.</summary>
    private static string Csv(int n, int badRow = -1, string bad = "")
    {
        var rng = new System.Random(5);
        double N() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var sb = new StringBuilder("a,b,label\n");
        for (var i = 0; i < n; i++)
        {
            var k = i % 2;
            var a = (4 * k + N()).ToString("R", CultureInfo.InvariantCulture);
            var b = i == badRow ? bad : (-2 * k + 0.5 * N()).ToString("R", CultureInfo.InvariantCulture);
            sb.Append(a).Append(',').Append(b).Append(",r").Append(i).Append('\n');
        }
        return sb.ToString();
    }

    [Fact]
    public void A_bad_cell_is_one_line_naming_file_row_and_column_exit_65_and_nothing_is_written()
    {
        using var t = new TempDir();
        var csv = Path.Combine(t.Path, "bad.csv");
        File.WriteAllText(csv, Csv(9000, badRow: 6000, bad: "1.5.2"));
        var (code, stdout, err) = TestSupport.RunCli(["cluster", csv, "--columns", "a,b", "--k", "2", "--stream", "--chunk-rows", "4096",
            "--out", Path.Combine(t.Path, "m.json"), "--assignments", Path.Combine(t.Path, "a.csv"), "--cache", Path.Combine(t.Path, "c.arrow"), "--quiet"]);
        Assert.Equal(65, code);
        Assert.Equal("", stdout);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        // the header is row 1, so data row 6000 (0-based) is line 6002
        Assert.StartsWith($"mixtures: error: {csv}: row 6002, column b: ", lines[0]);
        Assert.Equal([csv], Directory.GetFiles(t.Path));
    }

    [Fact]
    public void The_kept_cache_read_back_with_another_chunk_size_gives_the_same_model_and_assignments_bit_for_bit()
    {
        using var t = new TempDir();
        var csv = Path.Combine(t.Path, "two.csv");
        File.WriteAllText(csv, Csv(10_000));
        var cache = Path.Combine(t.Path, "two.arrow");
        string P(string f) => Path.Combine(t.Path, f);
        var (c1, out1, err1) = TestSupport.RunCli(["cluster", csv, "--columns", "a,b", "--k", "2", "--stream", "--chunk-rows", "4096", "--sample-rows", "2000",
            "--cache", cache, "--out", P("m1.json"), "--assignments", P("a1.csv")]);
        Assert.True(c1 == 0, err1);
        var (c2, _, err2) = TestSupport.RunCli(["cluster", cache, "--columns", "a,b", "--k", "2", "--stream", "--chunk-rows", "8192", "--sample-rows", "2000",
            "--out", P("m2.json"), "--assignments", P("a2.csv"), "--quiet"]);
        Assert.True(c2 == 0, err2);
        Assert.True(File.Exists(cache));
        // a line per pass on stderr: the ranges pass, one at the start, one per iteration, the assignments (and a rare
        // recentring pass, "covariances about the new means")
        var passes = err1.Split('\n').Count(l => l.StartsWith("mixtures: pass "));
        var recentred = err1.Split('\n').Count(l => l.StartsWith("mixtures: pass ") && l.Contains("about the new means"));
        using var m1 = JsonDocument.Parse(File.ReadAllText(P("m1.json")));
        using var m2 = JsonDocument.Parse(File.ReadAllText(P("m2.json")));
        var iterations = m1.RootElement.GetProperty("selection")[0].GetProperty("iterations").GetInt32();
        Assert.Equal(2 + iterations + 1 + recentred, passes);
        Assert.Equal(passes, m1.RootElement.GetProperty("streaming").GetProperty("passes").GetInt32());
        foreach (var p in new[] { "weights", "means", "covariances", "logLikelihood", "bic", "profiles", "confidence" })
            Assert.Equal(m1.RootElement.GetProperty(p).GetRawText(), m2.RootElement.GetProperty(p).GetRawText());
        Assert.Equal(10_000, m1.RootElement.GetProperty("observations").GetInt32());
        Assert.Equal(File.ReadAllBytes(P("a1.csv")), File.ReadAllBytes(P("a2.csv")));
        var rows = File.ReadAllLines(P("a1.csv"));
        Assert.Equal(10_001, rows.Length);
        Assert.Equal("row,cluster,probability,p1,p2", rows[0]);
        Assert.StartsWith("2,", rows[1]);
        // the two clusters are found: alternate rows alternate clusters
        Assert.NotEqual(rows[1].Split(',')[1], rows[2].Split(',')[1]);
        Assert.Contains("streaming EM: K = 2 (full), n = 10,000", out1);
    }

    [Fact]
    public void Stream_takes_one_K_and_refuses_what_it_does_not_support_listing_every_problem_at_once()
    {
        using var t = new TempDir();
        var csv = Path.Combine(t.Path, "x.csv");
        File.WriteAllText(csv, Csv(100));
        var (code, _, err) = TestSupport.RunCli(["cluster", csv, "--columns", "a,b", "--k", "2..3", "--stream", "--standardize", "--chunk-rows", "5000"]);
        Assert.Equal(64, code);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--stream fits one K", err);
        Assert.Contains("--standardize is not available with --stream", err);
        Assert.Contains("--chunk-rows must be a positive multiple of 4096", err);
        var (code2, _, err2) = TestSupport.RunCli(["cluster", csv, "--columns", "a,b", "--k", "2", "--cache", Path.Combine(t.Path, "c.arrow")]);
        Assert.Equal(64, code2);
        Assert.Contains("--cache applies only with --stream", err2);
    }
}
