using ScottPlot;

namespace Mixtures.Shell.Output.Plots;

/// <summary>Points coloured by class, optionally with one line per class.</summary>
public static class ClassScatterChart
{
    /// <param name="x">Horizontal values, one per point.</param>
    /// <param name="y">Vertical values, one per point.</param>
    /// <param name="cls">Class of each point (0-based index into <paramref name="classNames"/>).</param>
    /// <param name="classNames">Legend text per class.</param>
    /// <param name="lines">Lines to draw across the range of x (null or empty for none).</param>
    public static Chart Render(string name, string title, string caption, string xLabel, string yLabel,
        IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<int> cls, IReadOnlyList<string> classNames,
        IReadOnlyList<ClassLine>? lines = null)
    {
        if (x.Count != y.Count || x.Count != cls.Count) throw new ArgumentException("x, y and classes need one entry per point");
        var plot = new Plot();
        var markerSize = x.Count > 5000 ? 2f : x.Count > 1000 ? 3f : 5f;
        for (var c = 0; c < classNames.Count; c++)
        {
            var idx = Enumerable.Range(0, x.Count).Where(i => cls[i] == c).ToArray();
            if (idx.Length == 0) continue;
            var s = plot.Add.ScatterPoints(idx.Select(i => x[i]).ToArray(), idx.Select(i => y[i]).ToArray(), ChartPalette.Of(c).WithAlpha(0.6));
            s.MarkerSize = markerSize;
            s.LegendText = $"{classNames[c]} ({idx.Length} points)";
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
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Edge.Bottom);
        return Chart.Render(name, title, caption, plot, Chart.CountMarkers(plot));
    }
}
