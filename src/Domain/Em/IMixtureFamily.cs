using LanguageExt;
using MathNet.Numerics.LinearAlgebra;

namespace Mixtures.Domain.Em;

/// <summary>
/// What the generic EM core needs to know about one model family: the per-component
/// log-densities of every unit and the weighted maximum-likelihood fit of all components.
/// Mixing weights are handled by the core (closed form pi_k = mean_i W[i,k]).
/// </summary>
/// <typeparam name="TData">The family's validated data (e.g. regression sufficient statistics).</typeparam>
/// <typeparam name="TComponents">The immutable parameters of all K components.</typeparam>
/// <remarks>
/// A "unit" is what carries one latent label: a store in the panel sales model, a group with
/// <c>--group</c>, a row otherwise. flexmix calls these the components' <c>logLik</c> and <c>fit</c>;
/// scikit-learn's <c>_estimate_log_prob</c> and <c>_m_step</c>.
/// </remarks>
public interface IMixtureFamily<TData, TComponents>
{
    /// <summary>Number of units n (rows of W).</summary>
    int Units(TData data);

    /// <summary>Number of observations used for BIC (rows of the data file, N*T for the panel model).</summary>
    int Observations(TData data);

    /// <summary>Number of components K in a parameter set.</summary>
    int ComponentCount(TComponents components);

    /// <summary>Free parameters of a K-component mixture, including the K-1 free mixing weights.</summary>
    int FreeParameters(TData data, int K);

    /// <summary>
    /// Writes L[i,k] = log f(unit i | component k) into <paramref name="dest"/>, column-major
    /// (dest[k * n + i], length n K). Never raw densities. The buffer belongs to the caller's loop;
    /// use <see cref="MixtureFamilyExtensions.LogDensityMatrix{TData,TComponents}"/> for a fresh matrix.
    /// </summary>
    void LogDensities(TData data, TComponents components, double[] dest);

    /// <summary>Weighted ML fit of all K components from the n x K responsibilities W (the M-step
    /// without the mixing weights). Fails (as a value) when a component cannot be estimated.
    /// W is only read during the call and must not be kept.</summary>
    Fin<TComponents> Fit(TData data, Matrix<double> W);

    /// <summary>Components reordered so that new component k is old component order[k].</summary>
    TComponents Reorder(TComponents components, int[] order);

    /// <summary>The permutation that puts components in the family's canonical order.</summary>
    int[] CanonicalOrder(TComponents components);

    /// <summary>
    /// Per-unit feature vectors (n x m) describing where unit i sits relative to component k; used
    /// to split component k in two along its principal axis for deterministic "split" starts.
    /// </summary>
    Matrix<double> SplitFeatures(TData data, TComponents components, int k);

    /// <summary>An n x K responsibility matrix for a random start, from the given generator.</summary>
    Matrix<double> RandomResponsibilities(TData data, int K, System.Random rng);
}

/// <summary>Conveniences over <see cref="IMixtureFamily{TData,TComponents}"/>.</summary>
public static class MixtureFamilyExtensions
{
    /// <summary>The n x K matrix L[i,k] = log f(unit i | component k).</summary>
    public static Matrix<double> LogDensityMatrix<TData, TComponents>(this IMixtureFamily<TData, TComponents> family, TData data, TComponents components)
    {
        var n = family.Units(data);
        var K = family.ComponentCount(components);
        var L = new double[n * K];
        family.LogDensities(data, components, L);
        return Matrix<double>.Build.Dense(n, K, L);
    }
}
