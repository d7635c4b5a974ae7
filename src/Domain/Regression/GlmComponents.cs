using System.Collections.Immutable;

namespace Mixtures.Domain.Regression;

/// <summary>One latent class of a GLM mixture: the coefficients of its linear predictor eta = x'Beta + offset
/// (no dispersion parameter: Poisson and binomial variances are functions of the mean).</summary>
public sealed record GlmClass(ImmutableArray<double> Beta)
{
    /// <inheritdoc/>
    public bool Equals(GlmClass? o) => o is not null && Beta.SequenceEqual(o.Beta);
    /// <inheritdoc/>
    public override int GetHashCode() => Beta.Aggregate(17, (h, b) => h * 31 + b.GetHashCode());
}

/// <summary>The K classes of a GLM mixture, in canonical order (ascending coefficients, intercept first) once fitted.</summary>
public sealed record GlmComponents(ImmutableArray<GlmClass> Classes)
{
    /// <summary>Number of classes.</summary>
    public int K => Classes.Length;

    /// <summary>Classes from rows of coefficients.</summary>
    public static GlmComponents Of(params double[][] betas) =>
        new(betas.Select(b => new GlmClass([.. b])).ToImmutableArray());

    /// <inheritdoc/>
    public bool Equals(GlmComponents? o) => o is not null && Classes.SequenceEqual(o.Classes);
    /// <inheritdoc/>
    public override int GetHashCode() => Classes.Aggregate(17, (h, c) => h * 31 + c.GetHashCode());
    /// <inheritdoc/>
    public override string ToString() =>
        string.Join("; ", Classes.Select((c, k) => $"beta_{k + 1} = [{string.Join(", ", c.Beta.Select(b => b.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)))}]"));
}
