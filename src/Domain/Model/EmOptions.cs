namespace Mixtures.Domain.Model;

/// <summary>Stopping rule of the EM loop.</summary>
/// <param name="Tolerance">Stop when max_{i,k} |W_new[i,k] - W_old[i,k]| &lt; Tolerance (the spec's rule).</param>
/// <param name="MaxIterations">At most this many M+E iterations per start.</param>
/// <param name="MinPrior">A component whose weight falls below this is degenerate (0 disables):
/// the start is abandoned and reported, never silently patched.</param>
public sealed record EmOptions(double Tolerance = 1e-8, int MaxIterations = 2000, double MinPrior = 0.0)
{
    public static EmOptions Default { get; } = new();
}
