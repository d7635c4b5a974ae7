using Mixtures.Domain.Regression;

namespace Mixtures.Domain.Comparison;

/// <summary>How models are compared.</summary>
/// <param name="TestFraction">Share of rows held out, in (0, 1).</param>
/// <param name="Seed">Master seed of the split and of the latent class starts.</param>
/// <param name="K">Classes of the latent class regression, or null to choose K by lowest BIC on the training rows.</param>
/// <param name="MaxAutoK">Largest K tried when choosing K (also at most n_train / (covariates + 2)).</param>
/// <param name="Starts">Random starts per K of the latent class regression.</param>
/// <param name="Progress">Told where the latent class search is (see <see cref="Model.EmOptions.Progress"/>).</param>
public sealed record ComparisonSettings(double TestFraction = 0.3, ulong Seed = 42, int? K = null, int MaxAutoK = 5, int Starts = RegressionSettings.DefaultStarts,
    Action<Model.EstimationProgress>? Progress = null)
{
    /// <summary>The latent class regression's settings: per-class variances, the master seed, default tolerances.</summary>
    public RegressionSettings Regression => new(VarianceModel.PerClass, Starts, Seed, Progress: Progress);
}
