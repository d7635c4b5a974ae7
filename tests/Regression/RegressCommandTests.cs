using System.Globalization;
using System.Text.Json;

namespace Mixtures.Tests.Regression;

/// <summary><c>mixtures regress</c> and <c>mixtures predict</c> end to end, in a child process.</summary>
public class RegressCommandTests
{
    private static string Write(string dir, string name, string text)
    {
        var p = Path.Combine(dir, name);
        File.WriteAllText(p, text);
        return p;
    }

    /// <summary>A small valid file: 40 rows from two well-separated lines.</summary>
    private static string ValidCsv(char sep = ',')
    {
        var rng = new Random(3);
        var lines = new List<string> { string.Join(sep, "y", "x1", "x2", "store") };
        for (var i = 0; i < 40; i++)
        {
            var x1 = rng.NextDouble() * 4 - 2;
            var x2 = rng.NextDouble() * 4 - 2;
            var y = (i % 2 == 0 ? 1 + 2 * x1 : 6 - x1 + x2) + 0.3 * (rng.NextDouble() - 0.5);
            lines.Add(string.Join(sep, new[] { y, x1, x2 }.Select(v => v.ToString("R", CultureInfo.InvariantCulture)).Append($"s{i / 4}")));
        }
        return string.Join("\n", lines) + "\n";
    }

    private static readonly string[] Fast = ["--k", "1..2", "--starts", "2"];

    public static TheoryData<string, string, string[], int, string> BadInputs() => new()
    {
        { "missing", "", [], 66, "file not found" },
        { "empty", "", [], 65, "empty" },
        { "headeronly", "y,x1,x2\n", [], 65, "no data rows" },
        { "unknowncolumn", "y,x1,z\n1,2,3\n", [], 64, "no column named 'x2'" },
        { "ragged", "y,x1,x2\n1,2,3\n2,3\n3,4,5\n", [], 65, "row 3: 2 fields, but the header has 3" },
        { "nonnumeric", "y,x1,x2\n1,2,3\n2,abc,3\n3,4,5\n", [], 65, "row 3, column x1: 'abc' is not a finite number" },
        { "missingvalue", "y,x1,x2\n1,2,3\n2,3,4\n,4,5\n", [], 65, "row 4, column y: missing value" },
        { "nan", "y,x1,x2\n1,2,3\n2,NaN,4\n3,4,5\n", [], 65, "row 3, column x1: 'NaN' is not a finite number" },
        { "infinite", "y,x1,x2\n1,2,3\n2,3,Infinity\n3,4,5\n", [], 65, "row 3, column x2: 'Infinity' is not a finite number" },
        { "alldropped", "y,x1,x2\n1,,3\n2,x,3\nz,4,5\n", ["--drop-missing"], 65, "every row has a missing or non-numeric value" },
        { "toofewrows", "y,x1,x2\n1,2,3\n2,3,5\n3,4,4\n", [], 65, "3 row(s) for 3 coefficient(s)" },
        { "constantcolumn", "y,x1,x2\n1,2,3\n2,3,3\n3,4,3\n5,1,3\n6,0,3\n", [], 65, "column x2 is constant" },
        { "collinear", "y,x1,x2\n1,2,4\n2,3,6\n3,4,8\n5,1,2\n6,0,0\n", [], 65, "collinear" },
        { "morek", "y,x1,x2\n1,2,3\n2,3,1\n3,4,4\n5,1,2\n6,0,1\n", ["--k", "6"], 65, "5 row(s) but K = 6" },
        { "exactfit", "y,x1,x2\n3,1,0\n5,2,0\n7,3,1\n9,4,0\n11,5,2\n13,6,1\n", ["--k", "1"], 65, "column y is an exact linear function" },
        { "missinggroup", "y,x1,x2,store\n1,2,3,a\n2,3,1,\n3,4,4,b\n5,1,2,b\n6,0,1,c\n", ["--group", "store"], 65, "row 3, column store: missing value" },
        { "badvariance", "y,x1,x2\n1,2,3\n", ["--variance", "fixed=-2"], 64, "--variance" },
        { "badvariancename", "y,x1,x2\n1,2,3\n", ["--variance", "pooled"], 64, "'pooled' is not per-class, common or fixed" },
        { "badselect", "y,x1,x2\n1,2,3\n", ["--select", "aicc"], 64, "--select: 'aicc'" },
        { "badsep", "y,x1,x2\n1,2,3\n", ["--sep", ":"], 64, "--sep" },
        { "badk", "y,x1,x2\n1,2,3\n", ["--k", "two"], 64, "--k" },
        { "badminprior", "y,x1,x2\n1,2,3\n", ["--min-prior", "1.5"], 64, "--min-prior" },
        { "yinx", "y,x1,x2\n1,2,3\n", ["--x", "x1,y"], 64, "'y' is the response" },
        { "nooutdir", "y,x1,x2\n1,2,3\n", ["--out", "no-such-folder/model.json"], 74, "the folder does not exist" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_gives_one_line_error_and_exit_code_and_writes_nothing(string name, string content, string[] extra, int exitCode, string message)
    {
        var dir = TestSupport.TempDir();
        var file = name == "missing" ? Path.Combine(dir, "missing.csv") : Write(dir, name + ".csv", content);
        var model = Path.Combine(dir, "model.json");
        var assign = Path.Combine(dir, "assign.csv");
        var args = new List<string> { "regress", file, "--y", "y", "--starts", "2", "--assignments", assign };
        // defaults unless the case gives its own value
        foreach (var (opt, value) in new[] { ("--x", "x1,x2"), ("--k", "1..2"), ("--out", model) })
            if (!extra.Contains(opt)) args.AddRange([opt, value]);
        args.AddRange(extra);
        var (code, _, err) = TestSupport.RunCli(args, workDir: dir);
        Assert.Equal(exitCode, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(message, lines[0]);
        if (exitCode == 65 || exitCode == 66) Assert.Contains(Path.GetFileName(file), lines[0]);
        Assert.False(File.Exists(model));
        Assert.False(File.Exists(assign));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }

    [Fact]
    public void Drop_missing_drops_the_bad_rows_and_says_how_many()
    {
        var dir = TestSupport.TempDir();
        var text = ValidCsv().Split('\n').ToList();
        text[3] = "NA,0.1,0.2,s0";
        text[7] = "1.0,,0.2,s1";
        var file = Write(dir, "holes.csv", string.Join("\n", text));
        var (code, stdout, err) = TestSupport.RunCli(["regress", file, "--y", "y", "--x", "x1,x2", .. Fast, "--drop-missing", "--out", Path.Combine(dir, "m.json")]);
        Assert.True(code == 0, err);
        Assert.Contains("38 rows", stdout);
        Assert.Contains("2 row(s) with missing or non-numeric values dropped", stdout);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "m.json")));
        Assert.Equal(2, doc.RootElement.GetProperty("data").GetProperty("droppedRows").GetInt32());
        Assert.Equal(38, doc.RootElement.GetProperty("data").GetProperty("rows").GetInt32());
    }

    [Theory]
    [InlineData(',', null)]
    [InlineData(';', null)]
    [InlineData('\t', "tab")]
    public void Regress_reads_comma_semicolon_and_tab_files(char sep, string? sepOption)
    {
        var dir = TestSupport.TempDir();
        var file = Write(dir, "d.csv", ValidCsv(sep));
        List<string> args = ["regress", file, "--y", "y", "--x", "x1,x2", .. Fast, "--quiet", "--out", Path.Combine(dir, "m.json")];
        if (sepOption is not null) args.AddRange(["--sep", sepOption]);
        var (code, _, err) = TestSupport.RunCli(args);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "m.json")));
        Assert.Equal(40, doc.RootElement.GetProperty("data").GetProperty("rows").GetInt32());
    }

    [Fact]
    public void Regress_on_the_sample_writes_model_and_assignments_and_predict_reproduces_them()
    {
        var dir = TestSupport.TempDir();
        var data = Path.Combine(TestSupport.RepoRoot, "data", "regression.csv");
        var model = Path.Combine(dir, "model.json");
        var assign = Path.Combine(dir, "assign.csv");
        var (code, stdout, err) = TestSupport.RunCli(["regress", data, "--y", "y", "--x", "x1,x2", "--k", "2..3", "--starts", "3",
            "--out", model, "--assignments", assign]);
        Assert.True(code == 0, err);
        Assert.Contains("selected K = 3", stdout);
        Assert.Contains("Pr(>|z|)", stdout);
        Assert.Contains("Class profiles", stdout);

        using var doc = JsonDocument.Parse(File.ReadAllText(model));
        var root = doc.RootElement;
        Assert.Equal("regression", root.GetProperty("kind").GetString());
        Assert.Equal(3, root.GetProperty("selectedK").GetInt32());
        Assert.Equal(["(Intercept)", "x1", "x2"], root.GetProperty("coefficients").EnumerateArray().Select(e => e.GetString()));
        var classes = root.GetProperty("selected").GetProperty("classes");
        Assert.Equal(3, classes.GetArrayLength());
        Assert.All(classes.EnumerateArray(), c =>
        {
            Assert.Equal(3, c.GetProperty("coefficients").GetArrayLength());
            Assert.True(c.GetProperty("coefficients")[1].GetProperty("se").GetDouble() > 0);
            Assert.True(c.GetProperty("sigmaInterval").GetProperty("se").GetDouble() > 0);
        });
        Assert.Equal(2, root.GetProperty("models").GetArrayLength());

        var assignLines = File.ReadAllLines(assign);
        Assert.Equal("row,resp_1,resp_2,resp_3,class,probability", assignLines[0]);
        Assert.Equal(1201, assignLines.Length);

        // predicting the fitted file gives, per row, the fit's posterior and the mixture expectation
        var pred = Path.Combine(dir, "pred.csv");
        (code, _, err) = TestSupport.RunCli(["predict", "--model", model, data, "--out", pred]);
        Assert.True(code == 0, err);
        var predLines = File.ReadAllLines(pred);
        Assert.Equal("row,x1,x2,y,prediction,prediction_1,prediction_2,prediction_3,resp_1,resp_2,resp_3,class,probability", predLines[0]);
        Assert.Equal(1201, predLines.Length);
        var beta = classes.EnumerateArray().Select(c => c.GetProperty("beta").EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();
        var pi = classes.EnumerateArray().Select(c => c.GetProperty("pi").GetDouble()).ToArray();
        foreach (var i in new[] { 1, 2, 600, 1200 })
        {
            var p = predLines[i].Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            var a = assignLines[i].Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(a[0], p[0]);
            var byClass = beta.Select(b => b[0] + b[1] * p[1] + b[2] * p[2]).ToArray();
            for (var c = 0; c < 3; c++) Assert.Equal(byClass[c], p[5 + c], 10);
            Assert.Equal(byClass.Zip(pi, (v, w) => v * w).Sum(), p[4], 10);
            for (var c = 0; c < 3; c++) Assert.Equal(a[1 + c], p[8 + c], 6);
            Assert.Equal(a[4], p[11]);
        }
    }

    [Fact]
    public void A_K_whose_every_start_degenerates_is_reported_and_the_rest_is_selected()
    {
        // a minimum prior of 0.3 cannot hold for the worked example's third class (pi = 0.2)
        var dir = TestSupport.TempDir();
        var model = Path.Combine(dir, "model.json");
        var (code, stdout, err) = TestSupport.RunCli(["regress", Path.Combine(TestSupport.RepoRoot, "data", "regression.csv"), "--y", "y", "--x", "x1,x2",
            "--k", "2..3", "--starts", "2", "--min-prior", "0.3", "--out", model]);
        Assert.True(code == 0, err);
        Assert.Contains("no admissible solution", stdout);
        using var doc = JsonDocument.Parse(File.ReadAllText(model));
        Assert.Equal(2, doc.RootElement.GetProperty("selectedK").GetInt32());
        var k3 = doc.RootElement.GetProperty("models")[1];
        Assert.Equal(3, k3.GetProperty("K").GetInt32());
        Assert.Contains("below the minimum 0.3", k3.GetProperty("failure").GetString());
        Assert.False(k3.TryGetProperty("logLikelihood", out _));
    }

    [Fact]
    public void Grouped_regress_gives_one_assignment_line_per_group()
    {
        var dir = TestSupport.TempDir();
        var file = Write(dir, "g.csv", ValidCsv());
        var assign = Path.Combine(dir, "a.csv");
        var (code, stdout, err) = TestSupport.RunCli(["regress", file, "--y", "y", "--x", "x1", "--group", "store", "--k", "1", "--assignments", assign]);
        Assert.True(code == 0, err);
        Assert.Contains("in 10 groups of store", stdout);
        var lines = File.ReadAllLines(assign);
        Assert.Equal("store,rows,resp_1,class,probability", lines[0]);
        Assert.Equal(11, lines.Length);
        Assert.StartsWith("s0,4,1,1,1", lines[1]);
    }

    public static TheoryData<string, string, int, string> BadModels() => new()
    {
        { "missingmodel", "", 66, "model file not found" },
        { "notjson", "{ \"kind\": ", 65, "not valid JSON" },
        { "nokind", "{ \"y\": \"y\" }", 65, "no \"kind\" field" },
        { "unknownkind", "{ \"kind\": \"neural-net\" }", 65, "unknown model kind 'neural-net'" },
        { "noclasses", "{ \"kind\": \"regression\", \"y\": \"y\", \"x\": [\"x1\"] }", 65, "missing \"selected\".\"classes\"" },
        { "shortbeta", "{ \"kind\": \"regression\", \"y\": \"y\", \"x\": [\"x1\"], \"selected\": { \"classes\": [ { \"beta\": [1], \"sigma\": 1, \"pi\": 1 } ] } }", 65, "class 1: \"beta\" must hold 2 numbers" },
        { "badsigma", "{ \"kind\": \"regression\", \"y\": \"y\", \"x\": [\"x1\"], \"selected\": { \"classes\": [ { \"beta\": [1, 2], \"sigma\": 0, \"pi\": 1 } ] } }", 65, "\"sigma\" must be a positive number" },
        { "subnormalsigma", "{ \"kind\": \"regression\", \"y\": \"y\", \"x\": [\"x1\"], \"selected\": { \"classes\": [ { \"beta\": [1, 2], \"sigma\": 1e-320, \"pi\": 1 } ] } }", 65, "class 1: \"sigma\" must be a positive number, finite and a normal double (at least 2.2E-308); it is 1e-320" },
        { "hugebeta", "{ \"kind\": \"regression\", \"y\": \"y\", \"x\": [\"x1\"], \"selected\": { \"classes\": [ { \"beta\": [1, 2e400], \"sigma\": 1, \"pi\": 1 } ] } }", 65, "class 1: \"beta\"[1] is 2e400, not a finite double" },
        { "duplicatex", "{ \"kind\": \"regression\", \"y\": \"y\", \"x\": [\"x1\", \"x1\"], \"selected\": { \"classes\": [ { \"beta\": [1, 2, 3], \"sigma\": 1, \"pi\": 1 } ] } }", 65, "\"x\" names 'x1' twice" },
        { "selectedk", "{ \"kind\": \"regression\", \"y\": \"y\", \"x\": [\"x1\"], \"selectedK\": 2, \"selected\": { \"classes\": [ { \"beta\": [1, 2], \"sigma\": 1, \"pi\": 1 } ] } }", 65, "\"selectedK\" is 2 but \"selected\".\"classes\" has 1 classes" },
        { "badpi", "{ \"kind\": \"regression\", \"y\": \"y\", \"x\": [\"x1\"], \"selected\": { \"classes\": [ { \"beta\": [1, 2], \"sigma\": 1, \"pi\": 0.5 } ] } }", 65, "sum to 0.5" },
    };

    [Theory]
    [MemberData(nameof(BadModels))]
    public void Predict_with_a_bad_model_file_fails_with_one_line(string name, string content, int exitCode, string message)
    {
        var dir = TestSupport.TempDir();
        var modelPath = name == "missingmodel" ? Path.Combine(dir, "none.json") : Write(dir, name + ".json", content);
        var data = Write(dir, "new.csv", "x1\n0.5\n");
        var output = Path.Combine(dir, "pred.csv");
        var (code, _, err) = TestSupport.RunCli(["predict", "--model", modelPath, data, "--out", output]);
        Assert.Equal(exitCode, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(message, lines[0]);
        Assert.Contains(Path.GetFileName(modelPath), lines[0]);
        Assert.False(File.Exists(output));
    }

    private const string GoodModel = "{ \"kind\": \"regression\", \"y\": \"y\", \"x\": [\"x1\"], \"intercept\": true, \"selected\": { \"classes\": [ " +
                                     "{ \"beta\": [1, 2], \"sigma\": 1, \"pi\": 0.25 }, { \"beta\": [5, -1], \"sigma\": 0.5, \"pi\": 0.75 } ] } }";

    public static TheoryData<string, string, int, string> BadPredictData() => new()
    {
        { "missingdata", "", 66, "file not found" },
        { "nocolumn", "x2\n1\n", 64, "no column named 'x1'" },
        { "nonnumeric", "x1,y\n1,2\nfoo,3\n", 65, "row 3, column x1: 'foo' is not a finite number" },
        { "missingy", "x1,y\n1,2\n2,\n", 65, "row 3, column y: missing value" },
    };

    [Theory]
    [MemberData(nameof(BadPredictData))]
    public void Predict_with_bad_new_data_fails_with_file_row_and_column(string name, string content, int exitCode, string message)
    {
        var dir = TestSupport.TempDir();
        var modelPath = Write(dir, "model.json", GoodModel);
        var data = name == "missingdata" ? Path.Combine(dir, "none.csv") : Write(dir, name + ".csv", content);
        var output = Path.Combine(dir, "pred.csv");
        var (code, _, err) = TestSupport.RunCli(["predict", "--model", modelPath, data, "--out", output]);
        Assert.Equal(exitCode, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(message, lines[0]);
        Assert.Contains(Path.GetFileName(data), lines[0]);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Predict_without_y_gives_the_mixture_expectation_and_class_predictions_by_hand()
    {
        var dir = TestSupport.TempDir();
        var modelPath = Write(dir, "model.json", GoodModel);
        var data = Write(dir, "new.csv", "x1\n0.5\n-2\n");
        var (code, stdout, err) = TestSupport.RunCli(["predict", "--model", modelPath, data]);
        Assert.True(code == 0, err);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("row,x1,prediction,prediction_1,prediction_2", lines[0]);
        // x = 0.5: class 1: 1 + 2 * 0.5 = 2; class 2: 5 - 0.5 = 4.5; mixture 0.25 * 2 + 0.75 * 4.5 = 3.875
        // x = -2: class 1: -3; class 2: 7; mixture 0.25 * -3 + 0.75 * 7 = 4.5
        Assert.Equal("2,0.5,3.875,2,4.5", lines[1]);
        Assert.Equal("3,-2,4.5,-3,7", lines[2]);
    }
}

/// <summary>Same inputs and seed give byte-identical files whatever the number of cores.</summary>
public class RegressDeterminismTests
{
    [Fact]
    public void Model_and_assignments_are_byte_identical_with_one_or_four_processors()
    {
        var dir = TestSupport.TempDir();
        var data = Path.Combine(dir, "big.csv");
        // 10,000 rows: several 4096-row chunks, so the parallel sums really are split
        var (code, _, err) = TestSupport.RunCli(["simulate", "regression", "--rows", "10000", "--seed", "5", "--out", data, "--quiet"]);
        Assert.True(code == 0, err);
        string[] Run(string cores)
        {
            var model = Path.Combine(dir, $"model{cores}.json");
            var assign = Path.Combine(dir, $"assign{cores}.csv");
            var (c, _, e) = TestSupport.RunCli(["regress", data, "--y", "y", "--x", "x1,x2", "--k", "2..3", "--starts", "2", "--quiet",
                "--out", model, "--assignments", assign], env: new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = cores });
            Assert.True(c == 0, e);
            return [File.ReadAllText(model), File.ReadAllText(assign)];
        }
        var one = Run("1");
        var four = Run("4");
        Assert.Equal(one[0], four[0]);
        Assert.Equal(one[1], four[1]);
    }
}
