namespace Mixtures.Domain.Model;

/// <summary>Summary of one start of a multi-start estimation (for reporting).</summary>
/// <param name="Start">Which start.</param>
/// <param name="LogLikelihood">Final log L, or NaN when the start failed.</param>
/// <param name="Iterations">Iterations run (0 when it failed before the first).</param>
/// <param name="Converged">Whether the stopping rule was met.</param>
/// <param name="Failure">Why the start was abandoned (degenerate component), or null.</param>
/// <param name="Acceptable">False when the run finished but the caller's acceptability rule rejected it
/// (e.g. a Gaussian component collapsed onto the ridge); such runs are chosen only when no run is acceptable.</param>
/// <param name="ScreenedOut">True when the start was stopped after the screening stage (short runs from many starts,
/// the best continued); its log L is the one it had then.</param>
public sealed record StartOutcome(StartInfo Start, double LogLikelihood, int Iterations, bool Converged, string? Failure, bool Acceptable = true,
    bool ScreenedOut = false);
