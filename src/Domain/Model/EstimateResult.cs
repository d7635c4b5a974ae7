using System.Collections.Immutable;

namespace Mixtures.Domain.Model;

/// <summary>The best of several EM starts for one K, with model-selection criteria.</summary>
/// <param name="K">Number of components.</param>
/// <param name="Best">The run with the highest log-likelihood (lowest start index on ties).</param>
/// <param name="StartsAtBest">How many starts ended within 1e-6 of the best log-likelihood.</param>
/// <param name="Starts">Every start's outcome, in start order.</param>
/// <param name="FreeParameters">k in BIC/AIC, including the K-1 free weights.</param>
/// <param name="Observations">n in BIC (rows; N*T for the panel model).</param>
public sealed record EstimateResult<TComponents>(
    int K,
    EmFit<TComponents> Best,
    int StartsAtBest,
    ImmutableArray<StartOutcome> Starts,
    int FreeParameters,
    int Observations)
{
    /// <summary>log L of the best start.</summary>
    public double LogLikelihood => Best.LogLikelihood;
    /// <summary>BIC = -2 log L + k ln n (lower is better).</summary>
    public double Bic => Em.Selection.Bic(LogLikelihood, FreeParameters, Observations);
    /// <summary>AIC = -2 log L + 2k (lower is better).</summary>
    public double Aic => Em.Selection.Aic(LogLikelihood, FreeParameters);
    /// <summary>ICL = BIC + 2 * entropy of the responsibilities (lower is better).</summary>
    public double Icl => Em.Selection.Icl(Bic, Best.Responsibilities);
    /// <summary>Starts abandoned because a component degenerated.</summary>
    public int FailedStarts => Starts.Count(s => s.Failure is not null);
}
