using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;

namespace Mixtures.Domain.Gaussian;

/// <summary>Result of <c>GaussianMixture.Estimate</c>: the estimation path (every K, the selected one) and,
/// for the selected K, the model for new rows and its final E-step.</summary>
/// <param name="Settings">The settings used.</param>
/// <param name="Estimation">The generic estimation path on the data as fitted (standardized when asked).</param>
/// <param name="Model">The selected fit as a model for new rows.</param>
/// <param name="Selected">The selected fit's EM run.</param>
/// <param name="Responsibilities">n x K posterior probabilities from a final E-step at the selected parameters.</param>
public sealed record GaussianEstimate(
    GaussianSettings Settings,
    EstimationPath<GaussianComponents> Estimation,
    GaussianModel Model,
    EmFit<GaussianComponents> Selected,
    Matrix<double> Responsibilities)
{
    /// <summary>n, the rows fitted.</summary>
    public int Observations => Estimation.Observations;
    /// <summary>One result per requested K, ascending.</summary>
    public ImmutableArray<KEstimate<GaussianComponents>> Path => Estimation.Fits;
    /// <summary>The K with the lowest BIC among the eligible fits (sound ones unless degenerate fits are allowed).</summary>
    public int SelectedK => Estimation.SelectedK!.Value;
    /// <summary>The path entry of the selected K.</summary>
    public KEstimate<GaussianComponents> SelectedResult => Estimation.Selected!;
}
