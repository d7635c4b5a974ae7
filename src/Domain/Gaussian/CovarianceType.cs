namespace Mixtures.Domain.Gaussian;

/// <summary>
/// The covariance structure of a Gaussian mixture, with scikit-learn's meanings
/// (<c>GaussianMixture(covariance_type=...)</c>) and mclust's model names.
/// </summary>
public enum CovarianceType
{
    /// <summary>Each component its own general covariance Sigma_k (mclust VVV).</summary>
    Full,
    /// <summary>All components share one general covariance Sigma (mclust EEE).</summary>
    Tied,
    /// <summary>Each component its own diagonal covariance diag(s_k1^2 .. s_kd^2) (mclust VVI).</summary>
    Diag,
    /// <summary>Each component its own single variance, Sigma_k = s_k^2 I (mclust VII).</summary>
    Spherical,
}

/// <summary>Names and parameter counts of <see cref="CovarianceType"/>.</summary>
public static class CovarianceTypes
{
    /// <summary>Every type, in the order they are listed in help text.</summary>
    public static IReadOnlyList<CovarianceType> All { get; } = [CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diag, CovarianceType.Spherical];

    /// <summary>scikit-learn's name: full, tied, diag, spherical.</summary>
    public static string Name(this CovarianceType type) => type switch
    {
        CovarianceType.Full => "full",
        CovarianceType.Tied => "tied",
        CovarianceType.Diag => "diag",
        CovarianceType.Spherical => "spherical",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>mclust's model name: VVV, EEE, VVI, VII.</summary>
    public static string MclustName(this CovarianceType type) => type switch
    {
        CovarianceType.Full => "VVV",
        CovarianceType.Tied => "EEE",
        CovarianceType.Diag => "VVI",
        CovarianceType.Spherical => "VII",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>The type named by scikit-learn's or mclust's name (case-insensitive), or null.</summary>
    public static CovarianceType? Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "full" or "vvv" => CovarianceType.Full,
        "tied" or "eee" => CovarianceType.Tied,
        "diag" or "vvi" => CovarianceType.Diag,
        "spherical" or "vii" => CovarianceType.Spherical,
        _ => null,
    };

    /// <summary>
    /// Free covariance parameters of K components in d dimensions:
    /// full K d(d+1)/2, tied d(d+1)/2, diag K d, spherical K.
    /// </summary>
    /// <remarks>scikit-learn's <c>GaussianMixture._n_parameters</c> (cov_params); mclust's <c>nVarParams</c>.</remarks>
    public static int CovarianceParameters(this CovarianceType type, int K, int d) => type switch
    {
        CovarianceType.Full => K * d * (d + 1) / 2,
        CovarianceType.Tied => d * (d + 1) / 2,
        CovarianceType.Diag => K * d,
        CovarianceType.Spherical => K,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>
    /// Free parameters of the whole mixture: covariance parameters + K d means + (K - 1) weights.
    /// </summary>
    /// <remarks>scikit-learn's <c>GaussianMixture._n_parameters()</c>, used by its <c>bic</c> and <c>aic</c>.</remarks>
    public static int FreeParameters(this CovarianceType type, int K, int d) =>
        type.CovarianceParameters(K, d) + K * d + (K - 1);
}
