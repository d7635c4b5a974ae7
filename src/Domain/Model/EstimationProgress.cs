namespace Mixtures.Domain.Model;

/// <summary>Where an estimation is: one EM run's latest iteration, for a progress display. Reports are made from
/// the EM loops (see <see cref="EmOptions.Progress"/>); they describe the search and never feed back into it.</summary>
/// <param name="K">The number of components being fitted.</param>
/// <param name="Start">The run's start, 1-based, in the order of the K's start plan.</param>
/// <param name="Iteration">EM steps (M-steps) the run has made so far, screening included.</param>
/// <param name="LogLikelihood">The run's log-likelihood after that step.</param>
/// <param name="Starts">The starts of this K (0 when the run is not part of an estimation path).</param>
/// <param name="LastK">The largest K of the path (0 when the run is not part of one).</param>
public sealed record EstimationProgress(int K, int Start, int Iteration, double LogLikelihood, int Starts = 0, int LastK = 0);
