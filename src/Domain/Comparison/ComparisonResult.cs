using System.Collections.Immutable;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;

namespace Mixtures.Domain.Comparison;

/// <summary>Everything <see cref="ModelComparison.Compare"/> fitted and scored.</summary>
/// <param name="Split">Training and test rows.</param>
/// <param name="Pooled">The pooled OLS fit on the training rows.</param>
/// <param name="Segments">Per known segment, its fit or fallback (empty without segments).</param>
/// <param name="LatentClass">The latent class regressions for every K tried on the training rows.</param>
/// <param name="Selected">The K used (lowest BIC when chosen automatically).</param>
/// <param name="MostLikelyClass">0-based class with the largest weight (lowest index on ties).</param>
/// <param name="PosteriorClass">Per test row, its most likely class given x and y (0-based; the diagnostic's class).</param>
/// <param name="Scores">Per predictor, in <see cref="ComparedModel"/> order (per-segment only with segments).</param>
public sealed record ComparisonResult(
    TrainTestSplit Split, OlsFit Pooled, ImmutableArray<SegmentFit> Segments, EstimationPath<RegressionComponents> LatentClass, KEstimate<RegressionComponents> Selected,
    int MostLikelyClass, ImmutableArray<int> PosteriorClass, ImmutableArray<ModelScore> Scores)
{
    /// <summary>The score of a predictor (throws when it was not scored, e.g. per-segment without segments).</summary>
    public ModelScore Score(ComparedModel model) => Scores.Single(s => s.Model == model);
}
