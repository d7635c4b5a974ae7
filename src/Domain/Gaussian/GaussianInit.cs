namespace Mixtures.Domain.Gaussian;

/// <summary>How a start's initial responsibilities are made.</summary>
public enum GaussianInit
{
    /// <summary>k-means++ seeding then a few Lloyd iterations; W0 is the hard k-means partition
    /// (scikit-learn's default <c>init_params="kmeans"</c>, which runs KMeans to convergence).</summary>
    KMeans,
    /// <summary>Uniform random responsibilities normalised per row (scikit-learn's <c>init_params="random"</c>).</summary>
    Random,
}
