using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Mixtures.Tests.Regression;

/// <summary>A text column in <c>regress --concomitant</c> is treatment-coded by the same function as the covariates: the
/// fit equals the fit with its dummies written out as numeric concomitant columns.</summary>
public class CategoricalConcomitantTests
{
    private static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Groups of 4 rows; the class of a group depends on its tier (bronze, gold, silver): logit Pr[class 2] =
    /// -1 + 2 gold + 1 silver; y = 1 + 2x (class 1) or 6 - x (class 2).</summary>
    private static (string Text, string Dummies) Data(int groups = 300, int seed = 5)
    {
        var rng = new Random(seed);
        string[] tiers = ["silver", "gold", "bronze"];
        var text = new StringBuilder("y,x,tier,store\n");
        var dummies = new StringBuilder("y,x,tiergold,tiersilver,store\n");
        for (var g = 0; g < groups; g++)
        {
            var tier = g == 0 ? "silver" : tiers[rng.Next(3)];
            double gold = tier == "gold" ? 1 : 0, silver = tier == "silver" ? 1 : 0;
            var c = rng.NextDouble() < 1 / (1 + Math.Exp(-(-1 + 2 * gold + silver))) ? 1 : 0;
            for (var r = 0; r < 4; r++)
            {
                var x = rng.NextDouble() * 4;
                var e = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                var y = (c == 0 ? 1 + 2 * x : 6 - x) + 0.5 * e;
                text.Append($"{N(y)},{N(x)},{tier},s{g}\n");
                dummies.Append($"{N(y)},{N(x)},{gold},{silver},s{g}\n");
            }
        }
        return (text.ToString(), dummies.ToString());
    }

    private static string Write(string dir, string name, string text)
    {
        var p = Path.Combine(dir, name);
        File.WriteAllText(p, text);
        return p;
    }

    private static JsonElement Concomitant(string model) =>
        JsonDocument.Parse(File.ReadAllText(model)).RootElement.GetProperty("selected").GetProperty("concomitant");

    [Fact]
    public void A_text_concomitant_gives_the_fit_of_its_dummies_and_names_them()
    {
        var dir = TestSupport.TempDir();
        var (text, dummies) = Data();
        string[] common = ["--y", "y", "--x", "x", "--group", "store", "--k", "2", "--starts", "3"];
        var (code, stdout, err) = TestSupport.RunCli(["regress", Write(dir, "text.csv", text), .. common, "--concomitant", "tier", "--out", Path.Combine(dir, "a.json")]);
        Assert.True(code == 0, err);
        Assert.Contains("tiergold", stdout);
        (code, _, err) = TestSupport.RunCli(["regress", Write(dir, "dummies.csv", dummies), .. common, "--concomitant", "tiergold,tiersilver", "--quiet", "--out", Path.Combine(dir, "b.json")]);
        Assert.True(code == 0, err);
        var a = Concomitant(Path.Combine(dir, "a.json"));
        var b = Concomitant(Path.Combine(dir, "b.json"));
        Assert.Equal(["(Intercept)", "tiergold", "tiersilver"], a.GetProperty("terms").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(b.GetProperty("terms").GetRawText(), a.GetProperty("terms").GetRawText());
        Assert.Equal(b.GetProperty("gamma").GetRawText(), a.GetProperty("gamma").GetRawText());
        var tier = Assert.Single(a.GetProperty("categorical").EnumerateArray());
        Assert.Equal(["bronze", "gold", "silver"], tier.GetProperty("levels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("bronze", tier.GetProperty("reference").GetString());
        Assert.False(b.TryGetProperty("categorical", out _));
        var logL = (string f) => JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, f))).RootElement.GetProperty("selected").GetProperty("logLikelihood").GetDouble();
        Assert.Equal(logL("b.json"), logL("a.json"));
    }

    [Fact]
    public void A_reference_and_categorical_apply_to_concomitant_columns_too()
    {
        var dir = TestSupport.TempDir();
        var (text, _) = Data(120);
        var file = Write(dir, "text.csv", text.Replace("\n", ",1\n").Replace("store,1\n", "store,band\n"));
        var model = Path.Combine(dir, "m.json");
        var (code, _, err) = TestSupport.RunCli(["regress", file, "--y", "y", "--x", "x", "--group", "store", "--k", "2", "--starts", "2", "--quiet",
            "--concomitant", "tier", "--reference", "tier=silver", "--out", model]);
        Assert.True(code == 0, err);
        Assert.Equal(["(Intercept)", "tierbronze", "tiergold"], Concomitant(model).GetProperty("terms").EnumerateArray().Select(t => t.GetString()));
        (code, _, err) = TestSupport.RunCli(["regress", file, "--y", "y", "--x", "x", "--group", "store", "--k", "2", "--quiet",
            "--concomitant", "tier,band", "--categorical", "band"]);
        Assert.Equal(65, code);
        Assert.Contains("column band: every row has the same value '1'", err);
        (code, _, err) = TestSupport.RunCli(["regress", file, "--y", "y", "--x", "x", "--group", "store", "--k", "2", "--quiet",
            "--concomitant", "tier", "--categorical", "band"]);
        Assert.Equal(64, code);
        Assert.Contains("--categorical: 'band' is not one of the --x and --concomitant columns (x, tier)", err);
        (code, _, err) = TestSupport.RunCli(["regress", file, "--y", "y", "--x", "x", "--group", "store", "--k", "2", "--quiet",
            "--concomitant", "tier", "--reference", "tier=platinum"]);
        Assert.Equal(64, code);
        Assert.Contains("--reference tier=platinum: column tier has no level 'platinum' (its levels: bronze, gold, silver)", err);
    }

    [Fact]
    public void A_text_concomitant_that_changes_within_a_group_is_an_error_naming_row_and_column()
    {
        var dir = TestSupport.TempDir();
        var lines = Data(40).Text.Split('\n').ToList();
        // line 4 of the file is the third row of group s0 (silver)
        lines[3] = lines[3].Replace(",silver,", ",gold,");
        var file = Write(dir, "vary.csv", string.Join("\n", lines));
        var (code, _, err) = TestSupport.RunCli(["regress", file, "--y", "y", "--x", "x", "--group", "store", "--k", "2", "--concomitant", "tier"]);
        Assert.Equal(65, code);
        Assert.Contains($"{file}: row 4, column tier: 'gold' differs from 'silver' on row 2 of the same store", err);
    }
}
