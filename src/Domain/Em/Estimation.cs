using System.Collections.Concurrent;
using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;
using Mixtures.Domain.Random;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Em;

/// <summary>
/// The one estimation pipeline of every family: for K = 1..max(Ks) in turn, a start plan (split starts
/// from the best eligible K - 1 fit, random starts of the family's kinds, optionally screened), EM runs
/// (plain or accelerated, as <see cref="EmOptions.Accelerate"/> says), the best run per K, and the choice
/// of K by a criterion among the eligible K. A K that cannot be fitted keeps its error and does not stop
/// the others. Starts run in parallel but are collected by index, ties go to the lowest index, and every
/// random start's seed derives from (seed, K, start index), so the result does not depend on the thread count.
/// Results keep parameters: a run's n x K buffers are borrowed from the estimation's pool (<see cref="BufferPool"/>)
/// while it runs, and the responsibilities a later step needs (a split start, a screened start continued, ICL) come
/// from repeating the run's final E-step.
/// </summary>
/// <remarks>
/// Start r of K is of kind <c>kinds[r mod |kinds|]</c> of the family's <see cref="IMixtureFamily{TData,TComponents}.StartKinds"/>.
/// R: <c>flexmix::stepFlexmix(..., k = Ks, nrep = starts)</c> with <c>initFlexmix(init = list(method = "tol.em"))</c>;
/// scikit-learn: <c>GaussianMixture(n_init = starts)</c> per K; mclust: <c>Mclust(G = Ks)</c>.
/// </remarks>
public static class Estimation
{
    /// <summary>Two runs reach the same optimum when their log-likelihoods differ by at most this relative to
    /// |log L|, or by at most <see cref="SameOptimumAbsolute"/>: 1e-9 relative is 0.015 at the 1.5e7 of 100,000 stores,
    /// where distinct optima of a flat likelihood lie less than 1 apart.</summary>
    public const double SameOptimum = 1e-9;

    /// <summary>The absolute floor of <see cref="SameOptimum"/>.</summary>
    public const double SameOptimumAbsolute = 1e-6;

    /// <summary>Runs within this (relative, absolute below 1) of the highest log-likelihood are tied; the lowest index wins.</summary>
    public const double Tie = 1e-12;

    /// <summary>Starts run side by side (one per core, each with its row chunks in sequence) only when a start's
    /// n x Kmax buffer has at most this many values (8 MB); larger starts run one at a time with their row chunks in
    /// parallel, so that memory holds the data and one start's buffers whatever the number of cores. The results
    /// are the same either way.</summary>
    public const long SideBySideLimit = 1L << 20;

    /// <summary>Whether <paramref name="ll"/> reaches <paramref name="best"/> within <see cref="SameOptimum"/> (relative) or <see cref="SameOptimumAbsolute"/>.</summary>
    public static bool Reaches(double ll, double best) =>
        !double.IsNaN(ll) && ll >= best - Math.Max(SameOptimumAbsolute, SameOptimum * Math.Abs(best));

    /// <summary>
    /// Estimates every K in <paramref name="Ks"/> (K = 1..max(Ks) are fitted in turn so that each K gets
    /// split starts) and selects K by <paramref name="criterion"/> among the eligible K.
    /// </summary>
    public static EstimationPath<TC> Path<TD, TC>(
        IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, IEnumerable<int> Ks, EstimationSettings settings,
        SelectionCriterion criterion = SelectionCriterion.Bic, FitRule<TC>? rule = null)
    {
        var wanted = Ks.Distinct().Order().ToArray();
        if (wanted.Length == 0) throw new ArgumentException("no K requested");
        var fits = ImmutableArray.CreateBuilder<KEstimate<TC>>();
        EmFit<TC>? previous = null;
        KEstimate<TC>? previousK = null;
        var pool = BufferPool.For(family.Units(data), Math.Max(1, wanted[^1]));
        var lastK = wanted[^1];
        var running = settings.Options.Progress is { } report
            ? settings with { Options = settings.Options with { Progress = p => report(p with { LastK = lastK }) } }
            : settings;
        for (var K = 1; K <= wanted[^1]; K++)
        {
            settings.Options.Cancellation.ThrowIfCancellationRequested();
            var est = ForK(family, weights, data, K, running, previous, rule, pool);
            est = est with { BelowPrevious = BelowPrevious(est, previousK, previous, rule) };
            if (wanted.Contains(K)) fits.Add(est);
            previous = est.Eligible ? est.Estimate!.Best : null;
            previousK = est;
        }
        var path = fits.ToImmutable();
        return new EstimationPath<TC>(path, criterion, Selection.Select(path, criterion), family.Units(data), family.Observations(data),
            settings, rule?.Name, WeightedObservations(family, data));
    }

    /// <summary>The estimate for one K: the best of its start plan (see <see cref="StartPlan"/>).
    /// <paramref name="previous"/> is the best eligible K - 1 fit, the source of the split starts.</summary>
    public static KEstimate<TC> ForK<TD, TC>(
        IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, int K, EstimationSettings settings,
        EmFit<TC>? previous = null, FitRule<TC>? rule = null) =>
        ForK(family, weights, data, K, settings, previous, rule, null);

    private static KEstimate<TC> ForK<TD, TC>(
        IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, int K, EstimationSettings settings,
        EmFit<TC>? previous, FitRule<TC>? rule, BufferPool? buffers)
    {
        var free = K >= 1 ? family.ComponentParameters(data, K) + weights.FreeParameters(K) : 0;
        KEstimate<TC> Failed(LanguageExt.Common.Error e) => new(K, free, FinFail<EstimateResult<TC>>(e), [], false, 0, null);
        var n = family.Units(data);
        if (K < 1) return Failed(new InvalidDataError($"K must be at least 1 (got {K})"));
        if (K > n) return Failed(new InvalidDataError($"K = {K} exceeds the number of {family.UnitName(data)} ({n})"));
        var options = settings.Options;
        var plan = settings.Plan;
        var screens = plan.ScreensFor(n);
        var pool = buffers ?? BufferPool.For(n, K);

        // each start writes its W0 into a buffer of the pool (false when it cannot be made)
        var starts = new List<(StartInfo Info, Func<double[], bool> W0, bool Screened)>();
        if (K == 1)
            starts.Add((new StartInfo(StartKind.Given, 0), W => { System.Array.Fill(W, 1.0, 0, n); return true; }, false));
        else
        {
            if (plan.SplitStarts && previous is not null && family.ComponentCount(previous.Mixture.Components) == K - 1)
                for (var j = 0; j < K - 1; j++)
                {
                    var jj = j;
                    starts.Add((new StartInfo(StartKind.Split, starts.Count, 0, j + 1), W => SplitStartInto(family, weights, data, previous, jj, W), screens));
                }
            var kinds = family.StartKinds;
            var randomStarts = Math.Max(plan.Starts, starts.Count == 0 ? 1 : 0);
            for (var r = 0; r < randomStarts; r++)
            {
                var kind = kinds.IsEmpty ? StartKind.Random : kinds[r % kinds.Length];
                var s = Seeds.Derive(settings.Seed, (ulong)K, (ulong)r);
                starts.Add((new StartInfo(kind, starts.Count, s), W => MakeStartInto(family, data, K, kind, Seeds.Generator(s), W), screens));
            }
        }

        if (options.Progress is { } report)
        {
            var count = starts.Count;
            options = options with { Progress = p => report(p with { Starts = count }) };
        }

        // Stage 1: every start; random starts only for the screening iterations when screening.
        var screenOptions = options with { MaxIterations = Math.Min(options.MaxIterations, Math.Max(1, plan.ScreenIterations)) };
        var sideBySide = pool.Length <= SideBySideLimit;
        var fits = RunAll(starts.Count, sideBySide, i =>
        {
            var W0 = pool.Rent();
            try
            {
                if (!starts[i].W0(W0)) return FinFail<EmFit<TC>>(new InvalidDataError($"a {starts[i].Info.Kind.Label()} start cannot be made on these data"));
                return EmLoop.RunInPlace(family, weights, data, W0, n, K, starts[i].Screened ? screenOptions : options, starts[i].Info, pool);
            }
            finally { pool.Return(W0); }
        });
        bool Acceptable(EmFit<TC> f) => rule is null || !rule.Exclude || rule.Problems(f).IsEmpty;

        // Stage 2: the best screened starts continue from where they stopped.
        var screenedOut = new bool[starts.Count];
        if (screens)
        {
            var ranked = Enumerable.Range(0, starts.Count)
                .Where(i => starts[i].Screened && fits[i].IsSucc)
                .Select(i => (i, f: fits[i].Value()))
                .OrderByDescending(t => Acceptable(t.f))
                .ThenByDescending(t => t.f.LogLikelihood)
                .ThenBy(t => t.i)
                .Select(t => t.i)
                .ToList();
            var finalists = ranked.Take(plan.Finalists).ToHashSet();
            // the best split start always continues, so a K can reach what K - 1 reached
            if (ranked.FirstOrDefault(i => starts[i].Info.Kind == StartKind.Split, -1) is var split and >= 0) finalists.Add(split);
            var done = new System.Collections.Generic.HashSet<int>();
            while (true)
            {
                var go = finalists.Where(i => !done.Contains(i) && fits[i].TryGet(out var f, out _) && !f.Converged && f.Iterations < options.MaxIterations)
                    .Order().ToArray();
                var more = RunAll(go.Length, sideBySide, j => Continue(family, weights, data, fits[go[j]].Value(), options, pool));
                for (var j = 0; j < go.Length; j++) fits[go[j]] = more[j];
                done.UnionWith(finalists);
                // when the fit rule rejects every run taken to the end, the next best screened starts are run as well
                if (rule is not { Exclude: true } || finalists.Any(i => fits[i].TryGet(out var f, out _) && Acceptable(f))) break;
                var next = ranked.Where(i => !finalists.Contains(i)).Take(plan.Finalists).ToList();
                if (next.Count == 0) break;
                finalists.UnionWith(next);
            }
            foreach (var i in ranked.Where(i => !finalists.Contains(i)))
                if (!fits[i].Value().Converged) screenedOut[i] = true;
        }

        var outcomes = ImmutableArray.CreateBuilder<StartOutcome>();
        EmFit<TC>? best = null;
        EmFit<TC>? bestAcceptable = null;
        string? firstFailure = null;
        var rejected = 0;
        static bool Better(EmFit<TC> f, EmFit<TC>? than) =>
            than is null || f.LogLikelihood > than.LogLikelihood + Tie * Math.Max(1.0, Math.Abs(than.LogLikelihood));
        for (var i = 0; i < fits.Length; i++)
        {
            if (fits[i].TryGet(out var f, out var e))
            {
                var ok = Acceptable(f);
                outcomes.Add(new StartOutcome(starts[i].Info, f.LogLikelihood, f.Iterations, f.Converged, null, ok, screenedOut[i]));
                if (!ok) rejected++;
                if (screenedOut[i]) continue;
                if (Better(f, best)) best = f;
                if (ok && Better(f, bestAcceptable)) bestAcceptable = f;
            }
            else
            {
                firstFailure ??= e.Message;
                outcomes.Add(new StartOutcome(starts[i].Info, double.NaN, 0, false, e.Message));
            }
        }
        if (best is null) return Failed(new AllStartsFailedError(K, firstFailure ?? "no start"));
        best = bestAcceptable ?? best;
        var all = outcomes.ToImmutable();
        var atBest = all.Count(o => o.Failure is null && !o.ScreenedOut && Reaches(o.LogLikelihood, best.LogLikelihood));
        var problems = rule?.Problems(best) ?? [];
        var Wbest = pool.Rent();
        EmLoop.ResponsibilitiesInto(family, weights, data, best, Wbest);
        var logMaxPosterior = Selection.LogMaxPosterior(Wbest, n, K, EmLoop.ActiveWeights(family, data));
        pool.Return(Wbest);
        return new KEstimate<TC>(K, free,
            new EstimateResult<TC>(K, best, atBest, all, free, family.Observations(data), logMaxPosterior, WeightedObservations(family, data)),
            problems, rule is not null && rule.Exclude && !problems.IsEmpty, rejected, null);
    }

    /// <summary>n in BIC with observation weights (other than all 1), or null.</summary>
    private static double? WeightedObservations<TD, TC>(IMixtureFamily<TD, TC> family, TD data) =>
        family.UnitWeights(data) is { AllOne: false } ? family.WeightedObservations(data) : null;

    /// <summary>Runs <paramref name="run"/> for indices 0..count-1, collecting the results by index: with
    /// <paramref name="sideBySide"/> in parallel, one start at a time per worker, otherwise one after another
    /// (see <see cref="SideBySideLimit"/>).</summary>
    private static Fin<EmFit<TC>>[] RunAll<TC>(int count, bool sideBySide, Func<int, Fin<EmFit<TC>>> run)
    {
        var fits = new Fin<EmFit<TC>>[count];
        if (!sideBySide || count <= 1 || Parallelism.Threads == 1)
        {
            for (var i = 0; i < count; i++) fits[i] = run(i);
            return fits;
        }
        // One start at a time per worker (no range chunks): a long start must not hold back the starts
        // queued behind it on the same worker while another worker idles.
        var queue = Partitioner.Create(Enumerable.Range(0, count), EnumerablePartitionerOptions.NoBuffering);
        Parallel.ForEach(queue, Parallelism.Options, i =>
        {
            // With several starts side by side on all cores, each start keeps its chunk loops on its own thread.
            fits[i] = Parallelism.OnThisThread(() => run(i));
        });
        return fits;
    }

    /// <summary>A run continued from a fit (its final responsibilities, from its final E-step repeated, are the next
    /// M-step's input), with the iterations left; the iterations and trace of both parts are joined.</summary>
    public static Fin<EmFit<TC>> Continue<TD, TC>(IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, EmFit<TC> fit, EmOptions options) =>
        Continue(family, weights, data, fit, options, null);

    private static Fin<EmFit<TC>> Continue<TD, TC>(IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, EmFit<TC> fit, EmOptions options,
        BufferPool? pool)
    {
        var left = options.MaxIterations - fit.Iterations;
        if (left < 1) return fit;
        var n = family.Units(data);
        var K = family.ComponentCount(fit.Mixture.Components);
        var W = pool?.Rent() ?? new double[n * K];
        try
        {
            EmLoop.ResponsibilitiesInto(family, weights, data, fit, W);
            var done = fit.Iterations;
            var rest = options with
            {
                MaxIterations = left,
                Progress = options.Progress is { } report ? p => report(p with { Iteration = done + p.Iteration }) : null,
            };
            return EmLoop.RunInPlace(family, weights, data, W, n, K, rest, fit.Start, pool)
                .Map(more => more with { Iterations = fit.Iterations + more.Iterations, Trace = fit.Trace.AddRange(more.Trace) });
        }
        finally { pool?.Return(W); }
    }

    /// <summary>Initial responsibilities for a start of the given kind: the generic kinds here, the family's own from the
    /// family; null when the start cannot be made.</summary>
    public static Matrix<double>? MakeStart<TD, TC>(IMixtureFamily<TD, TC> family, TD data, int K, StartKind kind, System.Random rng)
    {
        var n = family.Units(data);
        var W = new double[n * K];
        return MakeStartInto(family, data, K, kind, rng, W) ? Matrix<double>.Build.Dense(n, K, W) : null;
    }

    /// <summary><see cref="MakeStart"/> into the first n K entries of <paramref name="W"/>; false when the start cannot be made.</summary>
    internal static bool MakeStartInto<TD, TC>(IMixtureFamily<TD, TC> family, TD data, int K, StartKind kind, System.Random rng, double[] W)
    {
        var n = family.Units(data);
        switch (kind)
        {
            case StartKind.Random:
                var R = family.RandomResponsibilities(data, K, rng);
                (R.AsColumnMajorArray() ?? R.ToColumnMajorArray()).AsSpan(0, n * K).CopyTo(W);
                return true;
            case StartKind.RandomPartition: RandomPartition(n, K, rng, W); return true;
            case StartKind.RandomSoft: RandomSoft(n, K, rng, W); return true;
            default: return family.Start(data, K, kind, rng, W);
        }
    }

    /// <summary>Random hard partition of n units into K non-empty classes: units in a random order, the first
    /// K one to each class, the rest uniformly at random (flexmix's default start).</summary>
    public static Matrix<double> RandomPartition(int n, int K, System.Random rng)
    {
        var W = new double[n * K];
        RandomPartition(n, K, rng, W);
        return Matrix<double>.Build.Dense(n, K, W);
    }

    /// <summary><see cref="RandomPartition(int, int, System.Random)"/> into the first n K entries of <paramref name="W"/>.</summary>
    internal static void RandomPartition(int n, int K, System.Random rng, double[] W)
    {
        var order = System.Buffers.ArrayPool<int>.Shared.Rent(n);
        try
        {
            for (var i = 0; i < n; i++) order[i] = i;
            for (var i = n - 1; i > 0; i--)
            {
                var j = rng.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
            System.Array.Clear(W, 0, n * K);
            for (var r = 0; r < n; r++)
            {
                var k = r < K ? r : rng.Next(K);
                W[k * n + order[r]] = 1.0;
            }
        }
        finally { System.Buffers.ArrayPool<int>.Shared.Return(order); }
    }

    /// <summary>Soft responsibilities with every row drawn from the flat Dirichlet(1, ..., 1) distribution
    /// (normalised standard exponentials), as the latent class regression notebook starts.</summary>
    public static Matrix<double> RandomSoft(int n, int K, System.Random rng)
    {
        var W = new double[n * K];
        RandomSoft(n, K, rng, W);
        return Matrix<double>.Build.Dense(n, K, W);
    }

    /// <summary><see cref="RandomSoft(int, int, System.Random)"/> into the first n K entries of <paramref name="W"/>.</summary>
    internal static void RandomSoft(int n, int K, System.Random rng, double[] W)
    {
        for (var i = 0; i < n; i++)
        {
            var s = 0.0;
            for (var k = 0; k < K; k++)
            {
                var e = -Math.Log(1.0 - rng.NextDouble());
                W[k * n + i] = e;
                s += e;
            }
            for (var k = 0; k < K; k++) W[k * n + i] /= s;
        }
    }

    /// <summary>
    /// Responsibilities for a split start: component j of the K-1 fit is divided into two halves by
    /// the sign of each unit's projection on the weighted principal axis of the family's split
    /// features; the other components keep their responsibilities (the K-1 fit's final E-step, repeated
    /// into the new start's own buffer). Null when the axis is undefined.
    /// </summary>
    public static Matrix<double>? SplitStart<TD, TC>(IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, EmFit<TC> previous, int j)
    {
        var n = family.Units(data);
        var K = family.ComponentCount(previous.Mixture.Components) + 1;
        var W = new double[n * K];
        return SplitStartInto(family, weights, data, previous, j, W) ? Matrix<double>.Build.Dense(n, K, W) : null;
    }

    /// <summary><see cref="SplitStart"/> into the first n K entries of <paramref name="W"/>; false when the axis is undefined.</summary>
    internal static bool SplitStartInto<TD, TC>(IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, EmFit<TC> previous, int j, double[] W)
    {
        var n = family.Units(data);
        var Km1 = family.ComponentCount(previous.Mixture.Components);
        // W_p, the K-1 fit's responsibilities, in the first K-1 columns; column K-1 (0-based) starts at zero
        EmLoop.ResponsibilitiesInto(family, weights, data, previous, W);
        System.Array.Clear(W, Km1 * n, n);
        var F = family.SplitFeatures(data, previous.Mixture.Components, j).Span;
        var m = F.Length / n;
        // with observation weights the axis is that of the weighted units (the replicated data's)
        var uw = EmLoop.ActiveWeights(family, data);
        ReadOnlySpan<double> wj;
        if (uw is null) wj = new ReadOnlySpan<double>(W, j * n, n);
        else
        {
            var scaled = new double[n];
            for (var i = 0; i < n; i++) scaled[i] = W[j * n + i] * uw[i];
            wj = scaled;
        }
        var wsum = 0.0;
        for (var i = 0; i < n; i++) wsum += wj[i];
        var mean = new double[m];
        for (var a = 0; a < m; a++)
        {
            var fa = F.Slice(a * n, n);
            var sa = 0.0;
            for (var i = 0; i < n; i++) sa += wj[i] * fa[i];
            mean[a] = sa;
        }
        if (wsum <= 0) return false;
        for (var a = 0; a < m; a++) mean[a] /= wsum;
        var C = new double[m * m];
        for (var a = 0; a < m; a++)
        for (var b = 0; b < m; b++)
        {
            var fa = F.Slice(a * n, n);
            var fb = F.Slice(b * n, n);
            double ma = mean[a], mb = mean[b], c = 0.0;
            for (var i = 0; i < n; i++)
            {
                var w = wj[i];
                if (w == 0) continue;
                c += w * (fa[i] - ma) * (fb[i] - mb);
            }
            C[a * m + b] = c;
        }
        // Scale each feature to unit weighted variance so the axis does not depend on units.
        var sd = Enumerable.Range(0, m).Select(a => Math.Sqrt(C[a * m + a] / wsum)).ToArray();
        if (sd.All(s => !(s > 0))) return false;
        var R = Matrix<double>.Build.Dense(m, m, (a, b) => sd[a] > 0 && sd[b] > 0 ? C[a * m + b] / (sd[a] * sd[b] * wsum) : 0.0);
        var evd = R.Evd(Symmetricity.Symmetric);
        var v = evd.EigenVectors.Column(m - 1).ToArray(); // eigenvalues ascending for symmetric input
        double lo = 0, hi = 0;
        for (var i = 0; i < n; i++)
        {
            // the unit's projection on the axis
            var proj = 0.0;
            for (var a = 0; a < m; a++) if (sd[a] > 0) proj += v[a] * (F[a * n + i] - mean[a]) / sd[a];
            var w = W[j * n + i];
            var wu = wj[i]; // read before W (which wj may be) changes
            if (proj > 0) { W[j * n + i] = 0; W[Km1 * n + i] = w; hi += wu; }
            else lo += wu;
        }
        return lo > 0 && hi > 0;
    }

    /// <summary>Why a K's best log L is below K - 1's (null when it is not, beyond <see cref="SameOptimum"/>).</summary>
    private static string? BelowPrevious<TC>(KEstimate<TC> est, KEstimate<TC>? previousK, EmFit<TC>? previous, FitRule<TC>? rule)
    {
        if (est.Estimate is not { } e || previousK?.Estimate is not { } p) return null;
        if (Reaches(e.LogLikelihood, p.LogLikelihood)) return null;
        var splits = e.Starts.Where(s => s.Start.Kind == StartKind.Split).ToList();
        string why;
        if (previous is null)
            why = rule is not null && previousK.Excluded
                ? $"the K = {previousK.K} fit was excluded ({rule.Name}), so no split starts were made from it"
                : $"no split starts were made from the K = {previousK.K} fit";
        else if (splits.Count == 0)
            why = "split starts were switched off";
        else if (splits.All(s => s.Failure is not null))
            why = $"every split start was abandoned ({splits.First(s => s.Failure is not null).Failure})";
        else if (splits.Where(s => s.Failure is null).All(s => !s.Acceptable) && rule is not null)
            why = $"the split starts' fits were excluded ({rule.Name})";
        else if (e.Best.Converged && splits.Any(s => s.Failure is null && s.Acceptable && !s.Converged))
            why = "the split starts did not converge within the iteration limit";
        else
            why = "a split start reached a lower optimum than the K - 1 fit it came from";
        return $"log L {e.LogLikelihood:R} is below the best K = {previousK.K} value {p.LogLikelihood:R}: {why}";
    }
}
