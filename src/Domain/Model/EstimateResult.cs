using System.Collections.Immutable;

namespace Mixtures.Domain.Model;

/// <summary>The best of several EM starts for one K, with model-selection criteria.</summary>
/// <param name="K">Number of components.</param>
/// <param name="Best">The run with the highest log-likelihood among the runs taken to the end (lowest start
/// index on ties), among those the fit rule accepts when it accepts any.</param>
/// <param name="StartsAtBest">How many runs taken to the end reached the best log-likelihood (within
/// <see cref="Em.Estimation.SameOptimum"/> relative, at least <see cref="Em.Estimation.SameOptimumAbsolute"/>).</param>
/// <param name="Starts">Every start's outcome, in start order (screened-out starts included).</param>
/// <param name="FreeParameters">k in BIC/AIC, including the free mixing-weight parameters.</param>
/// <param name="Observations">n in BIC (rows; N*T for the panel model).</param>
/// <param name="LogMaxPosterior">sum_i log max_k W[i,k] at the best fit's final E-step (at most 0): the classification
/// log-likelihood minus log L, kept so that ICL needs no n x K matrix (weighted by the observation weights when there are some).</param>
/// <param name="WeightedObservations">With observation weights, n in BIC: the sum of the weights over the observations
/// (<see cref="ObservationWeights"/>); null without weights.</param>
public sealed record EstimateResult<TComponents>(
    int K,
    EmFit<TComponents> Best,
    int StartsAtBest,
    ImmutableArray<StartOutcome> Starts,
    int FreeParameters,
    int Observations,
    double LogMaxPosterior,
    double? WeightedObservations = null)
{
    /// <summary>n in BIC: <see cref="WeightedObservations"/> with observation weights, else <see cref="Observations"/>.</summary>
    public double SampleSize => WeightedObservations ?? Observations;

    /// <summary>log L of the best start.</summary>
    public double LogLikelihood => Best.LogLikelihood;
    /// <summary>BIC = -2 log L + k ln n (lower is better).</summary>
    public double Bic => Em.Selection.Bic(LogLikelihood, FreeParameters, SampleSize);
    /// <summary>AIC = -2 log L + 2k (lower is better).</summary>
    public double Aic => Em.Selection.Aic(LogLikelihood, FreeParameters);
    /// <summary>ICL = BIC + 2 * entropy of the responsibilities (lower is better).</summary>
    public double Icl => Em.Selection.Icl(Bic, LogMaxPosterior);
    /// <summary>Starts abandoned because a component degenerated.</summary>
    public int FailedStarts => Starts.Count(s => s.Failure is not null);
    /// <summary>Starts whose runs were taken to the end (converged or at the iteration limit): the split
    /// starts, the finalists of the screening and any start that converged while being screened.</summary>
    public int Runs => Starts.Count(s => s.Failure is null && !s.ScreenedOut);
    /// <summary>Starts stopped after the screening stage (their log L is the screened one).</summary>
    public int ScreenedOut => Starts.Count(s => s.ScreenedOut);
    /// <summary>The best log-likelihood is fragile: for K &gt; 1 it was reached by only one run, or by fewer
    /// than 10% of the runs taken to the end, so more starts may well find a higher one.</summary>
    public bool Fragile => K > 1 && (StartsAtBest <= 1 || StartsAtBest < 0.1 * Runs);
}
