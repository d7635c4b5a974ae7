using ScottPlot;

namespace Mixtures.Shell.Output.Plots;

/// <summary>The distribution of one column.</summary>
public static class HistogramChart
{
    /// <summary>Sturges' rule: ceil(log2 n) + 1 bins, between 5 and 50.</summary>
    public static int Bins(int n) => Math.Clamp((int)Math.Ceiling(Math.Log2(Math.Max(1, n))) + 1, 5, 50);

    public static Chart Render(string name, string column, IReadOnlyList<double> values, string caption)
    {
        var plot = new Plot();
        var bins = Bins(values.Count);
        var lo = values.Min();
        var hi = values.Max();
        if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
        // The last edge is nudged up so the maximum falls inside the last bin rather than counting as an outlier.
        var hist = ScottPlot.Statistics.Histogram.WithBinCount(bins, lo, hi + (hi - lo) * 1e-9);
        hist.AddRange(values);
        var bars = plot.Add.Histogram(hist, ChartPalette.Of(0));
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"{column} ({values.Count} rows, {bins} bins)", FillColor = ChartPalette.Of(0) });
        plot.Axes.Margins(bottom: 0);
        plot.XLabel(column);
        plot.YLabel("rows");
        plot.ShowLegend(Alignment.UpperRight);
        return Chart.Render(name, $"Distribution of {column}", caption, plot, bars.Bars.Length);
    }
}
