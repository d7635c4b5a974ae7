using System.Globalization;
using System.Text;
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Comparison;
using Mixtures.Domain.Regression;

namespace Mixtures.Tests.Regression;

/// <summary>
/// A text covariate in <c>regress --x</c> is treatment-coded: the fit equals the fit of the same data with the dummies
/// written out as numeric columns, bit for bit; K = 1 is the least-squares fit of lm(y ~ x + region); the coding
/// is stored in model.json and <c>predict</c> codes new data the same way.
/// </summary>
public class CategoricalCovariateTests
{
    private static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Two classes, y = b0 + b1 x + region effects + e; the first row is west, so the reference (north, the first
    /// sorted level) is not the first level seen.</summary>
    private static (string Text, string Dummies) Data(int n = 240, int seed = 11)
    {
        var rng = new Random(seed);
        string[] levels = ["west", "north", "south"];
        var text = new StringBuilder("y,x,region,shop\n");
        var dummies = new StringBuilder("y,x,regionsouth,regionwest,shop\n");
        for (var i = 0; i < n; i++)
        {
            var region = i == 0 ? "west" : levels[rng.Next(3)];
            var x = rng.NextDouble() * 4 - 2;
            var e = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            double south = region == "south" ? 1 : 0, west = region == "west" ? 1 : 0;
            var y = rng.NextDouble() < 0.4
                ? 1 + 0.5 * x + south - 0.5 * west + 0.3 * e
                : 4 - x - 0.3 * south + 2 * west + 0.6 * e;
            var shop = 1 + i % 3;
            text.Append($"{N(y)},{N(x)},{region},{shop}\n");
            dummies.Append($"{N(y)},{N(x)},{south},{west},{shop}\n");
        }
        return (text.ToString(), dummies.ToString());
    }

    private static RegressionInput Input(string csv, string x, CovariateOptions? options = null, bool intercept = true)
    {
        var columns = RegressionColumns.Parse("y", x, null, !intercept).Value();
        var table = DataTableCsv.ParseText(csv, "d.csv", RegressionInput.Request(columns, null, false, null, options)).Value();
        return RegressionInput.FromTable(table, columns, requireY: true, options).Value();
    }

    private static string Write(string dir, string name, string text)
    {
        var p = Path.Combine(dir, name);
        File.WriteAllText(p, text);
        return p;
    }

    [Fact]
    public void The_fit_with_a_text_covariate_is_the_fit_with_its_dummies_as_numeric_columns()
    {
        var (text, dummies) = Data();
        var coded = Input(text, "x,region");
        var plain = Input(dummies, "x,regionsouth,regionwest");
        Assert.Equal(["(Intercept)", "x", "regionsouth", "regionwest"], coded.Coefficients.ToArray());
        Assert.Equal(plain.Coefficients.ToArray(), coded.Coefficients.ToArray());
        Assert.Equal(plain.Design.ToArray(), coded.Design.ToArray());
        foreach (var K in new[] { 1, 2 })
        {
            var a = LatentClassRegression.Estimate(K, coded.Data(), RegressionSettings.Default with { Starts = 4 }).Value();
            var b = LatentClassRegression.Estimate(K, plain.Data(), RegressionSettings.Default with { Starts = 4 }).Value();
            Assert.Equal(b.LogLikelihood, a.LogLikelihood);
            for (var c = 0; c < K; c++)
            {
                Assert.Equal(b.Best.Mixture.Components.Classes[c].Beta.ToArray(), a.Best.Mixture.Components.Classes[c].Beta.ToArray());
                Assert.Equal(b.Best.Mixture.Components.Classes[c].Sigma, a.Best.Mixture.Components.Classes[c].Sigma);
                Assert.Equal(b.Best.Mixture.Weights.Pi[c], a.Best.Mixture.Weights.Pi[c]);
            }
        }
    }

    [Fact]
    public void K_1_is_the_least_squares_fit_of_lm_y_on_x_and_region()
    {
        var (text, dummies) = Data();
        var coded = Input(text, "x,region");
        var fit = LatentClassRegression.Estimate(1, coded.Data(), RegressionSettings.Default).Value();
        // lm(y ~ x + region): the normal equations on the explicitly dummy-coded design, solved by QR
        var rows = dummies.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var X = Matrix<double>.Build.Dense(rows.Length, 4, (i, j) => j == 0 ? 1 : rows[i][j]);
        var y = Vector<double>.Build.Dense(rows.Length, i => rows[i][0]);
        var beta = X.QR().Solve(y);
        var ols = OrdinaryLeastSquares.Fit(X, y.ToArray()).Value();
        for (var j = 0; j < 4; j++)
        {
            Assert.Equal(beta[j], fit.Best.Mixture.Components.Classes[0].Beta[j], 10);
            Assert.Equal(ols.Beta[j], fit.Best.Mixture.Components.Classes[0].Beta[j], 10);
        }
        var rss = (y - X * beta).DotProduct(y - X * beta);
        Assert.Equal(Math.Sqrt(rss / rows.Length), fit.Best.Mixture.Components.Classes[0].Sigma, 10);
        Assert.Equal(-rows.Length / 2.0 * (Math.Log(2 * Math.PI * rss / rows.Length) + 1), fit.LogLikelihood, 8);
    }

    [Fact]
    public void A_column_of_numbers_named_by_categorical_is_coded_like_text_in_numeric_order()
    {
        var (text, _) = Data();
        var coded = Input(text, "x,shop", CovariateOptions.Parse(["shop"], null, ["x", "shop"]).Value());
        Assert.Equal(["(Intercept)", "x", "shop2", "shop3"], coded.Coefficients.ToArray());
        Assert.Equal(["1", "2", "3"], coded.Coding.Of("shop")!.Levels.ToArray());
        var refs = Input(text, "x,region,shop", CovariateOptions.Parse(["shop"], ["shop=3,region=west"], ["x", "region", "shop"]).Value());
        Assert.Equal(["(Intercept)", "x", "regionnorth", "regionsouth", "shop1", "shop2"], refs.Coefficients.ToArray());
    }

    [Fact]
    public void The_class_plot_takes_the_first_numeric_covariate_as_its_axis_and_holds_the_dummies_at_their_means()
    {
        var (text, _) = Data();
        var input = Input(text, "region,x");
        Assert.Equal(["(Intercept)", "regionsouth", "regionwest", "x"], input.Coefficients.ToArray());
        var settings = RegressionSettings.Default with { Starts = 2 };
        var path = LatentClassRegression.Estimate([2], input.Data(), settings).Value();
        var chart = Mixtures.Shell.Output.RegressFigures.Classes(input, path.Selected!, settings.Variance);
        Assert.Equal("y against x by latent class, K = 2 (lines at the means of regionsouth, regionwest)", chart.Title);
        Assert.Contains("a dummy's mean is the share of its level", chart.Caption);
        Assert.Equal(input.Rows, chart.Marks);
    }

    private static string[] Fast => ["--k", "2", "--starts", "3", "--quiet"];

    private static JsonElement Json(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    private static double[][] Betas(JsonElement model) =>
        model.GetProperty("selected").GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("beta").EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();

    [Fact]
    public void Regress_names_the_dummies_in_model_json_and_the_tables_and_equals_the_dummy_coded_run()
    {
        var dir = TestSupport.TempDir();
        var (text, dummies) = Data();
        var textFile = Write(dir, "text.csv", text);
        var dummyFile = Write(dir, "dummies.csv", dummies);
        var (code, stdout, err) = TestSupport.RunCli(["regress", textFile, "--y", "y", "--x", "x,region", "--k", "2", "--starts", "3", "--out", Path.Combine(dir, "a.json")]);
        Assert.True(code == 0, err);
        Assert.Contains("x = (1, x, regionsouth, regionwest)", stdout);
        Assert.Contains("categorical region: levels north, south, west; reference north (dummies regionsouth, regionwest)", stdout);
        Assert.Contains("mean regionsouth", stdout);
        Assert.Contains("mean regionwest", stdout);
        (code, _, err) = TestSupport.RunCli(["regress", dummyFile, "--y", "y", "--x", "x,regionsouth,regionwest", .. Fast, "--out", Path.Combine(dir, "b.json")]);
        Assert.True(code == 0, err);
        var a = Json(Path.Combine(dir, "a.json"));
        var b = Json(Path.Combine(dir, "b.json"));
        string[] names = ["(Intercept)", "x", "regionsouth", "regionwest"];
        Assert.Equal(names, a.GetProperty("coefficients").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(names, b.GetProperty("coefficients").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(names, a.GetProperty("selected").GetProperty("classes")[0].GetProperty("coefficients").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        Assert.Equal(["x", "region"], a.GetProperty("x").EnumerateArray().Select(e => e.GetString()));
        var region = Assert.Single(a.GetProperty("categorical").EnumerateArray());
        Assert.Equal("region", region.GetProperty("column").GetString());
        Assert.Equal(["north", "south", "west"], region.GetProperty("levels").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("north", region.GetProperty("reference").GetString());
        Assert.Equal(["regionsouth", "regionwest"], region.GetProperty("dummies").EnumerateArray().Select(e => e.GetString()));
        Assert.False(b.TryGetProperty("categorical", out _));
        Assert.Equal(b.GetProperty("selected").GetProperty("logLikelihood").GetDouble(), a.GetProperty("selected").GetProperty("logLikelihood").GetDouble());
        Assert.Equal(Betas(b), Betas(a));
        Assert.Equal(3, a.GetProperty("selected").GetProperty("profiles")[0].GetProperty("meanX").GetArrayLength());
    }

    [Fact]
    public void Predict_codes_new_data_with_the_fitted_levels_and_names_an_unseen_level_by_file_row_and_column()
    {
        var dir = TestSupport.TempDir();
        var (text, _) = Data();
        var file = Write(dir, "text.csv", text);
        var model = Path.Combine(dir, "m.json");
        var assign = Path.Combine(dir, "assign.csv");
        var (code, _, err) = TestSupport.RunCli(["regress", file, "--y", "y", "--x", "x,region", .. Fast, "--reference", "region=south", "--out", model, "--assignments", assign]);
        Assert.True(code == 0, err);
        var m = Json(model);
        Assert.Equal(["(Intercept)", "x", "regionnorth", "regionwest"], m.GetProperty("coefficients").EnumerateArray().Select(e => e.GetString()));
        var beta = Betas(m);
        var pi = m.GetProperty("selected").GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("pi").GetDouble()).ToArray();

        var fresh = Write(dir, "new.csv", "region,x\n west ,0.5\nsouth,-1\nnorth,2\n");
        (code, var stdout, err) = TestSupport.RunCli(["predict", "--model", model, fresh]);
        Assert.True(code == 0, err);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("row,x,region,prediction,prediction_1,prediction_2", lines[0]);
        (double x, double north, double west)[] rows = [(0.5, 0, 1), (-1, 0, 0), (2, 1, 0)];
        string[] shown = ["west", "south", "north"];
        for (var i = 0; i < 3; i++)
        {
            var f = lines[i + 1].Split(',');
            Assert.Equal(shown[i], f[2]);
            var byClass = beta.Select(b => b[0] + b[1] * rows[i].x + b[2] * rows[i].north + b[3] * rows[i].west).ToArray();
            for (var c = 0; c < 2; c++) Assert.Equal(byClass[c], double.Parse(f[4 + c], CultureInfo.InvariantCulture), 12);
            Assert.Equal(byClass.Zip(pi, (v, w) => v * w).Sum(), double.Parse(f[3], CultureInfo.InvariantCulture), 12);
        }

        // predicting the fitted file reproduces its posterior; a level the fit never saw is an error naming file, row and column
        (code, stdout, err) = TestSupport.RunCli(["predict", "--model", model, file]);
        Assert.True(code == 0, err);
        var predicted = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var assigned = File.ReadAllLines(assign);
        Assert.Equal("row,x,region,y,prediction,prediction_1,prediction_2,resp_1,resp_2,class,probability", predicted[0]);
        Assert.Equal(assigned.Length, predicted.Length);
        foreach (var i in new[] { 1, 2, 100, predicted.Length - 1 })
        {
            var p = predicted[i].Split(',');
            var a = assigned[i].Split(',');
            Assert.Equal(a[0], p[0]);
            for (var c = 0; c < 2; c++) Assert.Equal(double.Parse(a[1 + c], CultureInfo.InvariantCulture), double.Parse(p[7 + c], CultureInfo.InvariantCulture), 8);
            Assert.Equal(a[3], p[9]);
        }
        var unseen = Write(dir, "unseen.csv", "x,region\n0.5,north\n1,east\n");
        var output = Path.Combine(dir, "pred.csv");
        foreach (var extra in new[] { Array.Empty<string>(), ["--drop-missing"] })
        {
            (code, _, err) = TestSupport.RunCli(["predict", "--model", model, unseen, "--out", output, .. extra]);
            Assert.Equal(65, code);
            Assert.Equal($"mixtures: error: {unseen}: row 3, column region: 'east' is not one of the levels of region the model was fitted with (north, south, west)",
                err.Trim());
            Assert.False(File.Exists(output));
        }
        // an empty level is a missing value, dropped with --drop-missing
        var holes = Write(dir, "holes.csv", "x,region\n0.5,north\n1,\n");
        (code, _, err) = TestSupport.RunCli(["predict", "--model", model, holes]);
        Assert.Equal(65, code);
        Assert.Contains("row 3, column region: missing value", err);
        (code, stdout, err) = TestSupport.RunCli(["predict", "--model", model, holes, "--drop-missing"]);
        Assert.True(code == 0, err);
        Assert.Equal(2, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    public static TheoryData<string, string[], int, string> BadCoding() => new()
    {
        { "unknownlevel", ["--reference", "region=east"], 64, "--reference region=east: column region has no level 'east' (its levels: north, south, west)" },
        { "numericreference", ["--reference", "x=1"], 64, "--reference x=1: column x holds numbers, so it has no levels (add --categorical x to code it as categorical)" },
        { "unknownreferencecolumn", ["--reference", "size=big"], 64, "--reference size=big: column size is not one of the covariates (x, region)" },
        { "badreference", ["--reference", "east"], 64, "--reference: 'east' is not column=level" },
        { "unknowncategorical", ["--categorical", "shop"], 64, "--categorical: 'shop' is not one of the --x columns (x, region)" },
        { "onelevel", ["--x", "x,one"], 65, "column one: every row has the same value 'a', so as a categorical covariate it has nothing to contrast" },
        { "toomany", ["--x", "x,id"], 65, "column id: 60 distinct values, but a categorical covariate may have at most 50 levels" },
        { "mixed", ["--x", "x,mixed"], 65, "row 3, column mixed: 'n/a' is not a finite number" },
        { "nocontrastwithout", ["--x", "x,region", "--no-intercept", "--reference", "region=west"], 64, "without an intercept the first categorical column, region, gets a dummy for every level" },
    };

    [Theory]
    [MemberData(nameof(BadCoding))]
    public void A_bad_coding_is_one_line_naming_the_file_and_column_and_writes_nothing(string name, string[] extra, int exitCode, string message)
    {
        var dir = TestSupport.TempDir();
        var csv = new StringBuilder("y,x,region,one,id,mixed\n");
        for (var i = 0; i < 120; i++)
            csv.Append($"{i % 7},{N(i * 0.37 % 5)},{new[] { "west", "north", "south" }[i % 3]},a,id{i % 60},{(i == 1 ? "n/a" : N(i * 0.1))}\n");
        var file = Write(dir, name + ".csv", csv.ToString());
        var model = Path.Combine(dir, "model.json");
        var args = new List<string> { "regress", file, "--y", "y", "--k", "1", "--out", model, "--report", Path.Combine(dir, "r.html") };
        if (!extra.Contains("--x")) args.AddRange(["--x", "x,region"]);
        args.AddRange(extra);
        var (code, _, err) = TestSupport.RunCli(args);
        Assert.Equal(exitCode, code);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(message, line);
        if (!name.Contains("categorical") && name != "badreference") Assert.Contains(file, line);
        Assert.False(File.Exists(model));
        Assert.False(File.Exists(Path.Combine(dir, "r.html")));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }

    [Fact]
    public void A_model_file_with_a_bad_coding_is_refused()
    {
        var dir = TestSupport.TempDir();
        string Model(string categorical, string coefficients = "[\"(Intercept)\", \"x\", \"regionsouth\"]") =>
            "{ \"kind\": \"regression\", \"y\": \"y\", \"x\": [\"x\", \"region\"], \"intercept\": true, \"coefficients\": " + coefficients +
            ", \"categorical\": " + categorical + ", \"selected\": { \"classes\": [ { \"beta\": [1, 2, 3], \"sigma\": 1, \"pi\": 1 } ] } }";
        var data = Write(dir, "new.csv", "x,region\n1,north\n");
        (string model, string message)[] cases =
        [
            (Model("[{ \"column\": \"region\", \"levels\": [\"north\", \"south\"], \"reference\": \"east\" }]"), "column region: the reference level 'east' is not one of its levels (north, south)"),
            (Model("[{ \"column\": \"region\", \"levels\": [\"north\"], \"reference\": \"north\" }]"), "column region: a categorical covariate needs at least two levels"),
            (Model("[{ \"column\": \"region\", \"levels\": [\"north\", \"south\"], \"reference\": \"north\" }]", "[\"(Intercept)\", \"x\", \"regionwest\"]"), "\"coefficients\" do not match the coding"),
            (Model("{ \"column\": \"region\" }"), "\"categorical\" must be a list of codings"),
        ];
        foreach (var (json, message) in cases)
        {
            var path = Write(dir, "model.json", json);
            var (code, _, err) = TestSupport.RunCli(["predict", "--model", path, data]);
            Assert.Equal(65, code);
            Assert.Contains(message, err);
            Assert.Contains("model.json", err);
        }
        var good = Write(dir, "good.json", Model("[{ \"column\": \"region\", \"levels\": [\"north\", \"south\"], \"reference\": \"north\" }]"));
        var (ok, stdout, e) = TestSupport.RunCli(["predict", "--model", good, Write(dir, "two.csv", "x,region\n1,north\n1,south\n")]);
        Assert.True(ok == 0, e);
        Assert.Equal(["row,x,region,prediction,prediction_1", "2,1,north,3,3", "3,1,south,6,6"], stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Compare_takes_a_text_covariate_and_names_its_dummies()
    {
        var dir = TestSupport.TempDir();
        var (text, _) = Data();
        var file = Write(dir, "text.csv", text);
        var output = Path.Combine(dir, "compare.json");
        var (code, stdout, err) = TestSupport.RunCli(["compare", file, "--y", "y", "--x", "x,region", "--k", "2", "--out", output]);
        Assert.True(code == 0, err);
        Assert.Contains("categorical region: levels north, south, west; reference north", stdout);
        var json = Json(output);
        Assert.Equal(["(Intercept)", "x", "regionsouth", "regionwest"], json.GetProperty("fits").GetProperty("coefficientNames").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(4, json.GetProperty("fits").GetProperty("pooled").GetProperty("beta").GetArrayLength());
        Assert.Equal("north", json.GetProperty("categorical")[0].GetProperty("reference").GetString());
    }
}
