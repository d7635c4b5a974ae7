namespace Mixtures.Domain.Comparison;

/// <summary>The OLS fit of one known segment on its training rows.</summary>
/// <param name="Segment">Segment index.</param>
/// <param name="Name">Segment name.</param>
/// <param name="TrainRows">Training rows of the segment.</param>
/// <param name="TestRows">Test rows of the segment.</param>
/// <param name="Fit">The segment's own fit, or null when it falls back to the pooled model.</param>
/// <param name="Fallback">Why the segment uses the pooled model (null when it has its own fit).</param>
public sealed record SegmentFit(int Segment, string Name, int TrainRows, int TestRows, OlsFit? Fit, string? Fallback);
