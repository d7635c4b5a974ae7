namespace Mixtures.Domain.Model;

/// <summary>A fitted or given mixture: the family's component parameters and the mixing weights.</summary>
public sealed record Mixture<TComponents>(TComponents Components, MixingWeights Weights);
