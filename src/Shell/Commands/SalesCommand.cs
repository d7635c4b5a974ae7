using System.CommandLine;

using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Data;
using Mixtures.Shell.Output;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Commands;

/// <summary><c>mixtures sales</c>: read a sales file, estimate the segment model for each K, report, write results.json.</summary>
public static class SalesCommand
{
    public sealed record Settings(string File, string Ks, int Starts, ulong Seed, double Tol, int MaxIter, string? Out, bool Quiet,
        string? Plots = null, string? Report = null, string Accelerate = "squarem",
        int Screen = RegressionSettings.DefaultScreenIterations, int Finalists = RegressionSettings.DefaultFinalists,
        int NewtonAfter = EmOptions.DefaultNewtonAfter, int ScreenFrom = StartPlan.DefaultScreenFrom,
        string? Sep = null, bool DecimalComma = false, string? Assignments = null, string? Stores = null, string? Concomitant = null, string? Weights = null)
    {
        /// <summary>The arguments as typed after <c>mixtures</c>, for the report (null when run from code).</summary>
        public IReadOnlyList<string>? Args { get; init; }
    }

    public static Command Build()
    {
        var file = new Argument<string>("file") { Description = "CSV with header Price,Store1,...,StoreN and one row per week (sales > 0, prices > 0)." };
        var k = new Option<string>("--k") { Description = "Numbers of segments to fit: a list (2,3,4) or a range (1..5).", DefaultValueFactory = _ => "2,3,4" };
        var starts = new Option<int>("--starts") { Description = "Random starts per K: random partitions, Dirichlet soft responsibilities and parameter-space starts in turn (split starts from the K-1 fit are added).", DefaultValueFactory = _ => SalesModel.DefaultStarts };
        var seed = new Option<ulong>("--seed") { Description = "Master seed; every start's seed derives from (seed, K, start).", DefaultValueFactory = _ => 1 };
        var tol = new Option<double>("--tol") { Description = "Stop when max |W_new - W_old| < tol.", DefaultValueFactory = _ => 1e-8 };
        var maxIter = new Option<int>("--max-iter") { Description = "Maximum EM and Newton steps per start.", DefaultValueFactory = _ => 2000 };
        var accelerate = SearchOptions.Accelerate();
        var screen = SearchOptions.Screen(RegressionSettings.DefaultScreenIterations);
        var finalists = SearchOptions.Finalists(RegressionSettings.DefaultFinalists);
        var newton = SearchOptions.NewtonAfter();
        var screenFrom = SearchOptions.ScreenFrom();
        var output = new Option<string?>("--out") { Description = "Write results.json here (atomically; only on success)." };
        var quiet = new Option<bool>("--quiet") { Description = "Do not print the tables." };
        var assignments = new Option<string?>("--assignments") { Description = "Write each store's posterior segment probabilities under the selected K here (CSV: store,resp_1..resp_K,segment,probability)." };
        var plots = Figures.PlotsOption();
        var report = Figures.ReportOption();
        var stores = new Option<string?>("--stores") { Description = $"Store-attribute file: a CSV with a {StoreAttributes.StoreColumn} column naming every store of the sales file once (one row per store) and columns describing the stores (read with the same --sep and --decimal-comma)." };
        var weights = new Option<string?>("--weights") { Description = "With --stores: a numeric column of it giving each store an observation weight w >= 0 (real numbers; 0 leaves a store out). The fit maximises sum_i w_i log f(y_i); whole-number weights give exactly the fit of the panel with every store repeated w times. n in BIC = T x the sum of the weights." };
        var sep = new Option<string?>("--sep") { Description = "Separator: , ; tab or | (default: comma, or semicolon with --decimal-comma)." };
        var decimalComma = InputOptions.DecimalComma();
        var concomitant = new Option<string?>("--concomitant") { Description = "Store attributes as concomitant variables, comma-separated columns of the --stores file (a column of text is categorical: treatment-coded dummies): the segment probabilities depend on them, Pr[segment k | z] = softmax_k(z'gamma_k) with gamma_1 = 0 (flexmix's FLXPmultinom(~ z)); k = 2K + (K - 1) q; gamma gets SEs from the observed information; the tables show each attribute's posterior-weighted mean per segment." };
        var cmd = new Command("sales", "Fit the store-sales segment model log S_it = alpha[c] + beta[c] log p_t + e_it, e ~ N(0,1), for each K; select K by lowest BIC.")
        {
            file, k, starts, seed, tol, maxIter, accelerate, screen, finalists, screenFrom, newton, sep, decimalComma, output, assignments, quiet, plots, report,
            stores, concomitant, weights,
        };
        cmd.Options.Add(ThreadsOption.Create());
        cmd.SetAction(r => Run(new Settings(r.GetValue(file)!, r.GetValue(k)!, r.GetValue(starts), r.GetValue(seed), r.GetValue(tol),
            r.GetValue(maxIter), r.GetValue(output), r.GetValue(quiet), r.GetValue(plots), r.GetValue(report), r.GetValue(accelerate)!,
            r.GetValue(screen), r.GetValue(finalists), r.GetValue(newton), r.GetValue(screenFrom), r.GetValue(sep), r.GetValue(decimalComma),
            r.GetValue(assignments), r.GetValue(stores), r.GetValue(concomitant), r.GetValue(weights)) { Args = Mixtures.Shell.Output.Reports.ReportProvenance.ProcessArguments() }));
        return cmd;
    }

    public static int Run(Settings s) => Cli.Run(() =>
        from ks in Cli.ParseKs(s.Ks)
        from accelerate in SearchOptions.ParseAccelerate(s.Accelerate)
        from sep in DataTableCsv.ParseSeparator(s.Sep)
        from _ in Cli.Check([
            (s.Starts >= 1, $"--starts must be at least 1 (got {s.Starts})"),
            (s.Tol > 0 && double.IsFinite(s.Tol), $"--tol must be positive (got {s.Tol})"),
            (s.MaxIter >= 1, $"--max-iter must be at least 1 (got {s.MaxIter})"),
            .. SearchOptions.Checks(s.Screen, s.Finalists, s.ScreenFrom), SearchOptions.NewtonCheck(s.NewtonAfter),
            (s.Stores is null || s.Concomitant is not null || s.Weights is not null, "--stores: name the attribute columns to use with --concomitant A,B or --weights COL"),
            (s.Concomitant is null || s.Stores is not null, "--concomitant: give the store-attribute file with --stores FILE"),
            (s.Weights is null || s.Stores is not null, "--weights needs --stores FILE: the sales file has one column per store, so store weights come from a store-attribute file"),
            (s.Weights is null || !string.IsNullOrWhiteSpace(s.Weights), "--weights: give a column name")])
        from zNames in ConcomitantColumns.Parse(s.Concomitant)
        from __p in Outputs.Check(Inputs(s), [Outputs.To("--out", s.Out), Outputs.To("--assignments", s.Assignments), Outputs.To("--report", s.Report)], [Outputs.To("--plots", s.Plots)])
        from input in SalesCsv.Read(s.File, DataTableCsv.Separator(sep), InputOptions.Numbers(s.DecimalComma))
        from attributes in s.Stores is null
            ? LanguageExt.Fin<Concomitant>.Succ(new Concomitant(null))
            : zNames.Length == 0 ? LanguageExt.Fin<Concomitant>.Succ(new Concomitant(null))
            : StoreConcomitants.Read(s.Stores, s.File, input.StoreNames, zNames, DataTableCsv.Separator(sep), InputOptions.Numbers(s.DecimalComma))
        from __ in ks.Max() <= input.Stores
            ? LanguageExt.Fin<LanguageExt.Unit>.Succ(unit)
            : LanguageExt.Fin<LanguageExt.Unit>.Fail(Failure.Data($"{s.File}: {input.Stores} store(s) but K = {ks.Max()} segments requested (K cannot exceed the number of stores)"))
        from storeTable in s.Stores is null
            ? LanguageExt.Fin<StoresRead>.Succ(new StoresRead(null))
            : StoreAttributes.Read(s.Stores, s.File, input.StoreNames, s.Weights is null ? [] : [s.Weights.Trim()], null, DataTableCsv.Separator(sep), InputOptions.Numbers(s.DecimalComma))
                .Map(t => new StoresRead(t))
        from storeWeightsRead in storeTable.Stores is not { } st || s.Weights is null
            ? LanguageExt.Fin<UnitWeights>.Succ(new UnitWeights(null))
            : WeightColumn.ForUnits(st.Table, s.Weights.Trim(), st.StoreOfRow, input.Stores, null)
        let storeWeights = storeWeightsRead.Weights
        let z = attributes.Model?.WithObservationWeights(storeWeights)
        let settings = new EstimationSettings(new StartPlan(s.Starts, s.Screen, s.Finalists, ScreenFrom: s.ScreenFrom), s.Seed, SalesModel.EstimationOptions with { Cancellation = Interruption.Token, Tolerance = s.Tol, MaxIterations = s.MaxIter, Accelerate = accelerate, NewtonAfter = s.NewtonAfter })
        let path = ProgressDisplay.Run(s.Quiet, report => SalesModel.EstimatePath(ks, input.LogSales, SalesModel.Design(input.Prices),
            settings with { Options = settings.Options with { Progress = report } }, z, storeWeights))
        from estimates in path.Fits.FirstOrDefault(f => !f.Ok) is { } failed
            ? LanguageExt.Fin<LanguageExt.Seq<SalesEstimate>>.Fail(Failure.Data($"{s.File}: K = {failed.K}: {failed.Failure}"))
            : LanguageExt.Fin<LanguageExt.Seq<SalesEstimate>>.Succ(LanguageExt.Prelude.toSeq(path.Fits.Select(f => SalesModel.ToSalesEstimate(f, input.LogSales, SalesModel.Design(input.Prices), z))))
        let selectedK = path.SelectedK!.Value
        let selected = estimates.First(e => e.K == selectedK)
        let concomitant = z is null ? null : SalesConcomitant.Of(attributes, selected, input, s.Stores!, storeWeights)
        let results = SalesResults.From(input, SalesResultsSettings.From(settings, input.Stores), estimates.ToList(), selectedK, concomitant)
            .WithWeights(ObservationWeightsJson.Of(s.Weights?.Trim(), storeWeights, input.Weeks), s.Stores)
        let figures = Figures.Render(s.Plots, s.Report, () => SalesFigures.Charts(input, estimates.ToList(), results.SelectedK),
            charts => SalesReport.Build(input, results, estimates.ToList(), charts, concomitant), s.Args)
        from ___ in Outputs.Commit([
                .. Outputs.When(s.Out, o => PendingFile.Text(o, Json.Serialize(results))),
                .. Outputs.When(s.Assignments, a => new PendingFile(a, st => SalesAssignmentsCsv.Write(st, input.StoreNames,
                    SalesModel.EStep(selected.Theta, selected.Pi, input.LogSales, SalesModel.Design(input.Prices), z)))),
                .. Figures.Files(s.Plots, s.Report, figures)],
            Inputs(s), Figures.Folders(s.Plots))
        select Print(s, input, estimates.ToList(), results, settings, concomitant));

    /// <summary>The input files, which no output may replace.</summary>
    private static string[] Inputs(Settings s) => s.Stores is null ? [s.File] : [s.File, s.Stores];

    /// <summary>The store-attribute file, or none (a <see cref="LanguageExt.Fin{A}"/> holds no null).</summary>
    private sealed record StoresRead(StoreAttributes? Stores);

    private static int Print(Settings s, SalesInput input, IReadOnlyList<SalesEstimate> estimates, SalesResults results, EstimationSettings settings,
        SalesConcomitant? concomitant)
    {
        if (!s.Quiet) SalesTables.Print(input, estimates, results.SelectedK, settings, concomitant: concomitant, weights: results.ObservationWeights);
        if (s.Out is not null && !s.Quiet) Console.WriteLine($"results written to {s.Out}");
        if (s.Assignments is not null && !s.Quiet) Console.WriteLine($"store assignments (K = {results.SelectedK}) written to {s.Assignments}");
        if (!s.Quiet) Figures.PrintWritten(s.Plots, s.Report);
        return ExitCodes.Ok;
    }
}
