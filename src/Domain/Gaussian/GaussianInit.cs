namespace Mixtures.Domain.Gaussian;

/// <summary>How a start's initial responsibilities are made.</summary>
public enum GaussianInit
{
    /// <summary>The estimation's start plan mixes k-means++, uniform random, Dirichlet and random-partition starts (the
    /// default); the spec function <c>EM(K, ...)</c> then uses them in the same turn.</summary>
    Portfolio,
    /// <summary>k-means++ seeding then Lloyd iterations to convergence; W0 is the hard k-means partition
    /// (scikit-learn's default <c>init_params="kmeans"</c>).</summary>
    KMeans,
    /// <summary>Uniform random responsibilities normalised per row (scikit-learn's <c>init_params="random"</c>).</summary>
    Random,
}
