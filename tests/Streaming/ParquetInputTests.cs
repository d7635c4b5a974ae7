using System.Globalization;
using System.Text;
using System.Text.Json;
using Mixtures.Tests.Gaussian;
using Parquet;
using Parquet.Schema;

namespace Mixtures.Tests.Streaming;

/// <summary>Parquet input of <c>cluster --stream</c> and <c>regress --stream</c>: the same fit as the CSV of the same values.</summary>
public class ParquetInputTests
{
    /// <summary>n rows of y, x1 (float64), x2 (float32 in the Parquet file, so the CSV holds its float value) and a text column,
    /// in row groups of <paramref name="groupRows"/>; the CSV of the same values beside it.</summary>
    private static (string Parquet, string Csv) Files(string dir, int n, int groupRows, bool nullable = false, int nullRow = -1)
    {
        var rng = new System.Random(21);
        double N() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var y = new double[n];
        var x1 = new double[n];
        var x2 = new float[n];
        for (var i = 0; i < n; i++)
        {
            x1[i] = 4 * rng.NextDouble() - 2;
            x2[i] = (float)N();
            y[i] = i % 2 == 0 ? 1 + 2 * x1[i] - x2[i] + 0.3 * N() : -2 - x1[i] + 0.5 * x2[i] + 0.3 * N();
        }
        var yField = nullable ? (DataField)new DataField<double?>("y") : new DataField<double>("y");
        var schema = new ParquetSchema(yField, new DataField<double>("x1"), new DataField<float>("x2"), new DataField<string>("label"));
        var parquet = Path.Combine(dir, "rows.parquet");
        using (var fs = File.Create(parquet))
        {
            var w = ParquetWriter.CreateAsync(schema, fs).GetAwaiter().GetResult();
            for (var start = 0; start < n; start += groupRows)
            {
                var len = Math.Min(groupRows, n - start);
                using var g = w.CreateRowGroup();
                if (nullable)
                    g.WriteAsync<double>(schema.DataFields[0], y.Skip(start).Take(len).Select((v, i) => start + i == nullRow ? (double?)null : v).ToArray()).GetAwaiter().GetResult();
                else g.WriteAsync<double>(schema.DataFields[0], y.AsMemory(start, len)).GetAwaiter().GetResult();
                g.WriteAsync<double>(schema.DataFields[1], x1.AsMemory(start, len)).GetAwaiter().GetResult();
                g.WriteAsync<float>(schema.DataFields[2], x2.AsMemory(start, len)).GetAwaiter().GetResult();
                g.WriteAsync(schema.DataFields[3], Enumerable.Range(start, len).Select(i => $"r{i}").ToArray()).GetAwaiter().GetResult();
            }
            w.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("y,x1,x2,label\n");
        for (var i = 0; i < n; i++)
            sb.Append(y[i].ToString("R", inv)).Append(',').Append(x1[i].ToString("R", inv)).Append(',').Append(((double)x2[i]).ToString("R", inv)).Append(",r").Append(i).Append('\n');
        var csv = Path.Combine(dir, "rows.csv");
        File.WriteAllText(csv, sb.ToString());
        return (parquet, csv);
    }

    [Theory]
    [InlineData("regress")]
    [InlineData("cluster")]
    public void A_parquet_file_gives_the_fit_of_the_csv_of_the_same_values(string command)
    {
        using var t = new TempDir();
        var (parquet, csv) = Files(t.Path, 10_000, 3000);
        string P(string f) => Path.Combine(t.Path, f);
        string[] Args(string file, string out_) => command == "regress"
            ? ["regress", file, "--y", "y", "--x", "x1,x2", "--k", "2", "--stream", "--chunk-rows", "4096", "--out", P(out_ + ".json"), "--assignments", P(out_ + ".csv"), "--quiet"]
            : ["cluster", file, "--columns", "y,x1,x2", "--k", "2", "--stream", "--chunk-rows", "4096", "--out", P(out_ + ".json"), "--assignments", P(out_ + ".csv"), "--quiet"];
        var (c1, _, e1) = TestSupport.RunCli(Args(parquet, "p"));
        Assert.True(c1 == 0, e1);
        var (c2, _, e2) = TestSupport.RunCli(Args(csv, "c"));
        Assert.True(c2 == 0, e2);
        using var mp = JsonDocument.Parse(File.ReadAllText(P("p.json")));
        using var mc = JsonDocument.Parse(File.ReadAllText(P("c.json")));
        var key = command == "regress" ? "selected" : "means";
        Assert.Equal(mc.RootElement.GetProperty(key).GetRawText(), mp.RootElement.GetProperty(key).GetRawText());
        // the rows are numbered from 1 in the Parquet file, from the header line (1) in the CSV: otherwise the same lines
        var ap = File.ReadAllLines(P("p.csv"));
        var ac = File.ReadAllLines(P("c.csv"));
        Assert.Equal(10_001, ap.Length);
        Assert.Equal(ac[0], ap[0]);
        for (var i = 1; i < ap.Length; i++)
        {
            Assert.StartsWith($"{i},", ap[i]);
            Assert.Equal(ac[i][ac[i].IndexOf(',')..], ap[i][ap[i].IndexOf(',')..]);
        }
    }

    [Fact]
    public void A_null_is_a_missing_value_naming_file_row_and_column_or_a_dropped_row()
    {
        using var t = new TempDir();
        var (parquet, _) = Files(t.Path, 9000, 4000, nullable: true, nullRow: 5000);
        File.Delete(Path.Combine(t.Path, "rows.csv"));
        var (code, _, err) = TestSupport.RunCli(["regress", parquet, "--y", "y", "--x", "x1,x2", "--k", "2", "--stream", "--quiet", "--out", Path.Combine(t.Path, "m.json")]);
        Assert.Equal(65, code);
        Assert.Equal($"mixtures: error: {parquet}: row 5001, column y: missing value (null or NaN) (use --drop-missing to drop such rows)", err.Trim());
        Assert.Equal([parquet], Directory.GetFiles(t.Path));
        var (code2, _, err2) = TestSupport.RunCli(["regress", parquet, "--y", "y", "--x", "x1,x2", "--k", "2", "--stream", "--quiet", "--drop-missing", "--out", Path.Combine(t.Path, "m.json")]);
        Assert.True(code2 == 0, err2);
        using var m = JsonDocument.Parse(File.ReadAllText(Path.Combine(t.Path, "m.json")));
        Assert.Equal(8999, m.RootElement.GetProperty("data").GetProperty("rows").GetInt32());
        Assert.Equal(1, m.RootElement.GetProperty("data").GetProperty("droppedRows").GetInt32());
    }

    [Fact]
    public void A_text_column_or_an_unknown_column_is_refused_in_one_line()
    {
        using var t = new TempDir();
        var (parquet, _) = Files(t.Path, 100, 100);
        var (code, _, err) = TestSupport.RunCli(["cluster", parquet, "--columns", "x1,label", "--k", "2", "--stream", "--quiet"]);
        Assert.Equal(65, code);
        Assert.Equal($"mixtures: error: {parquet}: column label holds text, not numbers", err.Trim());
        var (code2, _, err2) = TestSupport.RunCli(["cluster", parquet, "--columns", "x1,z", "--k", "2", "--stream", "--quiet"]);
        Assert.Equal(64, code2);
        Assert.Contains("no column named 'z'; available columns: y, x1, x2, label", err2);
    }

    [Fact]
    public void Without_stream_a_parquet_file_is_refused_with_a_pointer_to_stream()
    {
        using var t = new TempDir();
        var (parquet, _) = Files(t.Path, 100, 100);
        var (code, _, err) = TestSupport.RunCli(["regress", parquet, "--y", "y", "--x", "x1,x2", "--k", "2", "--quiet"]);
        Assert.Equal(64, code);
        Assert.Equal($"mixtures: error: {parquet}: a Parquet file is read with --stream (without it the input is a delimited file)", err.Trim());
    }
}
