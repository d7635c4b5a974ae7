using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;

namespace Mixtures.Domain.Model;

/// <summary>Result of <c>SalesModel.EM</c>: one EM run of the sales model, segments by ascending alpha.</summary>
/// <param name="Theta">Estimated (alpha, beta) per segment.</param>
/// <param name="Pi">Estimated mixing weights.</param>
/// <param name="LogLikelihood">log L at (Theta, Pi).</param>
/// <param name="Trace">log L after every iteration.</param>
/// <param name="Iterations">Iterations run.</param>
/// <param name="Converged">Whether max |W_new - W_old| &lt; tol was reached.</param>
/// <param name="Posterior">The N x K posterior segment probabilities at (Theta, Pi), the run's final E-step, computed
/// when first asked for (a result keeps parameters, not N x K matrices).</param>
/// <param name="Start">The start that produced the run.</param>
public sealed record SalesFit(
    Theta Theta, MixingWeights Pi, double LogLikelihood, ImmutableArray<double> Trace,
    int Iterations, bool Converged, Lazy<Matrix<double>> Posterior, StartInfo Start)
{
    /// <summary>Number of segments.</summary>
    public int K => Theta.K;

    /// <summary>N x K posterior segment probabilities at (Theta, Pi) (see <see cref="Posterior"/>).</summary>
    public Matrix<double> W => Posterior.Value;
}

/// <summary>Result of <c>SalesModel.Estimate</c>: the best of several EM runs for one K.</summary>
/// <param name="Best">The best run (highest log-likelihood, lowest start index on ties).</param>
/// <param name="StartsAtBest">Runs taken to the end that reached the best log-likelihood (within 1e-9 relative, at least 1e-6).</param>
/// <param name="Starts">Every start's outcome in start order.</param>
/// <param name="FreeParameters">k = 3K - 1.</param>
/// <param name="Observations">n = N T.</param>
/// <param name="BelowPrevious">Set when the best log L is below the best K - 1 value, with the reason.</param>
/// <param name="WeightedObservations">With store weights w_i, n in BIC: T sum_i w_i; null without weights.</param>
public sealed record SalesEstimate(SalesFit Best, int StartsAtBest, ImmutableArray<StartOutcome> Starts, int FreeParameters, int Observations,
    string? BelowPrevious = null, double? WeightedObservations = null)
{
    /// <summary>n in BIC: <see cref="WeightedObservations"/> with store weights, else <see cref="Observations"/> = N T.</summary>
    public double SampleSize => WeightedObservations ?? Observations;
    /// <summary>Runs taken to the end (not stopped by the screening).</summary>
    public int Runs => Starts.Count(s => s.Failure is null && !s.ScreenedOut);
    /// <summary>See <see cref="EstimateResult{TComponents}.Fragile"/>.</summary>
    public bool Fragile => K > 1 && (StartsAtBest <= 1 || StartsAtBest < 0.1 * Runs);
    /// <summary>Number of segments.</summary>
    public int K => Best.K;
    /// <summary>The best run's segment coefficients.</summary>
    public Theta Theta => Best.Theta;
    /// <summary>The best run's mixing weights.</summary>
    public MixingWeights Pi => Best.Pi;
    /// <summary>The best run's log-likelihood.</summary>
    public double LogLikelihood => Best.LogLikelihood;
    /// <summary>BIC = k log(N T) - 2 log L (with store weights k log(T sum_i w_i) - 2 log L).</summary>
    public double Bic => Em.Selection.Bic(LogLikelihood, FreeParameters, SampleSize);
    /// <summary>AIC = 2k - 2 log L.</summary>
    public double Aic => Em.Selection.Aic(LogLikelihood, FreeParameters);
    /// <summary>Which kind of start produced the best fit.</summary>
    public StartInfo WinningStart => Best.Start;
}
