namespace Mixtures.Domain.Model;

/// <summary>Why an EM run stopped.</summary>
public enum StopReason
{
    /// <summary>max |W_new - W_old| fell below the tolerance.</summary>
    Converged,
    /// <summary>The iteration limit was reached first.</summary>
    MaxIterations,
}
