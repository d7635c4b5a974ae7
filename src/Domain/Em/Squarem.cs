using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Em;

/// <summary>
/// EM accelerated by SQUAREM (Varadhan and Roland 2008, Scand. J. Statist. 35; the R package SQUAREM,
/// Du and Varadhan 2020, JSS 92(7)), scheme S3, over the unconstrained coordinates of the family
/// (<see cref="IMixtureFamily{TData,TComponents}.ToVector"/>) and of the weight model.
/// </summary>
/// <remarks>
/// One cycle from theta_0 (whose E-step is known):
/// <list type="number">
/// <item>theta_1 = M(E(theta_0)) and its E-step: a plain EM iteration, to which the stopping rule is
/// applied exactly as in plain EM (change of W, or of log L per unit, between theta_0 and theta_1);</item>
/// <item>theta_2 = M(E(theta_1));</item>
/// <item>r = theta_1 - theta_0, v = theta_2 - 2 theta_1 + theta_0, a = |r| / |v| bounded to
/// [1, a_max]; theta' = theta_0 + 2 a r + a^2 v; when a &gt; 1.01, one stabilising EM step
/// theta_new = M(E(theta'));</item>
/// <item>theta_new is kept when it is valid (its M-step and E-step succeed) and log L(theta_new) &gt;= log L(theta_1);
/// otherwise theta_2 is taken (the monotone safeguard: every point the run moves to has a log-likelihood no lower
/// than the one before it). When the run moves to theta_new and its weights break the minimum prior, the start is
/// abandoned, as plain EM abandons it after such an M-step.</item>
/// </list>
/// a_max starts at 1 and is multiplied by 4 whenever an accepted step reaches it: R SQUAREM's defaults
/// <c>step.min0 = 1, step.max0 = 1, mstep = 4</c>. Two changes from R SQUAREM, both measured on flat likelihoods
/// (K above the true number of segments, bench/README.md), where long extrapolations leave the curved ridge EM
/// follows: a rejected step a is retried once at a / 4, and after a rejection a_max becomes a / 4 (R SQUAREM
/// divides it only when a was at the bound). Its default objective tolerance <c>objfn.inc = 1</c> lets log L
/// fall by up to 1; here it may not fall.
/// Every point kept is the output of an M-step, so the final parameters satisfy the family's rules (a ridge,
/// a variance floor) exactly as plain EM's do. Iterations count M-steps (EM map evaluations).
/// </remarks>
public static class Squarem
{
    /// <summary>
    /// Whether EM is slow enough for Newton steps to pay: extrapolating the rate at which the stopping rule's measure
    /// fell over the last half of <see cref="EmOptions.NewtonAfter"/> EM steps, reaching the tolerance would take more
    /// than <see cref="SlowFactor"/> x <see cref="EmOptions.NewtonAfter"/> further steps (or the measure did not fall at all). Runs that are about
    /// to converge are left to EM: a Newton step costs several EM steps.
    /// </summary>
    /// <summary>EM counts as slow when reaching the tolerance would take more than this many times
    /// <see cref="EmOptions.NewtonAfter"/> further EM steps at its present rate.</summary>
    public const int SlowFactor = 1;

    /// <summary>A class whose weight is below twice the minimum prior is most likely draining away (the run will be
    /// abandoned, or the class kept at a boundary optimum), where Newton steps cannot help.</summary>
    internal static bool Draining(MixingWeights w, double minPrior) => minPrior > 0 && w.Pi.Any(p => p < 2 * minPrior);

    internal static bool Slow(List<(int Evals, double Change)> progress, int evals, EmOptions options)
    {
        if (progress.Count < 2) return false;
        var (eNow, dNow) = progress[^1];
        if (!(dNow >= options.Tolerance)) return false;
        var back = progress.LastOrDefault(p => p.Evals <= evals - options.NewtonAfter / 2, progress[0]);
        if (back.Evals >= eNow || !(back.Change > 0)) return true;
        var rate = Math.Pow(dNow / back.Change, 1.0 / (eNow - back.Evals));
        if (!(rate < 1)) return true;
        return Math.Log(options.Tolerance / dNow) / Math.Log(rate) > SlowFactor * options.NewtonAfter;
    }

    /// <summary>Steps within this of 1 are not extrapolated (theta_2 is taken), as in R SQUAREM.</summary>
    public const double MinExtrapolation = 0.01;

    /// <summary>The factor by which the step bound grows or shrinks (R SQUAREM's <c>mstep</c>).</summary>
    public const double StepFactor = 4.0;

    /// <summary>At most this many Newton steps per Newton phase (see <see cref="EmOptions.NewtonAfter"/>).</summary>
    public const int NewtonStepsPerPhase = 30;

    /// <summary>Extrapolations tried per cycle: the step a, then a / 4 when a is rejected (R SQUAREM tries one).</summary>
    public const int Attempts = 2;

    /// <summary>
    /// Runs accelerated EM from the n x K responsibilities in <paramref name="W0"/>, which the caller hands
    /// over (the buffer is overwritten: with the log-likelihood rule it is the run's only n x K buffer). The result
    /// is in the family's canonical order.
    /// </summary>
    public static Fin<EmFit<TC>> Run<TD, TC>(
        IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, double[] W0, int n, int K, EmOptions options, StartInfo start) =>
        Run(family, weights, data, W0, n, K, options, start, null);

    /// <summary><see cref="Run{TD,TC}(IMixtureFamily{TD,TC}, IWeightModel, TD, double[], int, int, EmOptions, StartInfo)"/> on the first
    /// n K entries of <paramref name="W0"/>, the scratch buffer borrowed from <paramref name="pool"/> when given.</summary>
    internal static Fin<EmFit<TC>> Run<TD, TC>(
        IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, double[] W0, int n, int K, EmOptions options, StartInfo start, BufferPool? pool)
    {
        if (options.MaxIterations < 1) throw new ArgumentException("MaxIterations must be at least 1");
        if (W0.Length < (long)n * K) throw new ArgumentException($"W0 has {W0.Length} entries, fewer than n K = {(long)n * K}");
        var llRule = options.Rule == StopRule.LogLikelihoodChange;
        // scratch for the next E-step; with the log-likelihood rule no step reads W at the current point after its
        // M-step, so every E-step can overwrite it and the run needs a single n x K buffer
        var scratch = llRule ? null : pool?.Rent() ?? new double[n * K];
        try { return Run(family, weights, data, W0, scratch ?? W0, n, K, options, start); }
        finally { if (scratch is not null) pool?.Return(scratch); }
    }

    private static Fin<EmFit<TC>> Run<TD, TC>(
        IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, double[] W0, double[] scratch, int n, int K, EmOptions options, StartInfo start)
    {
        var llRule = options.Rule == StopRule.LogLikelihoodChange;
        var trace = ImmutableArray.CreateBuilder<double>();
        var steps = new EmSteps<TD, TC>(family, weights, data, n, K, options, start);
        var wc = W0;                 // W at the current point (W0 before the first M-step)
        var ws = scratch;
        var stepMax = 1.0;
        var len = steps.Length;
        var v0 = new double[len];
        var v1 = new double[len];
        var v2 = new double[len];
        var vx = new double[len];
        Fin<Mixture<TC>> M(double[] w) => steps.M(w);
        // with the log-likelihood rule the run's one buffer is read only by the M-step after each E-step (from the
        // sweep's sums, W made there only if the fit reads it): the sweep may leave W unwritten
        double E(Mixture<TC> m, double[] dest, double[]? prev, out double delta) => steps.E(m, dest, prev, out delta, needW: !llRule);
        double Checked(double ll) => steps.Checked(ll);
        bool Converged(double delta, double llNew, double llOld) =>
            llRule ? Math.Abs(llNew - llOld) < options.Tolerance * steps.EffectiveUnits : delta < options.Tolerance;

        // The first M-step from W0 and its E-step (plain EM's first iteration).
        if (!M(wc).TryGet(out var cur, out var error)) return FinFail<EmFit<TC>>(error);
        var ll = Checked(E(cur, ws, llRule ? null : wc, out var d0));
        trace.Add(ll);
        (wc, ws) = (ws, wc);
        var ticker = ProgressTicker.For(options, K, start);
        ticker?.Tick(steps.Evals, ll);
        var stop = !llRule && d0 < options.Tolerance ? StopReason.Converged : StopReason.MaxIterations;

        var so = options.NewtonAfter > 0 && weights is ConstantWeights ? family as ISecondOrderFamily<TD, TC> : null;
        var newtonInterval = options.NewtonAfter;
        var nextNewton = options.NewtonAfter;
        var progress = new List<(int Evals, double Change)>(); // the stopping rule's measure at every plain EM step
        while (stop != StopReason.Converged && steps.Evals < options.MaxIterations)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            ticker?.Tick(steps.Evals, ll);
            if (so is not null && steps.Evals >= nextNewton && steps.Evals + NewtonStepsPerPhase + 2 < options.MaxIterations)
            {
                nextNewton = steps.Evals + newtonInterval;
                if (Slow(progress, steps.Evals, options) && !Draining(cur.Weights, options.MinPrior))
                {
                    // Newton steps where EM is slow; then the cycle's plain EM step checks the stopping rule from there
                    // the Newton steps work in the free buffer (with a single buffer, wc must survive a phase that keeps no step)
                    var (mN, llN, newtonSteps) = NewtonSteps.Run(so, family, data, cur, NewtonStepsPerPhase, options.MinPrior, ws != wc ? ws : null);
                    steps.Evals += newtonSteps;
                    if (llN > ll)
                    {
                        cur = mN;
                        ll = Checked(E(cur, wc, null, out _));
                        trace.Add(ll);
                        stepMax = 1.0;
                    }
                    else
                    {
                        // no step was kept (the optimum lies on the boundary, e.g. a weight draining to the minimum
                        // prior): wait four times longer before the next try
                        newtonInterval *= 4;
                        nextNewton = steps.Evals + newtonInterval;
                    }
                }
            }
            var m0 = cur;
            var ll0 = ll;
            // 1. a plain EM step, with the stopping rule
            if (!M(wc).TryGet(out var m1, out error)) return FinFail<EmFit<TC>>(error);
            var ll1 = Checked(E(m1, ws, llRule ? null : wc, out var d1));
            progress.Add((steps.Evals, llRule ? Math.Abs(ll1 - ll0) / steps.EffectiveUnits : d1));
            trace.Add(ll1);
            (wc, ws) = (ws, wc);
            cur = m1; ll = ll1;
            if (Converged(d1, ll1, ll0)) { stop = StopReason.Converged; break; }
            if (steps.Evals >= options.MaxIterations) break;
            // 2. a second EM step
            if (!M(wc).TryGet(out var m2, out error)) return FinFail<EmFit<TC>>(error);
            // 3. the extrapolation
            steps.ToVector(m0, v0); steps.ToVector(m1, v1); steps.ToVector(m2, v2);
            double sr2 = 0, sv2 = 0;
            for (var j = 0; j < len; j++)
            {
                var r = v1[j] - v0[j];
                var v = v2[j] - 2 * v1[j] + v0[j];
                sr2 += r * r;
                sv2 += v * v;
            }
            var alpha = sv2 > 0 && double.IsFinite(sr2 / sv2) ? Math.Sqrt(sr2 / sv2) : 1.0;
            alpha = Math.Clamp(alpha, 1.0, stepMax);
            var accepted = false;
            var tryAlpha = alpha;
            for (var attempt = 0; attempt < Attempts && !accepted && tryAlpha - 1.0 > MinExtrapolation && steps.Evals < options.MaxIterations; attempt++)
            {
                for (var j = 0; j < len; j++)
                {
                    var r = v1[j] - v0[j];
                    var v = v2[j] - 2 * v1[j] + v0[j];
                    vx[j] = v0[j] + 2 * tryAlpha * r + tryAlpha * tryAlpha * v;
                }
                if (steps.FromVector(vx).TryGet(out var mx, out _) && double.IsFinite(E(mx, ws, null, out _))
                    && steps.MUnchecked(ws).TryGet(out var mNew, out _))
                {
                    var llNew = E(mNew, ws, null, out _);
                    if (llNew >= ll1)
                    {
                        // the run moves here; an M-step of the run whose weight is below the minimum prior ends it,
                        // by the stated rule, as in plain EM
                        if (steps.SmallPrior(mNew) is { } small) return FinFail<EmFit<TC>>(small);
                        trace.Add(llNew);
                        (wc, ws) = (ws, wc);
                        cur = mNew; ll = llNew;
                        accepted = true;
                        alpha = tryAlpha;
                    }
                }
                tryAlpha = Math.Max(1.0, tryAlpha / StepFactor);
            }
            if (!accepted)
            {
                // 4. the safeguard: the plain EM point theta_2
                var ll2 = Checked(E(m2, ws, llRule ? null : wc, out var d2));
                trace.Add(ll2);
                (wc, ws) = (ws, wc);
                cur = m2; ll = ll2;
                if (alpha > 1.0 + MinExtrapolation) stepMax = Math.Max(1.0, alpha / StepFactor);
                else if (alpha == stepMax) stepMax *= StepFactor;
                if (Converged(d2, ll2, ll1)) stop = StopReason.Converged;
            }
            else if (alpha == stepMax) stepMax *= StepFactor;
        }
        ticker?.Tick(steps.Evals, ll, final: true);
        return EmLoop.Canonical(family, new EmFit<TC>(cur, ll, trace.ToImmutable(), steps.Evals, stop, start));
    }
}
