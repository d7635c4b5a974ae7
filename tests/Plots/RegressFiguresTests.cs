using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Regression;
using Mixtures.Data;
using Mixtures.Shell.Output;

namespace Mixtures.Tests.Plots;

/// <summary>The plots and report of <c>mixtures regress</c>.</summary>
public class RegressFiguresTests
{
    private static readonly string Example = Path.Combine(TestSupport.RepoRoot, "data", "regression.csv");

    [Fact]
    public void Class_scatter_draws_every_row_and_the_trace_every_iteration()
    {
        var columns = RegressionColumns.Parse("y", "x1,x2", null, false).Value();
        var input = RegressionInput.Read(Example, columns, null, false).Value();
        var path = LatentClassRegression.Estimate([1, 2, 3], input.Data(), new RegressionSettings(VarianceModel.PerClass, Starts: 2)).Value();
        var settings = new RegressionSettings(VarianceModel.PerClass, Starts: 2);
        var selected = path.Selected!;
        var charts = RegressFigures.Charts(input, settings, path, selected, SelectionCriterion.Bic);
        Assert.Equal(["criteria", "classes", "loglik-trace"], charts.Select(c => c.Name));
        Assert.Equal(input.Rows, charts[1].Marks);
        Assert.Equal(6, charts[0].Marks);
        Assert.Equal(selected.Estimate!.Best.Trace.Length, charts[2].Marks);
        Assert.Contains("means of x2", charts[1].Title);
        foreach (var c in charts) ImageCheck.AssertPng(c.Png, c.Width, c.Height);
    }

    [Fact]
    public void Regress_writes_its_plots_and_a_report_that_embeds_them()
    {
        var dir = TestSupport.TempDir();
        var plots = Path.Combine(dir, "plots");
        var report = Path.Combine(dir, "regress.html");
        var (code, stdout, err) = TestSupport.RunCli(["regress", Example, "--y", "y", "--x", "x1,x2", "--k", "1..3", "--starts", "2",
            "--plots", plots, "--report", report]);
        Assert.True(code == 0, err);
        Assert.Contains("plots written to", stdout);
        foreach (var name in new[] { "criteria", "classes", "loglik-trace" })
        {
            ImageCheck.AssertPngFile(Path.Combine(plots, name + ".png"), 800, 600);
            ImageCheck.AssertSvgFile(Path.Combine(plots, name + ".svg"), 800, 600);
        }
        var doc = ReportCheck.Parse(File.ReadAllText(report));
        Assert.Equal(["classes", "criteria", "loglik-trace"], ReportCheck.Images(doc).Keys.Order());
        Assert.Contains(doc.Descendants(ReportCheck.H + "caption"), c => c.Value.StartsWith("Coefficients per class"));
    }

    [Fact]
    public void A_report_in_a_missing_folder_is_refused_before_fitting()
    {
        var dir = TestSupport.TempDir();
        var (code, _, err) = TestSupport.RunCli(["regress", Example, "--y", "y", "--x", "x1,x2", "--report", Path.Combine(dir, "no", "r.html"),
            "--plots", Path.Combine(dir, "p")]);
        Assert.Equal(74, code); // an output that cannot be created (before any fitting)
        Assert.Contains("--report", err);
        Assert.False(Directory.Exists(Path.Combine(dir, "p")));
    }
}
