using System.Text.Json;
using Mixtures.Shell.Output;

namespace Mixtures.Tests.Sales;

/// <summary>The <c>mixtures sales</c> command end to end, in a child process.</summary>
public class ShellTests
{
    private static string Write(string dir, string name, string text)
    {
        var p = Path.Combine(dir, name);
        File.WriteAllText(p, text);
        return p;
    }

    private static string ValidCsv()
    {
        var lines = new List<string> { "Price,A,B,C,D" };
        var rng = new Random(1);
        for (var t = 0; t < 8; t++)
        {
            var p = 1.0 + t * 0.25;
            lines.Add(string.Join(",", new[] { p }.Concat(Enumerable.Range(0, 4).Select(i => Math.Exp((i < 2 ? 2 : 4) - Math.Log(p) + rng.NextDouble() - 0.5)))
                .Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }
        return string.Join("\n", lines) + "\n";
    }

    public static TheoryData<string, string, int, string> BadInputs() => new()
    {
        { "missing", "", 66, "file not found" },
        { "empty", "", 65, "empty" },
        { "ragged", "Price,A,B\n1,2,3\n2,3\n3,4,5\n4,5,6\n", 65, "row 3: 2 fields, but the header has 3" },
        { "nonnumeric", "Price,A,B\n1,2,3\n2,x,3\n3,4,5\n4,5,6\n", 65, "row 3, column A (column 2): 'x' is not a finite number" },
        { "zero", "Price,A,B\n1,2,3\n2,0,3\n3,4,5\n4,5,6\n", 65, "row 3, column A (column 2): 0 is not positive" },
        { "negativeprice", "Price,A,B\n1,2,3\n-2,1,3\n3,4,5\n4,5,6\n", 65, "row 3, column Price: -2 is not positive" },
        { "nan", "Price,A,B\n1,2,3\n2,NaN,3\n3,4,5\n4,5,6\n", 65, "row 3, column A (column 2): 'NaN' is not a finite number" },
        { "infinite", "Price,A,B\n1,2,3\n2,3,Infinity\n3,4,5\n4,5,6\n", 65, "row 3, column B (column 3)" },
        { "twoweeks", "Price,A,B\n1,2,3\n2,3,4\n", 65, "2 week(s) of data; at least 3" },
        { "constantprice", "Price,A,B\n2,2,3\n2,3,4\n2,4,5\n", 65, "price is constant" },
        { "noheader", "1,2,3\n2,3,4\n3,4,5\n", 65, "expected a header" },
        { "toofewstores", "Price,A,B\n1,2,3\n2,3,4\n3,4,5\n", 65, "2 store(s) but K = 4" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_gives_one_line_error_with_file_row_and_column_and_no_results_file(string name, string content, int exitCode, string message)
    {
        var dir = TestSupport.TempDir();
        var file = name == "missing" ? Path.Combine(dir, "missing.csv") : Write(dir, name + ".csv", content);
        var output = Path.Combine(dir, "results.json");
        var (code, _, err) = TestSupport.RunCli(["sales", file, "--k", "2,3,4", "--out", output]);
        Assert.Equal(exitCode, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(Path.GetFileName(file), lines[0]);
        Assert.Contains(message, lines[0]);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }

    [Theory]
    [InlineData("--k", "0")]
    [InlineData("--k", "two")]
    [InlineData("--starts", "0")]
    [InlineData("--tol", "-1")]
    [InlineData("--max-iter", "0")]
    public void Bad_options_are_usage_errors(string option, string value)
    {
        var dir = TestSupport.TempDir();
        var file = Write(dir, "ok.csv", ValidCsv());
        var (code, _, err) = TestSupport.RunCli(["sales", file, option, value, "--out", Path.Combine(dir, "r.json")]);
        Assert.Equal(64, code);
        Assert.Contains(option, err);
        Assert.False(File.Exists(Path.Combine(dir, "r.json")));
    }

    [Fact]
    public void Results_json_has_the_documented_schema_and_round_trips()
    {
        var dir = TestSupport.TempDir();
        var file = Write(dir, "ok.csv", ValidCsv());
        var output = Path.Combine(dir, "results.json");
        var (code, stdout, err) = TestSupport.RunCli(["sales", file, "--k", "1,2", "--starts", "3", "--out", output]);
        Assert.True(code == 0, err);
        Assert.Contains("selected K", stdout);
        var json = File.ReadAllText(output);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("ok.csv", root.GetProperty("data").GetProperty("file").GetString());
        Assert.Equal(4, root.GetProperty("data").GetProperty("stores").GetInt32());
        Assert.Equal(8, root.GetProperty("data").GetProperty("weeks").GetInt32());
        Assert.Equal(3, root.GetProperty("settings").GetProperty("starts").GetInt32());
        var models = root.GetProperty("models");
        Assert.Equal(2, models.GetArrayLength());
        var m2 = models[1];
        Assert.Equal(2, m2.GetProperty("K").GetInt32());
        Assert.Equal(2, m2.GetProperty("theta").GetArrayLength());
        Assert.Equal(2, m2.GetProperty("theta")[0].GetArrayLength());
        Assert.Equal(5, m2.GetProperty("freeParameters").GetInt32());
        var ll = m2.GetProperty("logLikelihood").GetDouble();
        Assert.Equal(5 * Math.Log(32) - 2 * ll, m2.GetProperty("bic").GetDouble(), 9);
        var selected = root.GetProperty("selectedK").GetInt32();
        var bics = models.EnumerateArray().Select(m => (K: m.GetProperty("K").GetInt32(), Bic: m.GetProperty("bic").GetDouble())).ToList();
        Assert.Equal(bics.MinBy(b => b.Bic).K, selected);
        // Round trip through the DTO: deserialise and serialise back to the same text.
        var back = JsonSerializer.Deserialize<SalesResults>(json, Json.Options)!;
        Assert.Equal(json, Json.Serialize(back));
    }

    [Fact]
    public void Same_seed_gives_byte_identical_results_whatever_the_thread_count()
    {
        var dir = TestSupport.TempDir();
        var data = Path.Combine(TestSupport.RepoRoot, "data", "sales.csv");
        var outputs = new List<byte[]>();
        foreach (var cores in new[] { "1", "2", "2" })
        {
            var output = Path.Combine(dir, $"r{outputs.Count}.json");
            var (code, _, err) = TestSupport.RunCli(["sales", data, "--k", "2,3", "--starts", "4", "--seed", "5", "--out", output, "--quiet"],
                env: new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = cores });
            Assert.True(code == 0, err);
            outputs.Add(File.ReadAllBytes(output));
        }
        Assert.Equal(outputs[0], outputs[1]);
        Assert.Equal(outputs[1], outputs[2]);
    }

    [Fact]
    public void Help_describes_the_command()
    {
        var (code, stdout, _) = TestSupport.RunCli(["sales", "--help"]);
        Assert.Equal(0, code);
        Assert.Contains("--starts", stdout);
        Assert.Contains("--max-iter", stdout);
    }
}
