using System.Collections.Immutable;
using Mixtures.Domain;
using Mixtures.Domain.Comparison;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Data;
using Mixtures.Shell.Output;

namespace Mixtures.Tests.Plots;

/// <summary>The plots and report of <c>mixtures sales</c>.</summary>
public class SalesFiguresTests
{
    [Fact]
    public void Segment_scatter_draws_one_point_per_store_at_its_own_least_squares_line()
    {
        var (y, X, sample) = TestSupport.Panel(Mixtures.Domain.Simulate.SalesSimulator.RandomTruth(2, 3), 12, 9, 3);
        var input = new SalesInput("panel.csv", Enumerable.Range(1, 12).Select(i => $"S{i}").ToImmutableArray(), sample.Prices.ToImmutableArray(), y);
        var estimates = SalesModel.EstimateMany([1, 2], y, X, 3, 1).Value().ToList();
        var charts = SalesFigures.Charts(input, estimates, 2);
        Assert.Equal(["criteria", "segments"], charts.Select(c => c.Name));
        Assert.Equal(12, charts[1].Marks); // one marker per store, not per store-week
        Assert.Equal(4, charts[0].Marks);
        foreach (var c in charts) ImageCheck.AssertPng(c.Png, c.Width, c.Height);
        Assert.Equal(12 + 2, ImageCheck.SvgElements(charts[1].Svg, "ellipse")); // 12 store markers and the legend's 2 entries
        var legend = string.Join(" | ", ImageCheck.SvgTexts(charts[1].Svg));
        var sizes = Enumerable.Range(0, 2).Select(k => Enumerable.Range(0, 12).Count(i => estimates[1].Best.W[i, k] > estimates[1].Best.W[i, 1 - k])).ToArray();
        Assert.Contains($"segment 1 ({sizes[0]} stores)", legend);
        Assert.Contains($"segment 2 ({sizes[1]} stores)", legend);
        Assert.Contains("segment 1 estimate", legend);
        Assert.DoesNotContain("shown", charts[1].Title);
        // the points are the stores' own OLS lines (alpha_i, beta_i), one regression per store
        var lines = SalesFigures.StoreLines(input).Value();
        Assert.Equal((2, 12), (lines.RowCount, lines.ColumnCount));
        for (var i = 0; i < 12; i++)
        {
            var own = OrdinaryLeastSquares.Fit(X, y.Column(i).ToArray()).Value();
            Assert.Equal(own.Beta[0], lines[0, i], 10);
            Assert.Equal(own.Beta[1], lines[1, i], 10);
        }
    }

    [Fact]
    public void Sales_writes_its_plots_and_a_report_that_embeds_them()
    {
        var dir = TestSupport.TempDir();
        var plots = Path.Combine(dir, "plots");
        var report = Path.Combine(dir, "sales.html");
        var (code, stdout, err) = TestSupport.RunCli(["sales", Path.Combine(TestSupport.RepoRoot, "data", "sales.csv"), "--k", "2,3", "--starts", "2",
            "--plots", plots, "--report", report]);
        Assert.True(code == 0, err);
        Assert.Contains("report written to", stdout);
        foreach (var name in new[] { "criteria", "segments" })
        {
            ImageCheck.AssertPngFile(Path.Combine(plots, name + ".png"), 800, 600);
            ImageCheck.AssertSvgFile(Path.Combine(plots, name + ".svg"), 800, 600);
        }
        var doc = ReportCheck.Parse(File.ReadAllText(report));
        Assert.Equal(["criteria", "segments"], ReportCheck.Images(doc).Keys.Order());
        Assert.Contains(doc.Descendants(ReportCheck.H + "caption"), c => c.Value.StartsWith("Model selection"));
    }

    [Fact]
    public void On_10000_stores_every_plot_stays_under_2_MB_and_draws_at_most_one_marker_per_store()
    {
        const int stores = 10_000;
        var dir = TestSupport.TempDir();
        var data = Path.Combine(dir, "stores.csv");
        var (sc, _, serr) = TestSupport.RunCli(["simulate", "sales", "--stores", "10000", "--weeks", "52", "--segments", "2", "--seed", "5", "--out", data, "--quiet"]);
        Assert.True(sc == 0, serr);
        var plots = Path.Combine(dir, "plots");
        var report = Path.Combine(dir, "sales.html");
        var (code, _, err) = TestSupport.RunCli(["sales", data, "--k", "1,2", "--starts", "2", "--plots", plots, "--report", report, "--quiet"]);
        Assert.True(code == 0, err);
        var files = Directory.GetFiles(plots);
        Assert.Equal(["criteria.png", "criteria.svg", "segments.png", "segments.svg"], files.Select(Path.GetFileName).Order());
        foreach (var f in files.Append(report))
            Assert.True(new FileInfo(f).Length < 2_000_000, $"{Path.GetFileName(f)} has {new FileInfo(f).Length} bytes");
        var svg = File.ReadAllText(Path.Combine(plots, "segments.svg"));
        ImageCheck.AssertSvgFile(Path.Combine(plots, "segments.svg"), 800, 600);
        // the store markers (ScottPlot draws a round marker as an ellipse; the legend has one per segment)
        var markers = ImageCheck.SvgElements(svg, "ellipse") - 2;
        Assert.True(markers <= stores, $"{markers} markers for {stores} stores");
        Assert.Equal(Mixtures.Shell.Output.Plots.PlotSample.MaxMarkers, markers);
        Assert.Contains("(5,000 of 10,000 stores shown)", ImageCheck.SvgTexts(svg).Single(t => t.StartsWith("Each store's own demand curve")));
        var doc = ReportCheck.Parse(File.ReadAllText(report));
        Assert.Contains("Only 5,000 of the 10,000 stores are drawn", doc.Descendants(ReportCheck.H + "figcaption").Select(c => c.Value).Single(c => c.Contains("alpha_i")));
    }

    [Fact]
    public void A_plots_folder_under_a_missing_folder_is_refused_before_any_fitting()
    {
        var dir = TestSupport.TempDir();
        var (code, _, err) = TestSupport.RunCli(["sales", Path.Combine(TestSupport.RepoRoot, "data", "sales.csv"),
            "--plots", Path.Combine(dir, "a", "b"), "--report", Path.Combine(dir, "r.html")]);
        Assert.Equal(74, code); // an output that cannot be created (before any fitting)
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--plots", err);
        Assert.False(File.Exists(Path.Combine(dir, "r.html")));
    }
}
