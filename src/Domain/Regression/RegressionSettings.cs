using Mixtures.Domain.Em;
using Mixtures.Domain.Model;

namespace Mixtures.Domain.Regression;

/// <summary>How a latent class regression is estimated.</summary>
/// <param name="Variance">Per-class, common or fixed error variance.</param>
/// <param name="Starts">Random starts per K, cycling through random partitions, Dirichlet soft responsibilities and
/// parameter-space starts (the split starts from the best K-1 fit come on top).</param>
/// <param name="Seed">Master seed; start r of K uses the seed derived from (Seed, K, r).</param>
/// <param name="Tolerance">Stop when max_{u,k} |W_new[u,k] - W_old[u,k]| &lt; Tolerance.</param>
/// <param name="MaxIterations">At most this many EM steps (M-steps) per start.</param>
/// <param name="MinPrior">The degenerate-solution rule: a start in which, after any M-step, a class
/// weight falls below MinPrior is abandoned and reported (0 disables; flexmix's <c>minprior</c>,
/// also 0.05 by default). Starts are also abandoned when a class empties, its variance collapses
/// (below 1e-6 of the pooled residual variance: an sd below 1/1000 of the pooled residual sd) or its weighted design is singular.</param>
/// <param name="Accelerate">SQUAREM (the default) or plain EM.</param>
/// <param name="ScreenIterations">EM steps every random start runs before the best <paramref name="Finalists"/>
/// continue (0: every start runs to convergence).</param>
/// <param name="Finalists">Random starts that continue after screening.</param>
/// <param name="ScreenFrom">Screening applies to data with at least this many units (see <see cref="StartPlan.ScreenFrom"/>).</param>
/// <param name="Cancellation">Stops the search when cancelled (see <see cref="EmOptions.Cancellation"/>).</param>
/// <param name="NewtonAfter">With SQUAREM, trust-region Newton steps after every this many EM steps short of
/// convergence (0: none); see <see cref="Em.NewtonSteps"/>.</param>
/// <param name="Progress">Told where the search is (see <see cref="EmOptions.Progress"/>).</param>
public sealed record RegressionSettings(
    VarianceModel Variance,
    int Starts = RegressionSettings.DefaultStarts,
    ulong Seed = 1,
    double Tolerance = 1e-8,
    int MaxIterations = 2000,
    double MinPrior = RegressionSettings.DefaultMinPrior,
    Acceleration Accelerate = Acceleration.Squarem,
    int ScreenIterations = RegressionSettings.DefaultScreenIterations,
    int Finalists = RegressionSettings.DefaultFinalists,
    int NewtonAfter = EmOptions.DefaultNewtonAfter,
    int ScreenFrom = StartPlan.DefaultScreenFrom,
    CancellationToken Cancellation = default,
    Action<EstimationProgress>? Progress = null)
{
    /// <summary>flexmix's default minimum prior.</summary>
    public const double DefaultMinPrior = 0.05;

    /// <summary>Default random starts per K.</summary>
    public const int DefaultStarts = 20;

    /// <summary>Default EM steps of the screening stage.</summary>
    public const int DefaultScreenIterations = 5;

    /// <summary>Default random starts that continue after screening.</summary>
    public const int DefaultFinalists = 5;

    /// <summary>Per-class variances and every other default.</summary>
    public static RegressionSettings Default { get; } = new(VarianceModel.PerClass);

    /// <summary>The options of the generic EM loop.</summary>
    public EmOptions EmOptions => new(Tolerance, MaxIterations, MinPrior, StopRule.WeightChange, Accelerate, NewtonAfter, Cancellation, Progress);

    /// <summary>The start plan, seed and EM options of the estimation pipeline.</summary>
    public EstimationSettings Estimation => new(new StartPlan(Starts, ScreenIterations, Finalists, ScreenFrom: ScreenFrom), Seed, EmOptions);
}
