using Mixtures.Domain;
using System.Globalization;
using System.Text;
using LanguageExt;
using Mixtures.Domain.Em;
using Mixtures.Domain.Grading;
using Mixtures.Data;
using Mixtures.Shell.Output.Plots;
using Mixtures.Shell.Output.Reports;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Output;

/// <summary>
/// <c>mixtures grade ... --feedback DIR</c>: one Markdown file per submission, written for the student
/// (what is right, what is wrong and its likely cause, the numbers to compare), and a class summary
/// <c>summary.html</c> for the instructor. Everything is text from the grades and the data files' sizes:
/// the same inputs give the same bytes.
/// </summary>
public static class GradeFeedback
{
    /// <summary>The class summary's file name in the feedback folder.</summary>
    public const string SummaryFile = "summary.html";

    private static string F(double? v, string fmt = "G10") => v is { } x ? x.ToString(fmt, CultureInfo.InvariantCulture) : "";
    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    private static string Score(double v) => F(v, "0.0");

    /// <summary>Refuses a feedback folder that is the submissions' or the data's folder (the folder checks of
    /// <see cref="Outputs.Check"/> refuse a file, a missing parent and a folder that cannot be written).</summary>
    public static Fin<Unit> Check(string? feedback, params string[] inputs)
    {
        if (feedback is null) return unit;
        var full = Outputs.Canonical(Path.TrimEndingDirectorySeparator(Path.GetFullPath(feedback)));
        foreach (var input in inputs.Where(Directory.Exists))
            if (Outputs.Canonical(Path.TrimEndingDirectorySeparator(Path.GetFullPath(input))) == full)
                return FinFail<Unit>(Failure.Usage($"--feedback {feedback}: is the input folder {input}; choose another folder (nothing written)"));
        return unit;
    }

    /// <summary>The folders the feedback goes into (created by the commit when missing).</summary>
    public static IEnumerable<string> Folders(string? feedback) => feedback is null ? [] : [feedback];

    /// <summary>The feedback files (one per row, then the summary), for <see cref="Outputs.Commit"/>; none without --feedback.</summary>
    public static IReadOnlyList<PendingFile> Files(string? feedback, IReadOnlyList<GradeRow> rows)
    {
        if (feedback is null) return [];
        var names = Names(rows);
        var sizes = new Dictionary<string, (int Stores, int Weeks)?>(StringComparer.Ordinal);
        (int Stores, int Weeks)? Size(string? data)
        {
            if (data is null) return null;
            if (!sizes.TryGetValue(data, out var size))
                sizes[data] = size = SalesCsv.Read(data).TryGet(out var input, out _) ? (input.Stores, input.Weeks) : null;
            return size;
        }
        var files = rows.Select((row, i) => PendingFile.Text(Path.Combine(feedback, names[i]), Markdown(row, Size(row.Data)))).ToList();
        files.Add(PendingFile.Text(Path.Combine(feedback, SummaryFile), HtmlReport.Render(Summary(rows, names))));
        return files;
    }

    /// <summary>
    /// The feedback file names, one per row: <c>&lt;student&gt;.md</c> when the student is known, else the
    /// submission's path with slashes as underscores. Names shared by several rows (compared ignoring case)
    /// become <c>&lt;name&gt;_&lt;submission file stem&gt;.md</c>, then <c>&lt;name&gt;_&lt;submission path&gt;.md</c>,
    /// then get a number; a name is never the same as another row's.
    /// </summary>
    public static IReadOnlyList<string> Names(IReadOnlyList<GradeRow> rows)
    {
        var bases = rows.Select(r => r.Student is { Length: > 0 } s ? Safe(s) : PathStem(r.Submission)).ToList();
        var names = new string[rows.Count];
        var taken = new System.Collections.Generic.HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // unique bases first, so that a disambiguated name never takes a name another row has by right
        var counts = bases.GroupBy(b => b, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < rows.Count; i++)
            if (counts[bases[i]] == 1) { names[i] = bases[i]; taken.Add(bases[i]); }
        var shared = Enumerable.Range(0, rows.Count).Where(i => names[i] is null).ToList();
        string[][] candidates = [.. shared.Select(i => new[]
        {
            $"{bases[i]}_{Safe(Path.GetFileNameWithoutExtension(rows[i].Submission.Replace('\\', '/')))}",
            $"{bases[i]}_{PathStem(rows[i].Submission)}",
        })];
        // a candidate is used when no other sharing row proposes the same one at that level and it is free
        var pending = Enumerable.Range(0, shared.Count).ToList();
        for (var level = 0; level < 2 && pending.Count > 0; level++)
        {
            var lv = level;
            var proposed = pending.GroupBy(j => candidates[j][lv], StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
            foreach (var j in pending.ToList())
            {
                var c = candidates[j][lv];
                if (proposed[c] == 1 && taken.Add(c)) { names[shared[j]] = c; pending.Remove(j); }
            }
        }
        foreach (var j in pending)
        {
            var n = 2;
            while (!taken.Add($"{candidates[j][1]}_{I(n)}")) n++;
            names[shared[j]] = $"{candidates[j][1]}_{I(n)}";
        }
        return [.. names.Select(n => n + ".md")];
    }

    /// <summary>The submission's path without its extension, with folder separators as underscores.</summary>
    private static string PathStem(string submission)
    {
        var p = submission.Replace('\\', '/');
        var ext = Path.GetExtension(p);
        return Safe((ext.Length > 0 ? p[..^ext.Length] : p).Trim('/').Replace('/', '_'));
    }

    /// <summary>A file-name part: characters that are not allowed in a file name on common systems become '_'.</summary>
    private static string Safe(string s)
    {
        var b = new StringBuilder(s.Length);
        foreach (var ch in s) b.Append(char.IsControl(ch) || "/\\:*?\"<>|".Contains(ch) ? '_' : ch);
        var r = b.ToString().Trim(' ', '.');
        return r.Length == 0 ? "submission" : r;
    }

    /// <summary>Text where Markdown would see emphasis or code: '*', '`' and '\' escaped.</summary>
    private static string Md(string s) => s.Replace("\\", "\\\\").Replace("*", "\\*").Replace("`", "\\`");

    /// <summary>A name in a code span (backticks as long as needed).</summary>
    private static string Code(string s)
    {
        var fence = "`";
        while (s.Contains(fence)) fence += "`";
        var pad = s.StartsWith('`') || s.EndsWith('`') ? " " : "";
        return $"{fence}{pad}{s}{pad}{fence}";
    }

    private static string Cell(string s) => Md(s).Replace("|", "\\|");

    private static string Heading(GradeRow row) =>
        $"# Feedback on {Code(row.Submission)}{(row.Student is { } st ? $" (student {Md(st)})" : "")}";

    private static string DataLine(GradeRow row, (int Stores, int Weeks)? size)
    {
        if (row.Data is null) return "";
        var file = Code(Path.GetFileName(row.Data));
        return size is { } s
            ? $"Graded on the data file {file}: N = {I(s.Stores)} stores, T = {I(s.Weeks)} weeks (n = N T = {I(s.Stores * s.Weeks)} observations)."
            : $"Graded on the data file {file}.";
    }

    /// <summary>The Markdown feedback for one submission (for the student).</summary>
    public static string Markdown(GradeRow row, (int Stores, int Weeks)? size)
    {
        var w = new StringBuilder();
        void L(string line = "") => w.Append(line).Append('\n');
        L(Heading(row));
        L();
        if (row.Report is not { } r)
        {
            if (DataLine(row, size) is { Length: > 0 } dl) { L(dl); L(); }
            L("This submission could not be graded:");
            L();
            L($"> {Md((row.Error ?? "unknown reason").ReplaceLineEndings(" "))}");
            L();
            L("## What to fix");
            L();
            L(Fix(row.Error ?? ""));
            return w.ToString();
        }
        if (DataLine(row, size) is { Length: > 0 } d) { L(d); L(); }
        L($"**Score: {Score(r.Score)}%** ({I(r.Passed)} of {I(r.Total)} checks passed).");
        L();
        if (row.DuplicateNote is { } note) { L($"Note: {Md(note)}."); L(); }

        L("## What is right");
        L();
        var passed = r.Checks.Where(c => c.Passed).ToList();
        if (passed.Count == 0) { L("No check passed."); L(); }
        foreach (var group in passed.GroupBy(c => c.K).OrderBy(g => g.Key is null).ThenBy(g => g.Key))
        {
            L(group.Key is { } k ? $"### K = {I(k)}" : "### Choice of K");
            L();
            foreach (var c in group) L($"- {Md(Capital(c.Name))}: {Md(c.Detail)}.");
            L();
        }

        L("## What is wrong");
        L();
        var failed = r.Checks.Where(c => !c.Passed).ToList();
        if (failed.Count == 0) { L("Nothing: every check passed."); L(); }
        foreach (var c in failed)
        {
            L($"### {Md(c.Label)}");
            L();
            L($"{Md(Capital(c.Detail))}.");
            L();
            if (Numbers(c) is { Length: > 0 } numbers) { L(numbers); L(); }
            if (c.Cause is { } cause && Mistakes.Of(cause).Advice is { Length: > 0 } advice) { L($"Likely cause in your code: {Md(advice)}"); L(); }
        }

        if (r.Findings.Length > 0)
        {
            L("## Also noticed");
            L();
            foreach (var group in r.Findings.GroupBy(f => f.Cause))
            {
                foreach (var f in group) L($"- {Md(f.Text)}.");
                L();
                if (Mistakes.Of(group.Key).Advice is { Length: > 0 } advice) { L($"Likely cause in your code: {Md(advice)}"); L(); }
            }
        }

        if (r.Problems.Length > 0)
        {
            L("## Could not be read");
            L();
            foreach (var p in r.Problems) L($"- {Md(p)}.");
            L();
        }

        L("## Numbers to compare");
        L();
        foreach (var k in r.Checks.Where(c => c.K is not null).Select(c => c.K!.Value).Distinct().Order())
        {
            CheckResult? Of(CheckKind kind) => r.Checks.FirstOrDefault(c => c.K == k && c.Kind == kind);
            var consistent = Of(CheckKind.LogLikelihoodConsistent);
            var maximum = Of(CheckKind.ReachesMaximum);
            var bic = Of(CheckKind.BicFormula);
            L($"### K = {I(k)}");
            L();
            L("| quantity | value |");
            L("|---|---:|");
            L($"| your log-likelihood | {N(consistent?.Value)} |");
            L($"| LogL at your theta and pi | {N(consistent?.Reference)} |");
            L($"| reference maximum | {N(maximum?.Reference)} |");
            L($"| your BIC | {N(bic?.Value)} |");
            L($"| BIC = (3K - 1) ln(N T) - 2 log L from your log-likelihood | {N(bic?.Reference)} |");
            L();
        }
        L("### Choice of K");
        L();
        L("| quantity | K |");
        L("|---|---:|");
        L($"| your K (stated, or your lowest BIC) | {N(r.ChosenK)} |");
        L($"| reference K (lowest reference BIC) | {I(r.ReferenceK)} |");
        return w.ToString();
    }

    private static string N(double? v) => v is { } x ? F(x) : "not available";

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    /// <summary>"Your number: ...; compared with: ..." for a failed check with numbers.</summary>
    private static string Numbers(CheckResult c)
    {
        var parts = new List<string>();
        if (c.Value is { } v) parts.Add($"your number {F(v)}");
        if (c.Reference is { } rf) parts.Add($"compared with {F(rf)}");
        if (c.Difference is { } d) parts.Add($"difference {F(d, "G3")}");
        if (c.Tolerance is { } t) parts.Add($"tolerance {F(t, "G3")}");
        return parts.Count == 0 ? "" : $"({string.Join(", ", parts)})";
    }

    /// <summary>What to do about an ungradable submission, from the reason it could not be graded.</summary>
    private static string Fix(string error)
    {
        if (error.Contains("JSON", StringComparison.OrdinalIgnoreCase))
            return "Hand in one valid JSON file in the layout of the assignment, for example " +
                   "`{\"K\": [2, 3, 4], \"Theta\": [...], \"Pi\": [...], \"Log Likelihood\": [...], \"BIC\": [...]}` " +
                   "(write it with a JSON library rather than by hand), and check that it opens in a JSON viewer.";
        if (error.Contains("student number", StringComparison.OrdinalIgnoreCase))
            return "Put your student number in the file or folder name of your submission (for example `results_609948.json`), so that it is graded on your data.";
        if (error.Contains("data file", StringComparison.OrdinalIgnoreCase))
            return "Check that the student number in your submission's name is yours: there is no data file for it. Ask your instructor if it is.";
        return "Fix the problem above and hand in the submission again; ask your instructor if it is unclear.";
    }

    /// <summary>The class summary for the instructor.</summary>
    public static ReportDocument Summary(IReadOnlyList<GradeRow> rows, IReadOnlyList<string> names)
    {
        var graded = rows.Where(r => r.Report is not null).ToList();
        var scores = graded.Select(r => r.Report!.Score).ToList();
        var duplicates = rows.Count(r => r.Status == "duplicate");
        var mean = scores.Count == 0 ? (double?)null : scores.Average();
        var median = scores.Count == 0 ? (double?)null : Median(scores);
        string S(double? v) => v is { } x ? Score(x) : "none graded";
        var summary =
            $"{rows.Count} submission{(rows.Count == 1 ? "" : "s")}: {graded.Count} graded, {rows.Count - graded.Count} not graded" +
            (duplicates > 0 ? $", {duplicates} flagged as one student's several submissions" : "") +
            (mean is not null ? $"; mean score {S(mean)}%, median {S(median)}%." : ".") +
            " Each submission's feedback for its student is the Markdown file named in the last table.";
        var facts = new List<(string, string)>
        {
            ("submissions", I(rows.Count)),
            ("graded", I(graded.Count)),
            ("not graded", I(rows.Count - graded.Count)),
            ("duplicates", I(duplicates)),
            ("mean score", mean is null ? S(mean) : $"{S(mean)}%"),
            ("median score", median is null ? S(median) : $"{S(median)}%"),
        };
        var sections = new List<ReportSection>();
        if (scores.Count > 0)
            sections.Add(new ReportSection("Scores", [
                new ReportParagraph("The score is the share of passed checks, every check weighing the same."),
                new ReportFigure(ScoreChart.Render("scores", scores,
                    "Graded submissions per score bin of 10 points (a score of 100 counts in 90-100).")),
            ]));
        sections.Add(new ReportSection("Most common mistakes", [MistakeTable(graded)]));
        sections.Add(new ReportSection("Submissions", [
            new ReportTable("Every submission, with its feedback file",
                ["submission", "student", "status", "score", "failed checks / why not graded", "feedback file"],
                rows.Select((row, i) => (IReadOnlyList<string>)[
                    row.Submission, row.Student ?? "", row.Status, row.Report is { } r ? Score(r.Score) : "",
                    row.Report is { } rr ? string.Join("; ", rr.Failed) : row.Error ?? "", names[i]]).ToList()),
        ]));
        return new ReportDocument("Grades: class summary", summary, facts, sections);
    }

    private static double Median(List<double> scores)
    {
        var s = scores.Order().ToList();
        var m = s.Count / 2;
        return s.Count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    /// <summary>Mistakes by the number of graded submissions naming them (then by title), with the first example.</summary>
    private static ReportBlock MistakeTable(IReadOnlyList<GradeRow> graded)
    {
        var seen = new Dictionary<string, (int Count, string Example)>(StringComparer.Ordinal);
        foreach (var row in graded)
        {
            var r = row.Report!;
            foreach (var cause in r.Causes)
            {
                if (seen.TryGetValue(cause, out var e)) { seen[cause] = (e.Count + 1, e.Example); continue; }
                var example = r.Checks.FirstOrDefault(c => !c.Passed && c.Cause == cause) is { } c
                    ? $"{row.Submission}: {c.Label}: {c.Detail}"
                    : $"{row.Submission}: {r.Findings.First(f => f.Cause == cause).Text}";
                seen[cause] = (1, example);
            }
        }
        if (seen.Count == 0)
            return new ReportParagraph(graded.Count == 0 ? "No submission was graded." : "No graded submission has a failed check or a finding.");
        var rows = seen.Select(kv => (Mistake: Mistakes.Of(kv.Key), kv.Value.Count, kv.Value.Example))
            .OrderByDescending(x => x.Count).ThenBy(x => x.Mistake.Title, StringComparer.OrdinalIgnoreCase).ThenBy(x => x.Mistake.Title, StringComparer.Ordinal).ThenBy(x => x.Mistake.Cause, StringComparer.Ordinal)
            .Select(x => (IReadOnlyList<string>)[x.Mistake.Title, x.Mistake.Cause, I(x.Count), $"{F(100.0 * x.Count / graded.Count, "0.0")}%", x.Example])
            .ToList();
        return new ReportTable($"Mistakes named in the {graded.Count} graded submission{(graded.Count == 1 ? "" : "s")} (a submission counts once per mistake)",
            ["mistake", "key", "submissions", "share of graded", "example"], rows);
    }
}
