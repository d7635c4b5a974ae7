namespace Mixtures.Domain.Regression;

/// <summary>How the error variances of the classes are modelled.</summary>
public enum VarianceKind
{
    /// <summary>sigma_c^2 per class (flexmix's default, the seed's model).</summary>
    PerClass,
    /// <summary>One sigma^2 shared by all classes.</summary>
    Common,
    /// <summary>sigma^2 fixed at a known value (1 in the sales model).</summary>
    Fixed,
}

/// <summary>The variance option with, for <see cref="VarianceKind.Fixed"/>, the known variance.</summary>
public sealed record VarianceModel(VarianceKind Kind, double FixedVariance = 1.0)
{
    /// <summary>One variance per class.</summary>
    public static VarianceModel PerClass { get; } = new(VarianceKind.PerClass);
    /// <summary>One variance shared by all classes.</summary>
    public static VarianceModel Common { get; } = new(VarianceKind.Common);
    /// <summary>The variance fixed at a known value.</summary>
    /// <param name="variance">The known variance.</param>
    public static VarianceModel Fixed(double variance) => new(VarianceKind.Fixed, variance);

    /// <summary>Free variance parameters for K classes: K, 1 or 0.</summary>
    public int FreeParameters(int K) => Kind switch
    {
        VarianceKind.PerClass => K,
        VarianceKind.Common => 1,
        VarianceKind.Fixed => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(Kind)),
    };

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        VarianceKind.PerClass => "per-class",
        VarianceKind.Common => "common",
        VarianceKind.Fixed => $"fixed={FixedVariance.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}",
        _ => Kind.ToString(),
    };
}
