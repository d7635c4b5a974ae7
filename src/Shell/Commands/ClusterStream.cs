using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using LanguageExt;
using Mixtures.Data;
using Mixtures.Domain;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Domain.Streaming;
using Mixtures.Shell.Output;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Commands;

/// <summary>
/// <c>mixtures cluster --stream</c>: a Gaussian mixture on a file larger than memory. The CSV is read once into a columnar
/// cache (an Arrow IPC file; an <c>.arrow</c> input is read directly), the usual estimation (starts, acceleration) runs on a
/// deterministic sample of rows (every m-th) for one K, and plain EM then streams over the whole file from that fit
/// (<see cref="GaussianStream"/>: one pass per iteration, no n x K buffer) to the usual log-likelihood stop rule; a final
/// pass gives the profiles and the assignments. The model file has the shape of the in-memory command's.
/// </summary>
public static class ClusterStream
{
    /// <summary>Rows per block of the streaming passes (256 chunks of 4096).</summary>
    public const int DefaultChunkRows = 256 * 4096;

    /// <summary>Rows of the sample the start is fitted on.</summary>
    public const int DefaultSampleRows = 100_000;

    private sealed record Valid(string[] Columns, int K, char? Separator, GaussianSettings Gaussian, int ChunkRows, int SampleRows);

    /// <summary>The streaming options that only make sense with --stream, named when given without it (null: none).</summary>
    internal static string? WithoutStream(ClusterCommand.Settings s) => StreamCache.WithoutStream(s.ChunkRows, s.Cache, s.SampleRows);

    /// <summary>Runs the streaming fit: one failure line and exit code, or the printed summary.</summary>
    public static int Run(ClusterCommand.Settings s) => Cli.Run(() =>
        from v in Validate(s)
        from _ in Outputs.Check([s.File], [Outputs.To("--out", s.Out), Outputs.To("--assignments", s.Assignments), Outputs.To("--cache", s.Cache)])
        from code in Compute(s, v)
        select code);

    private static Fin<Valid> Validate(ClusterCommand.Settings s)
    {
        var problems = new List<string>();
        var (columns, cov, init, accelerate, sep) = ClusterCommand.CheckShared(s, problems);
        var K = 0;
        Cli.ParseKs(s.Ks).Match(Succ: ks => { if (ks.Length == 1) K = ks[0]; else problems.Add($"--stream fits one K: give --k a single value (got {s.Ks})"); },
            Fail: e => problems.Add(e.Message));
        var chunk = s.ChunkRows ?? DefaultChunkRows;
        if (chunk < GaussianStream.BlockMultiple || chunk % GaussianStream.BlockMultiple != 0)
            problems.Add($"--chunk-rows must be a positive multiple of {GaussianStream.BlockMultiple} (the kernels' chunk, so that the sums are the in-memory ones; got {chunk})");
        var sample = s.SampleRows ?? DefaultSampleRows;
        if (sample < 1) problems.Add($"--sample-rows must be at least 1 (got {sample})");
        foreach (var (given, option) in new[] { (s.Standardize, "--standardize"), (s.Concomitant is not null, "--concomitant"), (s.Weights is not null, "--weights"),
                     (s.Plots is not null, "--plots"), (s.Report is not null, "--report"), (s.Select != "bic", "--select") })
            if (given) problems.Add($"{option} is not available with --stream");
        if (problems.Count > 0) return FinFail<Valid>(Failure.Usage(string.Join("; ", problems)));
        return new Valid(columns, K, sep, new GaussianSettings(cov!.Value, s.Starts, s.Seed, false, s.RegCovar, s.Tol, s.MaxIter, init!.Value, s.AllowDegenerate,
            accelerate, s.Screen, s.Finalists, s.ScreenFrom, Interruption.Token), chunk, sample);
    }

    private static Fin<int> Compute(ClusterCommand.Settings s, Valid v)
    {
        var clock = Stopwatch.StartNew();
        void Say(string line) { if (!s.Quiet) Console.Error.WriteLine($"mixtures: {line}"); }
        return StreamCache.Run(s.File, v.Columns, s.Cache, v.Separator, InputOptions.Numbers(s.DecimalComma), s.DropMissing, v.ChunkRows, clock, Say,
            (info, blocks) => Fit(s, v, info, blocks, clock, Say));
    }

    private static Fin<int> Fit(ClusterCommand.Settings s, Valid v, ColumnCacheInfo info, ArrowBlocks blocks, Stopwatch clock, Action<string> say)
    {
        var readStart = clock.Elapsed;
        var (sampleRows, sampleValues) = blocks.Sample(v.SampleRows);
        var fitStart = clock.Elapsed;
        var sampleFit =
            from data in ClusterCommand.InFile(s.File, GaussianData.FromColumnMajor(sampleRows, blocks.Columns, sampleValues, blocks.ColumnNames))
            from est in ClusterCommand.InFile(s.File, GaussianMixture.Estimate([v.K], data, v.Gaussian))
            from best in est.Path[0].Estimate is { } e
                ? Fin<EstimateResult<GaussianComponents>>.Succ(e)
                : FinFail<EstimateResult<GaussianComponents>>(Failure.Data($"{s.File}: K = {v.K} on a sample of {sampleRows:N0} rows: {est.Path[0].Failure}"))
            select best;
        if (!sampleFit.TryGet(out var sampleBest, out var sampleError)) return FinFail<int>(sampleError);
        say($"start: K = {v.K} fitted on a sample of {sampleRows:N0} rows ({StreamCache.EveryMth(blocks.Rows, v.SampleRows)}), log L {sampleBest.LogLikelihood.ToString("G10", CultureInfo.InvariantCulture)}, sample read in {(fitStart - readStart).TotalSeconds:F1} s, fitted in {(clock.Elapsed - fitStart).TotalSeconds:F1} s");
        var family = new GaussianFamily(v.Gaussian.Covariance, v.Gaussian.RegCovar);
        var options = new EmOptions(v.Gaussian.Tolerance, v.Gaussian.MaxIterations, Rule: StopRule.LogLikelihoodChange, Cancellation: Interruption.Token);
        var Progress = StreamCache.Progress(clock, say, p => p.Kind switch
        {
            StreamPassKind.Ranges => "column ranges",
            StreamPassKind.Moments => $"iteration {p.Iteration}: E-step, log L, means and covariances",
            StreamPassKind.Scatter => $"iteration {p.Iteration}: E-step again, covariances about the new means",
            _ => "assignments",
        });
        var streamStart = clock.Elapsed;
        var streamed = ClusterCommand.InFile(s.File, GaussianStream.Fit(blocks, family, sampleBest.Best.Mixture, options, Progress));
        if (!streamed.TryGet(out var fit, out var error)) return FinFail<int>(error);
        var streamTime = clock.Elapsed - streamStart;
        var summary = new StreamSummary(blocks.Columns, fit.Fit.Mixture.Components.K);
        var model = () => Model(s, v, info, fit, sampleRows, sampleBest, summary, streamTime);
        var files = new List<PendingFile>();
        if (s.Assignments is not null)
            files.Add(new PendingFile(s.Assignments, st => { summary.Run(blocks, fit, st); Progress(new StreamPass(fit.Passes + 1, fit.Fit.Iterations, StreamPassKind.Assign, summary.Rows, double.NaN)); }));
        else
        {
            summary.Run(blocks, fit, null);
            Progress(new StreamPass(fit.Passes + 1, fit.Fit.Iterations, StreamPassKind.Assign, summary.Rows, double.NaN));
        }
        if (s.Out is not null) files.Add(new PendingFile(s.Out, st => PendingFile.WriteText(st, Json.Serialize(model()))));
        return from _ in Outputs.Commit(files, [s.File])
               select Print(s, fit, summary);
    }

    private static ClusterModelJson Model(ClusterCommand.Settings s, Valid v, ColumnCacheInfo info, GaussianStreamFit fit, int sampleRows,
        EstimateResult<GaussianComponents> sampleBest, StreamSummary summary, TimeSpan streamTime)
    {
        var m = fit.Fit.Mixture;
        var c = m.Components;
        var d = c.D;
        var K = c.K;
        var means = Enumerable.Range(0, K).Select(k => c.Means.Skip(k * d).Take(d).ToArray()).ToArray();
        double[][] Rows(double[] flat) => Enumerable.Range(0, flat.Length / d).Select(r => flat.Skip(r * d).Take(d).ToArray()).ToArray();
        object cov = c.Type switch
        {
            CovarianceType.Full => Enumerable.Range(0, K).Select(k => Rows(c.Covariances.Skip(k * d * d).Take(d * d).ToArray())).ToArray(),
            CovarianceType.Tied or CovarianceType.Diag => Rows(c.Covariances.ToArray()),
            _ => c.Covariances.ToArray(),
        };
        var g = v.Gaussian;
        var degenerate = Degeneracy.Find(c, g.RegCovar, [.. info.Columns]);
        var selection = new ClusterKJson(K, fit.Fit.LogLikelihood, fit.Bic, fit.Aic, fit.FreeParameters, fit.Fit.Iterations, fit.Fit.Converged,
            !degenerate.IsEmpty, degenerate.Select(x => x.ToString()).ToList(), null, null, null, null, null, false, null, true, null);
        return new ClusterModelJson(ClusterModelJson.KindName, 1, [.. info.Columns], c.Type.Name(), c.Type.MclustName(), g.RegCovar, null,
            K, [.. m.Weights.Pi], means, cov, means, fit.Fit.LogLikelihood, fit.Bic, fit.Aic, fit.FreeParameters, fit.Rows,
            ClusterText.Criterion(false), ClusterText.StopRule(g), ClusterText.DegenerateRule(g),
            new ClusterDataJson(Path.GetFileName(info.Source), info.Separator, fit.Rows, info.DroppedRows),
            new ClusterSettingsJson(v.K.ToString(CultureInfo.InvariantCulture), g.Covariance.Name(), g.Starts, g.Seed, false, g.RegCovar, g.Tolerance, g.MaxIterations,
                ClusterText.InitOption(g.Init), g.AllowDegenerate, "none (streaming plain EM; the start: " + g.EmOptions.Algorithm + " on the sample)", g.ScreenIterations, g.Finalists),
            [selection],
            summary.Profiles().Select(p => new ClusterProfileJson(p.Cluster, p.Size, p.Fraction, p.Means.Select(ClusterModelJson.Nullable).ToArray(),
                p.ShareOfTotal.Select(ClusterModelJson.Nullable).ToArray(), ClusterModelJson.Nullable(p.MeanConfidence))).ToList(),
            summary.Confidence())
        {
            Streaming = new ClusterStreamingJson(v.ChunkRows, fit.Passes + 1, sampleRows, sampleBest.LogLikelihood, [.. fit.Fit.Trace],
                "the start is the estimation on every m-th row (m = floor(n / sample rows)); plain EM then streams over every row; " +
                "the median confidence is read from a histogram of 2^20 bins (within 1e-6)"),
        };
    }

    private static int Print(ClusterCommand.Settings s, GaussianStreamFit fit, StreamSummary summary)
    {
        if (s.Quiet) return ExitCodes.Ok;
        var f = fit.Fit;
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"streaming EM: K = {f.Mixture.Components.K} ({f.Mixture.Components.Type.Name()}), n = {fit.Rows:N0}, {f.Iterations} iterations " +
                          $"({(f.Converged ? "converged" : "iteration limit")}), {fit.Passes + 1} passes");
        Console.WriteLine($"log L = {f.LogLikelihood.ToString("R", inv)}, BIC = {fit.Bic.ToString("F2", inv)}, AIC = {fit.Aic.ToString("F2", inv)}, k = {fit.FreeParameters}");
        var d = f.Mixture.Components.D;
        foreach (var p in summary.Profiles())
            Console.WriteLine($"cluster {p.Cluster}: weight {f.Mixture.Weights.Pi[p.Cluster - 1].ToString("F4", inv)}, size {p.Size:N0} ({p.Fraction.ToString("P1", inv)}), " +
                              $"mean confidence {p.MeanConfidence.ToString("F3", inv)}, means {string.Join(", ", f.Mixture.Components.Means.Skip((p.Cluster - 1) * d).Take(d).Select(x => x.ToString("G6", inv)))}");
        if (s.Out is not null) Console.WriteLine($"model written to {s.Out}");
        if (s.Assignments is not null) Console.WriteLine($"assignments written to {s.Assignments}");
        return ExitCodes.Ok;
    }

    /// <summary>The final pass's sums: sizes, column sums per cluster, confidences (sums, minimum, a histogram for the median).</summary>
    private sealed class StreamSummary(int d, int K)
    {
        private const int Bins = 1 << 20;
        private readonly long[] size = new long[K];
        private readonly double[] sums = new double[K * d];
        private readonly double[] totals = new double[d];
        private readonly double[] conf = new double[K];
        private int[]? histogram;
        private double min = double.PositiveInfinity;
        private long above;
        private double confSum;

        public long Rows { get; private set; }

        public void Run(ArrowBlocks blocks, GaussianStreamFit fit, Stream? assignments)
        {
            histogram = new int[Bins + 1];
            var tracked = new TrackedBlocks(blocks);
            using var w = assignments is null ? null : CsvHelper.CsvWriter.Create(assignments, new CsvHelper.CsvWriterOptions { NewLine = "\n" }, leaveOpen: true);
            w?.WriteHeader(["row", "cluster", "probability", .. Enumerable.Range(1, K).Select(k => $"p{k}")]);
            var line = new string[K + 3];
            var inv = CultureInfo.InvariantCulture;
            foreach (var a in GaussianStream.Assign(tracked, fit, withPosteriors: assignments is not null))
            {
                var r = a.Rows;
                var x = tracked.Current.Values.Span;
                var lines = tracked.Lines;
                for (var i = 0; i < r; i++)
                {
                    var k = a.Labels[i];
                    var c = a.Confidence[i];
                    size[k]++;
                    conf[k] += c;
                    confSum += c;
                    if (c < min) min = c;
                    if (c > Mixtures.Domain.Gaussian.Profiles.DefaultThreshold) above++;
                    histogram[(int)Math.Min(Bins, Math.Floor(c * Bins))]++;
                    for (var j = 0; j < d; j++) { var v = x[j * r + i]; sums[k * d + j] += v; totals[j] += v; }
                    if (w is null) continue;
                    line[0] = lines[i].ToString(inv);
                    line[1] = (k + 1).ToString(inv);
                    line[2] = c.ToString("R", inv);
                    for (var q = 0; q < K; q++) line[q + 3] = a.Posteriors[q * r + i].ToString("R", inv);
                    w.WriteRecord(line);
                }
                Rows += r;
            }
            w?.Flush();
        }

        public ImmutableArray<ClusterProfile> Profiles() => [.. Enumerable.Range(0, K).Select(k => new ClusterProfile(
            k + 1, (int)size[k], (double)size[k] / Rows,
            [.. Enumerable.Range(0, d).Select(j => size[k] > 0 ? sums[k * d + j] / size[k] : double.NaN)],
            [.. Enumerable.Range(0, d).Select(j => totals[j] != 0 ? sums[k * d + j] / totals[j] : double.NaN)],
            size[k] > 0 ? conf[k] / size[k] : double.NaN))];

        public ConfidenceSummary Confidence()
        {
            // the median from the histogram: the middle bin's centre
            var half = (Rows + 1) / 2;
            var seen = 0L;
            var median = double.NaN;
            for (var b = 0; b <= Bins && histogram is not null; b++)
            {
                seen += histogram[b];
                if (seen >= half) { median = Math.Min(1.0, (b + 0.5) / Bins); break; }
            }
            return new ConfidenceSummary(confSum / Rows, median, min, (double)above / Rows, Mixtures.Domain.Gaussian.Profiles.DefaultThreshold);
        }
    }

    /// <summary>The cache's blocks with the current block and its CSV lines kept while the final pass handles it.</summary>
    private sealed class TrackedBlocks(ArrowBlocks blocks) : IRowBlocks
    {
        public int Columns => blocks.Columns;
        public ImmutableArray<string> ColumnNames => blocks.ColumnNames;
        public RowBlock Current { get; private set; }
        public int[] Lines { get; private set; } = [];

        public IEnumerable<RowBlock> Blocks()
        {
            foreach (var (block, lines) in blocks.BlocksWithLines())
            {
                Current = block;
                Lines = lines;
                yield return block;
            }
        }
    }
}
