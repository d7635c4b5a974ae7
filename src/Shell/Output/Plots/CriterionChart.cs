using System.Globalization;
using ScottPlot;

namespace Mixtures.Shell.Output.Plots;

/// <summary>BIC and AIC (and ICL when it chooses) against K with the selected K marked and degenerate K drawn hollow.</summary>
public static class CriterionChart
{
    /// <summary>The colour of degenerate fits that are excluded from the choice of K.</summary>
    public static readonly Color Excluded = new(150, 150, 150);

    /// <param name="points">One entry per K fitted.</param>
    /// <param name="selectedK">The K chosen.</param>
    /// <param name="criterion">How it was chosen (e.g. "lowest BIC").</param>
    /// <param name="components">What K counts ("segments", "classes", "clusters").</param>
    /// <remarks>Sound fits are filled markers on each criterion's curve; a degenerate fit is a hollow marker, grey and joined
    /// to the curve by a dotted line only when its problems exclude it from the choice (so a degenerate K with a lower
    /// criterion is visibly no candidate), in the criterion's colour on the curve when it was allowed to compete. The
    /// dashed line marks the selected K.</remarks>
    public static Chart Render(IReadOnlyList<CriterionPoint> points, int selectedK, string criterion, string components, string name = "criteria")
    {
        var plot = new Plot();
        var marks = 0;
        var legend = new List<LegendItem>();
        var series = new List<string>();
        void Series(string label, Func<CriterionPoint, double?> value, int color, MarkerShape filled, MarkerShape open)
        {
            var ok = points.Where(p => value(p) is { } v && double.IsFinite(v)).ToArray();
            if (ok.Length == 0) return;
            series.Add(label[..3]);
            var colour = ChartPalette.Of(color);
            // dotted through every K, solid through the candidates only: a degenerate K hangs off the curve
            void Curve(CriterionPoint[] through, LinePattern pattern)
            {
                if (through.Length < 2) return;
                var curve = plot.Add.ScatterLine(through.Select(p => (double)p.K).ToArray(), through.Select(p => value(p)!.Value).ToArray(), colour);
                curve.LineWidth = 2;
                curve.LinePattern = pattern;
            }
            if (ok.Any(p => p.Excluded)) Curve(ok, LinePattern.Dotted);
            Curve(ok.Where(p => !p.Excluded).ToArray(), LinePattern.Solid);
            void Draw(IEnumerable<CriterionPoint> which, MarkerShape shape, Color c)
            {
                var w = which.ToArray();
                if (w.Length == 0) return;
                var m = plot.Add.Markers(w.Select(p => (double)p.K).ToArray(), w.Select(p => value(p)!.Value).ToArray(), shape, shape == filled ? 8 : 11, c);
                m.MarkerStyle.LineWidth = 2;
            }
            Draw(ok.Where(p => !p.Degenerate), filled, colour);
            Draw(ok.Where(p => p.Degenerate && !p.Excluded), open, colour);
            Draw(ok.Where(p => p.Degenerate && p.Excluded), open, Excluded);
            legend.Add(new LegendItem { LabelText = label, LineColor = colour, LineWidth = 2, MarkerShape = filled, MarkerSize = 8, MarkerFillColor = colour, MarkerLineColor = colour });
            marks += ok.Length;
        }
        var icl = points.Any(p => p.Icl is not null);
        Series("BIC = -2 log L + k ln n", p => p.Bic, 0, MarkerShape.FilledCircle, MarkerShape.OpenCircle);
        Series("AIC = -2 log L + 2k", p => p.Aic, 1, MarkerShape.FilledSquare, MarkerShape.OpenSquare);
        if (icl) Series("ICL = BIC - 2 sum_i log max_k W[i,k]", p => p.Icl, 2, MarkerShape.FilledTriangleUp, MarkerShape.OpenTriangleUp);
        var excluded = points.Where(p => p.Degenerate && p.Excluded).Select(p => p.K).ToList();
        var allowed = points.Where(p => p.Degenerate && !p.Excluded).Select(p => p.K).ToList();
        if (excluded.Count > 0)
            legend.Add(new LegendItem { LabelText = $"degenerate (excluded): K = {Ks(excluded)}", MarkerShape = MarkerShape.OpenCircle, MarkerSize = 11, MarkerLineColor = Excluded, MarkerLineWidth = 2 });
        if (allowed.Count > 0)
            legend.Add(new LegendItem { LabelText = $"degenerate (allowed to compete): K = {Ks(allowed)}", MarkerShape = MarkerShape.OpenCircle, MarkerSize = 11, MarkerLineColor = Colors.Black, MarkerLineWidth = 2 });
        plot.Add.VerticalLine(selectedK, 2, Colors.Gray, LinePattern.Dashed);
        legend.Add(new LegendItem { LabelText = $"selected K = {selectedK} ({criterion})", LineColor = Colors.Gray, LineWidth = 2, LinePattern = LinePattern.Dashed });
        plot.Legend.ManualItems.AddRange(legend);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            points.Select(p => (double)p.K).ToArray(), points.Select(p => p.K.ToString(CultureInfo.InvariantCulture)).ToArray());
        if (points.Count > 0) plot.Axes.SetLimitsX(points.Min(p => p.K) - 0.5, points.Max(p => p.K) + 0.5);
        plot.XLabel($"K (number of {components})");
        plot.YLabel("criterion (lower is better)");
        plot.ShowLegend(Alignment.UpperRight);
        var names = series.Count switch { 0 => "Criteria", 1 => series[0], 2 => $"{series[0]} and {series[1]}", _ => $"{string.Join(", ", series[..^1])} and {series[^1]}" };
        return Chart.Render(name, $"{names} against K: K = {selectedK} selected",
            $"Each point is the best fit with K {components}; lower is better. The dashed line marks the K used ({criterion})." +
            (excluded.Count > 0 ? $" Hollow grey markers are degenerate fits (K = {Ks(excluded)}, e.g. a collapsed component): they are excluded from the choice of K, however low their criterion." : "") +
            (allowed.Count > 0 ? $" Hollow markers are degenerate fits (K = {Ks(allowed)}) that were allowed to compete." : ""),
            plot, marks);
    }

    private static string Ks(IEnumerable<int> ks) => string.Join(", ", ks.Select(k => k.ToString(CultureInfo.InvariantCulture)));
}
