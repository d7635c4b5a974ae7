using System.Collections.Immutable;

namespace Mixtures.Domain.Comparison;

/// <summary>One predictor's predictions and accuracy on the test rows.</summary>
/// <param name="Model">The predictor.</param>
/// <param name="Predictions">Prediction for each test row, in test-row order.</param>
/// <param name="Overall">Accuracy over all test rows.</param>
/// <param name="BySegment">Accuracy over each known segment's test rows (null for a segment without test rows); empty without segments.</param>
public sealed record ModelScore(ComparedModel Model, ImmutableArray<double> Predictions, PredictionMetrics Overall, ImmutableArray<PredictionMetrics?> BySegment)
{
    /// <summary>Whether the predictor used the test rows' y (an in-sample diagnostic, not a held-out score).</summary>
    public bool InSampleDiagnostic => Model.UsesTestY();
}
