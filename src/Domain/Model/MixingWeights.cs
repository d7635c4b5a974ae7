using System.Collections.Immutable;

namespace Mixtures.Domain.Model;

/// <summary>Mixing weights pi_1..pi_K (non-negative, summing to one).</summary>
public sealed record MixingWeights
{
    /// <summary>pi_k, k = 1..K.</summary>
    public ImmutableArray<double> Pi { get; }

    private MixingWeights(ImmutableArray<double> pi) => Pi = pi;

    /// <summary>Number of components K.</summary>
    public int K => Pi.Length;

    /// <summary>log pi_k (-inf for a zero weight).</summary>
    public double[] LogPi() => Pi.Select(Math.Log).ToArray();

    /// <summary>Weights as given; throws on negative, non-finite or not summing to one within 1e-8
    /// (a programming error: data-driven weights come from <see cref="FromColumnMeans(double[], int, int)"/>).</summary>
    public static MixingWeights Of(IEnumerable<double> pi)
    {
        var a = pi.ToImmutableArray();
        if (a.Length == 0) throw new ArgumentException("at least one mixing weight is needed");
        if (a.Any(p => !double.IsFinite(p) || p < 0)) throw new ArgumentException("mixing weights must be finite and non-negative");
        var s = a.Sum();
        if (Math.Abs(s - 1) > 1e-8) throw new ArgumentException($"mixing weights sum to {s}, not 1");
        return new MixingWeights(a);
    }

    /// <summary>Weights renormalised to sum to one (for user-supplied values with rounding).</summary>
    public static MixingWeights Normalised(IEnumerable<double> pi)
    {
        var a = pi.ToArray();
        var s = a.Sum();
        return Of(a.Select(p => p / s));
    }

    /// <summary>Equal weights 1/K.</summary>
    public static MixingWeights Uniform(int K) => new(Enumerable.Repeat(1.0 / K, K).ToImmutableArray());

    /// <summary>The closed-form M-step pi_k = (1/n) sum_i W[i,k].</summary>
    public static MixingWeights FromColumnMeans(MathNet.Numerics.LinearAlgebra.Matrix<double> W) =>
        FromColumnMeans(W.AsColumnMajorArray() ?? W.ToColumnMajorArray(), W.RowCount, W.ColumnCount);

    /// <summary>pi_k = (1/n) sum_i W[i,k] from the first n K entries of a column-major buffer.</summary>
    public static MixingWeights FromColumnMeans(double[] a, int n, int K)
    {
        if (a.Length < (long)n * K) throw new ArgumentException($"the buffer has {a.Length} entries, fewer than n K = {(long)n * K}");
        var pi = new double[K];
        for (var k = 0; k < pi.Length; k++)
            pi[k] = System.Numerics.Tensors.TensorPrimitives.Sum(a.AsSpan(k * n, n)) / n;
        var total = pi.Sum();
        return new MixingWeights(pi.Select(p => p / total).ToImmutableArray());
    }

    /// <summary>Weights reordered so that new k is old order[k].</summary>
    public MixingWeights Reorder(int[] order) => new(order.Select(o => Pi[o]).ToImmutableArray());

    /// <inheritdoc/>
    public bool Equals(MixingWeights? other) => other is not null && Pi.SequenceEqual(other.Pi);
    /// <inheritdoc/>
    public override int GetHashCode() => Pi.Aggregate(17, (h, p) => h * 31 + p.GetHashCode());
    /// <inheritdoc/>
    public override string ToString() => $"pi = [{string.Join(", ", Pi.Select(p => p.ToString("G6")))}]";
}
