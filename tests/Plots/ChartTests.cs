using Mixtures.Shell.Output;
using Mixtures.Shell.Output.Plots;

namespace Mixtures.Tests.Plots;

/// <summary>Every chart renders to PNG and SVG files of the stated size; scatter plots draw one marker per row.</summary>
public class ChartTests
{
    private static void AssertWritten(Chart chart)
    {
        var dir = TestSupport.TempDir();
        Assert.True(ChartFiles.Write(Path.Combine(dir, "plots"), [chart]).IsSucc);
        ImageCheck.AssertPngFile(Path.Combine(dir, "plots", chart.Name + ".png"), chart.Width, chart.Height);
        ImageCheck.AssertSvgFile(Path.Combine(dir, "plots", chart.Name + ".svg"), chart.Width, chart.Height);
        Assert.Equal(Chart.DefaultWidth, chart.Width);
        Assert.Equal(Chart.DefaultHeight, chart.Height);
        Assert.False(string.IsNullOrWhiteSpace(chart.Title));
        Assert.False(string.IsNullOrWhiteSpace(chart.Caption));
    }

    [Fact]
    public void Criterion_chart_draws_BIC_and_AIC_for_each_admissible_K()
    {
        var chart = CriterionChart.Render([new(1, 100, 95), new(2, 80, 70), new(3, 85, 68), new(4, null, null)], 2, "lowest BIC", "classes");
        AssertWritten(chart);
        Assert.Equal(6, chart.Marks);
        Assert.Contains("K = 2", chart.Title);
    }

    [Fact]
    public void Class_scatter_draws_one_marker_per_row_and_a_line_per_class()
    {
        var rng = new Random(1);
        var n = 257;
        var x = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        var cls = Enumerable.Range(0, n).Select(i => i % 3).ToArray();
        var y = x.Select((v, i) => cls[i] + v * (cls[i] - 1) + rng.NextDouble() * 0.1).ToArray();
        var chart = ClassScatterChart.Render("scatter", "y against x", "caption", "x", "y", x, y, cls, ["a", "b", "c"],
            [new ClassLine(0, "a", 0, -1), new ClassLine(1, "b", 1, 0), new ClassLine(2, "c", 2, 1)]);
        AssertWritten(chart);
        Assert.Equal(n, chart.Marks);
    }

    [Fact]
    public void Trace_chart_draws_every_iteration()
    {
        var trace = Enumerable.Range(1, 40).Select(i => -100 + 50 * (1 - Math.Exp(-i / 5.0))).ToArray();
        var chart = TraceChart.Render(trace, "log-likelihood trace", "caption");
        AssertWritten(chart);
        Assert.Equal(40, chart.Marks);
    }

    [Fact]
    public void Confidence_chart_draws_every_row_in_its_band()
    {
        var rng = new Random(2);
        var n = 300;
        var x = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        var conf = Enumerable.Range(0, n).Select(i => 0.5 + 0.5 * (i % 10) / 9.0).ToArray();
        var chart = ConfidenceChart.Render("confidence", "confidence", "caption", "PC1", "PC2", x, y, conf, 0.8);
        AssertWritten(chart);
        Assert.Equal(n, chart.Marks);
    }

    [Fact]
    public void Histogram_counts_every_value_in_Sturges_bins()
    {
        var values = Enumerable.Range(0, 500).Select(i => Math.Sin(i) * 10).ToArray();
        var chart = HistogramChart.Render("hist-x", "x", values, "caption");
        AssertWritten(chart);
        Assert.Equal(HistogramChart.Bins(500), chart.Marks);
        Assert.Equal(10, HistogramChart.Bins(500));
    }

    [Fact]
    public void Grouped_bars_draw_one_bar_per_series_and_group_and_leave_gaps_for_missing_values()
    {
        var chart = GroupedBarChart.Render("bars", "MAE", "caption", "MAE", ["all", "A", "B"], ["m1", "m2"],
            [[1.0, 2.0, 3.0], [1.5, null, 2.5]]);
        AssertWritten(chart);
        Assert.Equal(5, chart.Marks);
    }

    [Fact]
    public void The_same_plot_drawn_again_after_other_plots_gives_the_same_SVG()
    {
        Chart Draw() => TraceChart.Render(Enumerable.Range(1, 30).Select(i => -10.0 / i).ToArray(), "trace", "caption");
        var first = Draw();
        GroupedBarChart.Render("other", "t", "c", "y", ["a"], ["s"], [[1.0]]);
        var again = Draw();
        // Skia numbers clip paths with a counter that lives as long as the process; the ids are renumbered per plot
        Assert.Equal(first.Svg, again.Svg);
        Assert.True(first.Png.AsSpan().SequenceEqual(again.Png));
        var ids = System.Xml.Linq.XDocument.Parse(first.Svg).Descendants().Select(e => (string?)e.Attribute("id")).OfType<string>().ToList();
        Assert.Equal(Enumerable.Range(1, ids.Count).Select(i => $"cl_{i}"), ids);
        var uses = System.Text.RegularExpressions.Regex.Matches(first.Svg, @"url\(#([^)]+)\)");
        Assert.NotEmpty(uses);
        Assert.All(uses, m => Assert.Contains(m.Groups[1].Value, ids));
    }

    [Fact]
    public void Writing_into_a_folder_whose_parent_is_missing_is_refused_up_front()
    {
        var dir = TestSupport.TempDir();
        Assert.True(Outputs.Check([], [], [Outputs.To("--plots", Path.Combine(dir, "no", "plots"))]).IsFail);
        Assert.True(Outputs.Check([], [], [Outputs.To("--plots", Path.Combine(dir, "plots"))]).IsSucc);
    }

    [Fact]
    public void Criterion_chart_draws_degenerate_K_hollow_and_says_whether_they_were_excluded()
    {
        CriterionPoint[] points = [new(1, 100, 95), new(2, 80, 70), new(3, 60, 50, Degenerate: true, Excluded: true), new(4, 70, 60, Degenerate: true)];
        var chart = CriterionChart.Render(points, 2, "lowest BIC among sound fits", "clusters");
        AssertWritten(chart);
        Assert.Equal(8, chart.Marks);
        var texts = ImageCheck.SvgTexts(chart.Svg);
        Assert.Contains("degenerate (excluded): K = 3", texts);
        Assert.Contains("degenerate (allowed to compete): K = 4", texts);
        Assert.Contains("selected K = 2 (lowest BIC among sound fits)", texts);
        Assert.Contains("K = 3", chart.Caption);
        // K = 3 is hollow grey (BIC circle, AIC square) and so is its legend entry
        var grey = "#" + CriterionChart.Excluded.ToHex()[1..7];
        Assert.Equal(3, Hollow(chart.Svg, grey));
        var sound = CriterionChart.Render([new(1, 100, 95), new(2, 80, 70)], 2, "lowest BIC", "clusters");
        Assert.Equal(0, Hollow(sound.Svg, grey));
        Assert.DoesNotContain(ImageCheck.SvgTexts(sound.Svg), t => t.StartsWith("degenerate"));
    }

    [Fact]
    public void Criterion_chart_draws_ICL_when_it_is_given()
    {
        var chart = CriterionChart.Render([new(1, 100, 95, 101), new(2, 80, 70, 85)], 2, "lowest ICL", "clusters");
        AssertWritten(chart);
        Assert.Equal(6, chart.Marks);
        Assert.StartsWith("BIC, AIC and ICL against K", chart.Title);
    }

    /// <summary>Unfilled markers stroked in <paramref name="colour"/> (#RRGGBB).</summary>
    private static int Hollow(string svg, string colour) =>
        System.Xml.Linq.XDocument.Parse(svg).Descendants().Count(e => (string?)e.Attribute("fill") == "none"
            && string.Equals((string?)e.Attribute("stroke"), colour, StringComparison.OrdinalIgnoreCase) && e.Name.LocalName is "ellipse" or "rect");

    [Fact]
    public void A_scatter_of_any_size_draws_at_most_5000_points_the_same_ones_every_time_and_says_so()
    {
        var n = 60_000;
        var rng = new Random(5);
        var x = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        var cls = Enumerable.Range(0, n).Select(i => i % 2).ToArray();
        var chart = ClassScatterChart.Render("big", "y against x", "caption.", "x", "y", x, y, cls, ["a", "b"], unit: "rows");
        AssertWritten(chart);
        Assert.Equal(PlotSample.MaxMarkers, chart.Marks);
        Assert.EndsWith("(5,000 of 60,000 rows shown)", chart.Title);
        Assert.Contains("Only 5,000 of the 60,000 rows are drawn", chart.Caption);
        Assert.True(chart.Svg.Length < 1_000_000, $"SVG of {chart.Svg.Length} characters");
        var texts = ImageCheck.SvgTexts(chart.Svg);
        Assert.Contains(texts, t => t.StartsWith("a (") && t.EndsWith(" of 30,000 rows shown)"));
        Assert.Equal(chart, ClassScatterChart.Render("big", "y against x", "caption.", "x", "y", x, y, cls, ["a", "b"], unit: "rows"));
        // the confidence plot of the same points is capped the same way
        var confidence = ConfidenceChart.Render("conf", "c", "caption.", "x", "y", x, y, x.Select(v => 0.5 + v / 2).ToArray(), unit: "rows");
        Assert.Equal(PlotSample.MaxMarkers, confidence.Marks);
        Assert.EndsWith("(5,000 of 60,000 rows shown)", confidence.Title);
    }

    [Fact]
    public void The_sample_is_sorted_distinct_and_fixed_and_small_data_are_drawn_whole()
    {
        Assert.Equal(Enumerable.Range(0, 4000), PlotSample.Indices(4000));
        var a = PlotSample.Indices(50_000);
        Assert.Equal(PlotSample.MaxMarkers, a.Length);
        Assert.Equal(a.Order(), a);
        Assert.Equal(a.Length, a.Distinct().Count());
        Assert.All(a, i => Assert.InRange(i, 0, 49_999));
        Assert.Equal(a, PlotSample.Indices(50_000));
        // spread over the whole range, not the first 5,000 rows: each tenth of the rows holds about a tenth of the sample
        for (var d = 0; d < 10; d++)
            Assert.InRange(a.Count(i => i / 5000 == d), 400, 600);
        var spaced = PlotSample.Spaced(20_001);
        Assert.Equal(PlotSample.MaxMarkers, spaced.Length);
        Assert.Equal(0, spaced[0]);
        Assert.Equal(20_000, spaced[^1]);
    }

    [Fact]
    public void A_long_trace_is_drawn_at_evenly_spaced_iterations()
    {
        var trace = Enumerable.Range(1, 30_000).Select(i => -100 + 50 * (1 - Math.Exp(-i / 500.0))).ToArray();
        var chart = TraceChart.Render(trace, "log-likelihood trace", "caption.");
        AssertWritten(chart);
        Assert.Equal(PlotSample.MaxMarkers, chart.Marks);
        Assert.Contains("5,000 of the 30,000 iterations", chart.Caption);
        Assert.True(chart.Svg.Length < 500_000);
    }
}
