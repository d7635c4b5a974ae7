using ScottPlot;

namespace Mixtures.Shell.Output.Plots;

/// <summary>Points coloured by class, optionally with one line per class and one marked point per class; at most
/// <see cref="PlotSample.MaxMarkers"/> points are drawn (a fixed subset beyond that, said in the title and caption).</summary>
public static class ClassScatterChart
{
    /// <param name="x">Horizontal values, one per point.</param>
    /// <param name="y">Vertical values, one per point.</param>
    /// <param name="cls">Class of each point (0-based index into <paramref name="classNames"/>).</param>
    /// <param name="classNames">Legend text per class (the chart adds how many points the class has).</param>
    /// <param name="lines">Lines to draw across the range of x (null or empty for none).</param>
    /// <param name="centres">Points to mark with a large diamond, e.g. each class's estimate (null or empty for none; not counted as marks).</param>
    /// <param name="unit">What a point is, plural ("rows", "stores"), for the legend and the note on sampling.</param>
    public static Chart Render(string name, string title, string caption, string xLabel, string yLabel,
        IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<int> cls, IReadOnlyList<string> classNames,
        IReadOnlyList<ClassLine>? lines = null, IReadOnlyList<ClassPoint>? centres = null, string unit = "points")
    {
        if (x.Count != y.Count || x.Count != cls.Count) throw new ArgumentException("x, y and classes need one entry per point");
        var drawn = PlotSample.Indices(x.Count);
        var sampled = drawn.Length < x.Count;
        var plot = new Plot();
        var markerSize = drawn.Length > 1000 ? 3f : 5f;
        for (var c = 0; c < classNames.Count; c++)
        {
            var total = 0;
            for (var i = 0; i < cls.Count; i++) if (cls[i] == c) total++;
            var idx = drawn.Where(i => cls[i] == c).ToArray();
            if (idx.Length == 0) continue;
            var s = plot.Add.ScatterPoints(idx.Select(i => x[i]).ToArray(), idx.Select(i => y[i]).ToArray(), ChartPalette.Of(c).WithAlpha(0.6));
            s.MarkerSize = markerSize;
            s.LegendText = $"{classNames[c]} ({(sampled ? PlotSample.Shown(idx.Length, total, unit) : PlotSample.Count(total) + " " + unit)})";
        }
        if (lines is { Count: > 0 } && x.Count > 0)
        {
            var lo = x.Min();
            var hi = x.Max();
            foreach (var l in lines)
            {
                var line = plot.Add.Line(lo, l.Intercept + l.Slope * lo, hi, l.Intercept + l.Slope * hi);
                line.Color = ChartPalette.Of(l.Class);
                line.LineWidth = 3;
                line.LegendText = l.Label;
            }
        }
        foreach (var p in centres ?? [])
        {
            var m = plot.Add.Marker(p.X, p.Y, MarkerShape.FilledDiamond, 16, ChartPalette.Of(p.Class));
            m.MarkerStyle.OutlineColor = Colors.Black;
            m.MarkerStyle.OutlineWidth = 1.5f;
            m.LegendText = p.Label;
        }
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Edge.Bottom);
        return Chart.Render(name, sampled ? $"{title} ({PlotSample.Shown(drawn.Length, x.Count, unit)})" : title,
            sampled ? caption + PlotSample.Caption(drawn.Length, x.Count, unit) : caption, plot, Chart.CountMarkers(plot));
    }
}
