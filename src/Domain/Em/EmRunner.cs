using System.Collections.Immutable;
using LanguageExt;
using LanguageExt.Common;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Em;

/// <summary>
/// One EM run that can be advanced a number of iterations at a time (so that multi-start can run
/// starts in deterministic rounds). Its buffers are private; only the immutable <see cref="Result"/>
/// leaves it. Iteration t: (theta_t, pi_t) = M(W_{t-1}); (W_t, log L_t) = E(theta_t, pi_t); stop when
/// max |W_t - W_{t-1}| &lt; tol (or, with <see cref="StopRule.LogLikelihoodChange"/>,
/// |log L_t - log L_{t-1}| / n &lt; tol) or t = max iterations.
/// The log-densities are written into the buffer that receives W_t, and the E-step normalises them in
/// place (<c>EmLoop.EStepInto</c> reads column k of L before it overwrites it); with the log-likelihood rule
/// W_{t-1} is not needed once the M-step has read it, so a single n x K buffer serves for everything; and a fused
/// sweep that can leave W unwritten does so under that rule (<see cref="IFusedWithoutW{TData,TComponents}"/>: the loop reads
/// no W, and the buffer holds no final W after the run).
/// </summary>
internal sealed class EmRunner<TD, TC>
{
    private readonly IMixtureFamily<TD, TC> family;
    private readonly IWeightModel weights;
    private readonly TD data;
    private readonly EmOptions options;
    private readonly StartInfo start;
    private readonly int n;
    private readonly int K;
    private double[] wCur;
    private double[] wNext;
    private readonly ImmutableArray<double>.Builder trace = ImmutableArray.CreateBuilder<double>();
    private Mixture<TC>? mixture;
    private Error? failure;
    private StopReason stop = StopReason.MaxIterations;
    private readonly bool inPlace;
    private readonly BufferPool? pool;
    private readonly double[]? scratch;
    private readonly ProgressTicker? ticker;
    private readonly double[]? unitWeights;
    private readonly double effectiveUnits;

    public EmRunner(IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, Matrix<double> W0, EmOptions options, StartInfo start)
        : this(family, weights, data, (double[])(W0.AsColumnMajorArray() ?? W0.ToColumnMajorArray()).Clone(), W0.RowCount, W0.ColumnCount, options, start)
    {
    }

    /// <summary>A run on a column-major n x K buffer holding W0 in its first n K entries, which the caller hands over
    /// (it is overwritten); a second buffer for the weight-change rule comes from <paramref name="pool"/> when given.
    /// <paramref name="from"/>: the parameters W0 is the E-step of, when known (the first M-step's current mixture).</summary>
    public EmRunner(IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, double[] W0, int n, int K, EmOptions options, StartInfo start,
        BufferPool? pool = null, Mixture<TC>? from = null)
    {
        mixture = from;
        this.weights = weights;
        if (options.MaxIterations < 1) throw new ArgumentException("MaxIterations must be at least 1");
        if (W0.Length < (long)n * K) throw new ArgumentException($"W0 has {W0.Length} entries, fewer than n K = {(long)n * K}");
        this.pool = pool;
        this.family = family; this.data = data; this.options = options; this.start = start;
        this.n = n;
        this.K = K;
        inPlace = options.Rule == StopRule.LogLikelihoodChange;
        fused = FusedSweep<TD, TC>.For(family, weights, data, n, K);
        // a fused sweep that writes W over W_prev needs no second buffer: wNext is wCur, E(m, wCur, wCur)
        var oneBuffer = inPlace || fused is { OverPrevious: true };
        wCur = W0;
        scratch = oneBuffer ? null : pool?.Rent() ?? new double[n * K];
        wNext = scratch ?? W0;
        ticker = ProgressTicker.For(options, K, start);
        unitWeights = EmLoop.ActiveWeights(family, data);
        effectiveUnits = EmLoop.EffectiveUnits(family, data);
    }

    /// <summary>The family's fused sweep when it has one for this run (one pass per iteration), else null.</summary>
    private readonly FusedSweep<TD, TC>? fused;

    /// <summary>Iterations run so far.</summary>
    public int Iterations => trace.Count;

    /// <summary>True once converged, failed or at the iteration limit.</summary>
    public bool Done => failure is not null || stop == StopReason.Converged || trace.Count >= options.MaxIterations;

    /// <summary>Whether the run met the stopping rule.</summary>
    public bool Converged => stop == StopReason.Converged;

    /// <summary>Whether the run failed (a degenerate component).</summary>
    public bool Failed => failure is not null;

    /// <summary>log L after iteration <paramref name="t"/> (1-based).</summary>
    public double LogLikelihoodAt(int t) => trace[t - 1];

    /// <summary>The current log L (NaN before the first iteration).</summary>
    public double LogLikelihood => trace.Count == 0 ? double.NaN : trace[^1];

    /// <summary>Gives the scratch buffer back to the pool (the run cannot go on after this).</summary>
    public void Release()
    {
        if (scratch is not null) pool?.Return(scratch);
    }

    /// <summary>Runs up to <paramref name="steps"/> more iterations (fewer when done).</summary>
    public void Advance(int steps)
    {
        for (var s = 0; s < steps && !Done; s++) Step();
    }

    private void Step()
    {
        options.Cancellation.ThrowIfCancellationRequested();
        if (!(fused?.M(wCur, mixture) ?? EmLoop.MStep(family, weights, data, wCur, n, K, mixture)).TryGet(out var m, out var error))
        {
            failure = error;
            return;
        }
        if (options.MinPrior > 0)
            for (var k = 0; k < m.Weights.K; k++)
                if (m.Weights.Pi[k] < options.MinPrior)
                {
                    failure = new SmallPriorError(k + 1, m.Weights.Pi[k], options.MinPrior);
                    return;
                }
        mixture = m;
        double ll, delta;
        // with the log-likelihood rule nothing reads W between the steps: a sweep that can leaves it unwritten
        if (fused is not null) ll = fused.E(m, wNext, inPlace ? null : wCur, out delta, needW: !inPlace);
        else
        {
            family.LogDensities(data, m.Components, wNext);
            ll = EmLoop.EStepInto(wNext, weights.LogPrior(m.Weights, n), n, K, wNext, inPlace ? null : wCur, out delta, unitWeights);
        }
        if (double.IsNaN(ll)) throw new InvalidOperationException($"log-likelihood is NaN at iteration {trace.Count + 1} ({start})");
        trace.Add(ll);
        if (inPlace)
        {
            if (trace.Count > 1 && Math.Abs(ll - trace[^2]) < options.Tolerance * effectiveUnits) stop = StopReason.Converged;
        }
        else
        {
            (wCur, wNext) = (wNext, wCur);
            if (delta < options.Tolerance) stop = StopReason.Converged;
        }
        ticker?.Tick(trace.Count, ll, Done);
    }

    /// <summary>The run's outcome: the fit in canonical order, or the failure.</summary>
    public Fin<EmFit<TC>> Result()
    {
        if (failure is not null) return FinFail<EmFit<TC>>(failure);
        if (mixture is null) throw new InvalidOperationException("no iteration has run");
        return EmLoop.Canonical(family, new EmFit<TC>(mixture, trace[^1], trace.ToImmutable(), trace.Count, stop, start));
    }
}
