using Mixtures.Domain.Em;
using Mixtures.Domain.Model;

namespace Mixtures.Domain.Gaussian;

/// <summary>How a Gaussian mixture is estimated (defaults as <c>mixtures cluster</c>; see README for how they
/// differ from scikit-learn's <c>GaussianMixture</c> and mclust's and why).</summary>
/// <param name="Covariance">Covariance structure (full = mclust VVV, tied = EEE, diag = VVI, spherical = VII).</param>
/// <param name="Starts">Random starts per K (k-means++ and uniform random responsibilities in turn, or only the
/// kind <paramref name="Init"/> names); split starts from the best K - 1 fit come on top.</param>
/// <param name="Seed">Master seed: start r of K uses the seed derived from (Seed, K, r).</param>
/// <param name="Standardize">Fit on columns standardized with mean and population sd (ddof = 0).</param>
/// <param name="RegCovar">Ridge added to the diagonal of every covariance.</param>
/// <param name="Tolerance">Stop when the log-likelihood per row changes by less than this in an EM step
/// (scikit-learn's rule; its default tolerance is 1e-3, ours far tighter so the run stops at the optimum).</param>
/// <param name="MaxIterations">At most this many EM steps (M-steps) per start.</param>
/// <param name="Init">The start kinds: the portfolio, or only k-means++ or only random responsibilities.</param>
/// <param name="AllowDegenerate">Let fits with a collapsed component compete in the choice of start and of K.</param>
/// <param name="Accelerate">SQUAREM (the default) or plain EM.</param>
/// <param name="ScreenIterations">EM steps every random start runs before the best <paramref name="Finalists"/>
/// continue (0: every start runs to convergence).</param>
/// <param name="Finalists">Random starts that continue after screening.</param>
/// <param name="ScreenFrom">Screening applies to data with at least this many rows (see <see cref="StartPlan.ScreenFrom"/>).</param>
/// <param name="Cancellation">Stops the search when cancelled (see <see cref="EmOptions.Cancellation"/>).</param>
/// <param name="Progress">Told where the search is (see <see cref="EmOptions.Progress"/>).</param>
/// <param name="Select">The criterion that chooses K among the eligible fits (lowest BIC by default; AIC or ICL).</param>
public sealed record GaussianSettings(
    CovarianceType Covariance = CovarianceType.Full,
    int Starts = GaussianSettings.DefaultStarts,
    ulong Seed = 42,
    bool Standardize = false,
    double RegCovar = GaussianFamily.DefaultRegCovar,
    double Tolerance = GaussianSettings.DefaultTolerance,
    int MaxIterations = 2000,
    GaussianInit Init = GaussianInit.Portfolio,
    bool AllowDegenerate = false,
    Acceleration Accelerate = Acceleration.Squarem,
    int ScreenIterations = GaussianSettings.DefaultScreenIterations,
    int Finalists = GaussianSettings.DefaultFinalists,
    int ScreenFrom = StartPlan.DefaultScreenFrom,
    CancellationToken Cancellation = default,
    Action<EstimationProgress>? Progress = null,
    SelectionCriterion Select = SelectionCriterion.Bic)
{
    /// <summary>Default random starts per K.</summary>
    public const int DefaultStarts = 10;

    /// <summary>Default tolerance on the change of log L per row.</summary>
    public const double DefaultTolerance = 1e-10;

    /// <summary>Default EM steps of the screening stage.</summary>
    public const int DefaultScreenIterations = 5;

    /// <summary>Default random starts that continue after screening.</summary>
    public const int DefaultFinalists = 5;

    /// <summary>Every setting at its default.</summary>
    public static GaussianSettings Default { get; } = new();

    /// <summary>The EM stopping rule: |log L_t - log L_(t-1)| / n &lt; Tolerance or MaxIterations.</summary>
    public EmOptions EmOptions => new(Tolerance, MaxIterations, 0.0, StopRule.LogLikelihoodChange, Accelerate, Cancellation: Cancellation, Progress: Progress);

    /// <summary>The start plan, seed and EM options of the estimation pipeline.</summary>
    public EstimationSettings Estimation => new(new StartPlan(Starts, ScreenIterations, Finalists, ScreenFrom: ScreenFrom), Seed, EmOptions);

    /// <summary>The family with these settings' covariance type, ridge and start kinds.</summary>
    public GaussianFamily Family => new(Covariance, RegCovar, Init);
}
