using System.Collections.Immutable;
using System.CommandLine;
using System.Text.RegularExpressions;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Grading;
using Mixtures.Domain.Model;
using Mixtures.Data;
using Mixtures.Shell.Output;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Commands;

/// <summary>
/// <c>mixtures grade &lt;results.json | folder&gt; --data &lt;data.csv | folder&gt;</c>: grades submissions of the
/// sales assignment against the grader's own reference fits (shell: read, <see cref="Grader.Grade"/>, print, write).
/// </summary>
public static partial class GradeCommand
{
    public sealed record Settings(
        string Submission, string Data, double Tol = 1e-4, double LogLTol = 1e-2, double ParamTol = 1e-3, string Ks = "2,3,4",
        int RefStarts = GradingReference.DefaultStarts, ulong Seed = 1, string? Out = null, bool Details = false, bool Quiet = false, bool Explain = false,
        string? Feedback = null);

    /// <summary>Largest K the reference is estimated for (higher reported K are listed as not graded).</summary>
    public const int MaxReferenceK = 10;

    public static Command Build()
    {
        var submission = new Argument<string?>("submission") { Description = "A results.json, or a folder: every *.json below it (except *.truth.json) is one submission.", Arity = ArgumentArity.ZeroOrOne };
        var data = new Option<string?>("--data") { Description = "The data file the submissions were made on (its number is the student's), or a folder of <student number>.csv files matched to the number in each submission's path. Required unless --explain." };
        var tol = new Option<double>("--tol") { Description = "Relative tolerance of the reported log-likelihood and BIC against their formulas (|a - b| <= tol max(1, |b|)); absolute for sum(pi) = 1.", DefaultValueFactory = _ => 1e-4 };
        var llTol = new Option<double>("--ll-tol") { Description = "Absolute tolerance (log-likelihood units) for reaching the reference maximum.", DefaultValueFactory = _ => 1e-2 };
        var paramTol = new Option<double>("--param-tol") { Description = "Absolute tolerance for alpha, beta and pi against the reference after matching segments.", DefaultValueFactory = _ => 1e-3 };
        var k = new Option<string>("--k") { Description = "The K values the assignment asks for (a missing one fails its checks).", DefaultValueFactory = _ => "2,3,4" };
        var refStarts = new Option<int>("--ref-starts") { Description = "Random starts per K of the reference fits (split starts from K-1 are added).", DefaultValueFactory = _ => GradingReference.DefaultStarts };
        var seed = new Option<ulong>("--seed") { Description = "Master seed of the reference starts.", DefaultValueFactory = _ => 1 };
        var output = new Option<string?>("--out") { Description = "Write grades.csv here: one row per submission (atomically; only on success)." };
        var details = new Option<bool>("--details") { Description = "Print every submission's table of checks (the default for a single submission)." };
        var quiet = new Option<bool>("--quiet") { Description = "Print nothing (use with --out)." };
        var explain = new Option<bool>("--explain") { Description = "Print each check, its formula and its tolerance (with the tolerances given) and exit; needs no submission or data." };
        var feedback = new Option<string?>("--feedback") { Description = "Write feedback into this folder (created if missing; its parent must exist): one Markdown file per submission for its student (<student>.md: what is right, what is wrong and its likely cause, the numbers to compare) and summary.html for the instructor (scores, most common mistakes). Written only when grading succeeds, in one go with --out." };
        var cmd = new Command("grade",
            "Grade sales-model submissions (K = 2, 3, 4: theta, pi, log-likelihood, BIC): per K, pi sums to 1, the log-likelihood matches the " +
            "submission's own parameters, BIC = (3K - 1) ln(N T) - 2 logL, the maximum is reached, the parameters match the reference after " +
            "matching segments; and the K chosen by BIC. The reference is the best of many EM starts at tolerance 1e-10.")
        {
            submission, data, tol, llTol, paramTol, k, refStarts, seed, output, details, quiet, explain, feedback,
        };
        cmd.Options.Add(ThreadsOption.Create());
        cmd.SetAction(r => Run(new Settings(r.GetValue(submission) ?? "", r.GetValue(data) ?? "", r.GetValue(tol), r.GetValue(llTol), r.GetValue(paramTol), r.GetValue(k)!,
            r.GetValue(refStarts), r.GetValue(seed), r.GetValue(output), r.GetValue(details), r.GetValue(quiet), r.GetValue(explain),
            r.GetValue(feedback))));
        return cmd;
    }

    public static int Run(Settings s) => Cli.Run(() =>
        from ks in Cli.ParseKs(s.Ks)
        from _ in Cli.Check(
            (s.Tol > 0 && double.IsFinite(s.Tol), $"--tol must be positive (got {s.Tol})"),
            (s.LogLTol > 0 && double.IsFinite(s.LogLTol), $"--ll-tol must be positive (got {s.LogLTol})"),
            (s.ParamTol > 0 && double.IsFinite(s.ParamTol), $"--param-tol must be positive (got {s.ParamTol})"),
            (s.RefStarts >= 1, $"--ref-starts must be at least 1 (got {s.RefStarts})"))
        from code in s.Explain ? LanguageExt.Fin<int>.Succ(Explain(s, ks)) : Grade(s, ks)
        select code);

    private static int Explain(Settings s, IReadOnlyList<int> ks)
    {
        foreach (var line in GradingExplanation.Lines(new GradingOptions(s.Tol, s.LogLTol, s.ParamTol, [.. ks]), s.RefStarts)) Console.WriteLine(line);
        return ExitCodes.Ok;
    }

    private static LanguageExt.Fin<int> Grade(Settings s, IReadOnlyList<int> ks) =>
        from _s in Cli.Check(
            (s.Submission.Length > 0, "grade needs a submission (a results.json or a folder); see --help, or --explain for the checks"),
            (s.Data.Length > 0, "grade needs --data (the data file or a folder of <student number>.csv files)"))
        from __ in File.Exists(s.Data) || Directory.Exists(s.Data)
            ? LanguageExt.Fin<LanguageExt.Unit>.Succ(unit)
            : LanguageExt.Fin<LanguageExt.Unit>.Fail(Failure.NoInput($"{s.Data}: data file or folder not found"))
        let inputs = Inputs(s)
        from _o in Outputs.Check(inputs, [Outputs.To("--out", s.Out)], [Outputs.To("--feedback", s.Feedback)])
        from _f in GradeFeedback.Check(s.Feedback, s.Submission, s.Data)
        from rows in Directory.Exists(s.Submission)
            ? GradeFolder(s, new GradingOptions(s.Tol, s.LogLTol, s.ParamTol, [.. ks]))
            : GradeOne(s, new GradingOptions(s.Tol, s.LogLTol, s.ParamTol, [.. ks]))
        from ___ in Outputs.Commit([.. Outputs.When(s.Out, o => new PendingFile(o, st => GradeOutput.WriteCsv(st, rows))), .. GradeFeedback.Files(s.Feedback, rows)],
            inputs, GradeFeedback.Folders(s.Feedback))
        select Finish(s, rows);

    private static int Finish(Settings s, IReadOnlyList<GradeRow> rows)
    {
        if (!s.Quiet && s.Out is not null) Console.WriteLine($"grades written to {s.Out}");
        if (!s.Quiet && s.Feedback is not null) Console.WriteLine($"feedback written to {s.Feedback}");
        return ExitCodes.Ok;
    }

    /// <summary>One submission: anything that stops grading is the command's error (one line, non-zero exit).</summary>
    private static LanguageExt.Fin<IReadOnlyList<GradeRow>> GradeOne(Settings s, GradingOptions options)
    {
        if (!File.Exists(s.Submission)) return LanguageExt.Fin<IReadOnlyList<GradeRow>>.Fail(Failure.NoInput($"{s.Submission}: submission file or folder not found"));
        var name = Path.GetFileName(s.Submission);
        var cache = new Dictionary<string, LanguageExt.Fin<(SalesInput Input, GradingReference Reference)>>();
        var (student, resolved) = ResolveData(s.Data, s.Submission);
        return from submission in SubmissionJson.Read(s.Submission, s.Submission)
               from data in resolved
               from refd in Reference(data, MaxK(options, [submission]), s, cache)
               let report = Grader.Grade(submission, refd.Reference, refd.Input.LogSales, SalesModel.Design(refd.Input.Prices), options)
               select Print(s, refd.Reference, (IReadOnlyList<GradeRow>)[new GradeRow(name, student, data, report, null)], single: true);
    }

    /// <summary>Every file the command reads (submissions and data files), which no output may replace.</summary>
    private static List<string> Inputs(Settings s)
    {
        var inputs = new List<string>();
        if (Directory.Exists(s.Submission)) inputs.AddRange(Submissions(Path.GetFullPath(s.Submission), []).Select(f => Path.Combine(s.Submission, f)));
        else inputs.Add(s.Submission);
        if (Directory.Exists(s.Data)) inputs.AddRange(SafeFiles(s.Data, "*.csv"));
        else inputs.Add(s.Data);
        return inputs;
    }

    private static IEnumerable<string> SafeFiles(string dir, string pattern)
    {
        try { return Directory.EnumerateFiles(dir, pattern).ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
    }

    /// <summary>The submissions (*.json but not *.truth.json) under <paramref name="root"/>, as paths relative to it in
    /// ordinal order. Linked folders are not followed (a link loop would grade one file many times); a folder that
    /// cannot be read is skipped and named in <paramref name="skipped"/>.</summary>
    public static List<string> Submissions(string root, List<string> skipped)
    {
        var found = new List<string>();
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            try
            {
                found.AddRange(Directory.EnumerateFiles(dir, "*.json").Where(f => !f.EndsWith(".truth.json", StringComparison.OrdinalIgnoreCase)));
                foreach (var sub in Directory.EnumerateDirectories(dir))
                {
                    if (new DirectoryInfo(sub).LinkTarget is not null) { skipped.Add($"{Path.GetRelativePath(root, sub)} (a link; not followed)"); continue; }
                    pending.Push(sub);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                skipped.Add($"{Path.GetRelativePath(root, dir)} (cannot be read)");
            }
        }
        return found.Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>A folder: every submission gets a row; what stops one submission is written in its row.</summary>
    private static LanguageExt.Fin<IReadOnlyList<GradeRow>> GradeFolder(Settings s, GradingOptions options)
    {
        var root = Path.GetFullPath(s.Submission);
        var skipped = new List<string>();
        var files = Submissions(root, skipped);
        foreach (var k in skipped.Order(StringComparer.Ordinal)) Console.Error.WriteLine($"mixtures: note: {s.Submission}: skipped folder {k}");
        if (files.Count == 0) return LanguageExt.Fin<IReadOnlyList<GradeRow>>.Fail(Failure.NoInput($"{s.Submission}: no submissions (*.json) in the folder"));
        if (File.Exists(s.Data) && !SalesCsv.Read(s.Data).TryGet(out _, out var dataError)) return LanguageExt.Fin<IReadOnlyList<GradeRow>>.Fail(dataError);

        var read = files.Select(f =>
        {
            var (student, data) = ResolveData(s.Data, f);
            return (Name: f, Submission: SubmissionJson.Read(Path.Combine(root, f), f), Data: data, Student: student);
        }).ToList();
        // one reference per data file, estimated up to the largest K any of its submissions needs
        var maxK = read.Where(r => r.Data.IsSucc).GroupBy(r => r.Data.Value())
            .ToDictionary(g => g.Key, g => MaxK(options, g.Select(r => r.Submission).Where(x => x.IsSucc).Select(x => x.Value())));
        var cache = new Dictionary<string, LanguageExt.Fin<(SalesInput Input, GradingReference Reference)>>();
        var rows = new List<GradeRow>();
        GradingReference? last = null;
        foreach (var r in read)
        {
            var graded =
                from submission in r.Submission
                from data in r.Data
                from refd in Reference(data, maxK[data], s, cache)
                select (refd.Reference, Report: Grader.Grade(submission, refd.Reference, refd.Input.LogSales, SalesModel.Design(refd.Input.Prices), options));
            var dataPath = r.Data.IsSucc ? r.Data.Value() : null;
            if (graded.TryGet(out var g, out var e))
            {
                rows.Add(new GradeRow(r.Name, r.Student, dataPath, g.Report, null));
                last = g.Reference;
                if (s.Details && !s.Quiet) GradeOutput.PrintReport(g.Report, g.Reference);
            }
            else rows.Add(new GradeRow(r.Name, r.Student, dataPath, null, e.Message));
        }
        // with a folder of students' data files, a student with several result files: every one is graded and
        // flagged, never silently scored twice (with one data file every submission is on the same data)
        var flagged = rows.Where(r => r.Student is not null && Directory.Exists(s.Data)).GroupBy(r => r.Student!).Where(g => g.Count() > 1)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Submission).ToList());
        rows = [.. rows.Select(r => r.Student is { } st && flagged.TryGetValue(st, out var all) ? r with { Others = all.Where(x => x != r.Submission).ToList() } : r)];
        foreach (var (st, all) in flagged.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            Console.Error.WriteLine($"mixtures: note: student {st} has {all.Count} submissions ({string.Join(", ", all)}); each is graded and marked 'duplicate'");
        return LanguageExt.Fin<IReadOnlyList<GradeRow>>.Succ(Print(s, last, rows, single: false));
    }

    private static IReadOnlyList<GradeRow> Print(Settings s, GradingReference? reference, IReadOnlyList<GradeRow> rows, bool single)
    {
        if (s.Quiet) return rows;
        if (single && rows[0].Report is { } r && reference is not null) GradeOutput.PrintReport(r, reference);
        else GradeOutput.PrintSummary(rows);
        return rows;
    }

    private static int MaxK(GradingOptions options, IEnumerable<Submission> submissions) =>
        Math.Min(MaxReferenceK, options.Ks.Concat(submissions.SelectMany(x => x.Models.Select(m => m.K))).Max());

    private static LanguageExt.Fin<(SalesInput Input, GradingReference Reference)> Reference(string data, int maxK, Settings s,
        Dictionary<string, LanguageExt.Fin<(SalesInput Input, GradingReference Reference)>> cache)
    {
        var key = Path.GetFullPath(data);
        if (!cache.TryGetValue(key, out var r))
        {
            r = from input in SalesCsv.Read(data)
                // the reference fits of a data file are the slow part of grading: the progress line shows them (stderr, terminal only)
                from reference in ProgressDisplay.Run(s.Quiet, report => GradingReference.Compute(input.LogSales, SalesModel.Design(input.Prices), maxK, s.RefStarts, s.Seed,
                    GradingReference.DefaultOptions with { Progress = report }))
                select (input, reference);
            cache[key] = r;
        }
        return r;
    }

    [GeneratedRegex("[0-9]{4,}")]
    private static partial Regex DigitRun();

    /// <summary>
    /// The data file of a submission: --data itself when it is a file; otherwise &lt;data&gt;/&lt;n&gt;.csv for the
    /// last run of 4 or more digits n in the submission's path that has such a file. The student is that
    /// number; with one data file, the number in the data file's name (digits in the submission's path,
    /// such as a commit hash, are not a student number), or none.
    /// </summary>
    public static (string? Student, LanguageExt.Fin<string> Data) ResolveData(string data, string submissionPath)
    {
        if (File.Exists(data))
            return (DigitRun().Matches(Path.GetFileNameWithoutExtension(data)).Select(m => m.Value).LastOrDefault(), data);
        var runs = DigitRun().Matches(Path.ChangeExtension(submissionPath, null)).Select(m => m.Value).ToList();
        var student = runs.LastOrDefault();
        if (runs.Count == 0)
            return (null, LanguageExt.Fin<string>.Fail(Failure.Data($"{submissionPath}: no student number (4 or more digits) in the path to find its data in {data}")));
        for (var i = runs.Count - 1; i >= 0; i--)
        {
            var candidate = Path.Combine(data, runs[i] + ".csv");
            if (File.Exists(candidate)) return (runs[i], candidate);
        }
        return (student, LanguageExt.Fin<string>.Fail(Failure.NoInput($"{submissionPath}: no data file {Path.Combine(data, student + ".csv")}")));
    }
}
