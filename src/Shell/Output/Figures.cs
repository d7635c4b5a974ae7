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

    /// <summary>Usage checks: the plots folder's parent and the report's folder exist, and the report is not another output.</summary>
    public static LanguageExt.Fin<LanguageExt.Unit> CheckOptions(string? plots, string? report, params string?[] otherOutputs)
    {
        var reportFolder = report is null ? null : Path.GetDirectoryName(Path.GetFullPath(report));
        return Cli.Check(
            (ChartFiles.Problem(plots) is null, ChartFiles.Problem(plots) ?? ""),
            (reportFolder is null || Directory.Exists(reportFolder), $"--report: the folder {reportFolder} does not exist"),
            (report is null || !Directory.Exists(report), $"--report: {report} is a folder; name the .html file to write"),
            (report is null || otherOutputs.All(o => o is null || Path.GetFullPath(o) != Path.GetFullPath(report)), "--report names the same file as another output"));
    }

    /// <summary>Renders the charts and the report page when asked for (nothing is written here).</summary>
    public static RenderedFigures Render(string? plots, string? report, Func<IReadOnlyList<Chart>> charts, Func<IReadOnlyList<Chart>, ReportDocument> document)
    {
        if (plots is null && report is null) return new RenderedFigures([], null);
        var c = charts();
        return new RenderedFigures(c, report is null ? null : HtmlReport.Render(document(c)));
    }

    /// <summary>Writes the plots and the report, each file atomically.</summary>
    public static LanguageExt.Fin<LanguageExt.Unit> Write(string? plots, string? report, RenderedFigures figures) =>
        from _ in plots is null ? LanguageExt.Fin<LanguageExt.Seq<string>>.Succ(LanguageExt.Seq<string>.Empty) : ChartFiles.Write(plots, figures.Charts)
        from __ in report is null ? LanguageExt.Fin<LanguageExt.Unit>.Succ(unit) : AtomicFile.WriteText(report, figures.Html!)
        select unit;

    /// <summary>Says where the plots and the report went.</summary>
    public static void PrintWritten(string? plots, string? report)
    {
        if (plots is not null) Console.WriteLine($"plots written to {plots}");
        if (report is not null) Console.WriteLine($"report written to {report}");
    }
}
