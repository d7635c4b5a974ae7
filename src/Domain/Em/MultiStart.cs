using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;
using Mixtures.Domain.Random;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Em;

/// <summary>
/// Several EM starts for one K, the best kept. Starts are: for K = 1 a single fit; otherwise the
/// deterministic "split" starts (each component of the best K-1 fit split in two along its principal
/// axis, one start per component) followed by <c>randomStarts</c> random starts whose seeds derive
/// from (seed, K, start index). Starts run in parallel but results are collected by index, and ties
/// go to the lowest index, so the outcome does not depend on the thread count.
/// </summary>
public static class MultiStart
{
    /// <summary>Two starts "reach the best" when their log-likelihoods differ by at most this.</summary>
    public const double SameOptimum = 1e-6;

    /// <summary>Starts within this (relative, absolute below 1) of the highest log-likelihood are tied; the lowest index wins.</summary>
    public const double Tie = 1e-12;

    /// <summary>
    /// Best of several EM runs for K components. <paramref name="previous"/> is the best fit with
    /// K-1 components, if any, from which split starts are built. With <paramref name="acceptable"/>,
    /// the best run is chosen among the runs it accepts, and among all runs only when it accepts none
    /// (the caller tests the returned best again to know); rejected runs are marked in the outcomes.
    /// </summary>
    public static Fin<EstimateResult<TC>> Estimate<TD, TC>(
        IMixtureFamily<TD, TC> family, TD data, int K, int randomStarts, ulong seed, EmOptions options,
        EmFit<TC>? previous = null, Func<EmFit<TC>, bool>? acceptable = null)
    {
        var n = family.Units(data);
        if (K < 1) return FinFail<EstimateResult<TC>>(new InvalidDataError($"K must be at least 1 (got {K})"));
        if (K > n) return FinFail<EstimateResult<TC>>(new InvalidDataError($"K = {K} exceeds the number of units ({n})"));

        var starts = new List<(StartInfo Info, Func<Matrix<double>?> W0)>();
        if (K == 1)
        {
            starts.Add((new StartInfo(StartKind.Given, 0), () => Matrix<double>.Build.Dense(n, 1, 1.0)));
        }
        else
        {
            if (previous is not null && family.ComponentCount(previous.Mixture.Components) == K - 1)
                for (var j = 0; j < K - 1; j++)
                {
                    var jj = j;
                    starts.Add((new StartInfo(StartKind.Split, starts.Count, 0, j + 1), () => SplitStart(family, data, previous, jj)));
                }
            for (var r = 0; r < Math.Max(randomStarts, previous is null ? 1 : 0); r++)
            {
                var s = Seeds.Derive(seed, (ulong)K, (ulong)r);
                starts.Add((new StartInfo(StartKind.Random, starts.Count, s), () => family.RandomResponsibilities(data, K, Seeds.Generator(s))));
            }
        }

        var fits = new Fin<EmFit<TC>>[starts.Count];
        // One start at a time per worker (no range chunks): a long start must not hold back the starts
        // queued behind it on the same worker while another worker idles.
        var sideBySide = starts.Count > 1 && Environment.ProcessorCount > 1;
        var queue = System.Collections.Concurrent.Partitioner.Create(Enumerable.Range(0, starts.Count),
            System.Collections.Concurrent.EnumerablePartitionerOptions.NoBuffering);
        Parallel.ForEach(queue, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            Fin<EmFit<TC>> Run()
            {
                var W0 = starts[i].W0();
                // Each start's W0 is built for this run alone, so the loop may take over its storage.
                return W0 is null
                    ? FinFail<EmFit<TC>>(new InvalidDataError("the component cannot be split (its units do not differ)"))
                    : EmLoop.RunInPlace(family, data, W0.AsColumnMajorArray() ?? W0.ToColumnMajorArray(), W0.RowCount, W0.ColumnCount, options, starts[i].Info);
            }
            // With several starts side by side on all cores, each start keeps its chunk loops on its own thread.
            fits[i] = sideBySide ? Parallelism.OnThisThread(Run) : Run();
        });

        var outcomes = ImmutableArray.CreateBuilder<StartOutcome>();
        EmFit<TC>? best = null;
        EmFit<TC>? bestAcceptable = null;
        string? firstFailure = null;
        static bool Better(EmFit<TC> f, EmFit<TC>? than) =>
            than is null || f.LogLikelihood > than.LogLikelihood + Tie * Math.Max(1.0, Math.Abs(than.LogLikelihood));
        for (var i = 0; i < fits.Length; i++)
        {
            if (fits[i].TryGet(out var f, out var e))
            {
                var ok = acceptable is null || acceptable(f);
                outcomes.Add(new StartOutcome(starts[i].Info, f.LogLikelihood, f.Iterations, f.Converged, null, ok));
                if (Better(f, best)) best = f;
                if (ok && Better(f, bestAcceptable)) bestAcceptable = f;
            }
            else
            {
                firstFailure ??= e.Message;
                outcomes.Add(new StartOutcome(starts[i].Info, double.NaN, 0, false, e.Message));
            }
        }
        if (best is null) return FinFail<EstimateResult<TC>>(new AllStartsFailedError(K, firstFailure ?? "no start"));
        best = bestAcceptable ?? best;
        var atBest = outcomes.Count(o => !double.IsNaN(o.LogLikelihood) && Math.Abs(o.LogLikelihood - best.LogLikelihood) <= SameOptimum);
        return new EstimateResult<TC>(K, best, atBest, outcomes.ToImmutable(), family.FreeParameters(data, K), family.Observations(data));
    }

    /// <summary>
    /// Fits K = 1..max(Ks) in turn (each K's split starts come from the best K-1 fit) and returns
    /// the requested Ks, in the order given.
    /// </summary>
    public static Fin<Seq<EstimateResult<TC>>> Path<TD, TC>(
        IMixtureFamily<TD, TC> family, TD data, IEnumerable<int> Ks, int randomStarts, ulong seed, EmOptions options)
    {
        var wanted = Ks.ToArray();
        if (wanted.Length == 0) return FinFail<Seq<EstimateResult<TC>>>(new InvalidDataError("no K requested"));
        var byK = new Dictionary<int, EstimateResult<TC>>();
        EmFit<TC>? previous = null;
        for (var K = 1; K <= wanted.Max(); K++)
        {
            var r = Estimate(family, data, K, randomStarts, seed, options, previous);
            if (!r.TryGet(out var est, out var err))
            {
                if (wanted.Contains(K)) return FinFail<Seq<EstimateResult<TC>>>(err);
                previous = null; // an intermediate K that failed: later Ks fall back to random starts
                continue;
            }
            byK[K] = est;
            previous = est.Best;
        }
        return toSeq(wanted.Select(k => byK[k]));
    }

    /// <summary>
    /// Responsibilities for a split start: component j of the K-1 fit is divided into two halves by
    /// the sign of each unit's projection on the weighted principal axis of the family's split
    /// features; the other components keep their responsibilities. Null when the axis is undefined.
    /// </summary>
    public static Matrix<double>? SplitStart<TD, TC>(IMixtureFamily<TD, TC> family, TD data, EmFit<TC> previous, int j)
    {
        var Wp = previous.Responsibilities;
        var n = Wp.RowCount;
        var Km1 = Wp.ColumnCount;
        var F = family.SplitFeatures(data, previous.Mixture.Components, j);
        var m = F.ColumnCount;
        var wsum = 0.0;
        var mean = new double[m];
        for (var i = 0; i < n; i++)
        {
            var w = Wp[i, j];
            wsum += w;
            for (var a = 0; a < m; a++) mean[a] += w * F[i, a];
        }
        if (wsum <= 0) return null;
        for (var a = 0; a < m; a++) mean[a] /= wsum;
        var C = Matrix<double>.Build.Dense(m, m);
        for (var i = 0; i < n; i++)
        {
            var w = Wp[i, j];
            if (w == 0) continue;
            for (var a = 0; a < m; a++)
            for (var b = 0; b < m; b++)
                C[a, b] += w * (F[i, a] - mean[a]) * (F[i, b] - mean[b]);
        }
        // Scale each feature to unit weighted variance so the axis does not depend on units.
        var sd = Enumerable.Range(0, m).Select(a => Math.Sqrt(C[a, a] / wsum)).ToArray();
        if (sd.All(s => !(s > 0))) return null;
        var R = Matrix<double>.Build.Dense(m, m, (a, b) => sd[a] > 0 && sd[b] > 0 ? C[a, b] / (sd[a] * sd[b] * wsum) : 0.0);
        var evd = R.Evd(Symmetricity.Symmetric);
        var v = evd.EigenVectors.Column(m - 1); // eigenvalues ascending for symmetric input
        var W = Matrix<double>.Build.Dense(n, Km1 + 1);
        double lo = 0, hi = 0;
        for (var i = 0; i < n; i++)
        {
            var s = 0.0;
            for (var a = 0; a < m; a++) if (sd[a] > 0) s += v[a] * (F[i, a] - mean[a]) / sd[a];
            for (var k = 0; k < Km1; k++) if (k != j) W[i, k] = Wp[i, k];
            if (s > 0) { W[i, j] = 0; W[i, Km1] = Wp[i, j]; hi += Wp[i, j]; }
            else { W[i, j] = Wp[i, j]; W[i, Km1] = 0; lo += Wp[i, j]; }
        }
        return lo > 0 && hi > 0 ? W : null;
    }
}
