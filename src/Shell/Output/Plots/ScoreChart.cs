using ScottPlot;

namespace Mixtures.Shell.Output.Plots;

/// <summary>How scores in percent are spread: ten bins of 10 points (0-10, ..., 90-100; 100 falls in the last).</summary>
public static class ScoreChart
{
    /// <summary>The bins' labels, lowest first.</summary>
    public static IReadOnlyList<string> Labels { get; } = [.. Enumerable.Range(0, 10).Select(b => $"{10 * b}-{10 * b + 10}")];

    /// <summary>Submissions per bin: [10b, 10b + 10) for b &lt; 9, [90, 100] for the last (scores are clamped to 0..100).</summary>
    public static int[] Counts(IEnumerable<double> scores)
    {
        var counts = new int[10];
        foreach (var s in scores.Where(double.IsFinite)) counts[Math.Clamp((int)Math.Floor(Math.Clamp(s, 0, 100) / 10), 0, 9)]++;
        return counts;
    }

    public static Chart Render(string name, IReadOnlyList<double> scores, string caption)
    {
        var counts = Counts(scores);
        var plot = new Plot();
        var bars = plot.Add.Bars(counts.Select((c, b) => new Bar { Position = b, Value = c, FillColor = ChartPalette.Of(0) }).ToList());
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, 10).Select(b => (double)b).ToArray(), [.. Labels]);
        plot.Axes.Margins(bottom: 0);
        plot.XLabel("score (%)");
        plot.YLabel("submissions");
        return Chart.Render(name, $"Scores of {scores.Count} graded submission{(scores.Count == 1 ? "" : "s")}", caption, plot, bars.Bars.Count(b => b.Value > 0));
    }
}
