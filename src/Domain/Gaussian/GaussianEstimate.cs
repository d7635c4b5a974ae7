using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;

namespace Mixtures.Domain.Gaussian;

/// <summary>Result of <c>GaussianMixture.Estimate</c>: the estimation path (every K, the selected one) and,
/// for the selected K, the model for new rows and its final E-step.</summary>
/// <param name="Settings">The settings used.</param>
/// <param name="Estimation">The generic estimation path on the data as fitted (standardized when asked).</param>
/// <param name="Model">The selected fit as a model for new rows.</param>
/// <param name="Selected">The selected fit's EM run.</param>
/// <param name="Posterior">The n x K posterior probabilities from a final E-step at the selected parameters, computed when
/// first asked for (see <see cref="Responsibilities"/>).</param>
/// <param name="Labels">Each row's most probable cluster (0-based, lowest on ties): argmax_k of <see cref="Responsibilities"/>.</param>
/// <param name="Confidence">Each row's posterior probability of that cluster: max_k of <see cref="Responsibilities"/>.</param>
public sealed record GaussianEstimate(
    GaussianSettings Settings,
    EstimationPath<GaussianComponents> Estimation,
    GaussianModel Model,
    EmFit<GaussianComponents> Selected,
    Lazy<Matrix<double>> Posterior,
    ImmutableArray<int> Labels,
    ImmutableArray<double> Confidence)
{
    /// <summary>The concomitant model the weights depend on (<see cref="Em.ConcomitantWeights"/>, one row per data row), or null
    /// for one pi for every row.</summary>
    public Em.ConcomitantWeights? Concomitant { get; init; }

    /// <summary>With a concomitant model, gamma_2..gamma_K of the selected fit with SEs from the information of gamma given the
    /// component parameters (<see cref="Em.ConcomitantInference"/>: a lower bound of the full SEs, which the Gaussian mixture does
    /// not compute); an empty list without concomitants or for K = 1.</summary>
    public Fin<ImmutableArray<ImmutableArray<Regression.ParameterEstimate>>> ConditionalGamma()
    {
        if (Concomitant is not { } z || Model.K < 2) return ImmutableArray<ImmutableArray<Regression.ParameterEstimate>>.Empty;
        var W = Responsibilities;
        return Em.ConcomitantInference.ConditionalStandardErrors(z, Model.Weights, W.AsColumnMajorArray() ?? W.ToColumnMajorArray(), W.RowCount, W.ColumnCount);
    }

    /// <summary>gamma's SEs from the full (numerical) observed information, computed when first asked for; null without concomitants.</summary>
    public Lazy<Fin<ImmutableArray<ImmutableArray<Regression.ParameterEstimate>>>>? FullGamma { get; init; }

    /// <summary>gamma_2..gamma_K with SEs from the full observed information (<see cref="Em.NumericalInformation"/>, Full true) when
    /// it can be computed, else those of <see cref="ConditionalGamma"/> (Full false).</summary>
    public (Fin<ImmutableArray<ImmutableArray<Regression.ParameterEstimate>>> Gamma, bool Full) GammaStandardErrors()
    {
        if (Concomitant is null || Model.K < 2) return (ImmutableArray<ImmutableArray<Regression.ParameterEstimate>>.Empty, true);
        if (FullGamma is { } full && full.Value.IsSucc) return (full.Value, true);
        return (ConditionalGamma(), false);
    }

    /// <summary>n x K posterior probabilities from a final E-step at the selected parameters (the labels and confidences
    /// come from the same E-step, made a chunk of rows at a time, so the matrix exists only when it is asked for).</summary>
    public Matrix<double> Responsibilities => Posterior.Value;

    /// <summary>n, the rows fitted.</summary>
    public int Observations => Estimation.Observations;
    /// <summary>One result per requested K, ascending.</summary>
    public ImmutableArray<KEstimate<GaussianComponents>> Path => Estimation.Fits;
    /// <summary>The K with the lowest BIC among the eligible fits (sound ones unless degenerate fits are allowed).</summary>
    public int SelectedK => Estimation.SelectedK!.Value;
    /// <summary>The path entry of the selected K.</summary>
    public KEstimate<GaussianComponents> SelectedResult => Estimation.Selected!;
}
