using System.Globalization;
using System.Text.RegularExpressions;
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
public sealed partial record Chart(string Name, string Title, string Caption, int Width, int Height, int Marks, byte[] Png, string Svg)
{
    public const int DefaultWidth = 800;
    public const int DefaultHeight = 600;

    /// <summary>Titles and renders a finished plot.</summary>
    internal static Chart Render(string name, string title, string caption, Plot plot, int marks, int width = DefaultWidth, int height = DefaultHeight)
    {
        plot.Title(title);
        var png = plot.GetImageBytes(width, height, ImageFormat.Png);
        var svg = StableIds(plot.GetSvgXml(width, height));
        plot.Dispose();
        return new Chart(name, title, caption, width, height, marks, png, svg);
    }

    /// <summary>
    /// The SVG with its element ids (Skia's clip paths, cl_&lt;hex&gt;) renumbered from 1 in order of appearance. Skia
    /// numbers them with a counter that lives as long as the process, so the same plot would get other ids after other
    /// plots were drawn: renumbered, a plot's SVG depends on the plot alone.
    /// </summary>
    internal static string StableIds(string svg)
    {
        var ids = new Dictionary<string, string>();
        foreach (Match m in SvgId().Matches(svg))
            if (!ids.ContainsKey(m.Groups[1].Value))
                ids[m.Groups[1].Value] = m.Groups[2].Value + "_" + (ids.Count + 1).ToString(CultureInfo.InvariantCulture);
        return ids.Count == 0 ? svg : SvgIdUse().Replace(svg, m => ids.TryGetValue(m.Value, out var id) ? id : m.Value);
    }

    [GeneratedRegex(@"\bid=""(([A-Za-z]+)_[0-9a-f]+)""")]
    private static partial Regex SvgId();

    [GeneratedRegex(@"(?<=\bid=""|url\(#|href=""#)[A-Za-z]+_[0-9a-f]+(?=["")])")]
    private static partial Regex SvgIdUse();

    /// <summary>Markers drawn by point-only scatter plottables (lines without markers do not count).</summary>
    internal static int CountMarkers(Plot plot) =>
        plot.GetPlottables<ScottPlot.Plottables.Scatter>().Where(s => s.MarkerSize > 0 && s.LineWidth == 0).Sum(s => s.Data.GetScatterPoints().Count);

    public bool Equals(Chart? o) => o is not null && Name == o.Name && Png.AsSpan().SequenceEqual(o.Png) && Svg == o.Svg;
    public override int GetHashCode() => HashCode.Combine(Name, Png.Length, Svg.Length);
}
