using Mixtures.Domain;
using System.CommandLine;
using System.Globalization;
using Mixtures.Domain.Em;
using Mixtures.Domain.Simulate;
using Mixtures.Data;
using Mixtures.Shell.Output;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Commands;

/// <summary><c>mixtures simulate sales</c>: write a simulated sales file and its truth, from a seed, a student number or a class list.</summary>
public static class SimulateCommand
{
    public sealed record SalesSettings(int Stores, int Weeks, int Segments, ulong Seed, string Out, bool Quiet);

    /// <summary>Per-student data: one <paramref name="Student"/> written to <paramref name="Out"/>, or every
    /// student of <paramref name="ClassList"/> written into <paramref name="OutDir"/>.</summary>
    /// <param name="Segments">The true K, or null to draw it (2..4) from each student number.</param>
    public sealed record StudentSettings(string? Student, string? ClassList, int Stores, int Weeks, int? Segments, string? Out, string OutDir, bool Quiet);

    /// <summary>Default folder of <c>--class-list</c> output.</summary>
    public const string DefaultOutDir = "data";

    public static Command Build()
    {
        var sim = new Command("simulate", "Write simulated data sets from a stated true model.");
        sim.Subcommands.Add(BuildSales());
        sim.Subcommands.Add(SimulateRegressionCommand.Build());
        sim.Subcommands.Add(SimulateCustomersCommand.Build());
        sim.Subcommands.Add(SimulateLtvCommand.Build());
        return sim;
    }

    private static Command BuildSales()
    {
        var stores = new Option<int>("--stores") { Description = "Number of stores N.", DefaultValueFactory = _ => 300 };
        var weeks = new Option<int>("--weeks") { Description = "Number of weeks T.", DefaultValueFactory = _ => 52 };
        var segments = new Option<string?>("--segments") { Description = "True number of segments K, or 'auto' to draw K in 2..4 from the seed or student number (default: 3 with --seed, auto with --student/--class-list)." };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of every random choice (truth, prices, segments, noise); default 1." };
        var student = new Option<string?>("--student") { Description = "Student number (digits): derive every random choice, and the true K unless --segments is given, from it." };
        var classList = new Option<string?>("--class-list") { Description = "CSV of student numbers (column 'student', 'student number' or 'id', or a single column): write <number>.csv for each into --out-dir." };
        var outDir = new Option<string>("--out-dir") { Description = "Folder for --class-list: <number>.csv for the students, truth/<number>.truth.json and truth/index.csv for the instructor.", DefaultValueFactory = _ => DefaultOutDir };
        var output = new Option<string?>("--out") { Description = "Output CSV, required with --seed or --student (with --class-list use --out-dir); the truth is written beside it as <name>.truth.json." };
        var quiet = new Option<bool>("--quiet") { Description = "Do not print the truth." };
        var cmd = new Command("sales",
            "Simulate a sales panel: alpha[c] = 2 + 1.5 c + U(-0.25,0.25), beta[c] ~ U(-3,-0.5), pi ~ normalised U(1,2), " +
            "p_t ~ U(1,3) rounded to cents, log S_it = alpha[c] + beta[c] log p_t + N(0,1).")
        {
            stores, weeks, segments, seed, student, classList, outDir, output, quiet,
        };
        cmd.SetAction(r => Dispatch(r.GetValue(stores), r.GetValue(weeks), r.GetValue(segments), r.GetValue(seed), r.GetValue(student),
            r.GetValue(classList), r.GetValue(outDir) ?? DefaultOutDir, r.GetValue(output), r.GetValue(quiet)));
        return cmd;
    }

    private static int Dispatch(int stores, int weeks, string? segments, ulong? seed, string? student, string? classList, string outDir, string? output, bool quiet)
    {
        if (!ParseSegments(segments).TryGet(out var parsed, out var error)) return Cli.Report(error);
        int? k = parsed.IsSome ? parsed.IfNone(0) : null;
        if (student is null && classList is null)
            return Cli.Run(() =>
                from _ in Cli.Check((output is not null, "--out is required (the CSV to write)"))
                select RunSales(new SalesSettings(stores, weeks, k ?? (segments is null ? 3 : StudentData.DrawK(seed ?? 1)), seed ?? 1, output!, quiet)));
        return Cli.Run(() =>
            from _ in Cli.Check(
                (seed is null, "--seed cannot be combined with --student or --class-list (the student number is the seed)"),
                (student is null || classList is null, "give either --student or --class-list, not both"),
                (classList is not null || output is not null, "--out is required with --student (e.g. --out data609948.csv)"),
                (classList is null || output is null, "--out names one file; with --class-list use --out-dir"))
            select RunStudents(new StudentSettings(student, classList, stores, weeks, k, output, outDir, quiet)));
    }

    /// <summary>"auto" or absent: None (draw K); otherwise an integer K.</summary>
    public static LanguageExt.Fin<LanguageExt.Option<int>> ParseSegments(string? text) =>
        text is null || text.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase)
            ? LanguageExt.Fin<LanguageExt.Option<int>>.Succ(None)
            : int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var k)
                ? LanguageExt.Fin<LanguageExt.Option<int>>.Succ(Some(k))
                : LanguageExt.Fin<LanguageExt.Option<int>>.Fail(Failure.Usage($"--segments: '{text}' is neither 'auto' nor a whole number"));


    /// <summary>Largest panel simulated (stores x weeks cells): about 0.8 GB of values, checked before anything is allocated.</summary>
    public const long MaxCells = 100_000_000;

    /// <summary>Most rows simulated by simulate regression, customers and ltv (checked before anything is allocated).</summary>
    public const int MaxRows = 50_000_000;

    /// <summary>The size check of a row count.</summary>
    public static (bool, string) RowsCheck(string option, int rows) => (rows <= MaxRows, $"{option} {rows:N0}: at most {MaxRows:N0} rows are simulated");

    private static (bool, string) SizeCheck(long stores, long weeks) =>
        (stores * weeks <= MaxCells, $"--stores x --weeks is {stores * weeks:N0} cells; at most {MaxCells:N0} are simulated (about {MaxCells * 8 / 1_000_000_000.0:0.#} GB of values)");

    public static int RunSales(SalesSettings s) => Cli.Run(() =>
        from _ in Cli.Check(
            (s.Stores >= 1, $"--stores must be at least 1 (got {s.Stores})"),
            (s.Weeks >= 3, $"--weeks must be at least 3 (got {s.Weeks})"),
            (s.Segments >= 1 && s.Segments <= s.Stores, $"--segments must be between 1 and the number of stores (got {s.Segments})"),
            SizeCheck(s.Stores, s.Weeks))
        let truthPath = SalesTruthJson.PathFor(s.Out)
        from _o in Outputs.Check([], [Outputs.To("--out", s.Out), Outputs.To("the truth file", truthPath)])
        let sample = SalesSimulator.Simulate(SalesSimulator.RandomTruth(s.Segments, s.Seed), s.Stores, s.Weeks, s.Seed)
        from __ in Outputs.Commit([new PendingFile(s.Out, st => SalesCsvWriter.Write(st, sample)), PendingFile.Text(truthPath, Json.Serialize(SalesTruthJson.From(sample)))])
        select Done(s, sample, truthPath));

    private static int Done(SalesSettings s, SalesSample sample, string truthPath)
    {
        if (!s.Quiet)
        {
            Console.WriteLine($"wrote {s.Out} ({sample.Stores} stores x {sample.Weeks} weeks) and {truthPath}");
            Console.WriteLine($"truth: K = {sample.Truth.K}, {sample.Truth.Theta}, {sample.Truth.Pi}");
        }
        return ExitCodes.Ok;
    }

    /// <summary>Data for one student (to --out, truth beside it) or for a class list (into --out-dir).</summary>
    public static int RunStudents(StudentSettings s) => Cli.Run(() =>
        from _ in Cli.Check(
            (s.Stores >= 1, $"--stores must be at least 1 (got {s.Stores})"),
            (s.Weeks >= 3, $"--weeks must be at least 3 (got {s.Weeks})"),
            (s.Segments is null || (s.Segments >= 1 && s.Segments <= s.Stores), $"--segments must be 'auto' or between 1 and the number of stores (got {s.Segments})"),
            (s.Segments is not null || s.Stores >= StudentData.MaxK, $"--stores must be at least {StudentData.MaxK} when K is drawn (got {s.Stores})"),
            SizeCheck(s.Stores, s.Weeks))
        from list in s.ClassList is not null
            ? ClassListCsv.Read(s.ClassList)
            : StudentNumber.Parse(s.Student).Match(
                Succ: n => LanguageExt.Fin<ClassList>.Succ(new ClassList([n], [])),
                Fail: e => LanguageExt.Fin<ClassList>.Fail(Failure.Usage($"--student: {e.Message}")))
        from code in s.ClassList is not null ? WriteClass(s, list) : WriteOne(s, list.Students[0])
        select code);

    private static LanguageExt.Fin<int> WriteOne(StudentSettings s, StudentNumber student)
    {
        var truthPath = SalesTruthJson.PathFor(s.Out!);
        return from _o in Outputs.Check([], [Outputs.To("--out", s.Out), Outputs.To("the truth file", truthPath)])
               let sample = StudentData.Simulate(student, s.Stores, s.Weeks, s.Segments)
               from _ in Outputs.Commit([new PendingFile(s.Out!, st => SalesCsvWriter.Write(st, sample)),
                   PendingFile.Text(truthPath, Json.Serialize(SalesTruthJson.From(sample, student.Text)))])
               select Done(new SalesSettings(s.Stores, s.Weeks, sample.Truth.K, sample.Seed, s.Out!, s.Quiet), sample, truthPath);
    }

    /// <summary>&lt;dir&gt;/&lt;number&gt;.csv per student (what students get) and, apart, &lt;dir&gt;/truth/&lt;number&gt;.truth.json
    /// plus &lt;dir&gt;/truth/index.csv (student, K, seed): the truth folder is kept out of the files handed out.
    /// All files are one transaction: when one cannot be written, none is (and folders made for them are removed).
    /// Each student's data are simulated once, while its file is written, so memory holds one student's panel at a time.</summary>
    private static LanguageExt.Fin<int> WriteClass(StudentSettings s, ClassList list)
    {
        var truthDir = Path.Combine(s.OutDir, "truth");
        if (Outputs.Check([s.ClassList], [], [Outputs.To("--out-dir", s.OutDir)]).TryGet(out _, out var checkError) is false)
            return LanguageExt.Fin<int>.Fail(checkError);
        var index = new System.Text.StringBuilder("student,file,K,seed,stores,weeks\n");
        var counts = new SortedDictionary<int, int>();
        var files = new List<PendingFile>();
        foreach (var student in list.Students)
        {
            var (k, seed) = (s.Segments ?? StudentData.TrueK(student), StudentData.SeedOf(student));
            // the panel is simulated while its CSV is written and only its truth text is kept for the next file,
            // so memory holds one student's panel at a time (Commit writes the files in list order)
            string? truth = null;
            files.Add(new PendingFile(Path.Combine(s.OutDir, student.Text + ".csv"), st =>
            {
                var sample = StudentData.Simulate(student, s.Stores, s.Weeks, s.Segments);
                SalesCsvWriter.Write(st, sample);
                truth = Json.Serialize(SalesTruthJson.From(sample, student.Text));
            }));
            files.Add(new PendingFile(Path.Combine(truthDir, student.Text + ".truth.json"), st => PendingFile.WriteText(st, truth!)));
            index.Append(CultureInfo.InvariantCulture, $"{student.Text},{student.Text}.csv,{k},{seed},{s.Stores},{s.Weeks}\n");
            counts[k] = counts.GetValueOrDefault(k) + 1;
        }
        var indexPath = Path.Combine(truthDir, "index.csv");
        files.Add(PendingFile.Text(indexPath, index.ToString()));
        if (!Outputs.Commit(files, [s.ClassList], [s.OutDir, truthDir]).TryGet(out _, out var writeError)) return LanguageExt.Fin<int>.Fail(writeError);
        if (!s.Quiet)
        {
            foreach (var note in list.Notes) Console.WriteLine($"note: {note}");
            Console.WriteLine($"wrote {list.Students.Length} data file(s) ({s.Stores} stores x {s.Weeks} weeks) into {s.OutDir}; truths and {indexPath} in {truthDir}");
            Console.WriteLine("true K: " + string.Join(", ", counts.Select(c => $"K = {c.Key}: {c.Value}")));
        }
        return ExitCodes.Ok;
    }
}
