using System.Collections.Immutable;
using Mixtures.Domain.Model;

namespace Mixtures.Domain.Regression;

/// <summary>The estimation for one K: the best admissible start, or why there is none.</summary>
/// <param name="K">Number of classes.</param>
/// <param name="FreeParameters">k = K p + (K, 1 or 0 variances) + (K - 1).</param>
/// <param name="Estimate">The multi-start result, or null when every start was abandoned.</param>
/// <param name="Failure">Why no start gave an admissible solution (null when <paramref name="Estimate"/> is set).</param>
public sealed record RegressionKFit(int K, int FreeParameters, EstimateResult<RegressionComponents>? Estimate, string? Failure)
{
    /// <summary>Whether an admissible solution was found.</summary>
    public bool Ok => Estimate is not null;

    /// <summary>The criterion's value (lower is better), or null without a solution.</summary>
    public double? Criterion(SelectionCriterion criterion) => Estimate is null ? null : criterion switch
    {
        SelectionCriterion.Bic => Estimate.Bic,
        SelectionCriterion.Aic => Estimate.Aic,
        SelectionCriterion.Icl => Estimate.Icl,
        _ => throw new ArgumentOutOfRangeException(nameof(criterion)),
    };
}

/// <summary>Latent class regressions for several K on the same data.</summary>
/// <param name="Fits">One entry per requested K, ascending.</param>
/// <param name="Settings">How they were estimated.</param>
/// <param name="Units">Units carrying a latent class (groups, or rows).</param>
/// <param name="Observations">Rows, n in BIC.</param>
public sealed record RegressionPath(ImmutableArray<RegressionKFit> Fits, RegressionSettings Settings, int Units, int Observations)
{
    /// <summary>The admissible fit with the lowest criterion (the smaller K on ties), or null when none is admissible.</summary>
    public RegressionKFit? Select(SelectionCriterion criterion)
    {
        RegressionKFit? best = null;
        foreach (var f in Fits)
        {
            var v = f.Criterion(criterion);
            if (v is null || double.IsNaN(v.Value)) continue;
            if (best is null || v.Value < best.Criterion(criterion)!.Value) best = f;
        }
        return best;
    }

    /// <summary>The fit for K, or null when K was not requested.</summary>
    public RegressionKFit? For(int K) => Fits.FirstOrDefault(f => f.K == K);
}
