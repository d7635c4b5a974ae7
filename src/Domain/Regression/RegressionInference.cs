using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;

namespace Mixtures.Domain.Regression;

/// <summary>Standard errors of a fitted latent class regression (see <see cref="ObservedInformation"/>).</summary>
/// <param name="Beta">Per class, per coefficient: estimate, SE, Wald z and interval.</param>
/// <param name="LogSigma">log sigma per class (per-class variances), one entry (common) or none (fixed).</param>
/// <param name="Sigma">sigma with SE = sigma SE(log sigma) and the interval exp(log-scale interval); same count as <paramref name="LogSigma"/>.</param>
/// <param name="Logit">alpha_c = log(pi_c / pi_1) for c = 2..K (flexmix's concomitant coefficients).</param>
/// <param name="Pi">pi_c with the delta-method SE and an interval computed on the logit(pi_c) scale.</param>
/// <param name="Covariance">Cov(psi) = I(psi)^-1, in the order of <paramref name="Names"/>.</param>
/// <param name="Names">The parameter names, in psi order.</param>
public sealed record RegressionInference(
    ImmutableArray<ImmutableArray<ParameterEstimate>> Beta,
    ImmutableArray<ParameterEstimate> LogSigma,
    ImmutableArray<ParameterEstimate> Sigma,
    ImmutableArray<ParameterEstimate> Logit,
    ImmutableArray<ParameterEstimate> Pi,
    Matrix<double> Covariance,
    ImmutableArray<string> Names)
{
    /// <summary>With concomitant variables, gamma_kj for k = 2..K (row k - 2) with SEs, in the order of the concomitant
    /// model's terms; empty otherwise (then <see cref="Logit"/> holds the weights' logits).</summary>
    public ImmutableArray<ImmutableArray<ParameterEstimate>> Gamma { get; init; } = [];
}
