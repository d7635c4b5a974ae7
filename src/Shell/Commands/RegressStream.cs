using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Data;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Domain.Streaming;
using Mixtures.Shell.Output;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Commands;

/// <summary>
/// <c>mixtures regress --stream</c>: a mixture of linear regressions on a file larger than memory. The CSV is read once into a
/// columnar cache (an Arrow IPC file; an <c>.arrow</c> input is read directly); two passes check the data and form the
/// reference fit b0; the usual estimation (starts, acceleration) runs on a deterministic sample of rows (every m-th) for one
/// K; plain EM then streams over the whole file from that fit (<see cref="RegressionStream"/>: one pass per iteration, no
/// n x K buffer) to the log-likelihood stop rule; a final pass gives the assignments, the class profiles and the standard
/// errors. The model file has the shape of the in-memory command's and <c>predict</c> reads it.
/// </summary>
public static class RegressStream
{
    private sealed record Valid(RegressionColumns Columns, int K, VarianceModel Variance, Acceleration Accelerate, char? Separator, int ChunkRows, int SampleRows);

    /// <summary>The streaming options that only make sense with --stream, named when given without it (null: none).</summary>
    internal static string? WithoutStream(RegressCommand.Settings s) => StreamCache.WithoutStream(s.ChunkRows, s.Cache, s.SampleRows);

    /// <summary>Runs the streaming fit: one failure line and exit code, or the printed summary.</summary>
    public static int Run(RegressCommand.Settings s) => Cli.Run(() =>
        from v in Validate(s)
        from _ in Outputs.Check([s.File], [Outputs.To("--out", s.Out), Outputs.To("--assignments", s.Assignments), Outputs.To("--cache", s.Cache)])
        from code in Compute(s, v)
        select code);

    private static Fin<Valid> Validate(RegressCommand.Settings s)
    {
        var problems = new List<string>();
        void Take<T>(Fin<T> r, Action<T> use) => r.Match(Succ: use, Fail: e => problems.Add(e.Message));
        var K = 0;
        Take(Cli.ParseKs(s.Ks), ks =>
        {
            if (ks.Length != 1) problems.Add($"--stream fits one K: give --k a single value (got {s.Ks})");
            else if (ks[0] > RegressionStream.MaxClasses) problems.Add($"--stream fits at most {RegressionStream.MaxClasses} classes (got --k {ks[0]})");
            else K = ks[0];
        });
        VarianceModel? variance = null;
        Take(RegressCommand.ParseVariance(s.Variance), v => variance = v);
        var accelerate = Acceleration.Squarem;
        Take(SearchOptions.ParseAccelerate(s.Accelerate), a => accelerate = a);
        char? separator = null;
        Take(DataTableCsv.ParseSeparator(s.Sep), sep => separator = DataTableCsv.Separator(sep));
        RegressionColumns? columns = null;
        Take(RegressionColumns.Parse(s.Y, s.X, null, s.NoIntercept), c => columns = c);
        if (s.X is null) problems.Add("--x: give the covariate columns");
        if (s.Family.Trim().ToLowerInvariant() is not ("gaussian" or "normal")) problems.Add("--stream fits --family gaussian only (an IRLS family needs several passes per iteration)");
        foreach (var (given, option) in new[] { (s.Group is not null, "--group"), (s.Weights is not null, "--weights"), (s.Concomitant is not null, "--concomitant"),
                     (s.Offset is not null, "--offset"), (s.Trials is not null, "--trials"), (s.Categorical is { Count: > 0 }, "--categorical"),
                     (s.References is { Count: > 0 }, "--reference"), (s.Plots is not null, "--plots"), (s.Report is not null, "--report"), (s.Select != "bic", "--select") })
            if (given) problems.Add($"{option} is not available with --stream");
        var chunk = s.ChunkRows ?? ClusterStream.DefaultChunkRows;
        if (chunk < RegressionStream.BlockMultiple || chunk % RegressionStream.BlockMultiple != 0)
            problems.Add($"--chunk-rows must be a positive multiple of {RegressionStream.BlockMultiple} (the kernels' chunk, so that the sums are the in-memory ones; got {chunk})");
        var sample = s.SampleRows ?? ClusterStream.DefaultSampleRows;
        if (sample < 1) problems.Add($"--sample-rows must be at least 1 (got {sample})");
        foreach (var (ok, problem) in new[] {
                     (s.Starts >= 1, $"--starts must be at least 1 (got {s.Starts})"),
                     (s.Tol > 0 && double.IsFinite(s.Tol), $"--tol must be positive (got {s.Tol})"),
                     (s.MaxIter >= 1, $"--max-iter must be at least 1 (got {s.MaxIter})"),
                     (s.MinPrior >= 0 && s.MinPrior < 1, $"--min-prior must be in [0, 1) (got {s.MinPrior})"),
                     (K * s.MinPrior <= 1, $"--min-prior {s.MinPrior} cannot hold for K = {K} classes (K * min-prior must be at most 1)") })
            if (!ok) problems.Add(problem);
        foreach (var (ok, problem) in SearchOptions.Checks(s.Screen, s.Finalists, s.ScreenFrom).Append(SearchOptions.NewtonCheck(s.NewtonAfter)))
            if (!ok) problems.Add(problem);
        if (problems.Count > 0) return FinFail<Valid>(Failure.Usage(string.Join("; ", problems)));
        return new Valid(columns!, K, variance!, accelerate, separator, chunk, sample);
    }

    private static Fin<int> Compute(RegressCommand.Settings s, Valid v)
    {
        var clock = Stopwatch.StartNew();
        void Say(string line) { if (!s.Quiet) Console.Error.WriteLine($"mixtures: {line}"); }
        return StreamCache.Run(s.File, [v.Columns.Y, .. v.Columns.X], s.Cache, v.Separator, InputOptions.Numbers(s.DecimalComma), s.DropMissing, v.ChunkRows, clock, Say,
            (info, blocks) => Fit(s, v, info, blocks, clock, Say));
    }

    private static Fin<T> InFile<T>(string file, Fin<T> result) => ClusterCommand.InFile(file, result);

    private static Fin<int> Fit(RegressCommand.Settings s, Valid v, ColumnCacheInfo info, ArrowBlocks blocks, Stopwatch clock, Action<string> say)
    {
        string Describe(StreamPass p) => p.Kind switch
        {
            StreamPassKind.Ranges => "column ranges",
            StreamPassKind.CrossProducts => "cross products, the reference fit",
            StreamPassKind.Sweep => p.Iteration == 0 ? "E-step at the start, the M-step's sums" : $"iteration {p.Iteration}: E-step, log L and the M-step's sums",
            _ => "assignments, profiles and standard errors",
        };
        var progress = StreamCache.Progress(clock, say, Describe);
        var intercept = v.Columns.Intercept;
        var prepared = InFile(s.File, RegressionStream.Prepare(blocks, intercept, v.K, progress, Interruption.Token));
        if (!prepared.TryGet(out var data, out var prepError)) return FinFail<int>(prepError);

        // the start: the usual estimation on every m-th row
        var readStart = clock.Elapsed;
        var (sampleRows, values) = blocks.Sample(v.SampleRows);
        var p = data.Coefficients;
        var y = values.AsSpan(0, sampleRows).ToArray();
        var X = Matrix<double>.Build.Dense(sampleRows, p, (i, j) => intercept && j == 0 ? 1.0 : values[(j - (intercept ? 1 : 0) + 1) * sampleRows + i]);
        var settings = new RegressionSettings(v.Variance, s.Starts, s.Seed, s.Tol, s.MaxIter, s.MinPrior, v.Accelerate, s.Screen, s.Finalists, s.NewtonAfter,
            s.ScreenFrom, Interruption.Token);
        var fitStart = clock.Elapsed;
        var sampleFit = sampleRows <= p || v.K > sampleRows
            ? FinFail<EstimateResult<RegressionComponents>>(Failure.Data($"{s.File}: a sample of {sampleRows:N0} rows is too small for K = {v.K} and {p} coefficients (raise --sample-rows)"))
            : LatentClassRegression.Estimate(v.K, RegressionData.FromRows(y, X), settings).Match(
                Succ: e => Fin<EstimateResult<RegressionComponents>>.Succ(e),
                Fail: e => FinFail<EstimateResult<RegressionComponents>>(Failure.Data($"{s.File}: K = {v.K} on a sample of {sampleRows:N0} rows: {e.Message}")));
        if (!sampleFit.TryGet(out var sampleBest, out var sampleError)) return FinFail<int>(sampleError);
        say($"start: K = {v.K} fitted on a sample of {sampleRows:N0} rows ({StreamCache.EveryMth(blocks.Rows, v.SampleRows)}), log L {sampleBest.LogLikelihood.ToString("G10", CultureInfo.InvariantCulture)}, sample read in {(fitStart - readStart).TotalSeconds:F1} s, fitted in {(clock.Elapsed - fitStart).TotalSeconds:F1} s");

        // a pass's time from here on is its own, not the sample fit's
        progress = StreamCache.Progress(clock, say, Describe);
        var options = new EmOptions(s.Tol, s.MaxIter, Rule: StopRule.LogLikelihoodChange, MinPrior: s.MinPrior, Cancellation: Interruption.Token);
        var streamed = InFile(s.File, RegressionStream.Fit(blocks, data, v.Variance, sampleBest.Best.Mixture, options, progress));
        if (!streamed.TryGet(out var fit, out var error)) return FinFail<int>(error);

        RegressionStreamSummary? summary = null;
        void Final(Stream? assignments)
        {
            var lines = new LineTracker(blocks);
            using var w = assignments is null ? null : new StreamWriter(assignments, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            var K = fit.Fit.Mixture.Components.K;
            w?.WriteLine("row" + string.Concat(Enumerable.Range(1, K).Select(k => $",resp_{k}")) + ",class,probability");
            var inv = CultureInfo.InvariantCulture;
            var row = 0;
            summary = RegressionStream.Final(lines, fit, b =>
            {
                if (w is null) { row += b.Rows; return; }
                var numbers = lines.Current!;
                var sb = new System.Text.StringBuilder();
                for (var i = 0; i < b.Rows; i++, row++)
                {
                    sb.Clear();
                    sb.Append(numbers[i].ToString(inv));
                    for (var k = 0; k < K; k++) sb.Append(',').Append(b.Posteriors[k * b.Rows + i].ToString("R", inv));
                    sb.Append(',').Append((b.Labels[i] + 1).ToString(inv)).Append(',').Append(b.Confidence[i].ToString("R", inv));
                    w.WriteLine(sb);
                }
            }, Interruption.Token);
            w?.Flush();
            progress(new StreamPass(fit.Passes + 1, fit.Fit.Iterations, StreamPassKind.Assign, fit.Rows, double.NaN));
        }
        var files = new List<PendingFile>();
        if (s.Assignments is not null) files.Add(new PendingFile(s.Assignments, Final));
        else Final(null);
        if (s.Out is not null) files.Add(new PendingFile(s.Out, st => PendingFile.WriteText(st, Json.Serialize(Model(s, v, info, fit, summary!, sampleRows, sampleBest)))));
        return from _ in Outputs.Commit(files, [s.File])
               select Print(s, v, fit, summary!);
    }

    private static RegressionModelJson Model(RegressCommand.Settings s, Valid v, ColumnCacheInfo info, RegressionStreamFit fit, RegressionStreamSummary summary,
        int sampleRows, EstimateResult<RegressionComponents> sampleBest)
    {
        var f = fit.Fit;
        var comps = f.Mixture.Components;
        var pi = f.Mixture.Weights;
        var K = comps.K;
        var names = v.Columns.Coefficients;
        RegressionInference? inf = null;
        string? unavailable = null;
        summary.Inference.Match(Succ: i => inf = i, Fail: e => unavailable = e.Message);
        var classes = Enumerable.Range(0, K).Select(c => new RegressionModelClass(c + 1, pi.Pi[c], comps.Classes[c].Sigma, comps.Classes[c].Beta.ToArray(),
            inf is null ? null : names.Select((nm, j) => RegressionCoefficientJson.From(nm, inf.Beta[c][j])).ToList(),
            inf is null ? null : IntervalJson.From(inf.Pi[c]),
            inf is null || inf.Sigma.Length == 0 ? null : IntervalJson.From(inf.Sigma[v.Variance.Kind == VarianceKind.PerClass ? c : 0]))).ToList();
        double? Finite(double x) => double.IsFinite(x) ? x : null;
        var selected = new RegressionSelectedModel(K, f.LogLikelihood, fit.Bic, fit.Aic, summary.Icl, fit.FreeParameters, classes,
            inf?.Logit.Select((l, j) => RegressionCoefficientJson.From($"log(pi_{j + 2}/pi_1)", l)).ToList(),
            inf?.LogSigma.Select((l, j) => RegressionCoefficientJson.From(inf.LogSigma.Length == 1 ? "log(sigma)" : $"log(sigma_{j + 1})", l)).ToList(),
            unavailable,
            summary.Profiles.Select(p => new RegressionProfileJson(p.Class, p.Units, p.Rows, Finite(p.MeanY), p.MeanCovariates.Select(Finite).ToArray(), Finite(p.MeanPosterior))).ToList());
        var variance = v.Variance.Kind switch { VarianceKind.PerClass => "per-class", VarianceKind.Common => "common", _ => "fixed" };
        var summaryRow = new RegressionModelSummary(K, fit.FreeParameters, f.LogLikelihood, fit.Bic, fit.Aic, summary.Icl, f.Iterations, f.Converged,
            1, 1, 0, 0, "the sample's estimate", false, null, null, null, classes);
        var conventions = RegressionModelConventions.Standard with
        {
            Stop = "streaming plain EM stops when |log L_t - log L_(t-1)| < tol n (the rule that needs no n x K responsibilities of two iterations); log L is evaluated at the final parameters",
        };
        return new RegressionModelJson(RegressionModelJson.KindName, RegressionModelJson.Version,
            "y_i = x_i' beta_c + e_i, e_i ~ N(0, sigma_c^2), Pr[class c] = pi_c", null, null,
            new RegressionModelData(Path.GetFileName(info.Source), fit.Rows, fit.Rows, info.DroppedRows, info.Separator),
            v.Columns.Y, v.Columns.X, v.Columns.Intercept, names, null, null, null, variance, v.Variance.Kind == VarianceKind.Fixed ? v.Variance.FixedVariance : null,
            new RegressionModelSettings([v.K], s.Starts, s.Seed, s.Tol, s.MaxIter, s.MinPrior, RegressionModelJson.CriterionName(SelectionCriterion.Bic),
                "none (streaming plain EM; the start: " + Search(v.Accelerate) + " on the sample)", s.Screen, s.Finalists),
            conventions, K, selected, [summaryRow])
        {
            Streaming = new ClusterStreamingJson(v.ChunkRows, fit.Passes + 1, sampleRows, sampleBest.LogLikelihood, [.. f.Trace],
                "the start is the estimation on every m-th row (m = floor(n / sample rows)); plain EM then streams over every row, one pass per iteration, " +
                "after a ranges pass and a cross-products pass (the reference fit b0); the final pass gives the assignments, profiles and standard errors"),
        };
    }

    private static string Search(Acceleration a) => a switch { Acceleration.None => "plain EM", _ => a.ToString().ToLowerInvariant() };

    private static int Print(RegressCommand.Settings s, Valid v, RegressionStreamFit fit, RegressionStreamSummary summary)
    {
        if (s.Quiet) return ExitCodes.Ok;
        var f = fit.Fit;
        var inv = CultureInfo.InvariantCulture;
        var K = f.Mixture.Components.K;
        Console.WriteLine($"streaming EM: K = {K}, n = {fit.Rows:N0}, p = {fit.Coefficients}, {f.Iterations} iterations ({(f.Converged ? "converged" : "iteration limit")}), {fit.Passes + 1} passes");
        Console.WriteLine($"log L = {f.LogLikelihood.ToString("R", inv)}, BIC = {fit.Bic.ToString("F2", inv)}, AIC = {fit.Aic.ToString("F2", inv)}, ICL = {summary.Icl.ToString("F2", inv)}, k = {fit.FreeParameters}");
        var names = v.Columns.Coefficients;
        RegressionInference? inf = null;
        summary.Inference.Match(Succ: i => inf = i, Fail: e => Console.WriteLine($"standard errors unavailable: {e.Message}"));
        for (var c = 0; c < K; c++)
        {
            var cls = f.Mixture.Components.Classes[c];
            var prof = summary.Profiles[c];
            Console.WriteLine($"class {c + 1}: pi {f.Mixture.Weights.Pi[c].ToString("F4", inv)}, sigma {cls.Sigma.ToString("G6", inv)}, rows {prof.Rows:N0}, mean posterior {prof.MeanPosterior.ToString("F3", inv)}");
            for (var j = 0; j < names.Length; j++)
                Console.WriteLine($"  {names[j]}: {cls.Beta[j].ToString("G6", inv)}" + (inf is null ? "" : $" (se {inf.Beta[c][j].StdError.ToString("G4", inv)})"));
        }
        if (s.Out is not null) Console.WriteLine($"model written to {s.Out}");
        if (s.Assignments is not null) Console.WriteLine($"assignments written to {s.Assignments}");
        return ExitCodes.Ok;
    }

    /// <summary>The cache's blocks with the CSV line numbers of the current block kept while the final pass handles it.</summary>
    private sealed class LineTracker(ArrowBlocks blocks) : IRowBlocks
    {
        public int Columns => blocks.Columns;
        public ImmutableArray<string> ColumnNames => blocks.ColumnNames;
        public int[]? Current { get; private set; }

        public IEnumerable<RowBlock> Blocks()
        {
            foreach (var (block, lines) in blocks.BlocksWithLines())
            {
                Current = lines;
                yield return block;
            }
        }
    }
}
