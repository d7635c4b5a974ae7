using ScottPlot;

namespace Mixtures.Shell.Output.Plots;

/// <summary>A rendered figure: PNG bytes and SVG text of one plot, with what a report needs to show it.</summary>
/// <param name="Name">File stem (name.png, name.svg).</param>
/// <param name="Title">The plot's title.</param>
/// <param name="Caption">One or two sentences saying how to read it.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Marks">Data marks drawn, counted from the plot itself: markers of scatter plots, bars of
/// bar charts and histograms, points of curves.</param>
/// <param name="Png">The PNG image.</param>
/// <param name="Svg">The SVG image.</param>
public sealed record Chart(string Name, string Title, string Caption, int Width, int Height, int Marks, byte[] Png, string Svg)
{
    public const int DefaultWidth = 800;
    public const int DefaultHeight = 600;

    /// <summary>Titles and renders a finished plot.</summary>
    internal static Chart Render(string name, string title, string caption, Plot plot, int marks, int width = DefaultWidth, int height = DefaultHeight)
    {
        plot.Title(title);
        var png = plot.GetImageBytes(width, height, ImageFormat.Png);
        var svg = plot.GetSvgXml(width, height);
        plot.Dispose();
        return new Chart(name, title, caption, width, height, marks, png, svg);
    }

    /// <summary>Markers drawn by point-only scatter plottables (lines without markers do not count).</summary>
    internal static int CountMarkers(Plot plot) =>
        plot.GetPlottables<ScottPlot.Plottables.Scatter>().Where(s => s.MarkerSize > 0 && s.LineWidth == 0).Sum(s => s.Data.GetScatterPoints().Count);

    public bool Equals(Chart? o) => o is not null && Name == o.Name && Png.AsSpan().SequenceEqual(o.Png) && Svg == o.Svg;
    public override int GetHashCode() => HashCode.Combine(Name, Png.Length, Svg.Length);
}
