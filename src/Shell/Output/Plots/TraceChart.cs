using ScottPlot;

namespace Mixtures.Shell.Output.Plots;

/// <summary>The log-likelihood after every EM iteration of one run (at most <see cref="PlotSample.MaxMarkers"/> evenly
/// spaced iterations, the first and last among them, for longer runs).</summary>
public static class TraceChart
{
    public static Chart Render(IReadOnlyList<double> trace, string title, string caption, string name = "loglik-trace")
    {
        var plot = new Plot();
        var drawn = PlotSample.Spaced(trace.Count);
        var xs = drawn.Select(i => (double)(i + 1)).ToArray();
        var s = plot.Add.ScatterLine(xs, drawn.Select(i => trace[i]).ToArray(), ChartPalette.Of(0));
        s.LineWidth = 2;
        s.LegendText = "log L";
        if (trace.Count <= 60) s.MarkerSize = 4;
        plot.XLabel("EM iteration");
        plot.YLabel("log-likelihood");
        plot.ShowLegend(Alignment.LowerRight);
        if (drawn.Length < trace.Count)
            caption += $" {PlotSample.Count(drawn.Length)} of the {PlotSample.Count(trace.Count)} iterations are drawn, evenly spaced, the first and the last among them.";
        return Chart.Render(name, title, caption, plot, s.Data.GetScatterPoints().Count);
    }
}
