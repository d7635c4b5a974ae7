using ScottPlot;

namespace Mixtures.Shell.Output.Plots;

/// <summary>Colours by index (classes, segments, models): the Category10 palette, repeated beyond ten.</summary>
public static class ChartPalette
{
    private static readonly IPalette Palette = new ScottPlot.Palettes.Category10();

    public static Color Of(int index) => Palette.GetColor(index % Palette.Colors.Length);
}
