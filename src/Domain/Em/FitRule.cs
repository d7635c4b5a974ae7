using System.Collections.Immutable;
using Mixtures.Domain.Model;

namespace Mixtures.Domain.Em;

/// <summary>
/// A rule a fitted mixture must pass to compete (the eligibility half of model selection): it lists a fit's
/// problems, such as a Gaussian component collapsed onto the ridge. With <paramref name="Exclude"/>, a run
/// with problems is chosen as a K's best only when every run has them, and such a K is left out of the choice
/// of K; without it the problems are only reported.
/// </summary>
/// <param name="Name">The rule in words, for output ("collapsed components excluded").</param>
/// <param name="Problems">The fit's problems, empty when it is sound.</param>
/// <param name="Exclude">Whether problems exclude the fit.</param>
public sealed record FitRule<TComponents>(string Name, Func<EmFit<TComponents>, ImmutableArray<string>> Problems, bool Exclude);
