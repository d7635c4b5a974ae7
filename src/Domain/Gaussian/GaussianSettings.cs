using Mixtures.Domain.Model;

namespace Mixtures.Domain.Gaussian;

/// <summary>How a Gaussian mixture is estimated (defaults as <c>mixtures cluster</c> and, where it has
/// them, scikit-learn's <c>GaussianMixture</c>: reg_covar 1e-6, tol 1e-3, max_iter 100, kmeans init).</summary>
/// <param name="Covariance">Covariance structure (full = mclust VVV, tied = EEE, diag = VVI, spherical = VII).</param>
/// <param name="Starts">Independent starts per K (scikit-learn's n_init); the best log-likelihood is kept.</param>
/// <param name="Seed">Master seed: start r of K uses the seed derived from (Seed, K, r).</param>
/// <param name="Standardize">Fit on columns standardized with mean and population sd (ddof = 0).</param>
/// <param name="RegCovar">Ridge added to the diagonal of every covariance.</param>
/// <param name="Tolerance">Stop when the log-likelihood per row changes by less than this (scikit-learn's tol).</param>
/// <param name="MaxIterations">At most this many EM iterations per start.</param>
/// <param name="Init">k-means++ with Lloyd iterations, or random responsibilities.</param>
/// <param name="AllowDegenerate">Let fits with a collapsed component compete in the choice of start and of K.</param>
public sealed record GaussianSettings(
    CovarianceType Covariance = CovarianceType.Full,
    int Starts = 5,
    ulong Seed = 42,
    bool Standardize = false,
    double RegCovar = GaussianFamily.DefaultRegCovar,
    double Tolerance = 1e-3,
    int MaxIterations = 100,
    GaussianInit Init = GaussianInit.KMeans,
    bool AllowDegenerate = false)
{
    public static GaussianSettings Default { get; } = new();

    /// <summary>The EM stopping rule: |log L_t - log L_(t-1)| / n &lt; Tolerance or MaxIterations.</summary>
    public EmOptions EmOptions => new(Tolerance, MaxIterations, 0.0, StopRule.LogLikelihoodChange);

    /// <summary>The family with these settings' covariance type, ridge and start method.</summary>
    public GaussianFamily Family => new(Covariance, RegCovar, Init);
}
