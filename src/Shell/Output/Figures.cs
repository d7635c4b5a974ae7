using System.CommandLine;
using Mixtures.Shell.Output.Plots;
using Mixtures.Shell.Output.Reports;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Output;

/// <summary>Plots and reports rendered in memory, written only after everything else succeeded.</summary>
/// <param name="Charts">The charts (empty when neither --plots nor --report was given).</param>
/// <param name="Html">The report page, or null without --report.</param>
public sealed record RenderedFigures(IReadOnlyList<Chart> Charts, string? Html);

/// <summary>The <c>--plots DIR</c> and <c>--report FILE</c> options shared by the fitting commands.</summary>
public static class Figures
{
    public static Option<string?> PlotsOption() => new("--plots")
    {
        Description = "Write the plots into this folder as PNG and SVG (created if missing; its parent must exist).",
    };

    public static Option<string?> ReportOption() => new("--report")
    {
        Description = "Write one self-contained HTML report (tables and embedded plots, no network needed) to this file.",
    };

    /// <summary>Renders the charts and the report page when asked for (nothing is written here). The report states the
    /// tool version and, when <paramref name="args"/> are given, the command line (no clock time: the same command on the same
    /// input gives the same bytes).</summary>
    /// <param name="args">The arguments typed after <c>mixtures</c> (<see cref="ReportProvenance.ProcessArguments"/>), or null when unknown.</param>
    public static RenderedFigures Render(string? plots, string? report, Func<IReadOnlyList<Chart>> charts, Func<IReadOnlyList<Chart>, ReportDocument> document,
        IReadOnlyList<string>? args = null)
    {
        if (plots is null && report is null) return new RenderedFigures([], null);
        var c = charts();
        return new RenderedFigures(c, report is null ? null : HtmlReport.Render(document(c) with { Made = ReportProvenance.Of(args) }));
    }

    /// <summary>The files of the plots and the report (written by <see cref="Outputs.Commit"/> with the command's other outputs).</summary>
    public static IEnumerable<PendingFile> Files(string? plots, string? report, RenderedFigures figures) =>
        (plots is null ? [] : ChartFiles.Files(plots, figures.Charts))
        .Concat(report is null ? [] : [PendingFile.Text(report, figures.Html!)]);

    /// <summary>The folders the plots go into (created by the commit when missing).</summary>
    public static IEnumerable<string> Folders(string? plots) => plots is null ? [] : [plots];

    /// <summary>Says where the plots and the report went.</summary>
    public static void PrintWritten(string? plots, string? report)
    {
        if (plots is not null) Console.WriteLine($"plots written to {plots}");
        if (report is not null) Console.WriteLine($"report written to {report}");
    }
}
