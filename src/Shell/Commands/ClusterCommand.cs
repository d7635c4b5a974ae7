using System.CommandLine;
using System.Globalization;
using Mixtures.Domain;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Streaming;
using Mixtures.Data;
using Mixtures.Shell.Output;
using Spectre.Console;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Commands;

/// <summary>
/// <c>mixtures cluster</c>: read the chosen columns of a delimited file, fit Gaussian mixtures for every
/// K, select K by BIC among sound fits, print the K table, cluster profiles and confidence, and write
/// model.json and per-row assignments.
/// </summary>
public static class ClusterCommand
{
    /// <summary>Command-line values as given (parsed and checked by <see cref="Validate"/>).</summary>
    public sealed record Settings(
        string File, string Columns, string Ks = "1..10", string Covariance = "full", int Starts = GaussianSettings.DefaultStarts, ulong Seed = 42,
        bool Standardize = false, double RegCovar = GaussianFamily.DefaultRegCovar, double Tol = GaussianSettings.DefaultTolerance, int MaxIter = 2000,
        string Init = "portfolio", bool AllowDegenerate = false, string? Sep = null, bool DropMissing = false,
        string? Out = null, string? Assignments = null, bool Quiet = false, string? Plots = null, string? Report = null,
        string Accelerate = "squarem", int Screen = GaussianSettings.DefaultScreenIterations, int Finalists = GaussianSettings.DefaultFinalists,
        int ScreenFrom = Mixtures.Domain.Em.StartPlan.DefaultScreenFrom, bool DecimalComma = false, string Select = "bic", string? Concomitant = null, string? Weights = null)
    {
        /// <summary>The arguments as typed after <c>mixtures</c>, for the report (null when run from code).</summary>
        public IReadOnlyList<string>? Args { get; init; }

        /// <summary>--stream: fit one K on a file larger than memory (<see cref="ClusterStream"/>).</summary>
        public bool Stream { get; init; }
        /// <summary>--chunk-rows: rows per block of the streaming passes (null: the default).</summary>
        public int? ChunkRows { get; init; }
        /// <summary>--cache: where the columnar cache of the CSV is written and kept (null: a temporary file).</summary>
        public string? Cache { get; init; }
        /// <summary>--sample-rows: rows of the sample the streaming start is fitted on (null: the default).</summary>
        public int? SampleRows { get; init; }
    }

    /// <summary>Everything the command computed (what is printed and written).</summary>
    public sealed record Outcome(DataTable Table, GaussianEstimate Estimate, System.Collections.Immutable.ImmutableArray<int> Labels,
        IReadOnlyList<ClusterProfile> Profiles, ConfidenceSummary Confidence, ClusterModelJson Model)
    {
        /// <summary>The concomitant variables (<c>--concomitant</c>): their coding and values per row; null without them.</summary>
        public Concomitant? Concomitant { get; init; }

        /// <summary>The posterior-weighted mean of each concomitant variable per cluster (empty without concomitants).</summary>
        public System.Collections.Immutable.ImmutableArray<Mixtures.Domain.Model.ConcomitantMean> ConcomitantMeans { get; init; } = [];

        /// <summary>gamma_2..gamma_K with SEs from the full observed information, or conditional on the component parameters when
        /// that is not available (<see cref="GaussianEstimate.GammaStandardErrors"/>; empty without concomitants).</summary>
        public LanguageExt.Fin<System.Collections.Immutable.ImmutableArray<System.Collections.Immutable.ImmutableArray<Mixtures.Domain.Regression.ParameterEstimate>>> Gamma { get; init; } =
            System.Collections.Immutable.ImmutableArray<System.Collections.Immutable.ImmutableArray<Mixtures.Domain.Regression.ParameterEstimate>>.Empty;

        /// <summary>Whether <see cref="Gamma"/>'s SEs come from the full observed information (else: conditional lower bounds).</summary>
        public bool GammaFull { get; init; } = true;
    }

    public static Command Build()
    {
        var file = new Argument<string>("file") { Description = "Delimited file with a header (comma, semicolon, tab or pipe; detected unless --sep)." };
        var columns = new Option<string>("--columns") { Description = "Comma-separated names of the numeric columns to cluster on.", Required = true };
        var k = new Option<string>("--k") { Description = "Numbers of clusters to fit: a list (2,3,4) or a range (1..10).", DefaultValueFactory = _ => "1..10" };
        var covariance = new Option<string>("--covariance")
        {
            Description = "Covariance type (scikit-learn's names; mclust's in brackets): full [VVV] each cluster its own, tied [EEE] one shared, " +
                          "diag [VVI] diagonal per cluster, spherical [VII] one variance per cluster.",
            DefaultValueFactory = _ => "full",
        };
        var starts = new Option<int>("--starts") { Description = "Random starts per K (scikit-learn's n_init), screened (see --screen); split starts from the K-1 fit are added; the best log-likelihood is kept.", DefaultValueFactory = _ => GaussianSettings.DefaultStarts };
        var seed = new Option<ulong>("--seed") { Description = "Master seed; start r of K uses the seed derived from (seed, K, r).", DefaultValueFactory = _ => 42 };
        var standardize = new Option<bool>("--standardize") { Description = "Fit on columns standardized by mean and population sd (ddof = 0, as StandardScaler); profiles stay in original units." };
        var reg = new Option<double>("--reg-covar") { Description = "Ridge added to the diagonal of every covariance (scikit-learn's reg_covar).", DefaultValueFactory = _ => GaussianFamily.DefaultRegCovar };
        var tol = new Option<double>("--tol") { Description = "Stop when the log-likelihood per row changes by less than tol in an EM step (scikit-learn's rule; its default 1e-3 stops short of the optimum).", DefaultValueFactory = _ => GaussianSettings.DefaultTolerance };
        var maxIter = new Option<int>("--max-iter") { Description = "Maximum EM steps per start.", DefaultValueFactory = _ => 2000 };
        var init = new Option<string>("--init") { Description = "Random starts: portfolio (k-means++, uniform random responsibilities, Dirichlet responsibilities and random partitions in turn), kmeans (k-means++ seeding and Lloyd iterations to convergence) or random (uniform random responsibilities).", DefaultValueFactory = _ => "portfolio" };
        var accelerate = SearchOptions.Accelerate();
        var screen = SearchOptions.Screen(GaussianSettings.DefaultScreenIterations);
        var finalists = SearchOptions.Finalists(GaussianSettings.DefaultFinalists);
        var screenFrom = SearchOptions.ScreenFrom();
        var allow = new Option<bool>("--allow-degenerate") { Description = $"Let fits with a collapsed component (covariance eigenvalue <= {Degeneracy.Factor} x reg-covar) compete for best start and K." };
        var sep = new Option<string?>("--sep") { Description = "Separator: , ; tab or | (default: detected from the header)." };
        var decimalComma = InputOptions.DecimalComma();
        var drop = new Option<bool>("--drop-missing") { Description = "Drop rows with a missing or non-numeric value in a chosen column (the count is printed) instead of failing." };
        var output = new Option<string?>("--out") { Description = "Write model.json here (for mixtures predict; atomically, only on success)." };
        var assignments = new Option<string?>("--assignments") { Description = "Write per-row assignments here: row,cluster,probability,p1..pK." };
        var quiet = new Option<bool>("--quiet") { Description = "Do not print the tables." };
        var select = new Option<string>("--select") { Description = "Criterion choosing K among the eligible fits: bic, aic or icl (ICL = BIC - 2 sum_i log max_k W[i,k]; lower is better).", DefaultValueFactory = _ => "bic" };
        var concomitant = new Option<string?>("--concomitant")
        {
            Description = "Concomitant variables, comma-separated columns of the same file (a column of text is categorical: treatment-coded dummies): " +
                          "the cluster probabilities depend on them, Pr[cluster k | z] = softmax_k(z'gamma_k) with gamma_1 = 0 (flexmix's FLXPmultinom(~ z)); " +
                          "k counts (K - 1) q gammas instead of K - 1 weights; gamma's SEs are conditional on the component parameters (lower bounds). " +
                          "predict then needs these columns in the new file.",
        };
        var weights = new Option<string?>("--weights") { Description = "Observation weights: a numeric column (not one of --columns), w >= 0 (real numbers; 0 leaves a row out). The fit maximises sum_i w_i log sum_k pi_k N(x_i; mu_k, Sigma_k) (weighted means and covariances); whole-number weights give exactly the fit of the data with every row repeated w times. n in BIC is the sum of the weights; sizes, shares, means and confidences of the profiles are weighted. The k-means++ starts are unweighted." };
        var stream = new Option<bool>("--stream")
        {
            Description = "For a file larger than memory: read the CSV or Parquet file (.parquet) once into a columnar cache (an Arrow IPC file; a .arrow input is read directly), " +
                          "fit the one K of --k with the usual starts on a sample of rows (--sample-rows), then run plain EM over every row in passes of " +
                          "--chunk-rows rows (one pass per iteration, no n x K matrix; the same estimates as plain EM in memory from that start), " +
                          "to the --tol rule; a line per pass on stderr (unless --quiet). Not with --standardize, --weights, --concomitant, --plots, --report, --select.",
        };
        var chunkRows = new Option<int?>("--chunk-rows") { Description = $"With --stream: rows per block, a multiple of {GaussianStream.BlockMultiple} (default {ClusterStream.DefaultChunkRows})." };
        var cache = new Option<string?>("--cache") { Description = "With --stream: write the columnar cache (Arrow IPC) here and keep it, to pass it as the input of later runs (default: a temporary file, removed at the end)." };
        var sampleRows = new Option<int?>("--sample-rows") { Description = $"With --stream: the start is the estimation on every m-th row, m = floor(n / this) (default {ClusterStream.DefaultSampleRows})." };
        var plots = Figures.PlotsOption();
        var report = Figures.ReportOption();
        var cmd = new Command("cluster",
            "Segment rows with a Gaussian mixture for each K (BIC = -2 log L + k ln n, lower is better, as scikit-learn; mclust reports the opposite sign); " +
            "select K by lowest BIC among fits without a collapsed component; print sizes, means in original units, shares of column totals and confidence.")
        {
            file, columns, k, covariance, starts, seed, standardize, reg, tol, maxIter, init, accelerate, screen, finalists, screenFrom, allow, select, sep, decimalComma, drop, output, assignments, quiet, plots, report,
            concomitant, weights, stream, chunkRows, cache, sampleRows,
        };
        cmd.Options.Add(ThreadsOption.Create());
        cmd.SetAction(r => Run(new Settings(r.GetValue(file)!, r.GetValue(columns)!, r.GetValue(k)!, r.GetValue(covariance)!, r.GetValue(starts), r.GetValue(seed),
            r.GetValue(standardize), r.GetValue(reg), r.GetValue(tol), r.GetValue(maxIter), r.GetValue(init)!, r.GetValue(allow), r.GetValue(sep),
            r.GetValue(drop), r.GetValue(output), r.GetValue(assignments), r.GetValue(quiet), r.GetValue(plots), r.GetValue(report),
            r.GetValue(accelerate)!, r.GetValue(screen), r.GetValue(finalists), r.GetValue(screenFrom), r.GetValue(decimalComma), r.GetValue(select)!, r.GetValue(concomitant), r.GetValue(weights))
        {
            Args = Mixtures.Shell.Output.Reports.ReportProvenance.ProcessArguments(),
            Stream = r.GetValue(stream), ChunkRows = r.GetValue(chunkRows), Cache = r.GetValue(cache), SampleRows = r.GetValue(sampleRows),
        }));
        return cmd;
    }

    public static int Run(Settings s) => s.Stream ? ClusterStream.Run(s) : Cli.Run(() =>
        from _stream in ClusterStream.WithoutStream(s) is { } only ? LanguageExt.Fin<LanguageExt.Unit>.Fail(Failure.Usage(only)) : LanguageExt.Prelude.unit
        from _parquet in Mixtures.Data.ParquetInput.IsParquet(s.File) ? LanguageExt.Fin<LanguageExt.Unit>.Fail(Failure.Usage($"{s.File}: a Parquet file is read with --stream (without it the input is a delimited file)")) : LanguageExt.Prelude.unit
        from _out in Outputs.Check([s.File], [Outputs.To("--out", s.Out), Outputs.To("--assignments", s.Assignments), Outputs.To("--report", s.Report)], [Outputs.To("--plots", s.Plots)])
        from outcome in Compute(s)
        let figures = Figures.Render(s.Plots, s.Report, () => ClusterFigures.Charts(outcome), charts => ClusterReport.Build(outcome, charts), s.Args)
        from _ in Outputs.Commit([
                .. Outputs.When(s.Out, o => PendingFile.Text(o, Json.Serialize(outcome.Model))),
                .. Outputs.When(s.Assignments, a => new PendingFile(a, st => AssignmentsCsv.Write(st, outcome.Table.Lines, outcome.Labels, outcome.Estimate.Responsibilities))),
                .. Figures.Files(s.Plots, s.Report, figures)],
            [s.File], Figures.Folders(s.Plots))
        select Print(s, outcome));

    /// <summary>Parses the options, reads the file and fits: the one failure to report, or everything to print and write.</summary>
    public static LanguageExt.Fin<Outcome> Compute(Settings s) =>
        from v in Validate(s)
        from zNames in ConcomitantColumns.Parse(s.Concomitant)
        from weightsChoice in WeightColumn.Parse(s.Weights, [.. v.Columns, .. zNames])
        let weightsColumn = weightsChoice.Name
        // concomitant columns that are not clustered are read with them (numbers or text as their cells say), so that
        // --drop-missing drops a row with a missing concomitant value too; the weights column follows the clustered ones
        let extra = zNames.Where(z => !v.Columns.Contains(z, StringComparer.OrdinalIgnoreCase)).ToList()
        from read in DataTableCsv.Read(s.File, new TableRequest([.. v.Columns, .. weightsColumn is null ? [] : new[] { weightsColumn }], Separator: v.Separator,
            DropMissing: s.DropMissing, Numbers: InputOptions.Numbers(s.DecimalComma), Covariates: extra.Count == 0 ? null : extra))
        from rowWeightsRead in WeightColumn.ForUnits(read, weightsColumn, null, read.Rows, null)
        let rowWeights = rowWeightsRead.Weights
        from concomitant in ConcomitantColumns.ForRows(read, zNames, numbers: InputOptions.Numbers(s.DecimalComma))
        // the clustered columns alone (the first ones of the table)
        let table = read.NumericColumns.Length == v.Columns.Length ? read : Clustered(read, v.Columns.Length)
        // the fit reads the table's own values (never modified after reading): the data are held once
        from data in InFile(s.File, GaussianData.FromColumnMajor(table.Rows, table.NumericColumns.Length, table.Values.AsColumnMajorArray(), table.NumericColumns)
            .Map(d => d.WithWeights(rowWeights)))
        from est in InFile(s.File, ProgressDisplay.Run(s.Quiet, report => GaussianMixture.Estimate(v.Ks, data, v.Gaussian with { Progress = report },
            concomitant.Model?.WithObservationWeights(rowWeights))))
        // labels and confidences from the final E-step made a chunk of rows at a time: its n x K matrix is made only for
        // the assignments file and the figures (and the concomitant means)
        // weights all 1 give the unweighted profiles (the same numbers), so that the output changes only by the weights record
        let profiles = Profiles.Of(table.Values, est.Labels, est.Confidence, est.SelectedK, rowWeights is { AllOne: false } ? rowWeights : null)
        let confidence = Profiles.Summarize(est.Confidence)
        let means = concomitant.Model is null ? [] : ConcomitantMeans(est, concomitant, rowWeights)
        let gammaSe = est.GammaStandardErrors()
        let gamma = gammaSe.Gamma
        select new Outcome(table, est, est.Labels, profiles, confidence, ClusterModelJson.From(table, est, profiles, confidence).WithConcomitant(concomitant, est, gamma, means, gammaSe.Full)
            with { ObservationWeights = ObservationWeightsJson.Of(weightsColumn, rowWeights, est.Estimation) })
        {
            Concomitant = concomitant.Model is null ? null : concomitant,
            ConcomitantMeans = means,
            Gamma = gamma,
            GammaFull = gammaSe.Full,
        };

    /// <summary>The table with its first <paramref name="d"/> numeric columns (the clustered ones) alone.</summary>
    private static DataTable Clustered(DataTable table, int d) =>
        table with { NumericColumns = table.NumericColumns[..d], Values = table.Values.SubMatrix(0, table.Rows, 0, d) };

    private static System.Collections.Immutable.ImmutableArray<Mixtures.Domain.Model.ConcomitantMean> ConcomitantMeans(GaussianEstimate est, Concomitant concomitant,
        Mixtures.Domain.Model.ObservationWeights? rowWeights)
    {
        var W = est.Responsibilities;
        return Mixtures.Domain.Model.ConcomitantProfile.Of(W.AsColumnMajorArray() ?? W.ToColumnMajorArray(), W.RowCount, W.ColumnCount, concomitant.Variables, rowWeights);
    }

    /// <summary>A domain failure as a data error naming the file.</summary>
    internal static LanguageExt.Fin<A> InFile<A>(string file, LanguageExt.Fin<A> fin) =>
        fin.Match(Succ: a => LanguageExt.Fin<A>.Succ(a), Fail: e => LanguageExt.Fin<A>.Fail(Failure.Data($"{file}: {e.Message}")));

    private sealed record Valid(string[] Columns, int[] Ks, char? Separator, GaussianSettings Gaussian);

    /// <summary>The options the in-memory and the streaming fits share, checked: the columns, covariance type, start
    /// method, acceleration, screening, separator, starts, ridge, tolerance and iteration limit; every problem is added
    /// to <paramref name="problems"/>.</summary>
    internal sealed record SharedOptions(string[] Columns, CovarianceType? Covariance, GaussianInit? Init, Mixtures.Domain.Model.Acceleration Accelerate, char? Separator);

    /// <summary><see cref="SharedOptions"/> from the settings, with their problems added to <paramref name="problems"/>.</summary>
    internal static SharedOptions CheckShared(Settings s, List<string> problems)
    {
        var columns = s.Columns.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (columns.Length == 0) problems.Add("--columns: no column given");
        var dup = columns.GroupBy(c => c, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (dup.Count > 0) problems.Add($"--columns: {string.Join(", ", dup)} given more than once");
        var cov = CovarianceTypes.Parse(s.Covariance);
        if (cov is null) problems.Add($"--covariance: '{s.Covariance}' is not a covariance type (use full, tied, diag or spherical; or VVV, EEE, VVI, VII)");
        GaussianInit? init = s.Init.Trim().ToLowerInvariant() switch
        {
            "portfolio" => GaussianInit.Portfolio,
            "kmeans" or "k-means" or "kmeans++" => GaussianInit.KMeans,
            "random" => GaussianInit.Random,
            _ => null,
        };
        if (init is null) problems.Add($"--init: '{s.Init}' is not a start method (use portfolio, kmeans or random)");
        var accelerate = Mixtures.Domain.Model.Acceleration.Squarem;
        SearchOptions.ParseAccelerate(s.Accelerate).Match(Succ: a => accelerate = a, Fail: e => problems.Add(e.Message));
        problems.AddRange(SearchOptions.Checks(s.Screen, s.Finalists, s.ScreenFrom).Where(c => !c.Ok).Select(c => c.Problem));
        char? sep = null;
        DataTableCsv.ParseSeparator(s.Sep).Match(Succ: x => sep = DataTableCsv.Separator(x), Fail: e => problems.Add(e.Message));
        if (s.Starts < 1) problems.Add($"--starts must be at least 1 (got {s.Starts})");
        if (!(s.RegCovar >= 0) || !double.IsFinite(s.RegCovar)) problems.Add($"--reg-covar must be finite and non-negative (got {s.RegCovar.ToString(CultureInfo.InvariantCulture)})");
        if (!(s.Tol > 0) || !double.IsFinite(s.Tol)) problems.Add($"--tol must be positive (got {s.Tol.ToString(CultureInfo.InvariantCulture)})");
        if (s.MaxIter < 1) problems.Add($"--max-iter must be at least 1 (got {s.MaxIter})");
        return new SharedOptions(columns, cov, init, accelerate, sep);
    }

    /// <summary>Every option checked at once; one usage failure listing all problems.</summary>
    private static LanguageExt.Fin<Valid> Validate(Settings s)
    {
        var problems = new List<string>();
        var (columns, cov, init, accelerate, sep) = CheckShared(s, problems);
        int[] ks = [];
        Cli.ParseKs(s.Ks).Match(Succ: x => ks = x, Fail: e => problems.Add(e.Message));
        var criterion = Mixtures.Domain.Em.SelectionCriterion.Bic;
        RegressCommand.ParseCriterion(s.Select).Match(Succ: c => criterion = c, Fail: e => problems.Add(e.Message));
        if (problems.Count > 0) return LanguageExt.Fin<Valid>.Fail(Failure.Usage(string.Join("; ", problems)));
        return new Valid(columns, ks, sep, new GaussianSettings(cov!.Value, s.Starts, s.Seed, s.Standardize, s.RegCovar, s.Tol, s.MaxIter, init!.Value, s.AllowDegenerate,
            accelerate, s.Screen, s.Finalists, s.ScreenFrom, Interruption.Token, Select: criterion));
    }

    private static int Print(Settings s, Outcome o)
    {
        if (!s.Quiet)
        {
            ClusterTables.Print(o.Table, o.Estimate, o.Profiles, o.Confidence);
            if (o.Concomitant is { Model: { } z })
            {
                var console = Spectre.Console.AnsiConsole.Console;
                o.Gamma.IfFail(e => console.MarkupLine($"[yellow]standard errors of gamma not available: {Spectre.Console.Markup.Escape(e.Message)}[/]"));
                ConcomitantOutput.PrintGamma(console, z.Names, o.Estimate.Model.Weights, o.Gamma.IfFail([]), "cluster", ConcomitantOutput.GammaNote(o.GammaFull));
                ConcomitantOutput.PrintMeans(console, o.ConcomitantMeans, o.Estimate.SelectedK, "cluster");
            }
            if (s.Out is not null) Console.WriteLine($"model written to {s.Out}");
            if (s.Assignments is not null) Console.WriteLine($"assignments written to {s.Assignments}");
            Figures.PrintWritten(s.Plots, s.Report);
        }
        return ExitCodes.Ok;
    }
}
