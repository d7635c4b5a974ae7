using System.Text.Json;
using Mixtures.Shell;
using Mixtures.Shell.Commands;

namespace Mixtures.Tests.Gaussian;

/// <summary><c>mixtures cluster</c>: every bad input gives one clear error and exit code, and no output file.</summary>
public class ClusterCommandTests
{
    private static string Write(string dir, string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Two well-separated groups in columns A and B; C is unused and has a missing value.</summary>
    private static string Good(string dir, char sep = ',', string name = "good.csv")
    {
        var rows = new List<string> { string.Join(sep, "A", "B", "C") };
        var rng = new System.Random(3);
        for (var i = 0; i < 60; i++)
        {
            var g = i % 2;
            rows.Add(string.Join(sep, (10 * g + rng.NextDouble()).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                (-5 * g + rng.NextDouble()).ToString("R", System.Globalization.CultureInfo.InvariantCulture), i == 7 ? "" : "1"));
        }
        return Write(dir, name, string.Join('\n', rows) + "\n");
    }

    private static (int Code, string Message) Fail(ClusterCommand.Settings s)
    {
        var r = ClusterCommand.Compute(s);
        Assert.True(r.IsFail, "expected a failure");
        var e = r.Match(Succ: _ => throw new InvalidOperationException(), Fail: e => e);
        return (Failure.ExitCodeOf(e), e.Message);
    }

    private static ClusterCommand.Settings S(string file, string columns = "A,B") => new(file, columns, Ks: "1..3", Starts: 2, Quiet: true);

    [Fact]
    public void Missing_file_is_exit_66_naming_the_file()
    {
        using var t = new TempDir();
        var (code, msg) = Fail(S(Path.Combine(t.Path, "nope.csv")));
        Assert.Equal(ExitCodes.NoInput, code);
        Assert.Contains("nope.csv: file not found", msg);
    }

    [Fact]
    public void Empty_file_is_a_data_error()
    {
        using var t = new TempDir();
        var (code, msg) = Fail(S(Write(t.Path, "empty.csv", "")));
        Assert.Equal(ExitCodes.DataError, code);
        Assert.Contains("empty", msg);
    }

    [Fact]
    public void Header_only_is_a_data_error()
    {
        using var t = new TempDir();
        var (code, msg) = Fail(S(Write(t.Path, "h.csv", "A,B\n")));
        Assert.Equal(ExitCodes.DataError, code);
        Assert.Contains("no data rows", msg);
    }

    [Fact]
    public void Unknown_column_is_a_usage_error_listing_the_available_columns()
    {
        using var t = new TempDir();
        var (code, msg) = Fail(S(Good(t.Path), "A,Wines"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("no column named 'Wines'", msg);
        Assert.Contains("available columns: A, B, C", msg);
    }

    [Fact]
    public void Missing_value_in_a_chosen_column_names_row_and_column()
    {
        using var t = new TempDir();
        var f = Write(t.Path, "m.csv", "A,B\n1,2\n3,\n5,6\n");
        var (code, msg) = Fail(S(f));
        Assert.Equal(ExitCodes.DataError, code);
        Assert.Contains("m.csv: row 3, column B: missing value", msg);
        Assert.Contains("--drop-missing", msg);
    }

    [Fact]
    public void Non_numeric_value_names_row_and_column()
    {
        using var t = new TempDir();
        var f = Write(t.Path, "x.csv", "A;B\n1;2\n3;4\nabc;6\n");
        var (code, msg) = Fail(S(f));
        Assert.Equal(ExitCodes.DataError, code);
        Assert.Contains("row 4, column A: 'abc' is not a finite number", msg);
    }

    [Fact]
    public void Row_with_the_wrong_number_of_fields_is_a_data_error()
    {
        using var t = new TempDir();
        var f = Write(t.Path, "w.csv", "A,B\n1,2\n3,4,5\n");
        var (code, msg) = Fail(S(f));
        Assert.Equal(ExitCodes.DataError, code);
        Assert.Contains("row 3", msg);
    }

    [Fact]
    public void Drop_missing_drops_and_counts_the_bad_rows_and_a_missing_value_elsewhere_is_ignored()
    {
        using var t = new TempDir();
        var lines = File.ReadAllLines(Good(t.Path)).ToList();
        lines[4] = "1,,1";
        lines[9] = "x,2,1";
        var f = Write(t.Path, "d.csv", string.Join('\n', lines) + "\n");
        Assert.True(ClusterCommand.Compute(S(f)).IsFail);
        var o = ClusterCommand.Compute(S(f) with { DropMissing = true }).Match(Succ: x => x, Fail: e => throw new Exception(e.Message));
        Assert.Equal(2, o.Table.DroppedRows);
        Assert.Equal(58, o.Table.Rows);
        Assert.Equal(2, o.Model.Data.DroppedRows);
    }

    [Fact]
    public void Every_bad_option_is_reported_at_once_as_a_usage_error()
    {
        using var t = new TempDir();
        var s = new ClusterCommand.Settings(Good(t.Path), "A,B,a", Ks: "0..x", Covariance: "banana", Starts: 0, RegCovar: -1, Tol: 0, MaxIter: 0,
            Init: "magic", Sep: "#", Quiet: true);
        var (code, msg) = Fail(s);
        Assert.Equal(ExitCodes.Usage, code);
        foreach (var part in new[] { "--columns: A given more than once", "--k", "--covariance: 'banana'", "--init: 'magic'", "--sep: '#'",
                     "--starts must be at least 1", "--reg-covar must be finite and non-negative", "--tol must be positive", "--max-iter must be at least 1" })
            Assert.Contains(part, msg);
        Assert.DoesNotContain('\n', msg);
    }

    [Theory]
    [InlineData("3,x")]
    [InlineData("0")]
    [InlineData("5..2")]
    [InlineData("")]
    public void Bad_k_values_are_usage_errors(string ks)
    {
        using var t = new TempDir();
        var (code, msg) = Fail(S(Good(t.Path)) with { Ks = ks });
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--k", msg);
    }

    [Fact]
    public void Empty_column_list_is_a_usage_error()
    {
        using var t = new TempDir();
        var (code, msg) = Fail(S(Good(t.Path), " , "));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--columns: no column given", msg);
    }

    [Fact]
    public void Constant_column_is_a_data_error_naming_it()
    {
        using var t = new TempDir();
        var (code, msg) = Fail(S(Good(t.Path), "A,C") with { DropMissing = true, Standardize = true });
        Assert.Equal(ExitCodes.DataError, code);
        Assert.Contains("column C is constant", msg);
    }

    [Fact]
    public void More_clusters_than_rows_is_a_data_error()
    {
        using var t = new TempDir();
        var f = Write(t.Path, "small.csv", "A,B\n1,2\n3,5\n4,1\n");
        var (code, msg) = Fail(S(f) with { Ks = "5" });
        Assert.Equal(ExitCodes.DataError, code);
        Assert.Contains("K = 5 exceeds the number of rows (3)", msg);
    }

    [Fact]
    public void A_K_above_the_rows_is_reported_in_the_table_while_smaller_K_are_fitted()
    {
        using var t = new TempDir();
        var f = Write(t.Path, "small.csv", "A,B\n1,2\n3,5\n4,1\n8,8\n");
        var o = ClusterCommand.Compute(S(f) with { Ks = "1,5" }).Match(Succ: x => x, Fail: e => throw new Exception(e.Message));
        Assert.Equal(1, o.Estimate.SelectedK);
        Assert.Contains("exceeds", o.Model.Selection.Single(k => k.K == 5).Failure);
    }

    [Fact]
    public void Unwritable_output_is_exit_74_and_no_file_is_written()
    {
        using var t = new TempDir();
        var assignments = Path.Combine(t.Path, "a.csv");
        var code = ClusterCommand.Run(S(Good(t.Path)) with { Out = Path.Combine(t.Path, "no-such-folder", "m.json"), Assignments = assignments });
        Assert.Equal(ExitCodes.IoError, code);
        Assert.False(File.Exists(assignments));
        Assert.Equal(new string?[] { "good.csv" }, Directory.GetFiles(t.Path).Select(Path.GetFileName).ToArray());
    }

    [Fact]
    public void Failure_writes_no_output_file()
    {
        using var t = new TempDir();
        var f = Write(t.Path, "m.csv", "A,B\n1,2\n3,\n");
        var model = Path.Combine(t.Path, "m.json");
        Assert.Equal(ExitCodes.DataError, ClusterCommand.Run(S(f) with { Out = model, Assignments = Path.Combine(t.Path, "a.csv") }));
        Assert.Equal(new string?[] { "m.csv" }, Directory.GetFiles(t.Path).Select(Path.GetFileName).ToArray());
    }

    [Fact]
    public void Comma_semicolon_and_tab_files_give_the_same_model()
    {
        using var t = new TempDir();
        string Model(char sep, string name, string? given = null)
        {
            var o = ClusterCommand.Compute(S(Good(t.Path, sep, name)) with { Sep = given }).Match(Succ: x => x, Fail: e => throw new Exception(e.Message));
            return JsonSerializer.Serialize(o.Model.Means) + JsonSerializer.Serialize(o.Model.Selection.Select(k => k.LogLikelihood));
        }
        var comma = Model(',', "c.csv");
        Assert.Equal(comma, Model(';', "s.csv"));
        Assert.Equal(comma, Model('\t', "t.tsv"));
        Assert.Equal(comma, Model('\t', "t2.tsv", "tab"));
    }

    [Fact]
    public void Writes_model_json_and_assignments_with_the_documented_fields()
    {
        using var t = new TempDir();
        var model = Path.Combine(t.Path, "m.json");
        var assignments = Path.Combine(t.Path, "a.csv");
        Assert.Equal(0, ClusterCommand.Run(S(Good(t.Path)) with { Out = model, Assignments = assignments, Standardize = true }));
        using var doc = JsonDocument.Parse(File.ReadAllText(model));
        var r = doc.RootElement;
        Assert.Equal("gaussian-mixture", r.GetProperty("kind").GetString());
        Assert.Equal(new string?[] { "A", "B" }, r.GetProperty("columns").EnumerateArray().Select(c => c.GetString()).ToArray());
        Assert.Equal("full", r.GetProperty("covariance").GetString());
        Assert.Equal("VVV", r.GetProperty("mclustModel").GetString());
        Assert.Equal(2, r.GetProperty("K").GetInt32());
        Assert.Equal(2, r.GetProperty("scaler").GetProperty("scale").GetArrayLength());
        Assert.Equal(2, r.GetProperty("covariances").GetArrayLength());
        Assert.Equal(3, r.GetProperty("selection").GetArrayLength());
        Assert.Contains("mclust reports 2 log L - k ln n", r.GetProperty("criterion").GetString());
        var lines = File.ReadAllLines(assignments);
        Assert.Equal("row,cluster,probability,p1,p2", lines[0]);
        Assert.Equal(61, lines.Length);
        Assert.StartsWith("2,", lines[1]); // the first data row is line 2 of the file
    }

    [Fact]
    public void Same_seed_gives_byte_identical_model_json()
    {
        using var t = new TempDir();
        var f = Good(t.Path);
        var a = Path.Combine(t.Path, "a.json");
        var b = Path.Combine(t.Path, "b.json");
        Assert.Equal(0, ClusterCommand.Run(S(f) with { Out = a, Seed = 7 }));
        Assert.Equal(0, ClusterCommand.Run(S(f) with { Out = b, Seed = 7 }));
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }
}

/// <summary>A fresh temporary folder, deleted on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("mixtures-cluster-").FullName;
    public void Dispose() { try { Directory.Delete(Path, true); } catch (IOException) { } }
}
