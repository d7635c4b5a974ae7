using MathNet.Numerics.Distributions;

namespace Mixtures.Domain.Regression;

/// <summary>An estimate with its standard error and 95% interval.</summary>
/// <param name="Estimate">The point estimate.</param>
/// <param name="StdError">Its standard error (from the observed information).</param>
/// <param name="Lower">Lower end of the 95% interval.</param>
/// <param name="Upper">Upper end of the 95% interval.</param>
public sealed record ParameterEstimate(double Estimate, double StdError, double Lower, double Upper)
{
    /// <summary>The 0.975 quantile of N(0, 1) (R's <c>qnorm(0.975)</c>).</summary>
    public const double Z975 = 1.959963984540054;

    /// <summary>Wald z = Estimate / StdError (flexmix's "z value").</summary>
    public double Z => Estimate / StdError;

    /// <summary>Two-sided p = 2 (1 - Phi(|z|)) (flexmix's "Pr(&gt;|z|)").</summary>
    public double PValue => 2.0 * Normal.CDF(0.0, 1.0, -Math.Abs(Z));

    /// <summary>The Wald interval Estimate -/+ 1.96 StdError.</summary>
    public static ParameterEstimate Wald(double estimate, double stdError) =>
        new(estimate, stdError, estimate - Z975 * stdError, estimate + Z975 * stdError);
}
