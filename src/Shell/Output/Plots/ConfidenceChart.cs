using System.Globalization;
using ScottPlot;

namespace Mixtures.Shell.Output.Plots;

/// <summary>Points coloured by assignment confidence (the largest posterior probability), low-confidence points highlighted;
/// at most <see cref="PlotSample.MaxMarkers"/> points are drawn (the same subset as <see cref="ClassScatterChart"/> draws of the same points).</summary>
public static class ConfidenceChart
{
    /// <summary>Bands: [0.95, 1], [threshold, 0.95) and below the threshold (highlighted: larger red markers).</summary>
    /// <param name="confidence">max_k W[i,k] of each point.</param>
    /// <param name="threshold">Confidence below which a point is highlighted (e.g. 0.8).</param>
    /// <param name="unit">What a point is, plural ("rows"), for the legend and the note on sampling.</param>
    public static Chart Render(string name, string title, string caption, string xLabel, string yLabel,
        IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<double> confidence, double threshold = 0.8, string unit = "points")
    {
        if (x.Count != y.Count || x.Count != confidence.Count) throw new ArgumentException("x, y and confidence need one entry per point");
        var drawn = PlotSample.Indices(x.Count);
        var sampled = drawn.Length < x.Count;
        var plot = new Plot();
        var t = threshold.ToString("0.##", CultureInfo.InvariantCulture);
        var upper = Math.Max(threshold, 0.95);
        var bands = new (string Label, Func<double, bool> In, Color Color, float Size)[]
        {
            ($"confidence >= {upper.ToString("0.##", CultureInfo.InvariantCulture)}", c => c >= upper, new Color(160, 190, 220), 4f),
            ($"{t} <= confidence < {upper.ToString("0.##", CultureInfo.InvariantCulture)}", c => c >= threshold && c < upper, new Color(31, 119, 180), 5f),
            ($"low confidence < {t}", c => c < threshold, new Color(214, 39, 40), 8f),
        };
        foreach (var band in bands)
        {
            var total = confidence.Count(band.In);
            var idx = drawn.Where(i => band.In(confidence[i])).ToArray();
            if (idx.Length == 0) continue;
            var s = plot.Add.ScatterPoints(idx.Select(i => x[i]).ToArray(), idx.Select(i => y[i]).ToArray(), band.Color);
            s.MarkerSize = band.Size;
            s.LegendText = $"{band.Label} ({(sampled ? PlotSample.Shown(idx.Length, total, unit) : PlotSample.Count(total) + " " + unit)})";
        }
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Edge.Bottom);
        return Chart.Render(name, sampled ? $"{title} ({PlotSample.Shown(drawn.Length, x.Count, unit)})" : title,
            sampled ? caption + PlotSample.Caption(drawn.Length, x.Count, unit) : caption, plot, Chart.CountMarkers(plot));
    }
}
