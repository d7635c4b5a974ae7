using System.Globalization;
using System.Text;
using System.Text.Json;
using Mixtures.Tests.Gaussian;

namespace Mixtures.Tests.Streaming;

/// <summary><c>mixtures regress --stream</c> end to end on small files.</summary>
public class RegressStreamCliTests
{
    /// <summary>n rows of a two-class mixture of regressions y on x1, x2 (seeded; class 1 on even rows), optionally with one bad cell.</summary>
    private static string Csv(int n, int badRow = -1, string bad = "")
    {
        var rng = new System.Random(9);
        double N() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("id,x1,y,x2\n");
        for (var i = 0; i < n; i++)
        {
            var x1 = 4 * rng.NextDouble() - 2;
            var x2 = N();
            var y = i % 2 == 0 ? 1 + 2 * x1 - x2 + 0.3 * N() : -2 - x1 + 0.5 * x2 + 0.3 * N();
            sb.Append('r').Append(i).Append(',').Append(x1.ToString("R", inv)).Append(',')
              .Append(i == badRow ? bad : y.ToString("R", inv)).Append(',').Append(x2.ToString("R", inv)).Append('\n');
        }
        return sb.ToString();
    }

    [Fact]
    public void A_bad_cell_is_one_line_naming_file_row_and_column_exit_65_and_nothing_is_written()
    {
        using var t = new TempDir();
        var csv = Path.Combine(t.Path, "bad.csv");
        File.WriteAllText(csv, Csv(9000, badRow: 5000, bad: "2,5"));
        var (code, stdout, err) = TestSupport.RunCli(["regress", csv, "--y", "y", "--x", "x1,x2", "--k", "2", "--stream", "--chunk-rows", "4096",
            "--out", Path.Combine(t.Path, "m.json"), "--assignments", Path.Combine(t.Path, "a.csv"), "--cache", Path.Combine(t.Path, "c.arrow"), "--quiet"]);
        Assert.Equal(65, code);
        Assert.Equal("", stdout);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        // "2,5" splits the row into one field too many, or is not a number: either way the file, row and a column are named
        Assert.StartsWith($"mixtures: error: {csv}: row 5002", lines[0]);
        Assert.Equal([csv], Directory.GetFiles(t.Path));
    }

    [Fact]
    public void A_constant_covariate_fails_before_any_fitting_with_the_in_memory_message()
    {
        using var t = new TempDir();
        var csv = Path.Combine(t.Path, "c.csv");
        var text = new StringBuilder("y,x1,x2\n");
        for (var i = 0; i < 5000; i++) text.Append(i % 7).Append(',').Append(i % 3).Append(",4\n");
        File.WriteAllText(csv, text.ToString());
        var (code, _, err) = TestSupport.RunCli(["regress", csv, "--y", "y", "--x", "x1,x2", "--k", "2", "--stream", "--quiet", "--out", Path.Combine(t.Path, "m.json")]);
        Assert.Equal(65, code);
        Assert.Contains("column x2 is constant (it duplicates the intercept", err);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal([csv], Directory.GetFiles(t.Path));
    }

    [Fact]
    public void The_kept_cache_read_back_with_another_chunk_size_and_thread_count_gives_the_same_model_and_assignments_bit_for_bit()
    {
        using var t = new TempDir();
        var csv = Path.Combine(t.Path, "two.csv");
        File.WriteAllText(csv, Csv(10_000));
        var cache = Path.Combine(t.Path, "two.arrow");
        string P(string f) => Path.Combine(t.Path, f);
        var (c1, out1, err1) = TestSupport.RunCli(["regress", csv, "--y", "y", "--x", "x1,x2", "--k", "2", "--stream", "--chunk-rows", "4096", "--sample-rows", "2000",
            "--cache", cache, "--out", P("m1.json"), "--assignments", P("a1.csv"), "--threads", "1"]);
        Assert.True(c1 == 0, err1);
        var (c2, _, err2) = TestSupport.RunCli(["regress", cache, "--y", "y", "--x", "x1,x2", "--k", "2", "--stream", "--chunk-rows", "8192", "--sample-rows", "2000",
            "--out", P("m2.json"), "--assignments", P("a2.csv"), "--quiet", "--threads", "2"]);
        Assert.True(c2 == 0, err2);
        Assert.True(File.Exists(cache));
        using var m1 = JsonDocument.Parse(File.ReadAllText(P("m1.json")));
        using var m2 = JsonDocument.Parse(File.ReadAllText(P("m2.json")));
        var selected = m1.RootElement.GetProperty("selected");
        var iterations = m1.RootElement.GetProperty("models")[0].GetProperty("iterations").GetInt32();
        // a line per pass on stderr: ranges, cross products, the sweep at the start, one per iteration, the final pass
        var passes = err1.Split('\n').Count(l => l.StartsWith("mixtures: pass "));
        Assert.Equal(3 + iterations + 1, passes);
        Assert.Equal(passes, m1.RootElement.GetProperty("streaming").GetProperty("passes").GetInt32());
        Assert.Equal(selected.GetRawText(), m2.RootElement.GetProperty("selected").GetRawText());
        Assert.Equal(File.ReadAllBytes(P("a1.csv")), File.ReadAllBytes(P("a2.csv")));
        var rows = File.ReadAllLines(P("a1.csv"));
        Assert.Equal(10_001, rows.Length);
        Assert.Equal("row,resp_1,resp_2,class,probability", rows[0]);
        Assert.StartsWith("2,", rows[1]);
        Assert.NotEqual(rows[1].Split(',')[3], rows[2].Split(',')[3]);
        Assert.Contains("streaming EM: K = 2, n = 10,000, p = 3", out1);
        // the truth: classes in ascending order of their coefficients, (-2, -1, 0.5) then (1, 2, -1), sigma 0.3, each with an SE
        var classes = selected.GetProperty("classes");
        double[][] truth = [[-2, -1, 0.5], [1, 2, -1]];
        for (var c = 0; c < 2; c++)
        {
            var beta = classes[c].GetProperty("beta").EnumerateArray().Select(b => b.GetDouble()).ToArray();
            for (var j = 0; j < 3; j++) Assert.InRange(beta[j], truth[c][j] - 0.05, truth[c][j] + 0.05);
            Assert.InRange(classes[c].GetProperty("sigma").GetDouble(), 0.28, 0.32);
            var se = classes[c].GetProperty("coefficients")[1].GetProperty("se").GetDouble();
            Assert.InRange(se, 0.001, 0.02);
        }
    }

    [Fact]
    public void The_streaming_fit_reaches_the_in_memory_maximum_and_predict_reads_its_model()
    {
        using var t = new TempDir();
        var csv = Path.Combine(t.Path, "two.csv");
        File.WriteAllText(csv, Csv(10_000));
        string P(string f) => Path.Combine(t.Path, f);
        var (c1, _, err1) = TestSupport.RunCli(["regress", csv, "--y", "y", "--x", "x1,x2", "--k", "2", "--stream", "--tol", "1e-12", "--out", P("s.json"), "--quiet"]);
        Assert.True(c1 == 0, err1);
        var (c2, _, err2) = TestSupport.RunCli(["regress", csv, "--y", "y", "--x", "x1,x2", "--k", "2", "--tol", "1e-10", "--out", P("m.json"), "--quiet"]);
        Assert.True(c2 == 0, err2);
        using var s = JsonDocument.Parse(File.ReadAllText(P("s.json")));
        using var m = JsonDocument.Parse(File.ReadAllText(P("m.json")));
        var ls = s.RootElement.GetProperty("selected").GetProperty("logLikelihood").GetDouble();
        var lm = m.RootElement.GetProperty("selected").GetProperty("logLikelihood").GetDouble();
        Assert.InRange(ls - lm, -1e-6 * Math.Abs(lm), 1e-6 * Math.Abs(lm));
        for (var c = 0; c < 2; c++)
        {
            var bs = s.RootElement.GetProperty("selected").GetProperty("classes")[c].GetProperty("beta").EnumerateArray().Select(b => b.GetDouble()).ToArray();
            var bm = m.RootElement.GetProperty("selected").GetProperty("classes")[c].GetProperty("beta").EnumerateArray().Select(b => b.GetDouble()).ToArray();
            for (var j = 0; j < 3; j++) Assert.InRange(bs[j] - bm[j], -1e-4, 1e-4);
        }
        var (c3, _, err3) = TestSupport.RunCli(["predict", csv, "--model", P("s.json"), "--out", P("pred.csv")]);
        Assert.True(c3 == 0, err3);
        Assert.Equal(10_001, File.ReadAllLines(P("pred.csv")).Length);
    }

    [Fact]
    public void Stream_takes_one_gaussian_K_and_refuses_what_it_does_not_support_listing_every_problem_at_once()
    {
        using var t = new TempDir();
        var csv = Path.Combine(t.Path, "x.csv");
        File.WriteAllText(csv, Csv(100));
        var (code, _, err) = TestSupport.RunCli(["regress", csv, "--y", "y", "--x", "x1,x2", "--k", "2..3", "--stream", "--group", "id", "--chunk-rows", "5000"]);
        Assert.Equal(64, code);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--stream fits one K", err);
        Assert.Contains("--group is not available with --stream", err);
        Assert.Contains("--chunk-rows must be a positive multiple of 4096", err);
        var (code2, _, err2) = TestSupport.RunCli(["regress", csv, "--y", "y", "--x", "x1,x2", "--k", "2", "--stream", "--family", "poisson"]);
        Assert.Equal(64, code2);
        Assert.Contains("--stream fits --family gaussian only", err2);
        var (code3, _, err3) = TestSupport.RunCli(["regress", csv, "--y", "y", "--x", "x1,x2", "--k", "2", "--sample-rows", "10"]);
        Assert.Equal(64, code3);
        Assert.Contains("--sample-rows applies only with --stream", err3);
    }
}
