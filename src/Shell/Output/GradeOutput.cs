using System.Globalization;
using CsvHelper;
using Mixtures.Domain.Grading;
using Spectre.Console;

namespace Mixtures.Shell.Output;

/// <summary>One graded (or ungradable) submission.</summary>
/// <param name="Submission">Its path relative to the graded folder (or its file name).</param>
/// <param name="Student">The student number found in the path, if any.</param>
/// <param name="Data">The data file it was graded on.</param>
/// <param name="Report">The grade, or null when it could not be graded.</param>
/// <param name="Error">Why it could not be graded.</param>
public sealed record GradeRow(string Submission, string? Student, string? Data, GradeReport? Report, string? Error)
{
    public string Status => Report is not null ? "graded" : "not graded";
}

/// <summary>Console tables and the grades CSV of <c>mixtures grade</c>.</summary>
public static class GradeOutput
{
    private static string F(double? v, string fmt = "G10") => v is { } x ? x.ToString(fmt, CultureInfo.InvariantCulture) : "";

    /// <summary>The table of checks of one submission, its findings, problems and score.</summary>
    public static void PrintReport(GradeReport r, GradingReference reference)
    {
        var console = AnsiConsole.Console;
        var t = new Table()
            .Title(Markup.Escape($"{r.Submission}: score {F(r.Score, "0.0")}% ({r.Passed}/{r.Total} checks passed)"))
            .AddColumns("check", "result", "value", "reference", "difference", "tolerance", "detail");
        foreach (var c in r.Checks)
            t.AddRow(new Text(c.Label), new Markup(c.Passed ? "[green]pass[/]" : "[red]FAIL[/]"), new Text(F(c.Value)), new Text(F(c.Reference)),
                new Text(F(c.Difference, "G3")), new Text(F(c.Tolerance, "G3")), new Text(c.Detail));
        t.Caption(Markup.Escape($"reference: best of {reference.Starts} random + split starts per K, tol {F(reference.Options.Tolerance, "G3")}, seed {reference.Seed}; " +
                                $"N = {reference.Stores}, T = {reference.Weeks}; BIC = (3K - 1) ln(N T) - 2 logL, lowest at K = {r.ReferenceK}"));
        console.Write(t);
        if (r.Findings.Length > 0)
        {
            console.MarkupLine("[yellow]degenerate or suspicious:[/]");
            foreach (var f in r.Findings) console.WriteLine($"  - {f}");
        }
        if (r.Problems.Length > 0)
        {
            console.MarkupLine("[yellow]could not read:[/]");
            foreach (var p in r.Problems) console.WriteLine($"  - {p}");
        }
    }

    /// <summary>One line per submission.</summary>
    public static void PrintSummary(IReadOnlyList<GradeRow> rows)
    {
        var t = new Table().Title("grades").AddColumns("submission", "student", "score", "passed", "chosen K", "reference K", "failed checks / why not graded");
        foreach (var row in rows)
        {
            var r = row.Report;
            t.AddRow(new Text(row.Submission), new Text(row.Student ?? ""), new Text(r is null ? "" : F(r.Score, "0.0")),
                new Text(r is null ? "" : $"{r.Passed}/{r.Total}"), new Text(F(r?.ChosenK)), new Text(r is null ? "" : F(r.ReferenceK)),
                new Text(r is null ? row.Error ?? "" : string.Join("; ", r.Failed)));
        }
        AnsiConsole.Console.Write(t);
    }

    /// <summary>Columns of the grades CSV.</summary>
    public static readonly string[] Header =
        ["submission", "student", "data", "status", "score", "passed", "checks", "chosen_k", "reference_k", "failed_checks", "findings", "problems"];

    /// <summary>Writes the grades CSV (one row per submission; lists within a cell separated by " | ").</summary>
    public static void WriteCsv(Stream stream, IReadOnlyList<GradeRow> rows)
    {
        using var w = CsvWriter.Create(stream, new CsvWriterOptions { NewLine = "\n" }, leaveOpen: true);
        w.WriteHeader(Header);
        foreach (var row in rows)
        {
            var r = row.Report;
            w.WriteRecord(
            [
                row.Submission, row.Student ?? "", row.Data ?? "", row.Status,
                r is null ? "" : F(r.Score, "0.0"), r is null ? "" : F(r.Passed), r is null ? "" : F(r.Total),
                F(r?.ChosenK), r is null ? "" : F(r.ReferenceK),
                r is null ? "" : string.Join(" | ", r.Failed),
                r is null ? "" : string.Join(" | ", r.Findings),
                r is null ? row.Error ?? "" : string.Join(" | ", r.Problems),
            ]);
        }
        w.Flush();
    }
}
