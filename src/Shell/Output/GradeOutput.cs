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
/// <param name="Others">The other submissions of the same student in the graded folder (flagged, never silently scored twice).</param>
public sealed record GradeRow(string Submission, string? Student, string? Data, GradeReport? Report, string? Error, IReadOnlyList<string>? Others = null)
{
    /// <summary>"graded", "duplicate" (graded, but the student has other submissions) or "not graded".</summary>
    public string Status => Report is null ? "not graded" : Others is { Count: > 0 } ? "duplicate" : "graded";

    /// <summary>The sentence flagging the student's other submissions, or null.</summary>
    public string? DuplicateNote => Others is { Count: > 0 } o ? $"student {Student} also submitted {string.Join(", ", o)}: only one should count" : null;
}

/// <summary>Console tables and the grades CSV of <c>mixtures grade</c>.</summary>
public static class GradeOutput
{
    private static string F(double? v, string fmt = "G10") => v is { } x ? x.ToString(fmt, CultureInfo.InvariantCulture) : "";

    /// <summary>The reference's description (the caption of a report).</summary>
    private static string ReferenceLine(GradeReport r, GradingReference reference) =>
        $"reference: best of {reference.Starts} random + split starts per K, tol {F(reference.Options.Tolerance, "G3")}, seed {reference.Seed}; " +
        $"N = {reference.Stores}, T = {reference.Weeks}; BIC = (3K - 1) ln(N T) - 2 logL, lowest at K = {r.ReferenceK}";

    /// <summary>
    /// The checks of one submission, its findings, problems and score: a table on a terminal; plain lines
    /// (never wrapped inside a sentence) when <paramref name="plain"/>, the default when stdout is redirected.
    /// </summary>
    public static void PrintReport(GradeReport r, GradingReference reference, bool? plain = null)
    {
        var title = $"{r.Submission}: score {F(r.Score, "0.0")}% ({r.Passed}/{r.Total} checks passed)";
        if (plain ?? Console.IsOutputRedirected)
        {
            var w = Console.Out;
            w.WriteLine(title);
            foreach (var c in r.Checks)
            {
                var numbers = string.Join(", ", new[]
                {
                    c.Value is { } v ? $"value {F(v)}" : null, c.Reference is { } rf ? $"reference {F(rf)}" : null,
                    c.Difference is { } d ? $"difference {F(d, "G3")}" : null, c.Tolerance is { } t ? $"tolerance {F(t, "G3")}" : null,
                }.Where(x => x is not null));
                w.WriteLine($"  {(c.Passed ? "pass" : "FAIL")}  {c.Label}: {c.Detail}{(numbers.Length > 0 ? $" [{numbers}]" : "")}");
            }
            w.WriteLine($"  {ReferenceLine(r, reference)}");
            PrintLists(r, heading => w.WriteLine(heading), w.WriteLine);
            return;
        }
        var console = AnsiConsole.Console;
        var table = new Table()
            .Title(Markup.Escape(title))
            .AddColumns("check", "result", "value", "reference", "difference", "tolerance", "detail");
        foreach (var c in r.Checks)
            table.AddRow(new Text(c.Label), new Markup(c.Passed ? "[green]pass[/]" : "[red]FAIL[/]"), new Text(F(c.Value)), new Text(F(c.Reference)),
                new Text(F(c.Difference, "G3")), new Text(F(c.Tolerance, "G3")), new Text(c.Detail));
        table.Caption(Markup.Escape(ReferenceLine(r, reference)));
        TableLayout.Write(console, table);
        PrintLists(r, heading => console.MarkupLine($"[yellow]{heading}[/]"), console.WriteLine);
    }

    /// <summary>The findings and the problems under their headings, one "  - " line each.</summary>
    private static void PrintLists(GradeReport r, Action<string> heading, Action<string> line)
    {
        if (r.Findings.Length > 0)
        {
            heading("degenerate or suspicious:");
            foreach (var f in r.Findings) line($"  - {f.Text}");
        }
        if (r.Problems.Length > 0)
        {
            heading("could not read:");
            foreach (var p in r.Problems) line($"  - {p}");
        }
    }

    /// <summary>One line per submission: a table on a terminal, tab-free plain lines when redirected.</summary>
    public static void PrintSummary(IReadOnlyList<GradeRow> rows, bool? plain = null)
    {
        string Failed(GradeRow row) => row.Report is { } r ? string.Join("; ", r.Failed.Concat(row.DuplicateNote is { } dn ? [dn] : [])) : row.Error ?? "";
        if (plain ?? Console.IsOutputRedirected)
        {
            foreach (var row in rows)
            {
                var r = row.Report;
                var head = r is null ? "not graded" : $"score {F(r.Score, "0.0")}% ({r.Passed}/{r.Total}), chosen K {F(r.ChosenK)}, reference K {F(r.ReferenceK)}";
                var student = row.Student is null ? "" : $" (student {row.Student})";
                var rest = Failed(row);
                Console.Out.WriteLine($"{row.Submission}{student}: {head}{(rest.Length > 0 ? (r is null ? ": " : "; failed: ") + rest : "")}");
            }
            return;
        }
        var t = new Table().Title("grades").AddColumns("submission", "student", "score", "passed", "chosen K", "reference K", "failed checks / why not graded");
        foreach (var row in rows)
        {
            var r = row.Report;
            t.AddRow(new Text(row.Submission), new Text(row.Student ?? ""), new Text(r is null ? "" : F(r.Score, "0.0")),
                new Text(r is null ? "" : $"{r.Passed}/{r.Total}"), new Text(F(r?.ChosenK)), new Text(r is null ? "" : F(r.ReferenceK)),
                new Text(Failed(row)));
        }
        TableLayout.Write(AnsiConsole.Console, t);
    }

    /// <summary>Columns of the grades CSV.</summary>
    public static readonly string[] Header =
        ["submission", "student", "data", "status", "score", "passed", "checks", "chosen_k", "reference_k", "failed_checks", "causes", "findings", "problems"];

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
                r is null ? "" : string.Join(" | ", r.Causes),
                r is null ? "" : string.Join(" | ", r.Findings),
                r is null ? row.Error ?? "" : string.Join(" | ", r.Problems.Concat(row.DuplicateNote is { } dn ? [dn] : [])),
            ]);
        }
        w.Flush();
    }
}
