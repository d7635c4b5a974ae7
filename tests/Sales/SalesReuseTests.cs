using System.Globalization;
using Mixtures.Tests.Instructor;

namespace Mixtures.Tests.Sales;

/// <summary>
/// The sales model's results reused: per-store assignments (<c>sales --assignments</c>), segments of new
/// stores (<c>predict --model results.json</c>), and the panel in long format (<c>store,week,price,sales</c>).
/// </summary>
public class SalesReuseTests
{
    private static readonly string Sample = Path.Combine(TestSupport.RepoRoot, "data", "sales.csv");

    /// <summary>data/sales.csv rewritten in long format: store by store, or week by week with the columns in another order.</summary>
    private static void WriteLong(string path, bool weekMajor)
    {
        var rows = File.ReadAllLines(Sample).Select(l => l.Split(',')).ToArray();
        var names = rows[0][1..];
        var weeks = rows[1..];
        using var w = new StreamWriter(path) { NewLine = "\n" };
        if (!weekMajor)
        {
            w.WriteLine("store,week,price,sales");
            for (var j = 0; j < names.Length; j++)
            for (var t = 0; t < weeks.Length; t++)
                w.WriteLine($"{names[j]},{t + 1},{weeks[t][0]},{weeks[t][j + 1]}");
        }
        else
        {
            w.WriteLine("Sales,Week,Store,Price");
            for (var t = 0; t < weeks.Length; t++)
            for (var j = 0; j < names.Length; j++)
                w.WriteLine($"{weeks[t][j + 1]},w{t + 1},{names[j]},{weeks[t][0]}");
        }
    }

    private static string WithoutFileName(string json) =>
        string.Join('\n', json.Split('\n').Where(l => !l.TrimStart().StartsWith("\"file\":")));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Long_format_gives_the_wide_formats_results_and_assignments(bool weekMajor)
    {
        using var dir = new TempFolder();
        WriteLong(dir.File("long.csv"), weekMajor);
        var wide = MixturesCli.Run(dir.Path, "sales", Sample, "--quiet", "--out", "wide.json", "--assignments", "wide.csv");
        var lng = MixturesCli.Run(dir.Path, "sales", "long.csv", "--quiet", "--out", "long.json", "--assignments", "long_a.csv");
        Assert.Equal(0, wide.ExitCode);
        Assert.Equal(0, lng.ExitCode);
        Assert.Equal(WithoutFileName(File.ReadAllText(dir.File("wide.json"))), WithoutFileName(File.ReadAllText(dir.File("long.json"))));
        Assert.Equal(File.ReadAllText(dir.File("wide.csv")), File.ReadAllText(dir.File("long_a.csv")));
    }

    [Fact]
    public void Assignments_are_posteriors_per_store_and_predict_on_new_stores_gives_their_rows()
    {
        using var dir = new TempFolder();
        var r = MixturesCli.Run(dir.Path, "sales", Sample, "--quiet", "--out", "results.json", "--assignments", "a.csv");
        Assert.Equal(0, r.ExitCode);
        var a = File.ReadAllLines(dir.File("a.csv"));
        Assert.Equal("store,resp_1,resp_2,resp_3,segment,probability", a[0]);
        Assert.Equal(301, a.Length);
        foreach (var line in a[1..])
        {
            var c = line.Split(',');
            var p = c[1..4].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(1.0, p.Sum(), 12);
            var best = Array.IndexOf(p, p.Max());
            Assert.Equal((best + 1).ToString(CultureInfo.InvariantCulture), c[4]);
            Assert.Equal(p[best], double.Parse(c[5], CultureInfo.InvariantCulture));
        }
        // "new" stores: 25 of the columns in another file; a store's posterior depends on its own sales only
        var rows = File.ReadAllLines(Sample).Select(l => l.Split(',')).ToArray();
        var pick = Enumerable.Range(0, 25).Select(i => 1 + (i * 37) % 300).ToArray();
        File.WriteAllLines(dir.File("new.csv"), rows.Select(row => string.Join(',', new[] { row[0] }.Concat(pick.Select(j => row[j])))));
        var p2 = MixturesCli.Run(dir.Path, "predict", "--model", "results.json", "new.csv", "--out", "p.csv");
        Assert.Equal(0, p2.ExitCode);
        Assert.StartsWith("segments (K = 3) for 25 store(s) written to p.csv", p2.Stdout);
        var predicted = File.ReadAllLines(dir.File("p.csv"));
        Assert.Equal(a[0], predicted[0]);
        Assert.Equal(pick.Length, predicted.Length - 1);
        for (var i = 0; i < pick.Length; i++)
        {
            // the same store, segment label and posterior (to rounding: the E-step sums over another set of stores)
            var want = a[pick[i]].Split(',');
            var got = predicted[i + 1].Split(',');
            Assert.Equal(want[0], got[0]);
            Assert.Equal(want[4], got[4]);
            for (var k = 1; k <= 3; k++)
            {
                var (x, y) = (double.Parse(want[k], CultureInfo.InvariantCulture), double.Parse(got[k], CultureInfo.InvariantCulture));
                Assert.True(Math.Abs(x - y) <= 1e-12 * Math.Max(x, 1e-300) + 1e-300 || Math.Abs(x - y) <= 1e-12, $"{want[0]} resp_{k}: {x} vs {y}");
            }
        }
        // and on the fitted file itself, predict is the assignments file byte for byte (to standard output here)
        var all = MixturesCli.Run(dir.Path, "predict", "--model", "results.json", Sample);
        Assert.Equal(File.ReadAllText(dir.File("a.csv")), all.Stdout);
    }

    [Theory]
    [InlineData("missing", "store Store1 has no row for week 4: every store needs a row for every week (300 stores x 52 weeks)")]
    [InlineData("duplicate", "row 15602: store Store1, week 4 appears twice (first in row 5)")]
    [InlineData("price", "row 60, column price: week 7 has price 9.99 here but 2.63 in row 8: one price per week")]
    [InlineData("sales", "row 6, column sales: ")]
    public void Long_format_errors_name_the_row_and_write_nothing(string fault, string message)
    {
        using var dir = new TempFolder();
        WriteLong(dir.File("long.csv"), weekMajor: false);
        var lines = File.ReadAllLines(dir.File("long.csv")).ToList();
        switch (fault)
        {
            case "missing": lines.RemoveAt(4); break;
            case "duplicate": lines.Add(lines[4]); break;
            case "price": { var c = lines[59].Split(','); c[2] = "9.99"; lines[59] = string.Join(',', c); break; }
            default: { var c = lines[5].Split(','); c[3] = "-3"; lines[5] = string.Join(',', c); break; }
        }
        File.WriteAllLines(dir.File("bad.csv"), lines);
        var r = MixturesCli.Run(dir.Path, "sales", "bad.csv", "--out", "r.json", "--assignments", "a.csv");
        Assert.Equal(65, r.ExitCode);
        var error = Assert.Single(r.ErrorLines);
        Assert.StartsWith($"mixtures: error: bad.csv: {message}", error);
        Assert.False(File.Exists(dir.File("r.json")));
        Assert.False(File.Exists(dir.File("a.csv")));
    }

    [Fact]
    public void A_sales_model_without_its_selected_fit_is_one_line_naming_the_field()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("m.json"), "{\"kind\": \"sales\", \"selectedK\": 3, \"models\": [{\"K\": 2, \"theta\": [[1, -1], [2, -2]], \"pi\": [0.5, 0.5]}]}");
        var r = MixturesCli.Run(dir.Path, "predict", "--model", "m.json", Sample, "--out", "p.csv");
        Assert.Equal(65, r.ExitCode);
        Assert.Equal("mixtures: error: m.json: no model with \"K\": 3 (the selectedK) in \"models\"", Assert.Single(r.ErrorLines));
        Assert.False(File.Exists(dir.File("p.csv")));
    }
}
