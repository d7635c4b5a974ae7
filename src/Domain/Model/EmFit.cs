using System.Collections.Immutable;

namespace Mixtures.Domain.Model;

/// <summary>The outcome of one EM run: parameters and how the run went, not the n x K responsibilities (an
/// estimation keeps many runs; <see cref="Em.EmLoop.Responsibilities{TD,TC}(Em.IMixtureFamily{TD,TC}, Em.IWeightModel, TD, EmFit{TC})"/>
/// repeats the run's final E-step when they are needed).</summary>
/// <param name="Mixture">Final parameters (components and weights), in canonical order.</param>
/// <param name="LogLikelihood">log L evaluated at the FINAL parameters.</param>
/// <param name="Trace">log L after every iteration (Trace[^1] == LogLikelihood).</param>
/// <param name="Iterations">Number of M+E iterations run.</param>
/// <param name="Stop">Converged or hit the iteration limit.</param>
/// <param name="Start">Which start produced this run.</param>
/// <param name="RunOrder">The permutation that put the run's components in canonical order: component k of
/// <paramref name="Mixture"/> was the run's component RunOrder[k] (default or empty: the same order). The E-step's
/// row sums run over the components in order, so the final E-step is repeated in the run's order to give the
/// run's own responsibilities bit for bit.</param>
public sealed record EmFit<TComponents>(
    Mixture<TComponents> Mixture,
    double LogLikelihood,
    ImmutableArray<double> Trace,
    int Iterations,
    StopReason Stop,
    StartInfo Start,
    ImmutableArray<int> RunOrder = default)
{
    /// <summary>True when the stopping rule was met before the iteration limit.</summary>
    public bool Converged => Stop == StopReason.Converged;
}
