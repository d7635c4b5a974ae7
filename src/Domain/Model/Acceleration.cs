namespace Mixtures.Domain.Model;

/// <summary>How EM iterations are accelerated.</summary>
public enum Acceleration
{
    /// <summary>Plain EM: theta_t = M(E(theta_(t-1))), one map evaluation per iteration.</summary>
    None,
    /// <summary>
    /// SQUAREM (Varadhan and Roland 2008, scheme S3): two EM steps from theta_0 give r = theta_1 - theta_0
    /// and v = theta_2 - 2 theta_1 + theta_0; the extrapolation theta_0 + 2 a r + a^2 v with step length
    /// a = |r| / |v|, bounded below by 1 and above by an adaptive bound, is followed by one stabilising EM
    /// step; the result is kept only when its log-likelihood is at least that of theta_1 and it is a
    /// valid parameter, otherwise theta_2 (plain EM) is taken, so log L never decreases.
    /// </summary>
    Squarem,
    /// <summary>
    /// Anderson acceleration (Walker and Ni 2011; with the safeguard of Henderson and Varadhan's DAAREM, 2019):
    /// the next point mixes the last m EM steps by least squares on their residuals; it is kept when it is a valid
    /// parameter whose log-likelihood is at least that of the plain EM step, otherwise the plain EM step is taken
    /// and the history restarts, so log L never decreases.
    /// </summary>
    Anderson,
}

/// <summary>Names of accelerations in output.</summary>
public static class Accelerations
{
    /// <summary>"none" or "squarem".</summary>
    public static string Label(this Acceleration a) => a switch
    {
        Acceleration.None => "none",
        Acceleration.Squarem => "squarem",
        Acceleration.Anderson => "anderson",
        _ => throw new ArgumentOutOfRangeException(nameof(a)),
    };
}
