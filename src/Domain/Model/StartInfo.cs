namespace Mixtures.Domain.Model;

/// <summary>How a start was made.</summary>
public enum StartKind
{
    /// <summary>The family's classic random start (<c>RandomResponsibilities</c>) drawn from a generator
    /// seeded by (seed, K, index): a random partition for regressions, k-means++ or uniform random
    /// responsibilities for Gaussians, as the spec function <c>EM(K, ...)</c> uses.</summary>
    Random,
    /// <summary>Deterministic: component <see cref="StartInfo.SplitComponent"/> of the best K-1 fit split in two.</summary>
    Split,
    /// <summary>Given by the caller (initial parameters or responsibilities).</summary>
    Given,
    /// <summary>A random hard partition of the units into K non-empty classes (flexmix's default start).</summary>
    RandomPartition,
    /// <summary>Random soft responsibilities, each unit's row drawn from a flat Dirichlet distribution.</summary>
    RandomSoft,
    /// <summary>Parameter space: each component's coefficients fitted to a small random subset of units,
    /// with variances drawn log-uniformly from small to large (as mixtools' <c>regmix.init</c>).</summary>
    Parameters,
    /// <summary>k-means++ seeding followed by Lloyd iterations to convergence; W0 the hard partition.</summary>
    KMeans,
    /// <summary>Uniform random responsibilities normalised per row (scikit-learn's <c>init_params="random"</c>).</summary>
    RandomUniform,
}

/// <summary>Identity of one start of a multi-start estimation.</summary>
/// <param name="Kind">Random, split or given.</param>
/// <param name="Index">Position in the list of starts (ties go to the lowest index).</param>
/// <param name="Seed">The derived seed of a random start (0 otherwise).</param>
/// <param name="SplitComponent">The split component of the K-1 solution (1-based), or 0.</param>
public sealed record StartInfo(StartKind Kind, int Index, ulong Seed = 0, int SplitComponent = 0)
{
    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        StartKind.Random => $"random #{Index + 1}",
        StartKind.Split => $"split of segment {SplitComponent}",
        StartKind.Given => "given",
        _ => $"{Kind.Label()} #{Index + 1}",
    };
}

/// <summary>Names of start kinds in output.</summary>
public static class StartKinds
{
    /// <summary>The kind's name in tables and JSON.</summary>
    public static string Label(this StartKind kind) => kind switch
    {
        StartKind.Random => "random",
        StartKind.Split => "split",
        StartKind.Given => "given",
        StartKind.RandomPartition => "partition",
        StartKind.RandomSoft => "dirichlet",
        StartKind.Parameters => "parameters",
        StartKind.KMeans => "kmeans++",
        StartKind.RandomUniform => "uniform",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
