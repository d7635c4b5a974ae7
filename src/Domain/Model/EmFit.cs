using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;

namespace Mixtures.Domain.Model;

/// <summary>The outcome of one EM run.</summary>
/// <param name="Mixture">Final parameters (components and weights), in canonical order.</param>
/// <param name="LogLikelihood">log L evaluated at the FINAL parameters.</param>
/// <param name="Trace">log L after every iteration (Trace[^1] == LogLikelihood).</param>
/// <param name="Iterations">Number of M+E iterations run.</param>
/// <param name="Stop">Converged or hit the iteration limit.</param>
/// <param name="Responsibilities">n x K matrix W from the E-step at the final parameters (canonical order).</param>
/// <param name="Start">Which start produced this run.</param>
public sealed record EmFit<TComponents>(
    Mixture<TComponents> Mixture,
    double LogLikelihood,
    ImmutableArray<double> Trace,
    int Iterations,
    StopReason Stop,
    Matrix<double> Responsibilities,
    StartInfo Start)
{
    /// <summary>True when the stopping rule was met before the iteration limit.</summary>
    public bool Converged => Stop == StopReason.Converged;
}
