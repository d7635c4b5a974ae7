using ScottPlot;

namespace Mixtures.Shell.Output.Plots;

/// <summary>The log-likelihood after every EM iteration of one run.</summary>
public static class TraceChart
{
    public static Chart Render(IReadOnlyList<double> trace, string title, string caption, string name = "loglik-trace")
    {
        var plot = new Plot();
        var xs = Enumerable.Range(1, trace.Count).Select(i => (double)i).ToArray();
        var s = plot.Add.ScatterLine(xs, trace.ToArray(), ChartPalette.Of(0));
        s.LineWidth = 2;
        s.LegendText = "log L";
        if (trace.Count <= 60) s.MarkerSize = 4;
        plot.XLabel("EM iteration");
        plot.YLabel("log-likelihood");
        plot.ShowLegend(Alignment.LowerRight);
        return Chart.Render(name, title, caption, plot, s.Data.GetScatterPoints().Count);
    }
}
