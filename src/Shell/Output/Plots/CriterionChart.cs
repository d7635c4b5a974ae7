using ScottPlot;

namespace Mixtures.Shell.Output.Plots;

/// <summary>BIC and AIC against K with the selected K marked.</summary>
public static class CriterionChart
{
    /// <param name="points">One entry per K fitted.</param>
    /// <param name="selectedK">The K chosen.</param>
    /// <param name="criterion">How it was chosen (e.g. "lowest BIC").</param>
    /// <param name="components">What K counts ("segments", "classes", "clusters").</param>
    public static Chart Render(IReadOnlyList<CriterionPoint> points, int selectedK, string criterion, string components, string name = "criteria")
    {
        var plot = new Plot();
        var marks = 0;
        void Series(string label, Func<CriterionPoint, double?> value, int color, MarkerShape shape)
        {
            var ok = points.Where(p => value(p) is { } v && double.IsFinite(v)).ToArray();
            if (ok.Length == 0) return;
            var s = plot.Add.Scatter(ok.Select(p => (double)p.K).ToArray(), ok.Select(p => value(p)!.Value).ToArray(), ChartPalette.Of(color));
            s.LegendText = label;
            s.MarkerSize = 8;
            s.MarkerShape = shape;
            s.LineWidth = 2;
            marks += ok.Length;
        }
        Series("BIC = -2 log L + k ln n", p => p.Bic, 0, MarkerShape.FilledCircle);
        Series("AIC = -2 log L + 2k", p => p.Aic, 1, MarkerShape.FilledSquare);
        var line = plot.Add.VerticalLine(selectedK, 2, Colors.Gray, LinePattern.Dashed);
        line.LegendText = $"selected K = {selectedK} ({criterion})";
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            points.Select(p => (double)p.K).ToArray(), points.Select(p => p.K.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        if (points.Count > 0) plot.Axes.SetLimitsX(points.Min(p => p.K) - 0.5, points.Max(p => p.K) + 0.5);
        plot.XLabel($"K (number of {components})");
        plot.YLabel("criterion (lower is better)");
        plot.ShowLegend(Alignment.UpperRight);
        return Chart.Render(name, $"BIC and AIC against K: K = {selectedK} selected",
            $"Each point is the best fit with K {components}; lower is better. The dashed line marks the K used ({criterion}).",
            plot, marks);
    }
}
