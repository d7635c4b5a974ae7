using Mixtures.Shell.Commands;
using Mixtures.Shell.Output;

namespace Mixtures.Tests.Plots;

/// <summary>The plots and report of <c>mixtures cluster</c>.</summary>
public class ClusterFiguresTests
{
    private static readonly string Customers = Path.Combine(TestSupport.RepoRoot, "data", "customers.tsv");
    private const string Columns = "MntWines,MntFruits,MntMeatProducts,MntFishProducts,MntSweetProducts,MntGoldProds";

    [Fact]
    public void Projections_draw_every_row_and_there_is_one_histogram_per_column()
    {
        var o = ClusterCommand.Compute(new ClusterCommand.Settings(Customers, Columns, Ks: "1..3", Starts: 1, Standardize: true, Quiet: true))
            .Match(Succ: x => x, Fail: e => throw new InvalidOperationException(e.Message));
        var charts = ClusterFigures.Charts(o);
        Assert.Equal(["criteria", "pca-clusters", "pca-confidence", "hist-mntwines", "hist-mntfruits", "hist-mntmeatproducts",
            "hist-mntfishproducts", "hist-mntsweetproducts", "hist-mntgoldprods"], charts.Select(c => c.Name));
        Assert.Equal(o.Table.Rows, charts[1].Marks);
        Assert.Equal(o.Table.Rows, charts[2].Marks);
        Assert.Contains("PC1", Svg(charts[1]));
        foreach (var c in charts) ImageCheck.AssertPng(c.Png, c.Width, c.Height);
    }

    private static string Svg(Mixtures.Shell.Output.Plots.Chart c) => c.Svg;

    [Fact]
    public void Cluster_writes_its_plots_and_a_report_that_embeds_them()
    {
        var dir = TestSupport.TempDir();
        var plots = Path.Combine(dir, "plots");
        var report = Path.Combine(dir, "cluster.html");
        var (code, stdout, err) = TestSupport.RunCli(["cluster", Customers, "--columns", "MntWines,MntMeatProducts", "--k", "1..3", "--starts", "1",
            "--plots", plots, "--report", report]);
        Assert.True(code == 0, err);
        Assert.Contains("report written to", stdout);
        string[] names = ["criteria", "pca-clusters", "pca-confidence", "hist-mntwines", "hist-mntmeatproducts"];
        foreach (var name in names)
        {
            ImageCheck.AssertPngFile(Path.Combine(plots, name + ".png"), 800, 600);
            ImageCheck.AssertSvgFile(Path.Combine(plots, name + ".svg"), 800, 600);
        }
        var html = File.ReadAllText(report);
        var doc = ReportCheck.Parse(html);
        Assert.Equal(names.Order(), ReportCheck.Images(doc).Keys.Order());
        // the wide tables (one column per chosen column) scroll sideways inside the page
        var tables = doc.Descendants(ReportCheck.H + "table").ToList();
        Assert.Contains(tables, t => t.Element(ReportCheck.H + "caption")!.Value.StartsWith("Clusters (K ="));
        Assert.All(tables, t => Assert.Equal("table-scroll", t.Parent!.Attribute("class")?.Value));
        Assert.Matches(@"div\.table-scroll \{ overflow-x: auto;", html);
    }

    [Fact]
    public void Criteria_plot_marks_the_degenerate_K_whose_BIC_is_lowest_as_excluded()
    {
        // Kidhome takes three values: beyond K = 4 some cluster collapses onto one of them and its BIC drops far below
        var o = ClusterCommand.Compute(new ClusterCommand.Settings(Customers, "Kidhome,Recency,MntWines,MntFruits", Ks: "1..6", Starts: 3, Quiet: true))
            .Match(Succ: x => x, Fail: e => throw new InvalidOperationException(e.Message));
        var path = o.Estimate.Path;
        var excluded = path.Where(r => r.Excluded).Select(r => r.K).ToList();
        var lowest = path.Where(r => r.Ok).MinBy(r => r.Bic)!.K;
        Assert.Contains(lowest, excluded);
        Assert.NotEqual(lowest, o.Estimate.SelectedK);
        var chart = ClusterFigures.Charts(o).Single(c => c.Name == "criteria");
        var texts = ImageCheck.SvgTexts(chart.Svg);
        Assert.Contains($"degenerate (excluded): K = {string.Join(", ", excluded)}", texts);
        Assert.Contains($"selected K = {o.Estimate.SelectedK} (lowest BIC among sound fits)", texts);
        Assert.Equal(2 * path.Count(r => r.Ok), chart.Marks);
        // hollow grey markers: BIC and AIC of every excluded K, and the legend's
        var grey = "#" + Mixtures.Shell.Output.Plots.CriterionChart.Excluded.ToHex()[1..7];
        var hollow = System.Xml.Linq.XDocument.Parse(chart.Svg).Descendants()
            .Count(e => (string?)e.Attribute("fill") == "none" && string.Equals((string?)e.Attribute("stroke"), grey, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(2 * excluded.Count + 1, hollow);
    }
}
