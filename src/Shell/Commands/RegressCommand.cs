using System.CommandLine;
using System.Globalization;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Domain.Streaming;
using Mixtures.Data;
using Mixtures.Shell.Output;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Commands;

/// <summary><c>mixtures regress</c>: latent class regression for each K, K chosen by BIC (or AIC/ICL),
/// standard errors, class profiles, model.json and assignments.</summary>
public static class RegressCommand
{
    public sealed record Settings(
        string File, string? Y, string? X, string? Group, string Ks, int Starts, ulong Seed, string Variance, bool NoIntercept,
        double MinPrior, string Select, string? Sep, bool DropMissing, string? Out, string? Assignments, double Tol, int MaxIter, bool Quiet,
        string? Plots = null, string? Report = null, string Accelerate = "squarem",
        int Screen = RegressionSettings.DefaultScreenIterations, int Finalists = RegressionSettings.DefaultFinalists,
        int NewtonAfter = Mixtures.Domain.Model.EmOptions.DefaultNewtonAfter, int ScreenFrom = Mixtures.Domain.Em.StartPlan.DefaultScreenFrom,
        bool DecimalComma = false, string? Concomitant = null, string Family = "gaussian", string? Offset = null, string? Trials = null,
        string? Weights = null)
    {
        /// <summary>The arguments as typed after <c>mixtures</c>, for the report (null when run from code).</summary>
        public IReadOnlyList<string>? Args { get; init; }

        /// <summary>--categorical: covariates of numbers coded as categorical.</summary>
        public IReadOnlyList<string>? Categorical { get; init; }

        /// <summary>--reference: column=level reference levels.</summary>
        public IReadOnlyList<string>? References { get; init; }

        /// <summary>--stream: fit one K on a file larger than memory (<see cref="RegressStream"/>).</summary>
        public bool Stream { get; init; }
        /// <summary>--chunk-rows: rows per streaming block.</summary>
        public int? ChunkRows { get; init; }
        /// <summary>--cache: where to keep the columnar cache.</summary>
        public string? Cache { get; init; }
        /// <summary>--sample-rows: rows of the sample the start is fitted on.</summary>
        public int? SampleRows { get; init; }
    }

    public static Command Build()
    {
        var file = new Argument<string>("file") { Description = "Delimited file (, ; tab or |) with a header row." };
        var y = new Option<string>("--y") { Description = "Response column.", Required = true };
        var x = new Option<string?>("--x") { Description = "Covariate columns, comma-separated (e.g. x1,x2); a column of text is categorical (treatment-coded dummies). Required for gaussian, optional for poisson and binomial (without it: an intercept-only model, a mixture of rates or proportions)." };
        var categorical = CategoricalOptions.Categorical();
        var reference = CategoricalOptions.Reference();
        var family = new Option<string>("--family") { Description = "Response family: gaussian (y = x'beta_c + e), poisson (counts, log link) or binomial (0/1 or successes out of --trials, logit link); flexmix's FLXMRglm(family = ...).", DefaultValueFactory = _ => "gaussian" };
        var offset = new Option<string?>("--offset") { Description = "With --family poisson: a column added to the linear predictor as it is (log exposure: log mu = x'beta + offset)." };
        var trials = new Option<string?>("--trials") { Description = "With --family binomial: the column of trials n_i (y successes out of n_i); without it y must be 0 or 1." };
        var group = new Option<string?>("--group") { Description = "Group column: all rows of a group share one latent class (flexmix's y ~ x | group)." };
        var k = new Option<string>("--k") { Description = "Numbers of classes: a list (2,3,4) or a range (1..5).", DefaultValueFactory = _ => "1..5" };
        var starts = new Option<int>("--starts") { Description = "Random starts per K: random partitions, Dirichlet soft responsibilities and parameter-space starts in turn (K-1 split starts from the K-1 fit are added).", DefaultValueFactory = _ => RegressionSettings.DefaultStarts };
        var seed = new Option<ulong>("--seed") { Description = "Master seed; every start's seed derives from (seed, K, start).", DefaultValueFactory = _ => 1 };
        var variance = new Option<string>("--variance") { Description = "Error variance: per-class, common, or fixed[=v] (sigma^2 = v, default 1).", DefaultValueFactory = _ => "per-class" };
        var noIntercept = new Option<bool>("--no-intercept") { Description = "Fit without an intercept column." };
        var minPrior = new Option<double>("--min-prior") { Description = "Abandon a start when a class weight falls below this (0 disables; flexmix's minprior).", DefaultValueFactory = _ => RegressionSettings.DefaultMinPrior };
        var select = new Option<string>("--select") { Description = "Criterion choosing K: bic, aic or icl (lower is better).", DefaultValueFactory = _ => "bic" };
        var sep = new Option<string?>("--sep") { Description = "Separator: , ; tab or | (default: detected)." };
        var decimalComma = InputOptions.DecimalComma();
        var dropMissing = new Option<bool>("--drop-missing") { Description = "Drop rows with a missing or non-numeric value in the chosen columns (their count is printed)." };
        var output = new Option<string?>("--out") { Description = "Write model.json here (for predict; atomically, only on success)." };
        var assignments = new Option<string?>("--assignments") { Description = "Write per-row (or per-group) responsibilities, class and probability as CSV." };
        var tol = new Option<double>("--tol") { Description = "Stop when max |W_new - W_old| < tol.", DefaultValueFactory = _ => 1e-8 };
        var maxIter = new Option<int>("--max-iter") { Description = "Maximum EM and Newton steps per start.", DefaultValueFactory = _ => 2000 };
        var accelerate = SearchOptions.Accelerate();
        var screen = SearchOptions.Screen(RegressionSettings.DefaultScreenIterations);
        var finalists = SearchOptions.Finalists(RegressionSettings.DefaultFinalists);
        var newton = SearchOptions.NewtonAfter();
        var screenFrom = SearchOptions.ScreenFrom();
        var quiet = new Option<bool>("--quiet") { Description = "Do not print the tables." };
        var concomitant = new Option<string?>("--concomitant") { Description = "Concomitant variables, comma-separated columns (a column of text is categorical: treatment-coded dummies): class probabilities depend on them, Pr[class k | z] = softmax_k(z'gamma_k) with gamma_1 = 0 (flexmix's FLXPmultinom(~ z)); with --group each must be constant within a group. gamma gets SEs from the observed information; the profiles show each concomitant's posterior-weighted mean per class; predict then needs these columns in the new file." };
        var weights = new Option<string?>("--weights") { Description = "Observation weights: a numeric column, w >= 0 (real numbers; 0 leaves a row out), the same on every row of a group with --group. The fit maximises the weighted log-likelihood sum_u w_u log f(y_u); whole-number weights give exactly the fit, standard errors and BIC of the data with every row (group) repeated w times. n in BIC is the sum of the weights over the rows (flexmix's nobs = sum(weights))." };
        var plots = Figures.PlotsOption();
        var report = Figures.ReportOption();
        var stream = new Option<bool>("--stream")
        {
            Description = "For a file larger than memory (--family gaussian, single rows): read the CSV or Parquet file once into a columnar cache (an Arrow IPC file; a .arrow input " +
                          "is read directly), check the data and form the reference fit in two passes, fit the one K of --k with the usual starts on a sample of rows " +
                          "(--sample-rows), then run plain EM over every row in passes of --chunk-rows rows (one pass per iteration, no n x K matrix; the same estimates " +
                          "as plain EM in memory from that start) until |log L_t - log L_(t-1)| < --tol n; a final pass writes the assignments and gives the profiles and " +
                          "standard errors; a line per pass on stderr (unless --quiet). Not with --group, --weights, --concomitant, --categorical, --plots, --report, --select.",
        };
        var chunkRows = new Option<int?>("--chunk-rows") { Description = $"With --stream: rows per block, a multiple of {RegressionStream.BlockMultiple} (default {ClusterStream.DefaultChunkRows})." };
        var cache = new Option<string?>("--cache") { Description = "With --stream: write the columnar cache (Arrow IPC) here and keep it, to pass it as the input of later runs (default: a temporary file, removed at the end)." };
        var sampleRows = new Option<int?>("--sample-rows") { Description = $"With --stream: the start is the estimation on every m-th row, m = floor(n / this) (default {ClusterStream.DefaultSampleRows})." };
        var cmd = new Command("regress", "Latent class regression y = x'beta_c + e, e ~ N(0, sigma_c^2) (or a Poisson or binomial GLM per class with --family), for each K; select K by lowest BIC (or --select).")
        {
            file, y, x, categorical, reference, family, offset, trials, group, k, starts, seed, variance, noIntercept, minPrior, select, sep, decimalComma, dropMissing, output, assignments, tol, maxIter,
            accelerate, screen, finalists, screenFrom, newton, quiet, plots, report, concomitant, weights, stream, chunkRows, cache, sampleRows,
        };
        cmd.Options.Add(ThreadsOption.Create());
        cmd.SetAction(r => Run(new Settings(r.GetValue(file)!, r.GetValue(y), r.GetValue(x), r.GetValue(group), r.GetValue(k)!, r.GetValue(starts),
            r.GetValue(seed), r.GetValue(variance)!, r.GetValue(noIntercept), r.GetValue(minPrior), r.GetValue(select)!, r.GetValue(sep),
            r.GetValue(dropMissing), r.GetValue(output), r.GetValue(assignments), r.GetValue(tol), r.GetValue(maxIter), r.GetValue(quiet),
            r.GetValue(plots), r.GetValue(report), r.GetValue(accelerate)!, r.GetValue(screen), r.GetValue(finalists), r.GetValue(newton), r.GetValue(screenFrom), r.GetValue(decimalComma),
            r.GetValue(concomitant), r.GetValue(family)!, r.GetValue(offset), r.GetValue(trials), r.GetValue(weights)) 
        {
            Args = Mixtures.Shell.Output.Reports.ReportProvenance.ProcessArguments(), Categorical = r.GetValue(categorical), References = r.GetValue(reference),
            Stream = r.GetValue(stream), ChunkRows = r.GetValue(chunkRows), Cache = r.GetValue(cache), SampleRows = r.GetValue(sampleRows),
        }));
        return cmd;
    }

    /// <summary>"per-class", "common", "fixed" (sigma^2 = 1) or "fixed=v".</summary>
    public static LanguageExt.Fin<VarianceModel> ParseVariance(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t is "per-class" or "perclass" or "class") return VarianceModel.PerClass;
        if (t is "common" or "equal") return VarianceModel.Common;
        if (t == "fixed") return VarianceModel.Fixed(1.0);
        if (t.StartsWith("fixed=", StringComparison.Ordinal))
        {
            if (double.TryParse(t[6..], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && double.IsFinite(v))
                return VarianceModel.Fixed(v);
            return LanguageExt.Fin<VarianceModel>.Fail(Failure.Usage($"--variance: '{text}': the fixed variance must be a positive number (e.g. fixed=1)"));
        }
        return LanguageExt.Fin<VarianceModel>.Fail(Failure.Usage($"--variance: '{text}' is not per-class, common or fixed[=v]"));
    }

    /// <summary>"bic", "aic" or "icl".</summary>
    public static LanguageExt.Fin<SelectionCriterion> ParseCriterion(string text) => text.Trim().ToLowerInvariant() switch
    {
        "bic" => SelectionCriterion.Bic,
        "aic" => SelectionCriterion.Aic,
        "icl" => SelectionCriterion.Icl,
        _ => LanguageExt.Fin<SelectionCriterion>.Fail(Failure.Usage($"--select: '{text}' is not bic, aic or icl")),
    };

    /// <summary>"gaussian" (None: the linear regression), "poisson" or "binomial".</summary>
    public static LanguageExt.Fin<LanguageExt.Option<GlmResponse>> ParseFamily(string text) => text.Trim().ToLowerInvariant() switch
    {
        "gaussian" or "normal" => LanguageExt.Fin<LanguageExt.Option<GlmResponse>>.Succ(None),
        "poisson" => LanguageExt.Fin<LanguageExt.Option<GlmResponse>>.Succ(Some(GlmResponse.Poisson)),
        "binomial" or "logistic" => LanguageExt.Fin<LanguageExt.Option<GlmResponse>>.Succ(Some(GlmResponse.Binomial)),
        _ => LanguageExt.Fin<LanguageExt.Option<GlmResponse>>.Fail(Failure.Usage($"--family: '{text}' is not gaussian, poisson or binomial")),
    };

    private static IEnumerable<string> Opt(string? name) => name is null ? [] : [name];

    /// <summary>The table request with the weights column among the numeric columns (unchanged without one).</summary>
    internal static TableRequest WithWeights(TableRequest request, string? weights) =>
        weights is null ? request : request with { Numeric = [.. request.Numeric, weights] };

    public static int Run(Settings s) => s.Stream ? RegressStream.Run(s) : Cli.Run(() =>
        from _stream in RegressStream.WithoutStream(s) is { } only ? LanguageExt.Fin<LanguageExt.Unit>.Fail(Failure.Usage(only)) : LanguageExt.Prelude.unit
        from _parquet in Mixtures.Data.ParquetInput.IsParquet(s.File) ? LanguageExt.Fin<LanguageExt.Unit>.Fail(Failure.Usage($"{s.File}: a Parquet file is read with --stream (without it the input is a delimited file)")) : LanguageExt.Prelude.unit
        from family in ParseFamily(s.Family)
        from code in family.Match(Some: response => RunGlm(s, response), None: () => RunGaussian(s))
        select code);

    private static LanguageExt.Fin<int> RunGaussian(Settings s) =>
        from _family in Cli.Check(
            (s.X is not null, "--x: give the covariate columns (required with --family gaussian; poisson and binomial fit an intercept-only model without it)"),
            (s.Offset is null, "--offset is for --family poisson"),
            (s.Trials is null, "--trials is for --family binomial"))
        from ks in Cli.ParseKs(s.Ks)
        from variance in ParseVariance(s.Variance)
        from criterion in ParseCriterion(s.Select)
        from accelerate in SearchOptions.ParseAccelerate(s.Accelerate)
        from sep in DataTableCsv.ParseSeparator(s.Sep)
        let separator = DataTableCsv.Separator(sep)
        from columns in RegressionColumns.Parse(s.Y, s.X, s.Group, s.NoIntercept)
        from covariates in CategoricalOptions.Parse(s.Categorical, s.References, columns.X, s.Concomitant)
        from _ in Cli.Check([
            .. SearchOptions.Checks(s.Screen, s.Finalists, s.ScreenFrom),
            SearchOptions.NewtonCheck(s.NewtonAfter),
            (s.Starts >= 1, $"--starts must be at least 1 (got {s.Starts})"),
            (s.Tol > 0 && double.IsFinite(s.Tol), $"--tol must be positive (got {s.Tol})"),
            (s.MaxIter >= 1, $"--max-iter must be at least 1 (got {s.MaxIter})"),
            (s.MinPrior >= 0 && s.MinPrior < 1, $"--min-prior must be in [0, 1) (got {s.MinPrior})"),
            (ks.Max() * s.MinPrior <= 1, $"--min-prior {s.MinPrior} cannot hold for K = {ks.Max()} classes (K * min-prior must be at most 1)"),
            ])
        from _out in Outputs.Check([s.File], [Outputs.To("--out", s.Out), Outputs.To("--assignments", s.Assignments), Outputs.To("--report", s.Report)], [Outputs.To("--plots", s.Plots)])
        from zNames in ConcomitantColumns.Parse(s.Concomitant, columns)
        from weightsChoice in WeightColumn.Parse(s.Weights, [columns.Y, .. columns.X, .. Opt(columns.Group), .. zNames])
        let weightsColumn = weightsChoice.Name
        from table in DataTableCsv.Read(s.File, WithWeights(ConcomitantColumns.Request(columns, zNames, separator, s.DropMissing, InputOptions.Numbers(s.DecimalComma), covariates), weightsColumn))
        from input in RegressionInput.FromTable(table, columns, requireY: true, covariates.Without(zNames), numbers: InputOptions.Numbers(s.DecimalComma))
        from units in UnitsOf(s, input, zNames, weightsColumn, covariates, ks)
        let unitWeights = units.Weights
        let concomitantModel = units.Concomitant
        let weightModel = units.WeightModel
        from ___exact in variance.Kind != VarianceKind.Fixed && input.ExactFit() is { } exact
            ? LanguageExt.Fin<LanguageExt.Unit>.Fail(Failure.Data($"{s.File}: {exact}"))
            : LanguageExt.Fin<LanguageExt.Unit>.Succ(unit)
        let data = input.Data().WithWeights(unitWeights)
        let settings = new RegressionSettings(variance, s.Starts, s.Seed, s.Tol, s.MaxIter, s.MinPrior, accelerate, s.Screen, s.Finalists, s.NewtonAfter, s.ScreenFrom, Interruption.Token)
        from path in ProgressDisplay.Run(s.Quiet, report => LatentClassRegression.Estimate(ks, data, settings with { Progress = report }, criterion, weightModel))
        from selected in path.Selected is { } sel
            ? LanguageExt.Fin<KEstimate<RegressionComponents>>.Succ(sel)
            : LanguageExt.Fin<KEstimate<RegressionComponents>>.Fail(Failure.Data($"{s.File}: no K gave an admissible solution ({string.Join("; ", path.Fits.Select(f => $"K = {f.K}: {f.Failure}"))})"))
        let best = selected.Estimate!.Best
        let posterior = LatentClassRegression.Responsibilities(best, data, variance, weightModel)
        let inference = LatentClassRegression.StandardErrors(best.Mixture.Components, best.Mixture.Weights, data, variance, weightModel)
        let profiles = LatentClassRegression.Profiles(posterior, data, input.Y, input.Covariates)
        let means = weightModel is null ? [] : ConcomitantProfile.Of(posterior.AsColumnMajorArray() ?? posterior.ToColumnMajorArray(), posterior.RowCount, posterior.ColumnCount, concomitantModel.Variables, unitWeights)
        let model = RegressionModelJson.From(input, settings, path, selected, criterion, inference, profiles, ks, weightModel).WithConcomitant(concomitantModel, means)
            .WithWeights(ObservationWeightsJson.Of(weightsColumn, unitWeights, path))
        let figures = Figures.Render(s.Plots, s.Report, () => RegressFigures.Charts(input, settings, path, selected, criterion),
            charts => RegressReport.Build(input, settings, path, selected, criterion, inference, profiles, charts,
                weightModel is null ? null : ConcomitantBlocks(weightModel, best.Mixture.Weights, inference, means)), s.Args)
        from ___ in Outputs.Commit([
                .. Outputs.When(s.Out, o => PendingFile.Text(o, Json.Serialize(model))),
                .. Outputs.When(s.Assignments, a => new PendingFile(a, st => RegressionCsvWriters.Assignments(st, input, posterior))),
                .. Figures.Files(s.Plots, s.Report, figures)],
            [s.File], Figures.Folders(s.Plots))
        select Print(s, input, settings, path, selected, criterion, inference, profiles, weightModel, means);

    /// <summary>The report's blocks on the concomitant model: gamma with its SEs and the concomitant means per class.</summary>
    private static IReadOnlyList<Mixtures.Shell.Output.Reports.ReportBlock> ConcomitantBlocks(ConcomitantWeights z, MixingWeights weights,
        LanguageExt.Fin<RegressionInference> inference, System.Collections.Immutable.ImmutableArray<ConcomitantMean> means) =>
        [
            ConcomitantOutput.GammaReport(z.Names, weights, inference.Match(Succ: i => i.Gamma, Fail: _ => [])),
            ConcomitantOutput.MeansReport(means, weights.K),
        ];

    /// <summary>What every family reads per unit from a regression input: the observation weights (<c>--weights</c>), the
    /// concomitant model (<c>--concomitant</c>) with those weights for its mean prior, and the check that K does not exceed
    /// the units.</summary>
    private sealed record UnitsRead(ObservationWeights? Weights, Concomitant Concomitant, ConcomitantWeights? WeightModel);

    private static LanguageExt.Fin<UnitsRead> UnitsOf(Settings s, RegressionInput input, IReadOnlyList<string> zNames, string? weightsColumn,
        CovariateOptions covariates, IReadOnlyList<int> ks) =>
        from unitWeightsRead in WeightColumn.ForUnits(input.Table, weightsColumn, input.GroupIds is { } gi ? gi : null, input.Units, input.Columns.Group)
        from concomitantModel in ConcomitantColumns.Model(input, zNames, covariates.For(zNames), InputOptions.Numbers(s.DecimalComma))
        from __ in ks.Max() <= input.Units
            ? LanguageExt.Fin<LanguageExt.Unit>.Succ(unit)
            : LanguageExt.Fin<LanguageExt.Unit>.Fail(Failure.Data(
                $"{s.File}: {input.Units} {(input.Columns.Group is null ? "row(s)" : "group(s)")} but K = {ks.Max()} classes requested (K cannot exceed the number of {(input.Columns.Group is null ? "rows" : "groups")})"))
        select new UnitsRead(unitWeightsRead.Weights, concomitantModel, concomitantModel.Model?.WithObservationWeights(unitWeightsRead.Weights));

    /// <summary>The Poisson or binomial mixture: the same checks, search and outputs as the linear regression, with the
    /// GLM family's data (offset, trials) and no variance.</summary>
    private static LanguageExt.Fin<int> RunGlm(Settings s, GlmResponse response) =>
        from ks in Cli.ParseKs(s.Ks)
        from criterion in ParseCriterion(s.Select)
        from accelerate in SearchOptions.ParseAccelerate(s.Accelerate)
        from sep in DataTableCsv.ParseSeparator(s.Sep)
        let separator = DataTableCsv.Separator(sep)
        from columns in RegressionColumns.Parse(s.Y, s.X, s.Group, s.NoIntercept)
        from glmColumns in GlmInput.Parse(response, s.Offset, s.Trials, columns)
        from covariates in CategoricalOptions.Parse(s.Categorical, s.References, columns.X, s.Concomitant)
        from weightsChoice in WeightColumn.Parse(s.Weights, [columns.Y, .. columns.X, .. Opt(columns.Group), .. glmColumns.Extra])
        from _ in Cli.Check([
            .. SearchOptions.Checks(s.Screen, s.Finalists, s.ScreenFrom),
            SearchOptions.NewtonCheck(s.NewtonAfter),
            (s.Variance.Trim().ToLowerInvariant() is "per-class", $"--variance is for --family gaussian (the {response.Name()} family has no variance parameter)"),
            (s.Starts >= 1, $"--starts must be at least 1 (got {s.Starts})"),
            (s.Tol > 0 && double.IsFinite(s.Tol), $"--tol must be positive (got {s.Tol})"),
            (s.MaxIter >= 1, $"--max-iter must be at least 1 (got {s.MaxIter})"),
            (s.MinPrior >= 0 && s.MinPrior < 1, $"--min-prior must be in [0, 1) (got {s.MinPrior})"),
            (ks.Max() * s.MinPrior <= 1, $"--min-prior {s.MinPrior} cannot hold for K = {ks.Max()} classes (K * min-prior must be at most 1)"),
            ])
        from _out in Outputs.Check([s.File], [Outputs.To("--out", s.Out), Outputs.To("--assignments", s.Assignments), Outputs.To("--report", s.Report)], [Outputs.To("--plots", s.Plots)])
        from zNames in ConcomitantColumns.Parse(s.Concomitant, columns)
        from _z in zNames.FirstOrDefault(z => glmColumns.Extra.Contains(z, StringComparer.OrdinalIgnoreCase) || string.Equals(z, weightsChoice.Name, StringComparison.OrdinalIgnoreCase)) is { } clash
            ? LanguageExt.Fin<LanguageExt.Unit>.Fail(Failure.Usage($"--concomitant: '{clash}' is already used as --offset, --trials or --weights"))
            : LanguageExt.Fin<LanguageExt.Unit>.Succ(unit)
        let weightsColumn = weightsChoice.Name
        from glm in GlmInput.Read(s.File, columns, glmColumns, separator, s.DropMissing, InputOptions.Numbers(s.DecimalComma), covariates.Without(zNames), zNames, weightsColumn)
        let input = glm.Regression
        from units in UnitsOf(s, input, zNames, weightsColumn, covariates, ks)
        let unitWeights = units.Weights
        let concomitantModel = units.Concomitant
        let weightModel = units.WeightModel
        from unweighted in glm.Data()
        let data = unweighted.WithWeights(unitWeights)
        let settings = new GlmSettings(s.Starts, s.Seed, s.Tol, s.MaxIter, s.MinPrior, accelerate, s.Screen, s.Finalists, s.NewtonAfter, s.ScreenFrom, Interruption.Token)
        from path in ProgressDisplay.Run(s.Quiet, report => GlmRegression.Estimate(ks, data, settings with { Progress = report }, criterion, weightModel))
        from selected in path.Selected is { } sel
            ? LanguageExt.Fin<KEstimate<GlmComponents>>.Succ(sel)
            : LanguageExt.Fin<KEstimate<GlmComponents>>.Fail(Failure.Data($"{s.File}: no K gave an admissible solution ({string.Join("; ", path.Fits.Select(f => $"K = {f.K}: {f.Failure}"))})"))
        let best = selected.Estimate!.Best
        let posterior = GlmRegression.Responsibilities(best, data, weightModel)
        let inference = GlmRegression.StandardErrors(best.Mixture.Components, best.Mixture.Weights, data, weightModel)
        let profiles = ClassProfile.Of(posterior, data.RowUnit, input.Y, input.Covariates)
        let means = weightModel is null ? [] : ConcomitantProfile.Of(posterior.AsColumnMajorArray() ?? posterior.ToColumnMajorArray(), posterior.RowCount, posterior.ColumnCount, concomitantModel.Variables, unitWeights)
        let model = RegressionModelJson.FromGlm(glm, settings, path, selected, criterion, inference, profiles, ks, weightModel).WithConcomitant(concomitantModel, means)
            .WithWeights(ObservationWeightsJson.Of(weightsColumn, unitWeights, path))
        let figures = Figures.Render(s.Plots, s.Report, () => RegressFigures.GlmCharts(glm, path, selected, criterion),
            charts => RegressReport.BuildGlm(glm, settings, path, selected, criterion, inference, profiles, charts,
                weightModel is null ? null : ConcomitantBlocks(weightModel, best.Mixture.Weights, inference, means)), s.Args)
        from ___ in Outputs.Commit([
                .. Outputs.When(s.Out, o => PendingFile.Text(o, Json.Serialize(model))),
                .. Outputs.When(s.Assignments, a => new PendingFile(a, st => RegressionCsvWriters.Assignments(st, input, posterior))),
                .. Figures.Files(s.Plots, s.Report, figures)],
            [s.File], Figures.Folders(s.Plots))
        select PrintGlm(s, glm, settings, path, selected, criterion, inference, profiles, weightModel, means);

    private static int PrintGlm(Settings s, GlmInput glm, GlmSettings settings, EstimationPath<GlmComponents> path, KEstimate<GlmComponents> selected, SelectionCriterion criterion,
        LanguageExt.Fin<RegressionInference> inference, System.Collections.Immutable.ImmutableArray<ClassProfile> profiles, ConcomitantWeights? concomitant,
        System.Collections.Immutable.ImmutableArray<ConcomitantMean> means)
    {
        if (s.Quiet) return ExitCodes.Ok;
        RegressionTables.PrintGlm(glm, settings, path, selected, criterion, inference, profiles, concomitant, means);
        if (s.Out is not null) Console.WriteLine($"model written to {s.Out}");
        if (s.Assignments is not null) Console.WriteLine($"assignments written to {s.Assignments}");
        Figures.PrintWritten(s.Plots, s.Report);
        return ExitCodes.Ok;
    }

    private static int Print(Settings s, RegressionInput input, RegressionSettings settings, EstimationPath<RegressionComponents> path, KEstimate<RegressionComponents> selected, SelectionCriterion criterion,
        LanguageExt.Fin<RegressionInference> inference, System.Collections.Immutable.ImmutableArray<ClassProfile> profiles, ConcomitantWeights? concomitant,
        System.Collections.Immutable.ImmutableArray<ConcomitantMean> means)
    {
        if (s.Quiet) return ExitCodes.Ok;
        RegressionTables.Print(input, settings, path, selected, criterion, inference, profiles, concomitant: concomitant, concomitantMeans: means);
        if (s.Out is not null) Console.WriteLine($"model written to {s.Out}");
        if (s.Assignments is not null) Console.WriteLine($"assignments written to {s.Assignments}");
        Figures.PrintWritten(s.Plots, s.Report);
        return ExitCodes.Ok;
    }
}
