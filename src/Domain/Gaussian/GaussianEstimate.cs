using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;

namespace Mixtures.Domain.Gaussian;

/// <summary>The estimation for one K.</summary>
/// <param name="K">Number of components.</param>
/// <param name="Estimate">Best start and every start's outcome; null when every start failed.</param>
/// <param name="Failure">Why every start failed, or null.</param>
/// <param name="Degenerate">Collapsed components of the chosen fit (empty when it is sound).</param>
/// <param name="DegenerateStarts">Starts whose fit had a collapsed component (counted only when degenerate fits are excluded).</param>
public sealed record GaussianKResult(int K, EstimateResult<GaussianComponents>? Estimate, string? Failure,
    ImmutableArray<DegenerateComponent> Degenerate, int DegenerateStarts)
{
    /// <summary>Whether the chosen fit has a collapsed component.</summary>
    public bool IsDegenerate => !Degenerate.IsEmpty;
    /// <summary>Whether some start produced a fit.</summary>
    public bool Succeeded => Estimate is not null;
    public double LogLikelihood => Estimate?.LogLikelihood ?? double.NaN;
    /// <summary>BIC = -2 log L + k ln n (scikit-learn's sign; mclust reports 2 log L - k ln n).</summary>
    public double Bic => Estimate?.Bic ?? double.NaN;
    /// <summary>AIC = -2 log L + 2 k.</summary>
    public double Aic => Estimate?.Aic ?? double.NaN;
}

/// <summary>Result of <see cref="GaussianMixture.Estimate"/>: every K, the selected one, and its final E-step.</summary>
/// <param name="Settings">The settings used.</param>
/// <param name="Observations">n, the rows fitted.</param>
/// <param name="Path">One result per requested K, ascending.</param>
/// <param name="SelectedK">The K with the lowest BIC among the eligible fits (sound ones unless degenerate fits are allowed).</param>
/// <param name="Model">The selected fit as a model for new rows.</param>
/// <param name="Selected">The selected fit's EM run.</param>
/// <param name="Responsibilities">n x K posterior probabilities from a final E-step at the selected parameters.</param>
public sealed record GaussianEstimate(
    GaussianSettings Settings,
    int Observations,
    ImmutableArray<GaussianKResult> Path,
    int SelectedK,
    GaussianModel Model,
    EmFit<GaussianComponents> Selected,
    Matrix<double> Responsibilities)
{
    /// <summary>The path entry of the selected K.</summary>
    public GaussianKResult SelectedResult => Path.First(p => p.K == SelectedK);
}
