using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;

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

    /// <summary>What the units are called in messages ("rows", "groups", "stores").</summary>
    string UnitName(TData data);

    /// <summary>Number of observations used for BIC (rows of the data file, N*T for the panel model).</summary>
    int Observations(TData data);

    /// <summary>The observation weight w_u of every unit (<see cref="ObservationWeights"/>), or null when the data carry
    /// none (every unit weight 1). The core then maximises sum_u w_u log sum_k pi_uk f_uk: the E-step is unchanged, the
    /// family's <see cref="Fit"/> and the weight model's fit get the responsibilities W[u,k] w_u, and log L, the
    /// log-likelihood stop rule, ICL and the split starts weight every unit by w_u.</summary>
    ObservationWeights? UnitWeights(TData data) => null;

    /// <summary>n in BIC with observation weights: sum over the observations of their weight (sum_u w_u n_u); without
    /// weights <see cref="Observations"/>.</summary>
    double WeightedObservations(TData data) => Observations(data);

    /// <summary>Number of components K in a parameter set.</summary>
    int ComponentCount(TComponents components);

    /// <summary>Free parameters of K components, without the mixing weights (the weight model counts its own).</summary>
    int ComponentParameters(TData data, int K);

    /// <summary>
    /// Writes L[i,k] = log f(unit i | component k) into <paramref name="dest"/>, column-major
    /// (dest[k * n + i], length n K). Never raw densities. The buffer belongs to the caller's loop;
    /// use <see cref="MixtureFamilyExtensions.LogDensityMatrix{TData,TComponents}"/> for a fresh matrix.
    /// </summary>
    void LogDensities(TData data, TComponents components, double[] dest);

    /// <summary>Weighted ML fit of all K components from the n x K responsibilities W (the M-step
    /// without the mixing weights), column-major in the first n K entries of <paramref name="W"/> (the buffer may be
    /// longer). Fails (as a value) when a component cannot be estimated. W is only read during the call and must
    /// not be kept.</summary>
    Fin<TComponents> Fit(TData data, double[] W, int K);

    /// <summary>Components reordered so that new component k is old component order[k].</summary>
    TComponents Reorder(TComponents components, int[] order);

    /// <summary>The permutation that puts components in the family's canonical order.</summary>
    int[] CanonicalOrder(TComponents components);

    /// <summary>
    /// Per-unit feature vectors (n x m, column-major: feature a of unit i at <c>a * n + i</c>) describing where
    /// unit i sits relative to component k; used to split component k in two along its principal axis for
    /// deterministic "split" starts. Read only: it may be the data's own storage (no copy).
    /// </summary>
    ReadOnlyMemory<double> SplitFeatures(TData data, TComponents components, int k);

    /// <summary>An n x K responsibility matrix for a random start, from the given generator: the
    /// family's classic start, used by the spec function <c>EM(K, ...)</c>.</summary>
    Matrix<double> RandomResponsibilities(TData data, int K, System.Random rng);

    /// <summary>The kinds of start this family contributes to an estimation's start plan, in plan order
    /// (the generic kinds <see cref="StartKind.RandomPartition"/> and <see cref="StartKind.RandomSoft"/>
    /// are made by the core; families add their own, such as parameter-space or k-means++ starts).</summary>
    System.Collections.Immutable.ImmutableArray<StartKind> StartKinds { get; }

    /// <summary>Writes initial n x K responsibilities for a start of a family-specific kind, drawn from
    /// <paramref name="rng"/>, into the first n K entries of <paramref name="W0"/> (column-major; whatever it held
    /// before is overwritten); false when the kind is not the family's or cannot be made on these data.</summary>
    bool Start(TData data, int K, StartKind kind, System.Random rng, double[] W0);

    /// <summary>Number of unconstrained coordinates of K components (for acceleration).</summary>
    int VectorLength(TData data, int K);

    /// <summary>
    /// The components as unconstrained coordinates (variances as logs, covariances as Cholesky factors
    /// with log diagonals, locations divided by the data's own scale so that the coordinates, and hence
    /// an accelerated EM's steps, do not depend on the units of the data).
    /// </summary>
    void ToVector(TData data, TComponents components, Span<double> v);

    /// <summary>The components at unconstrained coordinates (the inverse of <see cref="ToVector"/>);
    /// fails when they are not valid parameters (a covariance that is not positive definite).</summary>
    Fin<TComponents> FromVector(TData data, ReadOnlySpan<double> v, int K);
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
