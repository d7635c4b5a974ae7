using System.CommandLine;
using System.Globalization;
using Mixtures.Domain.Comparison;
using Mixtures.Data;
using Mixtures.Shell.Output;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Commands;

/// <summary><c>mixtures compare</c>: pooled OLS versus per-known-segment OLS versus latent class regression on one held-out split.</summary>
public static class CompareCommand
{
    public sealed record Settings(string File, string? Y, string? X, string? Segment, string K, double TestFraction, ulong Seed,
        string? Out, string? Plots, string? Report, bool Quiet, string? Sep = null, bool DecimalComma = false)
    {
        /// <summary>The arguments as typed after <c>mixtures</c>, for the report (null when run from code).</summary>
        public IReadOnlyList<string>? Args { get; init; }

        /// <summary>--categorical: covariates of numbers coded as categorical.</summary>
        public IReadOnlyList<string>? Categorical { get; init; }

        /// <summary>--reference: column=level reference levels.</summary>
        public IReadOnlyList<string>? References { get; init; }
    }

    public static Command Build()
    {
        var file = new Argument<string>("file") { Description = "Delimited file (, ; tab or |) with a header row." };
        var y = new Option<string>("--y") { Description = "Response column.", Required = true };
        var x = new Option<string>("--x") { Description = "Covariate columns, comma-separated (an intercept is always added); a column of text is categorical (treatment-coded dummies).", Required = true };
        var categorical = CategoricalOptions.Categorical();
        var reference = CategoricalOptions.Reference();
        var segment = new Option<string?>("--segment") { Description = "Known segment column (labels): per-segment models, stratified split, per-segment scores." };
        var k = new Option<string>("--k") { Description = "Latent classes: 'auto' (K = 1..5 by lowest BIC on the training rows) or a number.", DefaultValueFactory = _ => "auto" };
        var testFraction = new Option<double>("--test-fraction") { Description = "Share of rows held out for scoring, between 0 and 1.", DefaultValueFactory = _ => 0.3 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the split and of the latent class starts.", DefaultValueFactory = _ => 42 };
        var output = new Option<string?>("--out") { Description = "Write compare.json here (atomically; only on success)." };
        var plots = Figures.PlotsOption();
        var report = Figures.ReportOption();
        var quiet = new Option<bool>("--quiet") { Description = "Do not print the tables." };
        var sep = new Option<string?>("--sep") { Description = "Separator: , ; tab or | (default: detected)." };
        var decimalComma = InputOptions.DecimalComma();
        var cmd = new Command("compare",
            "Compare one pooled OLS, one OLS per known segment and a latent class regression on a held-out split: MAE, RMSE and R^2 overall and per segment.")
        {
            file, y, x, categorical, reference, segment, k, testFraction, seed, sep, decimalComma, output, plots, report, quiet,
        };
        cmd.Options.Add(ThreadsOption.Create());
        cmd.SetAction(r => Run(new Settings(r.GetValue(file)!, r.GetValue(y), r.GetValue(x), r.GetValue(segment), r.GetValue(k)!,
            r.GetValue(testFraction), r.GetValue(seed), r.GetValue(output), r.GetValue(plots), r.GetValue(report), r.GetValue(quiet), r.GetValue(sep), r.GetValue(decimalComma)) { Args = Mixtures.Shell.Output.Reports.ReportProvenance.ProcessArguments(), Categorical = r.GetValue(categorical), References = r.GetValue(reference) }));
        return cmd;
    }

    /// <summary>"auto" (None: choose K by BIC) or a whole number of classes 1..50.</summary>
    public static LanguageExt.Fin<LanguageExt.Option<int>> ParseK(string text)
    {
        var t = text.Trim();
        if (t.Equals("auto", StringComparison.OrdinalIgnoreCase)) return LanguageExt.Fin<LanguageExt.Option<int>>.Succ(None);
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k >= 1 && k <= 50) return LanguageExt.Fin<LanguageExt.Option<int>>.Succ(Some(k));
        return LanguageExt.Fin<LanguageExt.Option<int>>.Fail(Failure.Usage($"--k: '{text}' is neither 'auto' nor a number of classes from 1 to 50"));
    }

    public static int Run(Settings s) => Cli.Run(() =>
        from k in ParseK(s.K)
        from columns in CompareColumns.Parse(s.Y, s.X, s.Segment)
        from covariates in CategoricalOptions.Parse(s.Categorical, s.References, columns.X)
        from sep in DataTableCsv.ParseSeparator(s.Sep)
        from _ in Cli.Check(
            (s.TestFraction > 0 && s.TestFraction < 1, $"--test-fraction must be between 0 and 1, both excluded (got {s.TestFraction.ToString(CultureInfo.InvariantCulture)})"))
        from __ in Outputs.Check([s.File], [Outputs.To("--out", s.Out), Outputs.To("--report", s.Report)], [Outputs.To("--plots", s.Plots)])
        from input in CompareInput.Read(s.File, columns, DataTableCsv.Separator(sep), InputOptions.Numbers(s.DecimalComma), covariates)
        let settings = new ComparisonSettings(s.TestFraction, s.Seed, k.IsSome ? k.IfNone(0) : (int?)null)
        from result in ProgressDisplay.Run(s.Quiet, report => ModelComparison.Compare(input.Data, settings with { Progress = report })).Match(
            Succ: LanguageExt.Fin<ComparisonResult>.Succ, Fail: e => LanguageExt.Fin<ComparisonResult>.Fail(Failure.Data($"{s.File}: {e.Message}")))
        let json = CompareResults.From(input, s.K.Trim().ToLowerInvariant(), settings, result)
        let figures = Figures.Render(s.Plots, s.Report, () => CompareFigures.Charts(input, result), charts => CompareReport.Build(input, json, result, charts), s.Args)
        from ___ in Outputs.Commit([.. Outputs.When(s.Out, o => PendingFile.Text(o, Json.Serialize(json))), .. Figures.Files(s.Plots, s.Report, figures)],
            [s.File], Figures.Folders(s.Plots))
        select Print(s, input, result, json));

    private static int Print(Settings s, CompareInput input, ComparisonResult result, CompareResults json)
    {
        if (s.Quiet) return ExitCodes.Ok;
        CompareTables.Print(input, result, json);
        if (s.Out is not null) Console.WriteLine($"results written to {s.Out}");
        Figures.PrintWritten(s.Plots, s.Report);
        return ExitCodes.Ok;
    }
}
