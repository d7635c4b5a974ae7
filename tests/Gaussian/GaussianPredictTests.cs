using System.Text.Json;
using System.Text.Json.Nodes;
using Mixtures.Domain.Gaussian;
using Mixtures.Shell;
using Mixtures.Shell.Commands;

namespace Mixtures.Tests.Gaussian;

/// <summary><c>mixtures predict</c> with a model written by <c>mixtures cluster</c>.</summary>
public class GaussianPredictTests
{
    private static string Data(string dir)
    {
        var (X, _, _) = GaussianTestData.Separated(300, 3, 3, 21, spacing: 2.5);
        var lines = new List<string> { "id\tA\tB\tC" };
        for (var i = 0; i < X.RowCount; i++)
            lines.Add(string.Join('\t', new[] { i.ToString() }.Concat(Enumerable.Range(0, 3).Select(j => (100 * X[i, j]).ToString("R", System.Globalization.CultureInfo.InvariantCulture)))));
        var path = Path.Combine(dir, "data.tsv");
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    private static string Fit(string dir, string data, string covariance, bool standardize, string assignments, string ks = "1..4")
    {
        var model = Path.Combine(dir, $"model-{covariance}-{standardize}.json");
        var s = new ClusterCommand.Settings(data, "A,B,C", Ks: ks, Covariance: covariance, Starts: 3, Standardize: standardize, Out: model, Assignments: assignments, Quiet: true);
        Assert.Equal(0, ClusterCommand.Run(s));
        return model;
    }

    [Theory]
    [InlineData("full", true)]
    [InlineData("full", false)]
    [InlineData("tied", true)]
    [InlineData("diag", false)]
    [InlineData("spherical", true)]
    public void Predict_on_the_fitted_rows_reproduces_the_cluster_assignments_byte_for_byte(string covariance, bool standardize)
    {
        using var t = new TempDir();
        var data = Data(t.Path);
        var fitted = Path.Combine(t.Path, "fit.csv");
        var model = Fit(t.Path, data, covariance, standardize, fitted);
        var predicted = Path.Combine(t.Path, "pred.csv");
        Assert.Equal(0, PredictCommand.Run(new PredictCommand.Settings(model, data, predicted, null, false, true)));
        Assert.Equal(File.ReadAllBytes(fitted), File.ReadAllBytes(predicted));
    }

    private static (int Code, string Message) Predict(string model, string data, string? output = null, bool dropMissing = false)
    {
        var json = PredictCommand.ReadModel(model).Match(Succ: j => j, Fail: e => throw new Exception(e.Message));
        var r = GaussianPredictor.Run(new PredictCommand.Request(model, json, data, output, null, dropMissing, true));
        return r.Match(Succ: c => (c, ""), Fail: e => (Failure.ExitCodeOf(e), e.Message));
    }

    private static string Edit(string dir, string model, Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(File.ReadAllText(model))!.AsObject();
        edit(node);
        var path = Path.Combine(dir, "edited.json");
        File.WriteAllText(path, node.ToJsonString());
        return path;
    }

    public static TheoryData<string, string> BrokenModels() => new()
    {
        { "columns", "missing \"columns\"" },
        { "covariance", "\"covariance\" must be full, tied, diag or spherical" },
        { "weights", "\"weights\" must be a non-empty array of numbers" },
        { "weights-sum", "\"weights\" must sum to 1 (they sum to" },
        { "weights-negative", "\"weights\"[0] is -0.1: weights must be non-negative" },
        { "K", "\"K\" is 4 but \"weights\" has 3 entries" },
        { "means", "\"means\" must be 3 rows of 3 numbers" },
        { "covariances", "\"covariances\" must have the full shape for K = 3, d = 3 (3 matrices of 3 x 3)" },
        { "asymmetric", "\"covariances\"[0] is not symmetric" },
        { "not-pd", "\"covariances\"[0] is not positive definite" },
        { "scaler", "\"scaler.scale\"[1] is -1: a scale must be positive and a normal double" },
        { "scaler-subnormal", "\"scaler.scale\"[0] is 9.99989E-321: a scale must be positive and a normal double (at least 2.2E-308)" },
        { "scaler-overflow", "\"scaler.mean\"[2] is 1e400, not a finite double" },
        { "covariance-overflow", "\"covariances\"[1][2][2] is -1e999, not a finite double" },
        { "reg-covar", "\"regCovar\" is -1: it must be a finite non-negative number" },
        { "duplicate-column", "\"columns\" names 'A' twice" },
    };

    [Theory]
    [MemberData(nameof(BrokenModels))]
    public void A_broken_model_file_is_a_data_error_naming_the_field(string broken, string expected)
    {
        using var t = new TempDir();
        var data = Data(t.Path);
        var model = Fit(t.Path, data, "full", true, Path.Combine(t.Path, "a.csv"), ks: "3");
        Assert.Equal(3, JsonNode.Parse(File.ReadAllText(model))!["K"]!.GetValue<int>());
        var edited = Edit(t.Path, model, m =>
        {
            switch (broken)
            {
                case "columns": m.Remove("columns"); break;
                case "covariance": m["covariance"] = "VVX"; break;
                case "weights": m["weights"] = new JsonArray(); break;
                case "weights-sum": m["weights"]![0] = 0.9; break;
                case "weights-negative": m["weights"]![0] = -0.1; break;
                case "K": m["K"] = 4; break;
                case "scaler-subnormal": m["scaler"]!["scale"]![0] = 1e-320; break;
                case "scaler-overflow": m["scaler"]!["mean"]![2] = JsonNode.Parse("1e400"); break;
                case "covariance-overflow": m["covariances"]![1]![2]![2] = JsonNode.Parse("-1e999"); break;
                case "reg-covar": m["regCovar"] = -1; break;
                case "duplicate-column": m["columns"]![1] = "A"; break;
                case "means": m["means"]!.AsArray().RemoveAt(0); break;
                case "covariances": m["covariances"]!.AsArray().RemoveAt(0); break;
                case "asymmetric": m["covariances"]![0]![0]![1] = 0.123; break;
                case "not-pd":
                    m["covariances"]![0] = JsonNode.Parse("[[1,2,0],[2,1,0],[0,0,1]]"); break;
                case "scaler": m["scaler"]!["scale"]![1] = -1.0; break;
            }
        });
        var (code, msg) = Predict(edited, data);
        Assert.Equal(ExitCodes.DataError, code);
        Assert.Contains("edited.json: ", msg);
        Assert.Contains(expected, msg);
    }

    [Fact]
    public void A_model_column_missing_from_the_file_is_a_usage_error_listing_the_available_columns()
    {
        using var t = new TempDir();
        var data = Data(t.Path);
        var model = Fit(t.Path, data, "diag", false, Path.Combine(t.Path, "a.csv"));
        var other = Path.Combine(t.Path, "other.csv");
        File.WriteAllText(other, "A,B,D\n1,2,3\n");
        var (code, msg) = Predict(model, other);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("no column named 'C'; available columns: A, B, D", msg);
    }

    [Fact]
    public void Missing_values_fail_with_row_and_column_or_are_dropped_and_counted()
    {
        using var t = new TempDir();
        var data = Data(t.Path);
        var model = Fit(t.Path, data, "spherical", false, Path.Combine(t.Path, "a.csv"));
        var gaps = Path.Combine(t.Path, "gaps.csv");
        File.WriteAllText(gaps, "A,B,C\n1,2,3\n4,,6\n7,8,9\n");
        var (code, msg) = Predict(model, gaps);
        Assert.Equal(ExitCodes.DataError, code);
        Assert.Contains("gaps.csv: row 3, column B: missing value", msg);
        var output = Path.Combine(t.Path, "out.csv");
        Assert.Equal((0, ""), Predict(model, gaps, output, dropMissing: true));
        var lines = File.ReadAllLines(output);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("2,", lines[1]);
        Assert.StartsWith("4,", lines[2]);
    }

    [Fact]
    public void An_unwritable_output_is_exit_74_and_nothing_is_written()
    {
        using var t = new TempDir();
        var data = Data(t.Path);
        var model = Fit(t.Path, data, "tied", false, Path.Combine(t.Path, "a.csv"));
        var before = Directory.GetFiles(t.Path).Length;
        Assert.Equal(ExitCodes.IoError, PredictCommand.Run(new PredictCommand.Settings(model, data, Path.Combine(t.Path, "missing", "p.csv"), null, false, true)));
        Assert.Equal(before, Directory.GetFiles(t.Path).Length);
    }

    [Fact]
    public void Model_posterior_equals_the_spec_EStep_on_standardized_rows()
    {
        var (X, _, _) = GaussianTestData.Separated(120, 2, 2, 8);
        var est = Mixtures.Domain.GaussianMixture.Estimate([2], X, new GaussianSettings(Standardize: true, Starts: 2)).Match(e => e, e => throw new Exception(e.Message));
        var W = est.Model.Posterior(X).Match(p => p.W, e => throw new Exception(e.Message));
        Assert.Equal(est.Responsibilities.ToColumnMajorArray(), W.ToColumnMajorArray());
        var Z = X.Clone();
        for (var j = 0; j < 2; j++)
        for (var i = 0; i < Z.RowCount; i++) Z[i, j] = (X[i, j] - est.Model.Scaler!.Mean[j]) / est.Model.Scaler.Scale[j];
        Assert.Equal(est.Responsibilities.ToColumnMajorArray(), Mixtures.Domain.GaussianMixture.EStep(est.Model.Components, est.Model.Weights, Z).ToColumnMajorArray());
    }
}
