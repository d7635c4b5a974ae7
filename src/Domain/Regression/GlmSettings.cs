using Mixtures.Domain.Em;
using Mixtures.Domain.Model;

namespace Mixtures.Domain.Regression;

/// <summary>How a mixture of GLMs is estimated: the search of <see cref="RegressionSettings"/> (starts, seed, stop rule,
/// minimum prior, acceleration, screening, Newton steps), without a variance model (the family has no dispersion).</summary>
/// <param name="Starts">Random starts per K (random partitions, Dirichlet soft responsibilities and parameter-space starts in turn).</param>
/// <param name="Seed">Master seed; start r of K uses the seed derived from (Seed, K, r).</param>
/// <param name="Tolerance">Stop when max_{u,k} |W_new[u,k] - W_old[u,k]| &lt; Tolerance.</param>
/// <param name="MaxIterations">At most this many EM steps per start.</param>
/// <param name="MinPrior">A start in which a class weight falls below this is abandoned (0 disables; flexmix's <c>minprior</c>).
/// Starts are also abandoned when a class empties or its GLM has no maximum (separation, all-zero counts).</param>
/// <param name="Accelerate">SQUAREM (the default), Anderson or plain EM.</param>
/// <param name="ScreenIterations">EM steps of the screening stage.</param>
/// <param name="Finalists">Random starts that continue after screening.</param>
/// <param name="NewtonAfter">With SQUAREM, trust-region Newton steps after every this many EM steps (0: none).</param>
/// <param name="ScreenFrom">Screening applies to data with at least this many units.</param>
/// <param name="Cancellation">Stops the search when cancelled.</param>
/// <param name="Progress">Told where the search is.</param>
public sealed record GlmSettings(
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
    /// <summary>Every default.</summary>
    public static GlmSettings Default { get; } = new();

    /// <summary>The search settings of a latent class regression, without its variance model.</summary>
    public static GlmSettings From(RegressionSettings s) =>
        new(s.Starts, s.Seed, s.Tolerance, s.MaxIterations, s.MinPrior, s.Accelerate, s.ScreenIterations, s.Finalists, s.NewtonAfter, s.ScreenFrom,
            s.Cancellation, s.Progress);

    /// <summary>The options of the generic EM loop.</summary>
    public EmOptions EmOptions => new(Tolerance, MaxIterations, MinPrior, StopRule.WeightChange, Accelerate, NewtonAfter, Cancellation, Progress);

    /// <summary>The start plan, seed and EM options of the estimation pipeline.</summary>
    public EstimationSettings Estimation => new(new StartPlan(Starts, ScreenIterations, Finalists, ScreenFrom: ScreenFrom), Seed, EmOptions);
}
