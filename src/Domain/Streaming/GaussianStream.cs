using System.Collections.Immutable;
using System.Runtime.InteropServices;
using LanguageExt;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Streaming;

/// <summary>
/// Streaming EM for Gaussian mixtures on data larger than memory: every iteration is one pass over the blocks of an
/// <see cref="IRowBlocks"/>, and no n x K buffer is ever held (the responsibilities of a block are computed in the pass
/// and dropped with it). The pass at theta_t = (mu, Sigma, pi), for t = 0, 1, ...:
/// <list type="bullet">
/// <item>per block L[i,k] = log N(x_i | mu_k, Sigma_k), W = E-step, log L_t = sum_i logsumexp_k (log pi_k + L[i,k]);</item>
/// <item>the M-step's sums about the current means c = mu, known before the pass: n_k = sum_i W[i,k],
/// T_k = sum_i W[i,k] (x_i - c_k), S^c_k = sum_i W[i,k] (x_i - c_k)(x_i - c_k)' (the diagonal only for diag and spherical),
/// and the column sums of W for pi;</item>
/// <item>after the pass, exactly: mu_k' = c_k + T_k / n_k, the scatter about the new means S_k = S^c_k - T_k T_k' / n_k,
/// Sigma_k' = S_k / n_k + reg I (full; the tied, diagonal and spherical reductions of the corrected S_k as
/// <see cref="GaussianFamily"/>), pi_k' = n_k / n: theta_{t+1}.</item>
/// </list>
/// Centred at the current means the identity does not cancel (T_k / n_k is the mean's step, small near convergence, and
/// the data's offset from the origin never enters), unlike sum W x x' - n_k mu mu'. Only when a mean's step is large
/// against the new spread (<see cref="GaussianFamily.RecentreBound"/>, rare) is the scatter summed again about the new
/// means in a second pass at theta_t (<see cref="StreamPassKind.Scatter"/>), as the in-memory M-step then makes a second
/// sweep. The arithmetic is the in-memory M-step's (<see cref="GaussianFamily.Fit(GaussianData, double[], int, GaussianComponents)"/>,
/// centred at the means of the W's parameters) and the sums are the in-memory kernels' own: partials over chunks of 4096
/// rows added in row order into running totals, so with blocks of a multiple of 4096 rows every estimate, log L and label
/// equals, to the last bit, plain EM (<see cref="EmLoop.RunFrom{TD,TC}"/>, no acceleration, log-likelihood stop rule) on
/// the whole data in memory from the same theta_0. The stop rule is that run's: |log L_t - log L_{t-1}| &lt; tol n, or
/// t = max iterations; the pass at the final parameters gives their log L (its M-step sums go unused).
/// The one global number not computed as in memory is each column's sd, which only scales the collapse rule
/// (<see cref="GaussianFamily.CollapseFactor"/>): it is combined over blocks (Chan et al.) in the first pass at theta_0, so
/// a start could differ only for a pivot within rounding of that threshold. The columns' units
/// (<see cref="GaussianData.UnitExponent"/>), from each column's range, are exact: a ranges pass finds them first; the
/// centre and the sums are in those units as in memory, and no column mean is subtracted (the centre is the mean).
/// </summary>
/// <remarks>scikit-learn's <c>GaussianMixture</c> M-step, accumulated over blocks as in its <c>partial_fit</c>-less
/// mini-batch relatives (but exact: no stochastic step).</remarks>
public static class GaussianStream
{
    /// <summary>Blocks (all but the last) must have a multiple of this many rows: the kernels' chunk.</summary>
    public const int BlockMultiple = GaussianKernels.Chunk;

    /// <summary>
    /// Plain EM over the blocks from <paramref name="start"/> (theta_0): the fit in canonical component order, its log L at
    /// the final parameters, the trace of log L_1.., or the failure of an M-step (an empty or collapsed component, a weight
    /// below the minimum prior) or of the data (a value that is not finite).
    /// </summary>
    /// <param name="source">The data, read 2 + t times for t iterations (a ranges pass first, then one pass at each of
    /// theta_0 .. theta_t), and once more for each rare recentring pass (<see cref="StreamPassKind.Scatter"/>).</param>
    /// <param name="family">Covariance type and ridge.</param>
    /// <param name="start">theta_0 (e.g. a fit on a sample of the rows).</param>
    /// <param name="options">Tolerance (per row, on log L), maximum iterations, minimum prior, cancellation; no acceleration.</param>
    /// <param name="progress">Told after every pass (never changes a result).</param>
    public static Fin<GaussianStreamFit> Fit(IRowBlocks source, GaussianFamily family, Mixture<GaussianComponents> start, EmOptions options,
        Action<StreamPass>? progress = null)
    {
        if (options.MaxIterations < 1) throw new ArgumentException("MaxIterations must be at least 1");
        var d = source.Columns;
        var K = start.Components.K;
        if (start.Components.D != d) throw new ArgumentException($"the start has d = {start.Components.D}, the data {d} columns");
        if (start.Components.Type != family.Type) throw new ArgumentException("the start's covariance type is not the family's");
        var pass = 0;
        return from ranges in Ranges(source, ++pass, progress, options.Cancellation)
               from fit in Iterate(source, family, start, options, progress, ranges, pass)
               select fit;
    }

    private sealed record ColumnUnits(int N, int[] UnitExponent);

    /// <summary>The ranges pass: n, and each column's unit exponent (<see cref="GaussianData.UnitExponent"/>) from its range.</summary>
    private static Fin<ColumnUnits> Ranges(IRowBlocks source, int pass, Action<StreamPass>? progress, CancellationToken cancel) =>
        from r in ColumnRanges.Of(source, cancel)
        from units in Units(r, source.Columns, pass, progress)
        select units;

    private static Fin<ColumnUnits> Units(ColumnRanges r, int d, int pass, Action<StreamPass>? progress)
    {
        var n = r.N;
        if (n == 0) return FinFail<ColumnUnits>(new InvalidDataError("no rows: a Gaussian mixture needs at least one observation"));
        if (n > System.Array.MaxLength) return FinFail<ColumnUnits>(new InvalidDataError($"{n} rows: more than {System.Array.MaxLength} rows are not supported"));
        progress?.Invoke(new StreamPass(pass, 0, StreamPassKind.Ranges, n, double.NaN));
        var e = new int[d];
        for (var j = 0; j < d; j++) e[j] = GaussianData.UnitExponentOf(r.Lo[j], r.Hi[j]);
        return new ColumnUnits((int)n, e);
    }

    private static Fin<GaussianStreamFit> Iterate(IRowBlocks source, GaussianFamily family, Mixture<GaussianComponents> start, EmOptions options,
        Action<StreamPass>? progress, ColumnUnits ranges, int pass)
    {
        var d = source.Columns;
        var K = start.Components.K;
        var n = ranges.N;
        var e = ranges.UnitExponent;
        var names = source.ColumnNames;
        var scale = new double[d];
        var noMean = new double[d];
        var trace = ImmutableArray.CreateBuilder<double>();
        var theta = start;
        var sums = Sums(source, theta, e, names, scale, n, family.DiagonalScatter, ++pass, 0, progress, options.Cancellation, columnScale: true);
        var stop = StopReason.MaxIterations;
        for (var t = 1; t <= options.MaxIterations; t++)
        {
            var current = theta;
            var mStep =
                from c in family.FromCentredMoments(sums.Nk, current.Components.mu, sums.Shift, sums.Scatter, d, e, scale, names,
                    mu => Scatter(source, current, e, names, scale, mu, family.DiagonalScatter, ++pass, t - 1, progress, options.Cancellation))
                select new Mixture<GaussianComponents>(c, MixingWeights.FromColumnSums(sums.PiSums, n));
            if (!mStep.TryGet(out var next, out var error)) return FinFail<GaussianStreamFit>(error);
            if (options.MinPrior > 0)
                for (var k = 0; k < K; k++)
                    if (next.Weights.Pi[k] < options.MinPrior) return FinFail<GaussianStreamFit>(new SmallPriorError(k + 1, next.Weights.Pi[k], options.MinPrior));
            theta = next;
            sums = Sums(source, theta, e, names, scale, n, family.DiagonalScatter, ++pass, t, progress, options.Cancellation, columnScale: false);
            var ll = sums.LogLikelihood;
            if (double.IsNaN(ll)) throw new InvalidOperationException($"log-likelihood is NaN at iteration {t} (streaming)");
            trace.Add(ll);
            if (trace.Count > 1 && Math.Abs(ll - trace[^2]) < options.Tolerance * n) { stop = StopReason.Converged; break; }
        }
        var fit = EmLoop.Canonical(family, new EmFit<GaussianComponents>(theta, trace[^1], trace.ToImmutable(), trace.Count, stop, new StartInfo(StartKind.Given, 0)));
        return new GaussianStreamFit(fit, n, d, family.Type.FreeParameters(K, d), pass, [.. e]);
    }

    private sealed record PassSums(double LogLikelihood, double[] Nk, double[] Shift, double[] Scatter, double[] PiSums);

    /// <summary>
    /// One pass at <paramref name="theta"/> over the blocks: per block the log-densities and E-step into a block-sized
    /// buffer, then <paramref name="use"/> with the block as data and its W; returns log L, the blocks' partials added in row order.
    /// </summary>
    private static double Pass(IRowBlocks source, Mixture<GaussianComponents> theta, int[] e, ImmutableArray<string> names, double[] mean, double[] scale,
        CancellationToken cancel, Action<GaussianData, double[]> use) =>
        Pass(source, theta, e, names, mean, scale, cancel, null, use);

    /// <summary><see cref="Pass(IRowBlocks, Mixture{GaussianComponents}, int[], ImmutableArray{string}, double[], double[], CancellationToken, Action{GaussianData, double[]})"/>,
    /// with a <paramref name="sweep"/> each block's log-densities and E-step done by it (given the block, its W buffer and
    /// log L so far, returning log L with the block's) instead, before <paramref name="use"/>.</summary>
    private static double Pass(IRowBlocks source, Mixture<GaussianComponents> theta, int[] e, ImmutableArray<string> names, double[] mean, double[] scale,
        CancellationToken cancel, Func<GaussianData, double[], double, double>? sweep, Action<GaussianData, double[]> use)
    {
        var d = source.Columns;
        var K = theta.Components.K;
        var logPi = theta.Weights.LogPi();
        double[]? w = null;
        double[]? copy = null;
        var logL = 0.0;
        foreach (var block in source.Checked(BlockMultiple, cancel))
        {
            var r = block.Rows;
            var data = GaussianData.Block(r, d, ValuesOf(block, d, ref copy), names, e, mean, scale);
            if (w is null || w.Length < r * K) w = new double[r * K];
            if (sweep is not null) logL = sweep(data, w, logL);
            else
            {
                GaussianKernels.LogDensities(data, theta.Components, w);
                logL = EmLoop.EStepInto(w, logPi, r, K, w, null, out _, null, logL);
            }
            use(data, w);
        }
        return logL;
    }

    /// <summary>The pass at theta (see the class): log L, and the next M-step's sums about theta's means (n_k, T_k, S^c_k
    /// as <see cref="GaussianKernels.AddCentredMoments"/>) and the column sums of W for pi (as the in-memory M-step sums
    /// them); with <paramref name="columnScale"/> also each column's population sd into <paramref name="scale"/>, the
    /// scale of the collapse rule (<see cref="GaussianFamily.CollapseFactor"/>).</summary>
    private static PassSums Sums(IRowBlocks source, Mixture<GaussianComponents> theta, int[] e, ImmutableArray<string> names, double[] scale, int n,
        bool diagonal, int pass, int iteration, Action<StreamPass>? progress, CancellationToken cancel, bool columnScale)
    {
        var d = source.Columns;
        var K = theta.Components.K;
        var centre = theta.Components.mu;
        var nk = new double[K];
        var shift = new double[K * d];
        var scatter = new double[K * (diagonal ? d : d * (d + 1) / 2)];
        var piSums = new double[K];
        // Chan et al.'s pairwise combination of block means and sums of squares, in the columns' units 2^e_j
        var count = 0L;
        var m = new double[d];
        var m2 = new double[d];
        // with at most EmLoop.FusedMaxK components, each block's log-densities, E-step and moments in one sweep while
        // the block's rows are in cache (GaussianKernels.Sweep with running totals: the same bits as the three steps),
        // and pi's column sums are the sweep's n_k (the same sums); otherwise the steps one after the other. Nothing
        // reads the fused sweep's W (the recentring is a pass of its own), so the sweep leaves it unwritten (the same
        // values without the block's n K stores)
        var fused = K <= EmLoop.FusedMaxK;
        var logPi = theta.Weights.LogPi();
        Func<GaussianData, double[], double, double>? sweep = fused
            ? (data, w, logL) => GaussianKernels.Sweep(data, theta.Components, logPi, w, null, out _, diagonal, nk, shift, scatter, logL,
                accumulate: true, writeW: false)
            : null;
        var ll = Pass(source, theta, e, names, new double[d], columnScale ? Ones(d) : scale, cancel, sweep, (data, w) =>
        {
            if (!fused)
            {
                GaussianKernels.AddCentredMoments(data, w, K, centre, diagonal, nk, shift, scatter);
                MixingWeights.AddColumnSums(w, data.N, K, piSums);
            }
            if (!columnScale) return;
            var r = data.N;
            for (var j = 0; j < d; j++)
            {
                var unit = Math.ScaleB(1.0, -e[j]);
                var col = new ReadOnlySpan<double>(data.x, j * r, r);
                var bm = 0.0;
                foreach (var v in col) bm += v * unit;
                bm /= r;
                var bs = 0.0;
                foreach (var v in col) { var dv = v * unit - bm; bs += dv * dv; }
                var delta = bm - m[j];
                var total = count + r;
                m[j] += delta * r / total;
                m2[j] += bs + delta * delta * ((double)count * r / total);
            }
            count += r;
        });
        if (columnScale)
            for (var j = 0; j < d; j++)
            {
                var sd = Math.ScaleB(Math.Sqrt(m2[j] / n), e[j]);
                scale[j] = sd > 0 && double.IsFinite(sd) ? sd : 1.0;
            }
        progress?.Invoke(new StreamPass(pass, iteration, StreamPassKind.Moments, n, ll));
        return new PassSums(ll, nk, shift, scatter, fused ? (double[])nk.Clone() : piSums);
    }

    /// <summary>A block's values as an array starting at the block's first value: the block's own array when it is one,
    /// else a copy into <paramref name="copy"/> (grown as needed and reused for the next block).</summary>
    private static double[] ValuesOf(RowBlock block, int d, ref double[]? copy)
    {
        if (MemoryMarshal.TryGetArray(block.Values, out var seg) && seg.Offset == 0 && seg.Array is { } a) return a;
        var size = block.Rows * d;
        if (copy is null || copy.Length < size) copy = new double[size];
        block.Values.Span[..size].CopyTo(copy);
        return copy;
    }

    private static double[] Ones(int d)
    {
        var a = new double[d];
        System.Array.Fill(a, 1.0);
        return a;
    }

    /// <summary>The recentring pass (see the class; rare): the E-step at theta again and S_k about the new means
    /// <paramref name="mu"/>, in the kernels' layout, as the in-memory M-step's second sweep.</summary>
    private static double[] Scatter(IRowBlocks source, Mixture<GaussianComponents> theta, int[] e, ImmutableArray<string> names, double[] scale, double[] mu,
        bool diagonal, int pass, int iteration, Action<StreamPass>? progress, CancellationToken cancel)
    {
        var d = source.Columns;
        var K = theta.Components.K;
        var S = new double[K * (diagonal ? d : d * (d + 1) / 2)];
        var n = 0L;
        Pass(source, theta, e, names, new double[d], scale, cancel, (data, w) => { GaussianKernels.AddScatter(data, w, K, mu, diagonal, S); n += data.N; });
        progress?.Invoke(new StreamPass(pass, iteration, StreamPassKind.Scatter, n, double.NaN));
        return S;
    }

    /// <summary>
    /// The final pass: each row's most probable component (0-based, canonical order; the first on a tie) and its
    /// posterior max_k W[i,k], block by block as the blocks are enumerated, with W itself when
    /// <paramref name="withPosteriors"/> (column-major rows x K). The E-step runs in the fit's own component order and its
    /// columns are then permuted, as <see cref="EmLoop.Responsibilities{TD,TC}"/> does, so W equals the in-memory W bit for bit.
    /// </summary>
    public static IEnumerable<AssignedBlock> Assign(IRowBlocks source, GaussianStreamFit fit, bool withPosteriors = false)
    {
        var d = source.Columns;
        var f = fit.Fit;
        var m = f.Mixture;
        var K = m.Components.K;
        var order = f.RunOrder;
        var reordered = !order.IsDefaultOrEmpty;
        if (reordered)
        {
            var inverse = new int[K];
            for (var k = 0; k < K; k++) inverse[order[k]] = k;
            m = new Mixture<GaussianComponents>(m.Components.Reorder(inverse), m.Weights.Reorder(inverse));
        }
        var logPi = m.Weights.LogPi();
        var e = fit.UnitExponent.ToArray();
        var ones = Ones(d);
        double[]? w = null;
        double[]? copy = null;
        foreach (var block in source.Blocks())
        {
            var r = block.Rows;
            var data = GaussianData.Block(r, d, ValuesOf(block, d, ref copy), source.ColumnNames, e, new double[d], ones);
            if (withPosteriors || w is null || w.Length < r * K) w = new double[r * K];
            GaussianKernels.LogDensities(data, m.Components, w);
            EmLoop.EStepInto(w, logPi, r, K, w);
            if (reordered) EmLoop.PermuteColumns(w, r, K, [.. order]);
            var (labels, conf) = Profiles.Assign(w, r, K);
            yield return new AssignedBlock(r, labels, conf,
                withPosteriors ? ImmutableCollectionsMarshal.AsImmutableArray(w) : []);
        }
    }
}

/// <summary>A streaming fit: the EM fit (canonical order, log L at the final parameters, trace, stop reason) and what BIC and
/// the output need.</summary>
/// <param name="Fit">The fit, as <see cref="EmLoop.Run{TD,TC}(IMixtureFamily{TD,TC}, TD, MathNet.Numerics.LinearAlgebra.Matrix{double}, EmOptions, StartInfo)"/> returns it.</param>
/// <param name="Rows">n.</param>
/// <param name="Columns">d.</param>
/// <param name="FreeParameters">k of BIC (<see cref="CovarianceTypes.FreeParameters"/>).</param>
/// <param name="Passes">Passes over the data made.</param>
/// <param name="UnitExponent">The columns' unit exponents (<see cref="GaussianData.UnitExponent"/>).</param>
public sealed record GaussianStreamFit(EmFit<GaussianComponents> Fit, int Rows, int Columns, int FreeParameters, int Passes, ImmutableArray<int> UnitExponent)
{
    /// <summary>BIC = -2 log L + k ln n (lower is better).</summary>
    public double Bic => Selection.Bic(Fit.LogLikelihood, FreeParameters, Rows);
    /// <summary>AIC = -2 log L + 2 k.</summary>
    public double Aic => Selection.Aic(Fit.LogLikelihood, FreeParameters);
}

/// <summary>The final pass's result for one block of rows: the 0-based component of each row, its posterior, and W
/// (rows x K, column-major) when asked for.</summary>
public sealed record AssignedBlock(int Rows, ImmutableArray<int> Labels, ImmutableArray<double> Confidence, ImmutableArray<double> Posteriors);
