using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;

namespace Mixtures.Domain.Em;

/// <summary>
/// A family whose incomplete-data log-likelihood (with constant mixing weights) has analytic first and second
/// derivatives in some coordinates psi, so that Newton steps can finish what EM converges to only slowly
/// (flat likelihoods, such as K above the true number of classes).
/// </summary>
public interface ISecondOrderFamily<TData, TComponents>
{
    /// <summary>log L, its gradient and the observed information I = -d^2 log L / d psi d psi' at the mixture; the
    /// n x K responsibilities they need are computed in the first n K entries of <paramref name="scratch"/> (its
    /// contents are overwritten) or, when it is null, in a new buffer.</summary>
    (double[] Gradient, Matrix<double> Information, double LogLikelihood) Derivatives(TData data, Mixture<TComponents> m, double[]? scratch = null);

    /// <summary>The mixture at psi + delta; fails outside the parameter space.</summary>
    Fin<Mixture<TComponents>> Step(TData data, Mixture<TComponents> m, double[] delta);
}
