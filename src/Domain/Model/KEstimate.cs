using System.Collections.Immutable;
using LanguageExt;
using LanguageExt.Common;
using Mixtures.Domain.Em;

namespace Mixtures.Domain.Model;

/// <summary>The estimation for one K of a path: the multi-start result, or why there is none.</summary>
/// <param name="K">Number of components.</param>
/// <param name="FreeParameters">k in BIC/AIC (components and weights).</param>
/// <param name="Result">The best of the starts, or the error (with its stable code) when every start failed
/// or K cannot be fitted; a failing K does not fail the others.</param>
/// <param name="Problems">What the fit rule finds wrong with the best fit (e.g. a collapsed component); empty when sound.</param>
/// <param name="Excluded">Whether <paramref name="Problems"/> exclude this K from the choice of K.</param>
/// <param name="RejectedStarts">Starts whose fit the rule rejected, screened-out starts included (a rejected run competes
/// only when every run is rejected).</param>
/// <param name="BelowPrevious">Set when the best log L is below the best of K - 1, which a split start from the K - 1 fit
/// rules out unless a rule excluded the split starts' fits: the sentence says which.</param>
public sealed record KEstimate<TComponents>(
    int K,
    int FreeParameters,
    Fin<EstimateResult<TComponents>> Result,
    ImmutableArray<string> Problems,
    bool Excluded,
    int RejectedStarts,
    string? BelowPrevious)
{
    /// <summary>The result, or null when the K failed.</summary>
    public EstimateResult<TComponents>? Estimate => Result.Match(Succ: e => e, Fail: _ => (EstimateResult<TComponents>?)null);

    /// <summary>Whether some start produced a fit.</summary>
    public bool Ok => Result.IsSucc;

    /// <summary>The error of a failed K, or null.</summary>
    public Error? Error => Result.Match(Succ: _ => (Error?)null, Fail: e => e);

    /// <summary>The failure's message, or null.</summary>
    public string? Failure => Error?.Message;

    /// <summary>Whether this K competes in the choice of K.</summary>
    public bool Eligible => Ok && !Excluded;

    /// <summary>Whether the best fit has problems (reported whether or not they exclude it).</summary>
    public bool HasProblems => !Problems.IsEmpty;

    /// <summary>log L of the best fit (NaN when the K failed).</summary>
    public double LogLikelihood => Estimate?.LogLikelihood ?? double.NaN;
    /// <summary>BIC = -2 log L + k ln n (NaN when the K failed).</summary>
    public double Bic => Estimate?.Bic ?? double.NaN;
    /// <summary>AIC = -2 log L + 2k (NaN when the K failed).</summary>
    public double Aic => Estimate?.Aic ?? double.NaN;

    /// <summary>The criterion's value (lower is better), or null without a fit.</summary>
    public double? Criterion(SelectionCriterion criterion) => Estimate is not { } e ? null : criterion switch
    {
        SelectionCriterion.Bic => e.Bic,
        SelectionCriterion.Aic => e.Aic,
        SelectionCriterion.Icl => e.Icl,
        _ => throw new ArgumentOutOfRangeException(nameof(criterion)),
    };
}

/// <summary>Estimates for several K on the same data, and the K the criterion selects.</summary>
/// <param name="Fits">One entry per requested K, ascending.</param>
/// <param name="Criterion">The criterion that chose K (lower is better).</param>
/// <param name="SelectedK">The eligible K with the lowest criterion (the smaller K on ties), or null when no K is eligible.</param>
/// <param name="Units">Units carrying a latent label (rows of W).</param>
/// <param name="Observations">n in BIC.</param>
/// <param name="Settings">How the starts were planned and run.</param>
/// <param name="Rule">The name of the fit rule that decides eligibility, or null when there is none.</param>
/// <param name="WeightedObservations">With observation weights, n in BIC (the sum of the weights over the
/// observations); null without weights.</param>
public sealed record EstimationPath<TComponents>(
    ImmutableArray<KEstimate<TComponents>> Fits,
    SelectionCriterion Criterion,
    int? SelectedK,
    int Units,
    int Observations,
    EstimationSettings Settings,
    string? Rule,
    double? WeightedObservations = null)
{
    /// <summary>n in BIC: <see cref="WeightedObservations"/> with observation weights, else <see cref="Observations"/>.</summary>
    public double SampleSize => WeightedObservations ?? Observations;

    /// <summary>Whether the data carry observation weights (other than all 1).</summary>
    public bool Weighted => WeightedObservations is not null;

    /// <summary>Whether the starts were screened (see <see cref="Em.StartPlan.ScreensFor"/>).</summary>
    public bool Screened => Settings.Plan.ScreensFor(Units);

    /// <summary>The selected K's estimate, or null when no K is eligible.</summary>
    public KEstimate<TComponents>? Selected => SelectedK is { } k ? For(k) : null;

    /// <summary>The entry for K, or null when K was not requested.</summary>
    public KEstimate<TComponents>? For(int K) => Fits.FirstOrDefault(f => f.K == K);
}
