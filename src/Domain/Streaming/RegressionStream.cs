using System.Collections.Immutable;
using System.Runtime.InteropServices;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Streaming;

/// <summary>
/// Streaming EM for mixtures of linear regressions y_i = x_i' beta_c + e_i, e_i ~ N(0, sigma_c^2), on single rows (no
/// groups, no observation weights, K &lt;= 16) read as blocks of an <see cref="IRowBlocks"/> whose first column is y and
/// whose others are the covariates (the design is [1, covariates] with an intercept). No n x K buffer is ever held:
/// every pass recomputes a block's responsibilities and drops them with the block.
/// <list type="number">
/// <item>a ranges pass: n, each column's largest magnitude (its unit, <see cref="RegressionData.UnitExponent"/>) and range
/// (a zero or constant column is an error, as in memory);</item>
/// <item>a cross-products pass: X'X, X'y and y'y in the internal units, so b0 (the pooled OLS fit, the reference point of the
/// residuals r0 = y - X b0) is the in-memory one; a singular X'X is an error;</item>
/// <item>one pass per EM iteration at theta_{t-1}: per block the fused sweep (<see cref="RegressionSweep"/>: log-densities,
/// E-step, log L_{t-1} and the M-step's sums sum W [1, r0^2, x r0, x x']), the column sums of W for pi, and in the first such
/// pass the pooled residual variance sum r0^2 / n (the scale of the collapse rule). Then the M-step (Cholesky per class,
/// the variance per class, common or fixed) gives theta_t.</item>
/// </list>
/// Every sum is the in-memory kernels' own: partials over chunks of 4096 rows added in row order into running totals, so
/// with blocks of a multiple of 4096 rows every estimate, log L and responsibility equals, to the last bit, plain EM
/// (<see cref="EmLoop"/>, no acceleration, the log-likelihood stop rule |log L_t - log L_{t-1}| &lt; tol n) on the whole
/// data in memory started from the E-step at the same theta_0. The W-change stop rule of in-memory <c>regress</c> needs two
/// n x K buffers, so streaming takes the log-likelihood rule.
/// </summary>
/// <remarks>flexmix's <c>FLXMRglm()</c> M-step (weighted least squares per class) from sufficient statistics accumulated over
/// blocks, which is exact for the Gaussian family: one pass per iteration, unlike an IRLS family.</remarks>
public static class RegressionStream
{
    /// <summary>Blocks (all but the last) must have a multiple of this many rows: the kernels' chunk.</summary>
    public const int BlockMultiple = RegressionSweep.Chunk;

    /// <summary>At most this many classes (the fused sweep's limit).</summary>
    public const int MaxClasses = RegressionSweep.MaxK;

    /// <summary>
    /// The first two passes (see the class): the ranges and the cross products, with the checks of the data (a value that is
    /// not finite, no more rows than coefficients or than K classes, a zero, constant or collinear column): what
    /// <see cref="Fit(Mixtures.Domain.Streaming.IRowBlocks, Mixtures.Domain.Streaming.RegressionStreamData, Mixtures.Domain.Regression.VarianceModel, Mixtures.Domain.Model.Mixture{Mixtures.Domain.Regression.RegressionComponents}, Mixtures.Domain.Model.EmOptions, System.Action{Mixtures.Domain.Streaming.StreamPass})"/> starts from. Run it before fitting a start on a sample, so bad data fail with their own message.
    /// </summary>
    /// <param name="source">y then the covariates.</param>
    /// <param name="intercept">Whether the design has an intercept column first.</param>
    /// <param name="K">The number of classes to be fitted (checked against n and <see cref="MaxClasses"/>).</param>
    /// <param name="progress">Told after each pass.</param>
    /// <param name="cancel">Observed once per block.</param>
    public static Fin<RegressionStreamData> Prepare(IRowBlocks source, bool intercept, int K, Action<StreamPass>? progress = null, CancellationToken cancel = default)
    {
        if (source.Columns < (intercept ? 1 : 2)) throw new ArgumentException("the source needs y and at least one covariate (or an intercept)");
        if (K < 1 || K > MaxClasses) throw new ArgumentException($"streaming EM fits 1 to {MaxClasses} classes (K = {K})");
        var p = source.Columns - 1 + (intercept ? 1 : 0);
        var layout = new Layout(source.ColumnNames, intercept, p);
        return from ranges in Ranges(source, layout, K, 1, progress, cancel)
               from b0 in Reference(source, layout, ranges, 2, progress, cancel)
               select new RegressionStreamData(source.ColumnNames, intercept, ranges.N, p, new Prepared(layout, ranges, b0));
    }

    /// <summary>
    /// Plain EM over the blocks from <paramref name="start"/> (theta_0): the fit in canonical class order with its log L at the
    /// final parameters and the trace log L_1.., or the failure of the data (an exact fit with an estimated variance) or of an
    /// M-step (an empty class, a collapsed variance, a weight below the minimum prior).
    /// </summary>
    /// <param name="source">The source <paramref name="data"/> was prepared on; read 1 + t more times for t iterations.</param>
    /// <param name="data">The first two passes' results (<see cref="Prepare"/>).</param>
    /// <param name="variance">The variance model.</param>
    /// <param name="start">theta_0 (e.g. a fit on a sample of the rows), coefficients in the design's order.</param>
    /// <param name="options">Tolerance (per row, on log L), maximum iterations, minimum prior, cancellation; no acceleration.</param>
    /// <param name="progress">Told after every pass (never changes a result).</param>
    public static Fin<RegressionStreamFit> Fit(IRowBlocks source, RegressionStreamData data, VarianceModel variance, Mixture<RegressionComponents> start,
        EmOptions options, Action<StreamPass>? progress = null)
    {
        if (options.MaxIterations < 1) throw new ArgumentException("MaxIterations must be at least 1");
        if (source.Columns != data.ColumnNames.Length) throw new ArgumentException("the source is not the one the data were prepared on");
        var K = start.Components.K;
        if (K > MaxClasses) throw new ArgumentException($"streaming EM fits at most {MaxClasses} classes (K = {K})");
        if (start.Components.Classes.Any(c => c.Beta.Length != data.Coefficients)) throw new ArgumentException($"the start's classes need {data.Coefficients} coefficients");
        var prepared = data.State;
        return Iterate(source, prepared.Layout, prepared.Units, prepared.Reference, variance, start, options, progress, 2);
    }

    /// <summary><see cref="Prepare"/> and <see cref="Fit(Mixtures.Domain.Streaming.IRowBlocks, Mixtures.Domain.Streaming.RegressionStreamData, Mixtures.Domain.Regression.VarianceModel, Mixtures.Domain.Model.Mixture{Mixtures.Domain.Regression.RegressionComponents}, Mixtures.Domain.Model.EmOptions, System.Action{Mixtures.Domain.Streaming.StreamPass})"/> in one call.</summary>
    public static Fin<RegressionStreamFit> Fit(IRowBlocks source, bool intercept, VarianceModel variance, Mixture<RegressionComponents> start, EmOptions options,
        Action<StreamPass>? progress = null) =>
        from data in Prepare(source, intercept, start.Components.K, progress, options.Cancellation)
        from fit in Fit(source, data, variance, start, options, progress)
        select fit;

    internal sealed record Prepared(Layout Layout, ColumnUnits Units, ReferenceFit Reference);

    /// <summary>The design's columns: y is source column 0, coefficient j is source column j (with an intercept: j = 0 is the
    /// column of ones and coefficient j is source column j).</summary>
    internal sealed record Layout(ImmutableArray<string> Names, bool Intercept, int P)
    {
        public int First => Intercept ? 1 : 0;
        public string Coefficient(int j) => Intercept && j == 0 ? "(Intercept)" : Names[j - First + 1];
    }

    internal sealed record ColumnUnits(int N, int[] ColumnExponent, int ResponseExponent);

    internal sealed record ReferenceFit(double[] Beta0Units, double YtY);

    /// <summary>The ranges pass (see the class): n, the unit exponents, the zero- and constant-column checks.</summary>
    private static Fin<ColumnUnits> Ranges(IRowBlocks source, Layout layout, int K, int pass, Action<StreamPass>? progress, CancellationToken cancel) =>
        from r in ColumnRanges.Of(source, cancel)
        from units in Units(r, source, layout, K, pass, progress)
        select units;

    private static Fin<ColumnUnits> Units(ColumnRanges r, IRowBlocks source, Layout layout, int K, int pass, Action<StreamPass>? progress)
    {
        var n = r.N;
        var p = layout.P;
        if (n <= p) return FinFail<ColumnUnits>(new InvalidDataError($"{n} row(s) for {p} coefficient(s); a regression needs more rows than coefficients"));
        if (n > System.Array.MaxLength / Math.Max(1, K)) return FinFail<ColumnUnits>(new InvalidDataError($"{n} rows: more than {System.Array.MaxLength / Math.Max(1, K)} rows are not supported for K = {K}"));
        if (K > n) return FinFail<ColumnUnits>(new InvalidDataError($"{n} row(s) but K = {K} classes requested (K cannot exceed the number of rows)"));
        for (var j = 1; j < source.Columns; j++)
        {
            var name = source.ColumnNames[j];
            if (r.MaxAbs(j) == 0) return FinFail<ColumnUnits>(new InvalidDataError($"column {name} is zero in every row (its coefficient is not identified)"));
            if (layout.Intercept && r.Hi[j] - r.Lo[j] == 0)
                return FinFail<ColumnUnits>(new InvalidDataError($"column {name} is constant (it duplicates the intercept; drop it or use --no-intercept)"));
        }
        progress?.Invoke(new StreamPass(pass, 0, StreamPassKind.Ranges, n, double.NaN));
        var ex = new int[p];
        for (var j = layout.First; j < p; j++) ex[j] = RegressionData.UnitExponent(r.MaxAbs(j - layout.First + 1));
        return new ColumnUnits((int)n, ex, RegressionData.UnitExponent(r.MaxAbs(0)));
    }

    /// <summary>A block's y and design in the internal units (into reused buffers, grown as needed).</summary>
    private static void ToUnits(RowBlock block, Layout layout, ColumnUnits ranges, ref double[]? y, ref double[]? X)
    {
        var r = block.Rows;
        var p = layout.P;
        var v = block.Values.Span;
        if (y is null || y.Length < r) y = new double[r];
        if (X is null || X.Length < r * p) X = new double[r * p];
        var ey = ranges.ResponseExponent;
        if (ey == 0) v[..r].CopyTo(y);
        else for (var i = 0; i < r; i++) y[i] = Math.ScaleB(v[i], -ey);
        if (layout.Intercept) System.Array.Fill(X, 1.0, 0, r);
        for (var j = layout.First; j < p; j++)
        {
            var src = v.Slice((j - layout.First + 1) * r, r);
            var e = ranges.ColumnExponent[j];
            var dst = X.AsSpan(j * r, r);
            if (e == 0) src.CopyTo(dst);
            else for (var i = 0; i < r; i++) dst[i] = Math.ScaleB(src[i], -e);
        }
    }

    /// <summary>The blocks in order, each checked (a multiple of the chunk before the last) and in the internal units; the
    /// arrays are reused from block to block.</summary>
    private static IEnumerable<(int Rows, double[] Y, double[] X, RowBlock Raw)> UnitBlocks(IRowBlocks source, Layout layout, ColumnUnits ranges, CancellationToken cancel)
    {
        double[]? y = null;
        double[]? X = null;
        // (the buffers are reused from block to block: each block is done with before the next is read)
        foreach (var block in source.Checked(BlockMultiple, cancel))
        {
            ToUnits(block, layout, ranges, ref y, ref X);
            yield return (block.Rows, y!, X!, block);
        }
    }

    /// <summary>A block's r0, r0^2 and unit sizes, in arrays reused from block to block (grown as needed).</summary>
    private sealed class Residuals
    {
        private double[] r0 = [];
        private double[] rtr = [];
        private int[] ones = [];

        public RegressionData Block(RegressionData globals, int r, double[] y, double[] X)
        {
            if (r0.Length < r)
            {
                r0 = new double[r];
                rtr = new double[r];
                ones = new int[r];
                System.Array.Fill(ones, 1);
            }
            return globals.RowBlock(r, y, X, r0, rtr, ones);
        }
    }

    /// <summary>The cross-products pass: b0 from X'X and X'y as <see cref="RegressionData.FromRows"/> forms them; a singular
    /// X'X (checked on the columns scaled to unit norm, as in memory) is an error naming the columns.</summary>
    private static Fin<ReferenceFit> Reference(IRowBlocks source, Layout layout, ColumnUnits ranges, int pass, Action<StreamPass>? progress, CancellationToken cancel)
    {
        var p = layout.P;
        var total = new double[RegressionData.CrossProductSize(p)];
        foreach (var (r, y, X, _) in UnitBlocks(source, layout, ranges, cancel))
            RegressionData.AddCrossProducts(X, r, y, p, total);
        progress?.Invoke(new StreamPass(pass, 0, StreamPassKind.CrossProducts, ranges.N, double.NaN));
        var scaled = Matrix<double>.Build.Dense(p, p, (a, b) =>
        {
            var v = a >= b ? total[a * p + b] : total[b * p + a];
            return v / Math.Sqrt(total[a * p + a] * total[b * p + b]);
        });
        if (WeightedLeastSquares.TryCholesky(scaled) is null)
        {
            var names = Enumerable.Range(layout.First, p - layout.First).Select(layout.Coefficient);
            return FinFail<ReferenceFit>(new InvalidDataError($"the columns {string.Join(", ", names)} are collinear (the design matrix X'X is singular); drop a redundant column"));
        }
        return new ReferenceFit(RegressionData.ReferenceFit(total, p), total[p * p + p]);
    }

    private static Fin<RegressionStreamFit> Iterate(IRowBlocks source, Layout layout, ColumnUnits ranges, ReferenceFit reference, VarianceModel variance,
        Mixture<RegressionComponents> start, EmOptions options, Action<StreamPass>? progress, int pass)
    {
        var n = ranges.N;
        var p = layout.P;
        var K = start.Components.K;
        var family = new RegressionFamily(variance);
        // the first pass does not need the pooled variance (only the M-step does): it sums it
        var globals = RegressionData.RowGlobals(n, p, reference.Beta0Units, ranges.ColumnExponent, ranges.ResponseExponent, double.NaN);
        var trace = ImmutableArray.CreateBuilder<double>();
        var theta = start;
        var first = Sweep(source, layout, ranges, globals, theta, ++pass, 0, progress, options.Cancellation, pooled: true);
        var pooledVariance = first.PooledSum / n;
        if (variance.Kind != VarianceKind.Fixed && first.PooledSum <= 1e-20 * reference.YtY)
            return FinFail<RegressionStreamFit>(new InvalidDataError(
                $"column {source.ColumnNames[0]} is an exact linear function of {string.Join(", ", Enumerable.Range(0, p).Select(layout.Coefficient))} (residual variance 0), so the error variance cannot be estimated; use --variance fixed=v"));
        globals = RegressionData.RowGlobals(n, p, reference.Beta0Units, ranges.ColumnExponent, ranges.ResponseExponent, pooledVariance);
        var sums = first;
        var stop = StopReason.MaxIterations;
        for (var t = 1; t <= options.MaxIterations; t++)
        {
            var mStep = from c in family.FitSums(globals, sums.Statistics, K)
                        select new Mixture<RegressionComponents>(c, MixingWeights.FromColumnSums(sums.PiSums, n));
            if (!mStep.TryGet(out var next, out var error)) return FinFail<RegressionStreamFit>(error);
            if (options.MinPrior > 0)
                for (var k = 0; k < K; k++)
                    if (next.Weights.Pi[k] < options.MinPrior) return FinFail<RegressionStreamFit>(new SmallPriorError(k + 1, next.Weights.Pi[k], options.MinPrior));
            theta = next;
            sums = Sweep(source, layout, ranges, globals, theta, ++pass, t, progress, options.Cancellation, pooled: false);
            var ll = sums.LogLikelihood;
            if (double.IsNaN(ll)) throw new InvalidOperationException($"log-likelihood is NaN at iteration {t} (streaming)");
            trace.Add(ll);
            if (trace.Count > 1 && Math.Abs(ll - trace[^2]) < options.Tolerance * n) { stop = StopReason.Converged; break; }
        }
        var fit = EmLoop.Canonical(family, new EmFit<RegressionComponents>(theta, trace[^1], trace.ToImmutable(), trace.Count, stop, new StartInfo(StartKind.Given, 0)));
        return new RegressionStreamFit(fit, n, p, family.ComponentParameters(globals, K) + (K - 1), pass, variance, layout.Intercept, globals);
    }

    private sealed record SweepSums(double LogLikelihood, double[] Statistics, double[] PiSums, double PooledSum);

    /// <summary>One EM pass at <paramref name="theta"/> (see the class): log L, the M-step's sums, the column sums of W, and
    /// with <paramref name="pooled"/> the sum of r0^2 over the rows in order.</summary>
    private static SweepSums Sweep(IRowBlocks source, Layout layout, ColumnUnits ranges, RegressionData globals, Mixture<RegressionComponents> theta, int pass,
        int iteration, Action<StreamPass>? progress, CancellationToken cancel, bool pooled)
    {
        var K = theta.Components.K;
        var logPi = theta.Weights.LogPi();
        var statistics = new double[K * RegressionFamily.SumStride(layout.P)];
        var piSums = new double[K];
        var logL = 0.0;
        var rss = 0.0;
        var residuals = new Residuals();
        double[]? w = null;
        foreach (var (r, y, X, _) in UnitBlocks(source, layout, ranges, cancel))
        {
            var data = residuals.Block(globals, r, y, X);
            if (w is null || w.Length < r * K) w = new double[r * K];
            logL = RegressionSweep.Run(data, theta.Components, logPi, K, w, null, out _, statistics, logL, accumulate: true);
            MixingWeights.AddColumnSums(w, r, K, piSums);
            if (pooled)
                foreach (var e in data.rtr.AsSpan(0, r)) rss += e;
        }
        progress?.Invoke(new StreamPass(pass, iteration, StreamPassKind.Sweep, ranges.N, logL));
        return new SweepSums(logL, statistics, piSums, rss);
    }

    /// <summary>
    /// The final pass: per block, each row's class (0-based, canonical order; the first on a tie), its posterior and W
    /// (rows x K, column-major; as the in-memory responsibilities: the E-step in the run's class order, then permuted), handed
    /// to <paramref name="each"/> with the block's y and covariates as read; and over all rows the class profiles, sum_i log max_k
    /// W[i,k] (for ICL) and the observed information, from which the standard errors follow (all as in memory: the
    /// information's sums bit for bit).
    /// </summary>
    public static RegressionStreamSummary Final(IRowBlocks source, RegressionStreamFit fit, Action<RegressionAssignedBlock>? each = null,
        CancellationToken cancel = default)
    {
        var f = fit.Fit;
        var m = f.Mixture;
        var K = m.Components.K;
        var p = fit.Coefficients;
        var layout = new Layout(source.ColumnNames, fit.Intercept, p);
        var globals = fit.Globals;
        var ranges = new ColumnUnits(fit.Rows, [.. globals.columnExponent], globals.responseExponent);
        var order = f.RunOrder;
        var reordered = !order.IsDefaultOrEmpty;
        var family = new RegressionFamily(fit.Variance);
        var run = m;
        if (reordered)
        {
            var inverse = new int[K];
            for (var k = 0; k < K; k++) inverse[order[k]] = k;
            run = new Mixture<RegressionComponents>(family.Reorder(m.Components, inverse), m.Weights.Reorder(inverse));
        }
        var runLogPi = run.Weights.LogPi();
        var logPi = m.Weights.LogPi();
        var q = source.Columns - 1;
        var units = new int[K];
        var post = new double[K];
        var sy = new double[K];
        var sx = new double[K * q];
        var logMax = 0.0;
        var info = new double[ObservedInformation.SumSize(K, p, fit.Variance)];
        double[]? wInfo = null;
        var residuals = new Residuals();
        foreach (var (r, y, X, block) in UnitBlocks(source, layout, ranges, cancel))
        {
            var raw = block.Values.Span;
            var data = residuals.Block(globals, r, y, X);
            // W as in memory: the E-step in the run's order, its columns permuted to the canonical order
            var w = new double[r * K];
            family.LogDensities(data, run.Components, w);
            EmLoop.EStepInto(w, runLogPi, r, K, w);
            if (reordered) EmLoop.PermuteColumns(w, r, K, [.. order]);
            var labels = new int[r];
            var conf = new double[r];
            for (var i = 0; i < r; i++)
            {
                var best = 0;
                for (var k = 1; k < K; k++) if (w[k * r + i] > w[best * r + i]) best = k;
                labels[i] = best;
                var c = w[best * r + i];
                conf[i] = c;
                units[best]++;
                post[best] += c;
                sy[best] += raw[i];
                for (var j = 0; j < q; j++) sx[best * q + j] += raw[(j + 1) * r + i];
                var mx = 0.0;
                for (var k = 0; k < K; k++) mx = Math.Max(mx, w[k * r + i]);
                logMax += Math.Log(mx);
            }
            // the information at the canonical parameters, from the E-step in that order (as ObservedInformation does); when
            // the run's order is the canonical one that E-step is the one above, bit for bit
            if (reordered)
            {
                if (wInfo is null || wInfo.Length < r * K) wInfo = new double[r * K];
                family.LogDensities(data, m.Components, wInfo);
                EmLoop.EStepInto(wInfo, logPi, r, K, wInfo);
            }
            ObservedInformation.AddSums(m.Components, m.Weights, data, fit.Variance, reordered ? wInfo! : w, info);
            each?.Invoke(new RegressionAssignedBlock(r, ImmutableCollectionsMarshal.AsImmutableArray(labels), ImmutableCollectionsMarshal.AsImmutableArray(conf),
                ImmutableCollectionsMarshal.AsImmutableArray(w), block));
        }
        var profiles = Enumerable.Range(0, K).Select(c => new ClassProfile(c + 1, units[c], units[c],
            units[c] > 0 ? sy[c] / units[c] : double.NaN,
            [.. Enumerable.Range(0, q).Select(j => units[c] > 0 ? sx[c * q + j] / units[c] : double.NaN)],
            units[c] > 0 ? post[c] / units[c] : double.NaN)).ToImmutableArray();
        var (_, information) = ObservedInformation.FromSums(m.Components, m.Weights, globals, fit.Variance, info, fit.Rows);
        var inference = ObservedInformation.Inference(m.Components, m.Weights, globals, fit.Variance, information);
        return new RegressionStreamSummary(profiles, logMax, Selection.Icl(fit.Bic, logMax), inference);
    }
}

/// <summary>The data of a streaming regression after its first two passes (<see cref="RegressionStream.Prepare"/>).</summary>
/// <param name="ColumnNames">y, then the covariates.</param>
/// <param name="Intercept">Whether the design has an intercept column first.</param>
/// <param name="Rows">n.</param>
/// <param name="Coefficients">p, the design's columns.</param>
public sealed record RegressionStreamData(ImmutableArray<string> ColumnNames, bool Intercept, int Rows, int Coefficients)
{
    internal RegressionStreamData(ImmutableArray<string> names, bool intercept, int rows, int coefficients, RegressionStream.Prepared state)
        : this(names, intercept, rows, coefficients) => State = state;

    internal RegressionStream.Prepared State { get; } = null!;

    /// <summary>The reference coefficients b0 (the pooled OLS fit), in the data's units.</summary>
    public IReadOnlyList<double> Beta0 => [.. State.Reference.Beta0Units.Select((b, j) => Math.ScaleB(b, State.Units.ResponseExponent - State.Units.ColumnExponent[j]))];
}

/// <summary>A streaming regression fit: the EM fit (canonical order, log L at the final parameters, trace, stop reason) and
/// what BIC, the final pass and the output need.</summary>
/// <param name="Fit">The fit, as <see cref="EmLoop"/>'s runs return it.</param>
/// <param name="Rows">n.</param>
/// <param name="Coefficients">p, the design's columns (with the intercept).</param>
/// <param name="FreeParameters">k of BIC: K p + the variances + K - 1.</param>
/// <param name="Passes">Passes over the data made.</param>
/// <param name="Variance">The variance model.</param>
/// <param name="Intercept">Whether the design has an intercept column first.</param>
public sealed record RegressionStreamFit(EmFit<RegressionComponents> Fit, int Rows, int Coefficients, int FreeParameters, int Passes, VarianceModel Variance,
    bool Intercept)
{
    internal RegressionStreamFit(EmFit<RegressionComponents> fit, int rows, int coefficients, int freeParameters, int passes, VarianceModel variance,
        bool intercept, RegressionData globals) : this(fit, rows, coefficients, freeParameters, passes, variance, intercept) => Globals = globals;

    /// <summary>The data-wide quantities (b0, the units, the pooled variance) the final pass needs.</summary>
    internal RegressionData Globals { get; } = null!;

    /// <summary>The reference coefficients b0 (the pooled OLS fit), in the data's units.</summary>
    public IReadOnlyList<double> Beta0 => Globals.Beta0;

    /// <summary>BIC = -2 log L + k ln n (lower is better).</summary>
    public double Bic => Selection.Bic(Fit.LogLikelihood, FreeParameters, Rows);
    /// <summary>AIC = -2 log L + 2 k.</summary>
    public double Aic => Selection.Aic(Fit.LogLikelihood, FreeParameters);
}

/// <summary>The final pass's result for one block: each row's 0-based class and posterior, W (rows x K, column-major) and the
/// block as read (y then the covariates, column-major; valid during the call).</summary>
public sealed record RegressionAssignedBlock(int Rows, ImmutableArray<int> Labels, ImmutableArray<double> Confidence, ImmutableArray<double> Posteriors, RowBlock Block);

/// <summary>What the final pass sums over all rows: the class profiles (by the most likely class), sum_i log max_k W[i,k], ICL
/// and the standard errors from the observed information (or why I(psi) is not positive definite).</summary>
public sealed record RegressionStreamSummary(ImmutableArray<ClassProfile> Profiles, double LogMaxPosterior, double Icl, Fin<RegressionInference> Inference);
