using System.Collections.Immutable;

namespace Mixtures.Domain.Regression;

/// <summary>One latent class of a mixture of regressions: y = x' Beta + e, e ~ N(0, Sigma^2).</summary>
public sealed record RegressionClass(ImmutableArray<double> Beta, double Sigma)
{
    /// <summary>sigma^2.</summary>
    public double Variance => Sigma * Sigma;
    /// <inheritdoc/>
    public bool Equals(RegressionClass? o) => o is not null && Sigma.Equals(o.Sigma) && Beta.SequenceEqual(o.Beta);
    /// <inheritdoc/>
    public override int GetHashCode() => Beta.Aggregate(Sigma.GetHashCode(), (h, b) => h * 31 + b.GetHashCode());
}

/// <summary>The K classes of a mixture of regressions, in canonical order once fitted.</summary>
public sealed record RegressionComponents(ImmutableArray<RegressionClass> Classes)
{
    /// <summary>Number of classes.</summary>
    public int K => Classes.Length;
    /// <inheritdoc/>
    public bool Equals(RegressionComponents? o) => o is not null && Classes.SequenceEqual(o.Classes);
    /// <inheritdoc/>
    public override int GetHashCode() => Classes.Aggregate(17, (h, c) => h * 31 + c.GetHashCode());
}
