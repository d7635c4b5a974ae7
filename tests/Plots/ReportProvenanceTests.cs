using System.Xml.Linq;
using Mixtures.Shell.Output.Reports;

namespace Mixtures.Tests.Plots;

/// <summary>Every report names the tool version and the command as typed, has no clock time, and is byte-identical
/// (with its plots) when the same command runs again, whatever the number of cores.</summary>
public class ReportProvenanceTests
{
    /// <summary>Command, bundled data file, the name it is copied under, and the command line the report must show.</summary>
    public static TheoryData<string[], string, string> Commands() => new()
    {
        { ["sales", "my sales.csv", "--k", "1,2", "--starts", "2"], "sales.csv",
            "mixtures sales 'my sales.csv' --k 1,2 --starts 2 --plots plots --report report.html --quiet" },
        // --k=1..2 stays as typed (the parser's tokens would have split it)
        { ["regress", "regression.csv", "--y", "y", "--x", "x1,x2", "--k=1..2", "--starts", "2"], "regression.csv",
            "mixtures regress regression.csv --y y --x x1,x2 --k=1..2 --starts 2 --plots plots --report report.html --quiet" },
        { ["cluster", "customers.tsv", "--columns", "MntWines,MntMeatProducts", "--k", "1..3", "--starts", "1"], "customers.tsv",
            "mixtures cluster customers.tsv --columns MntWines,MntMeatProducts --k 1..3 --starts 1 --plots plots --report report.html --quiet" },
        { ["compare", "it's ltv.csv", "--y", "ltv", "--x", "tenure_months,monthly_spend,orders", "--segment", "segment", "--k", "auto"], "ltv.csv",
            "mixtures compare 'it'\\''s ltv.csv' --y ltv --x tenure_months,monthly_spend,orders --segment segment --k auto --plots plots --report report.html --quiet" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Report_states_version_and_command_line_and_is_byte_identical_across_runs_and_core_counts(string[] args, string data, string expected)
    {
        var (vc, version, verr) = TestSupport.RunCli(["--version"]);
        Assert.True(vc == 0, verr);
        var runs = new List<string>();
        foreach (var cores in new[] { "1", "2" })
        {
            var dir = TestSupport.TempDir();
            File.Copy(Path.Combine(TestSupport.RepoRoot, "data", data), Path.Combine(dir, args[1]));
            var (code, _, err) = TestSupport.RunCli([.. args, "--plots", "plots", "--report", "report.html", "--quiet"], workDir: dir,
                env: new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = cores });
            Assert.True(code == 0, err);
            runs.Add(dir);
        }
        var html = File.ReadAllText(Path.Combine(runs[0], "report.html"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(runs[0], "report.html")), File.ReadAllBytes(Path.Combine(runs[1], "report.html")));
        var plots = Directory.GetFiles(Path.Combine(runs[0], "plots")).Select(Path.GetFileName).Order().ToList();
        Assert.NotEmpty(plots);
        Assert.Equal(plots, Directory.GetFiles(Path.Combine(runs[1], "plots")).Select(Path.GetFileName).Order());
        foreach (var f in plots)
            Assert.True(File.ReadAllBytes(Path.Combine(runs[0], "plots", f!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(runs[1], "plots", f!))), $"{f} differs");

        var doc = ReportCheck.Parse(html);
        var facts = Facts(doc);
        Assert.Equal("mixtures " + version.Trim(), facts["made with"]);
        Assert.Equal(ReportProvenance.ToolVersion, version.Trim());
        Assert.Equal(expected, facts["command"]);
        Assert.Equal(expected, doc.Descendants(ReportCheck.H + "code").Single(c => c.Attribute("class")?.Value == "command").Value);
        // no clock time or date, and no path of the executable or of the folder it ran in
        Assert.DoesNotMatch(@"\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}:\d{2}", html);
        Assert.DoesNotContain("mixtures.dll", html);
        Assert.DoesNotContain(runs[0], html);
    }

    private static Dictionary<string, string> Facts(XDocument doc)
    {
        var dl = doc.Descendants(ReportCheck.H + "dl").Single(d => d.Attribute("class")?.Value == "facts");
        var items = dl.Elements().ToList();
        var facts = new Dictionary<string, string>();
        for (var i = 0; i + 1 < items.Count; i += 2)
        {
            Assert.Equal(ReportCheck.H + "dt", items[i].Name);
            Assert.Equal(ReportCheck.H + "dd", items[i + 1].Name);
            facts[items[i].Value] = items[i + 1].Value.Trim();
        }
        return facts;
    }

    [Theory]
    [InlineData("data.csv", "data.csv")]
    [InlineData("--k=1..3", "--k=1..3")]
    [InlineData("my file.csv", "'my file.csv'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("", "''")]
    [InlineData("a;b", "'a;b'")]
    [InlineData("$HOME", "'$HOME'")]
    public void Arguments_are_quoted_for_a_POSIX_shell_only_where_needed(string arg, string quoted) =>
        Assert.Equal(quoted, ReportProvenance.Quote(arg));

    [Fact]
    public void A_report_built_from_code_states_the_version_but_no_command()
    {
        var doc = new ReportDocument("t", "s", [("data", "x.csv")], []) { Made = ReportProvenance.Of(null) };
        var facts = Facts(ReportCheck.Parse(HtmlReport.Render(doc)));
        Assert.Equal("mixtures " + ReportProvenance.ToolVersion, facts["made with"]);
        Assert.False(facts.ContainsKey("command"));
        Assert.Equal("mixtures sales 'a b.csv' --k 2", ReportProvenance.Command(["sales", "a b.csv", "--k", "2"]));
    }
}
