using System.Globalization;
using Mixtures.Domain.Model;
using Mixtures.Data;
using Mixtures.Shell.Output.Plots;

namespace Mixtures.Shell.Output;

/// <summary>The plots of <c>mixtures sales</c>.</summary>
public static class SalesFigures
{
    /// <summary>BIC/AIC against K (when several K were fitted) and log sales against log price at the selected K.</summary>
    public static IReadOnlyList<Chart> Charts(SalesInput input, IReadOnlyList<SalesEstimate> estimates, int selectedK)
    {
        var charts = new List<Chart>();
        if (estimates.Count > 1)
            charts.Add(CriterionChart.Render(estimates.Select(e => new CriterionPoint(e.K, e.Bic, e.Aic)).ToList(), selectedK, "lowest BIC", "segments"));
        charts.Add(Segments(input, estimates.Single(e => e.K == selectedK)));
        return charts;
    }

    /// <summary>Every store-week as a point (log p_t, log S_it), coloured by the store's most likely segment, with each segment's line alpha + beta log p.</summary>
    public static Chart Segments(SalesInput input, SalesEstimate e)
    {
        var T = input.Weeks;
        var N = input.Stores;
        var segment = new int[N];
        for (var i = 0; i < N; i++)
        for (var k = 1; k < e.K; k++)
            if (e.Best.W[i, k] > e.Best.W[i, segment[i]]) segment[i] = k;
        var x = new double[N * T];
        var y = new double[N * T];
        var cls = new int[N * T];
        for (var i = 0; i < N; i++)
        for (var t = 0; t < T; t++)
        {
            x[i * T + t] = Math.Log(input.Prices[t]);
            y[i * T + t] = input.LogSales[t, i];
            cls[i * T + t] = segment[i];
        }
        var names = Enumerable.Range(0, e.K).Select(c => $"segment {c + 1}: {segment.Count(s => s == c)} stores").ToList();
        var lines = e.Theta.Segments.Select((s, c) => new ClassLine(c,
            $"segment {c + 1}: log S = {F(s.Alpha)} {(s.Beta < 0 ? "-" : "+")} {F(Math.Abs(s.Beta))} log p", s.Alpha, s.Beta)).ToList();
        return ClassScatterChart.Render("segments", $"Log sales against log price, K = {e.K} segments",
            "One point per store and week, coloured by the store's most likely segment; each line is a segment's fitted demand curve alpha + beta log p.",
            "log price", "log sales", x, y, cls, names, lines);
    }

    private static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
}
