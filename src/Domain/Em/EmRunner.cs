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
/// max |W_t - W_{t-1}| &lt; tol or t = max iterations.
/// </summary>
internal sealed class EmRunner<TD, TC>
{
    private readonly IMixtureFamily<TD, TC> family;
    private readonly TD data;
    private readonly EmOptions options;
    private readonly StartInfo start;
    private readonly int n;
    private readonly int K;
    private double[] wCur;
    private double[] wNext;
    private readonly double[] logDens;
    private readonly ImmutableArray<double>.Builder trace = ImmutableArray.CreateBuilder<double>();
    private Mixture<TC>? mixture;
    private Error? failure;
    private StopReason stop = StopReason.MaxIterations;

    public EmRunner(IMixtureFamily<TD, TC> family, TD data, Matrix<double> W0, EmOptions options, StartInfo start)
    {
        if (options.MaxIterations < 1) throw new ArgumentException("MaxIterations must be at least 1");
        this.family = family; this.data = data; this.options = options; this.start = start;
        n = W0.RowCount;
        K = W0.ColumnCount;
        wCur = (double[])(W0.AsColumnMajorArray() ?? W0.ToColumnMajorArray()).Clone();
        wNext = new double[n * K];
        logDens = new double[n * K];
    }

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

    /// <summary>Runs up to <paramref name="steps"/> more iterations (fewer when done).</summary>
    public void Advance(int steps)
    {
        for (var s = 0; s < steps && !Done; s++) Step();
    }

    private void Step()
    {
        if (!EmLoop.MStep(family, data, Matrix<double>.Build.Dense(n, K, wCur)).TryGet(out var m, out var error))
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
        family.LogDensities(data, m.Components, logDens);
        var ll = EmLoop.EStepInto(logDens, m.Weights.LogPi(), n, K, wNext);
        if (double.IsNaN(ll)) throw new InvalidOperationException($"log-likelihood is NaN at iteration {trace.Count + 1} ({start})");
        trace.Add(ll);
        var delta = 0.0;
        for (var j = 0; j < wCur.Length; j++) delta = Math.Max(delta, Math.Abs(wNext[j] - wCur[j]));
        (wCur, wNext) = (wNext, wCur);
        if (delta < options.Tolerance) stop = StopReason.Converged;
    }

    /// <summary>The run's outcome: the fit in canonical order, or the failure.</summary>
    public Fin<EmFit<TC>> Result()
    {
        if (failure is not null) return FinFail<EmFit<TC>>(failure);
        if (mixture is null) throw new InvalidOperationException("no iteration has run");
        var W = Matrix<double>.Build.Dense(n, K, (double[])wCur.Clone());
        return EmLoop.Canonical(family, new EmFit<TC>(mixture, trace[^1], trace.ToImmutable(), trace.Count, stop, W, start));
    }
}
