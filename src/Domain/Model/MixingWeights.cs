using System.Collections.Immutable;

namespace Mixtures.Domain.Model;

/// <summary>Mixing weights pi_1..pi_K (non-negative, summing to one), and, for weights that depend on concomitant
/// variables z (<see cref="Em.ConcomitantWeights"/>), the multinomial-logit coefficients gamma with
/// Pr[C_u = k | z_u] = softmax_k(z_u' gamma_k), gamma_1 = 0; pi is then the mean prior over the units.</summary>
public sealed record MixingWeights
{
    /// <summary>pi_k, k = 1..K: the weights, or with concomitant variables the mean over units of Pr[C_u = k | z_u].</summary>
    public ImmutableArray<double> Pi { get; }

    /// <summary>gamma (K x q, row k = gamma_k, row-major, row 1 zero), or empty for weights shared by every unit.</summary>
    public ImmutableArray<double> Coefficients { get; }

    /// <summary>q, the concomitant coefficients per component (0 for shared weights).</summary>
    public int CoefficientCount => K == 0 || Coefficients.IsDefaultOrEmpty ? 0 : Coefficients.Length / K;

    /// <summary>Whether the weights depend on concomitant variables.</summary>
    public bool HasCoefficients => CoefficientCount > 0;

    /// <summary>gamma_kj (0-based k and j).</summary>
    public double Gamma(int k, int j) => Coefficients[k * CoefficientCount + j];

    private MixingWeights(ImmutableArray<double> pi, ImmutableArray<double> coefficients = default)
    {
        Pi = pi;
        Coefficients = coefficients.IsDefault ? [] : coefficients;
    }

    /// <summary>Weights of a concomitant model: the mean priors pi and gamma (K x q, row-major); gamma is re-referenced so
    /// that gamma_1 = 0 (softmax does not change when every gamma_k moves by the same vector).</summary>
    public static MixingWeights WithCoefficients(IEnumerable<double> pi, IReadOnlyList<double> gamma, int q)
    {
        var p = Of(pi);
        if (q < 1 || gamma.Count != p.K * q) throw new ArgumentException($"gamma needs K q = {p.K} x {q} values, got {gamma.Count}");
        var g = new double[gamma.Count];
        for (var k = 0; k < p.K; k++)
        for (var j = 0; j < q; j++) g[k * q + j] = gamma[k * q + j] - gamma[j];
        return new MixingWeights(p.Pi, [.. g]);
    }

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

    /// <summary>pi_k = (1/n) sum_i W[i,k] from the first n K entries of a column-major buffer; each column sum is
    /// <see cref="AddColumnSums"/>'s (chunks of 4096 rows added in order), so it does not depend on where the buffer
    /// lies in memory, and streaming EM reproduces it chunk by chunk.</summary>
    public static MixingWeights FromColumnMeans(double[] a, int n, int K)
    {
        if (a.Length < (long)n * K) throw new ArgumentException($"the buffer has {a.Length} entries, fewer than n K = {(long)n * K}");
        var sums = new double[K];
        AddColumnSums(a, n, K, sums);
        return FromColumnSums(sums, n);
    }

    /// <summary>Rows per partial column sum of <see cref="AddColumnSums"/>.</summary>
    internal const int SumChunk = 4096;

    /// <summary>sums[k] += sum_i W[i,k] over the n rows of a column-major buffer, as the sums of blocks of
    /// <see cref="SumChunk"/> rows (each a vectorised sum with a fixed lane order) added in block order: over consecutive
    /// row blocks whose sizes are multiples of <see cref="SumChunk"/>, fed in order, the totals of the whole data bit for bit.</summary>
    /// <remarks>The blocks' sums are computed in parallel (<see cref="Em.Parallelism.ForChunks"/>) and added in block order
    /// afterwards, so the totals do not depend on the thread count.</remarks>
    internal static void AddColumnSums(double[] a, int n, int K, double[] sums)
    {
        var chunks = (n + SumChunk - 1) / SumChunk;
        var partial = new double[K * chunks];
        Em.Parallelism.ForChunks(chunks, c => ColumnSumsOfChunk(a, n, K, c * SumChunk, Math.Min(SumChunk, n - c * SumChunk), partial.AsSpan(c * K, K)));
        Em.ChunkSums.AddInOrder(partial, chunks, K, sums);
    }

    /// <summary>The K column sums of rows [start, start + len) of a column-major n x K buffer, one block of
    /// <see cref="AddColumnSums"/> (start a multiple of <see cref="SumChunk"/>, len at most that): dest[k].</summary>
    internal static void ColumnSumsOfChunk(double[] a, int n, int K, int start, int len, Span<double> dest)
    {
        for (var k = 0; k < K; k++) dest[k] = Em.ChunkSums.FixedSum(a.AsSpan(k * n + start, len));
    }

    /// <summary>The closed-form M-step from the column sums S_k = sum_i W[i,k]: pi_k = (S_k / n) / sum_c (S_c / n).</summary>
    internal static MixingWeights FromColumnSums(double[] sums, int n)
    {
        var pi = new double[sums.Length];
        for (var k = 0; k < pi.Length; k++) pi[k] = sums[k] / n;
        var total = pi.Sum();
        return new MixingWeights(pi.Select(p => p / total).ToImmutableArray());
    }

    /// <summary>Weights reordered so that new k is old order[k] (gamma re-referenced to the new first component).</summary>
    public MixingWeights Reorder(int[] order)
    {
        if (!HasCoefficients) return new(order.Select(o => Pi[o]).ToImmutableArray());
        var q = CoefficientCount;
        var g = new double[K * q];
        for (var k = 0; k < K; k++)
        for (var j = 0; j < q; j++) g[k * q + j] = Gamma(order[k], j);
        return WithCoefficients(order.Select(o => Pi[o]), g, q);
    }

    /// <inheritdoc/>
    public bool Equals(MixingWeights? other) => other is not null && Pi.SequenceEqual(other.Pi) && Coefficients.SequenceEqual(other.Coefficients);
    /// <inheritdoc/>
    public override int GetHashCode() => Pi.Concat(Coefficients).Aggregate(17, (h, p) => h * 31 + p.GetHashCode());
    /// <inheritdoc/>
    public override string ToString() => HasCoefficients
        ? $"pi = [{string.Join(", ", Pi.Select(p => p.ToString("G6")))}] (mean prior), gamma = [{string.Join("; ", Enumerable.Range(0, K).Select(k => string.Join(", ", Enumerable.Range(0, CoefficientCount).Select(j => Gamma(k, j).ToString("G6")))))}]"
        : $"pi = [{string.Join(", ", Pi.Select(p => p.ToString("G6")))}]";
}
