using System.Collections.Immutable;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Data;
using Mixtures.Shell.Output;

namespace Mixtures.Tests.Plots;

/// <summary>The plots and report of <c>mixtures sales</c>.</summary>
public class SalesFiguresTests
{
    [Fact]
    public void Segment_scatter_draws_every_store_week()
    {
        var (y, X, sample) = TestSupport.Panel(Mixtures.Domain.Simulate.SalesSimulator.RandomTruth(2, 3), 12, 9, 3);
        var input = new SalesInput("panel.csv", Enumerable.Range(1, 12).Select(i => $"S{i}").ToImmutableArray(), sample.Prices.ToImmutableArray(), y);
        var estimates = SalesModel.EstimateMany([1, 2], y, X, 3, 1).Value().ToList();
        var charts = SalesFigures.Charts(input, estimates, 2);
        Assert.Equal(["criteria", "segments"], charts.Select(c => c.Name));
        Assert.Equal(12 * 9, charts[1].Marks);
        Assert.Equal(4, charts[0].Marks);
        foreach (var c in charts) ImageCheck.AssertPng(c.Png, c.Width, c.Height);
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
