namespace Mixtures.Shell.Output.Plots;

/// <summary>Information criteria of the fit with K components (null where K has no admissible fit).</summary>
public sealed record CriterionPoint(int K, double? Bic, double? Aic);
