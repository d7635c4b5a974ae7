using System.Text.Json;
using Mixtures.Tests.Plots;

namespace Mixtures.Tests.Comparison;

/// <summary><c>mixtures compare</c> end to end, in a child process.</summary>
public class CompareShellTests
{
    private static readonly string Customers = Path.Combine(TestSupport.RepoRoot, "data", "ltv.csv");

    private const string Small = "y,x,seg\n1,1,a\n2,2,a\n3,3,a\n4,4,b\n5,5,b\n6,6,b\n7,7,a\n8,8,b\n9,9,a\n10,10,b\n";

    public static TheoryData<string, string?, string[], int, string> BadInputs() => new()
    {
        { "missing", null, [], 66, "file not found" },
        { "unknowncolumn", Small, ["--x", "x,z"], 64, "no column named 'z'" },
        { "nonnumeric", "y,x,seg\n1,1,a\n2,two,a\n3,3,b\n4,4,b\n", [], 65, "row 3, column x: 'two' is not a finite number" },
        { "toofewrows", "y,x,seg\n1,1,a\n2,2,a\n3,3,b\n", [], 65, "give 1 test and 2 training row(s)" },
        { "fraction0", Small, ["--test-fraction", "0"], 64, "--test-fraction must be between 0 and 1" },
        { "fraction1", Small, ["--test-fraction", "1"], 64, "--test-fraction must be between 0 and 1" },
        { "fractionbig", Small, ["--test-fraction", "1.5"], 64, "--test-fraction must be between 0 and 1" },
        { "kzero", Small, ["--k", "0"], 64, "--k: '0' is neither 'auto' nor a number of classes" },
        { "kword", Small, ["--k", "many"], 64, "--k: 'many' is neither 'auto' nor a number of classes" },
        { "krange", Small, ["--k", "2..4"], 64, "--k: '2..4' is neither" },
        { "ktoobig", Small, ["--k", "8"], 65, "K = 8 exceeds the 7 training rows" },
        { "segmentisx", Small, ["--segment", "x"], 64, "--segment: 'x' is also used as --y or --x" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_gives_one_line_error_and_no_output_files(string name, string? content, string[] extra, int exitCode, string message)
    {
        var dir = TestSupport.TempDir();
        var file = Path.Combine(dir, name + ".csv");
        if (content is not null) File.WriteAllText(file, content);
        var args = new List<string> { "compare", file, "--y", "y", "--x", "x", "--segment", "seg" };
        for (var i = 0; i < extra.Length; i += 2)
        {
            var at = args.IndexOf(extra[i]);
            if (at >= 0) args[at + 1] = extra[i + 1];
            else args.AddRange([extra[i], extra[i + 1]]);
        }
        args.AddRange(["--out", Path.Combine(dir, "compare.json"), "--plots", Path.Combine(dir, "plots"), "--report", Path.Combine(dir, "report.html")]);
        var (code, _, err) = TestSupport.RunCli(args);
        Assert.Equal(exitCode, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(message, lines[0]);
        if (exitCode != 64 || name == "unknowncolumn") Assert.Contains(Path.GetFileName(file), lines[0]);
        Assert.False(File.Exists(Path.Combine(dir, "compare.json")));
        Assert.False(File.Exists(Path.Combine(dir, "report.html")));
        Assert.False(Directory.Exists(Path.Combine(dir, "plots")));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }

    [Fact]
    public void Compare_writes_json_plots_and_a_report_that_embeds_every_plot()
    {
        var dir = TestSupport.TempDir();
        var output = Path.Combine(dir, "compare.json");
        var plots = Path.Combine(dir, "plots");
        var report = Path.Combine(dir, "report.html");
        var (code, stdout, err) = TestSupport.RunCli(["compare", Customers, "--y", "ltv", "--x", "tenure_months,monthly_spend,orders",
            "--segment", "segment", "--k", "3", "--out", output, "--plots", plots, "--report", report]);
        Assert.True(code == 0, err);
        Assert.Contains("Held-out accuracy on 300 test rows", stdout);
        Assert.Contains("lowest held-out MAE: per-segment", stdout);

        using var json = JsonDocument.Parse(File.ReadAllText(output));
        var root = json.RootElement;
        Assert.Equal("ltv.csv", root.GetProperty("data").GetProperty("file").GetString());
        Assert.Equal(700, root.GetProperty("split").GetProperty("trainRows").GetInt32());
        Assert.Equal(300, root.GetProperty("split").GetProperty("testLines").GetArrayLength());
        Assert.Equal("3", root.GetProperty("settings").GetProperty("k").GetString());
        Assert.Equal(3, root.GetProperty("fits").GetProperty("latentClass").GetProperty("K").GetInt32());
        Assert.Equal(3, root.GetProperty("fits").GetProperty("perSegment").GetArrayLength());
        var scores = root.GetProperty("scores").EnumerateArray().ToList();
        Assert.Equal(["pooled", "per-segment", "latent-class", "latent-class-most-likely", "latent-class-posterior-assigned"],
            scores.Select(s => s.GetProperty("model").GetString()));
        Assert.False(scores[4].GetProperty("heldOut").GetBoolean());
        Assert.All(scores, s => Assert.Equal(3, s.GetProperty("bySegment").GetArrayLength()));
        Assert.Equal("per-segment", root.GetProperty("bestHeldOut").GetString());

        // K was given, so only the MAE bars (no BIC curve).
        ImageCheck.AssertPngFile(Path.Combine(plots, "mae-by-segment.png"), 800, 600);
        ImageCheck.AssertSvgFile(Path.Combine(plots, "mae-by-segment.svg"), 800, 600);
        Assert.Equal(2, Directory.GetFiles(plots).Length);
        var doc = ReportCheck.Parse(File.ReadAllText(report));
        Assert.Equal(["mae-by-segment"], ReportCheck.Images(doc).Keys);
        Assert.Contains(doc.Descendants(ReportCheck.H + "caption"), c => c.Value.StartsWith("Held-out accuracy"));
    }

    [Fact]
    public void Compare_without_segments_and_with_K_chosen_draws_the_criterion_curve()
    {
        var dir = TestSupport.TempDir();
        var file = Path.Combine(dir, "two.csv");
        var rng = new Random(4);
        var lines = new List<string> { "y;x" };
        for (var i = 0; i < 120; i++)
        {
            var x = rng.NextDouble() * 10;
            lines.Add(FormattableString.Invariant($"{(i % 2 == 0 ? 1 + 2 * x : 30 - x) + rng.NextDouble()};{x}"));
        }
        File.WriteAllLines(file, lines);
        var report = Path.Combine(dir, "r.html");
        var (code, stdout, err) = TestSupport.RunCli(["compare", file, "--y", "y", "--x", "x", "--plots", Path.Combine(dir, "p"), "--report", report, "--quiet"]);
        Assert.True(code == 0, err);
        Assert.Empty(stdout);
        ImageCheck.AssertPngFile(Path.Combine(dir, "p", "criteria.png"), 800, 600);
        ImageCheck.AssertPngFile(Path.Combine(dir, "p", "mae-by-segment.png"), 800, 600);
        Assert.Equal(["criteria", "mae-by-segment"], ReportCheck.Images(ReportCheck.Parse(File.ReadAllText(report))).Keys.Order());
    }

    [Fact]
    public void Same_seed_gives_byte_identical_compare_json_whatever_the_thread_count()
    {
        var dir = TestSupport.TempDir();
        var outputs = new List<byte[]>();
        foreach (var cores in new[] { "1", "2" })
        {
            var output = Path.Combine(dir, $"c{cores}.json");
            var (code, _, err) = TestSupport.RunCli(["compare", Customers, "--y", "ltv", "--x", "tenure_months,monthly_spend,orders", "--segment", "segment",
                "--k", "2", "--seed", "7", "--out", output, "--quiet"], env: new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = cores });
            Assert.True(code == 0, err);
            outputs.Add(File.ReadAllBytes(output));
        }
        Assert.Equal(outputs[0], outputs[1]);
    }

    [Fact]
    public void MAE_bars_of_many_known_segments_show_the_largest_and_say_so()
    {
        var dir = TestSupport.TempDir();
        var file = Path.Combine(dir, "many.csv");
        var rng = new Random(6);
        var lines = new List<string> { "y,x,seg" };
        // 40 segments: segment s has 10 + 4s rows, so more test rows than every segment before it
        for (var s = 0; s < 40; s++)
        for (var r = 0; r < 10 + 4 * s; r++)
        {
            var x = rng.NextDouble() * 10;
            lines.Add(FormattableString.Invariant($"{s + 2 * x + rng.NextDouble()},{x},s{s:00}"));
        }
        File.WriteAllLines(file, lines);
        var plots = Path.Combine(dir, "p");
        var (code, _, err) = TestSupport.RunCli(["compare", file, "--y", "y", "--x", "x", "--segment", "seg", "--k", "1", "--plots", plots, "--quiet"]);
        Assert.True(code == 0, err);
        var texts = ImageCheck.SvgTexts(File.ReadAllText(Path.Combine(plots, "mae-by-segment.svg")));
        Assert.Contains(texts, t => t.EndsWith("(the 20 largest of 40 segments)"));
        // the 20 segments with the most test rows are the last 20 (stratified split: test rows grow with the segment)
        Assert.Contains(texts, t => t.StartsWith("s39"));
        Assert.Contains(texts, t => t.StartsWith("s20"));
        Assert.DoesNotContain(texts, t => t.StartsWith("s05"));
    }
}
