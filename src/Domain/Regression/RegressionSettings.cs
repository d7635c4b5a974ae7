using Mixtures.Domain.Model;

namespace Mixtures.Domain.Regression;

/// <summary>How a latent class regression is estimated.</summary>
/// <param name="Variance">Per-class, common or fixed error variance.</param>
/// <param name="Starts">Random starts per K (the split starts from the best K-1 fit come on top).</param>
/// <param name="Seed">Master seed; start r of K uses the seed derived from (Seed, K, r).</param>
/// <param name="Tolerance">Stop when max_{u,k} |W_new[u,k] - W_old[u,k]| &lt; Tolerance.</param>
/// <param name="MaxIterations">At most this many M+E iterations per start.</param>
/// <param name="MinPrior">The degenerate-solution rule: a start in which, after any M-step, a class
/// weight falls below MinPrior is abandoned and reported (0 disables; flexmix's <c>minprior</c>,
/// also 0.05 by default). Starts are also abandoned when a class empties, its variance collapses
/// (below 1e-10 of the pooled residual variance) or its weighted design is singular.</param>
public sealed record RegressionSettings(
    VarianceModel Variance,
    int Starts = 10,
    ulong Seed = 1,
    double Tolerance = 1e-8,
    int MaxIterations = 2000,
    double MinPrior = RegressionSettings.DefaultMinPrior)
{
    /// <summary>flexmix's default minimum prior.</summary>
    public const double DefaultMinPrior = 0.05;

    /// <summary>Per-class variances and every other default.</summary>
    public static RegressionSettings Default { get; } = new(VarianceModel.PerClass);

    /// <summary>The options of the generic EM loop.</summary>
    public EmOptions EmOptions => new(Tolerance, MaxIterations, MinPrior);
}
