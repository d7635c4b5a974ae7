namespace Mixtures.Domain.Model;

/// <summary>Stopping rule of the EM loop.</summary>
/// <param name="Tolerance">Stop when max_{i,k} |W_new[i,k] - W_old[i,k]| &lt; Tolerance (the spec's rule), or, with
/// <see cref="StopRule.LogLikelihoodChange"/>, when |log L_new - log L_old| / n &lt; Tolerance.</param>
/// <param name="MaxIterations">At most this many M+E iterations per start.</param>
/// <param name="MinPrior">A component whose weight falls below this is degenerate (0 disables):
/// the start is abandoned and reported, never silently patched.</param>
/// <param name="Rule">What <paramref name="Tolerance"/> bounds: the change of W (default) or of log L per unit.</param>
/// <param name="Accelerate">Plain EM (the default, exactly the spec's iteration) or SQUAREM. With SQUAREM,
/// MaxIterations bounds the EM map evaluations (M-steps), and the stopping rule is applied to the plain EM
/// step that starts every SQUAREM cycle, so a run stops where a plain EM iteration would.</param>
/// <param name="NewtonAfter">With SQUAREM and a family with analytic second derivatives
/// (<see cref="Em.ISecondOrderFamily{TData,TComponents}"/>), Newton steps (<see cref="Em.NewtonSteps"/>) after every
/// this many EM steps that have not met the stopping rule (0: never).</param>
/// <param name="Cancellation">Observed once per EM step and per start: when cancelled (the shell's SIGINT or SIGTERM)
/// the loops stop by throwing <see cref="OperationCanceledException"/>, so that nothing is computed for nothing. It
/// never changes a result: a run that is not cancelled is the same with or without it.</param>
/// <param name="Progress">Told where the search is (<see cref="EstimationProgress"/>): by every EM run at its first
/// iteration, at most every 100 ms after that and at its last. Runs go side by side, so it is called from several
/// threads at once and must be quick and thread-safe. Like <paramref name="Cancellation"/>, it never changes a result.</param>
public sealed record EmOptions(double Tolerance = 1e-8, int MaxIterations = 2000, double MinPrior = 0.0, StopRule Rule = StopRule.WeightChange,
    Acceleration Accelerate = Acceleration.None, int NewtonAfter = 0, CancellationToken Cancellation = default,
    Action<EstimationProgress>? Progress = null)
{
    /// <summary>Every option at its default.</summary>
    public static EmOptions Default { get; } = new();

    /// <summary>The estimation pipelines' default <see cref="NewtonAfter"/>: Newton steps after every 20 EM steps.</summary>
    public const int DefaultNewtonAfter = 20;

    /// <summary>The algorithm in output: "none" (plain EM), "squarem", "squarem+newton" (when Newton steps are on; they
    /// apply to families with analytic second derivatives) or "anderson".</summary>
    public string Algorithm => Accelerate == Acceleration.Squarem && NewtonAfter > 0 ? "squarem+newton" : Accelerate.Label();
}
