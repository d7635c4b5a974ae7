using ScottPlot;

namespace Mixtures.Shell.Output.Plots;

/// <summary>Bars grouped along the horizontal axis, one bar per series in each group.</summary>
public static class GroupedBarChart
{
    /// <param name="groups">Group labels (horizontal axis).</param>
    /// <param name="series">Series names (legend), one colour each.</param>
    /// <param name="values">values[series][group]; null leaves a gap.</param>
    public static Chart Render(string name, string title, string caption, string yLabel,
        IReadOnlyList<string> groups, IReadOnlyList<string> series, IReadOnlyList<IReadOnlyList<double?>> values)
    {
        if (values.Count != series.Count || values.Any(v => v.Count != groups.Count)) throw new ArgumentException("values must be series x groups");
        var plot = new Plot();
        var bars = new List<Bar>();
        var step = series.Count + 1;
        for (var g = 0; g < groups.Count; g++)
        for (var s = 0; s < series.Count; s++)
            if (values[s][g] is { } v && double.IsFinite(v))
                bars.Add(new Bar { Position = g * step + s, Value = v, FillColor = ChartPalette.Of(s) });
        var plottable = plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, groups.Count).Select(g => g * step + (series.Count - 1) / 2.0).ToArray(), groups.ToArray());
        plot.Legend.ManualItems.AddRange(series.Select((s, i) => new LegendItem { LabelText = s, FillColor = ChartPalette.Of(i) }));
        plot.Axes.Margins(bottom: 0);
        plot.YLabel(yLabel);
        plot.ShowLegend(Edge.Bottom);
        return Chart.Render(name, title, caption, plot, plottable.Bars.Count);
    }
}
