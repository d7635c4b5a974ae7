using System.Collections.Immutable;
using System.Globalization;

namespace Mixtures.Domain.Model;

/// <summary>One segment of the sales model: log S = Alpha + Beta log p + e.</summary>
public sealed record Segment(double Alpha, double Beta)
{
    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"(alpha = {Alpha:G6}, beta = {Beta:G6})");
}

/// <summary>
/// theta = (alpha[1], beta[1], ..., alpha[K], beta[K]) of the sales model, viewed as K segments
/// (the K x 2 table of alpha and beta).
/// </summary>
public sealed record Theta
{
    /// <summary>The K segments.</summary>
    public ImmutableArray<Segment> Segments { get; }

    private Theta(ImmutableArray<Segment> segments) => Segments = segments;

    /// <summary>Number of segments K.</summary>
    public int K => Segments.Length;

    /// <summary>theta from segments.</summary>
    public static Theta Of(IEnumerable<Segment> segments)
    {
        var s = segments.ToImmutableArray();
        if (s.Length == 0) throw new ArgumentException("theta needs at least one segment");
        if (s.Any(x => !double.IsFinite(x.Alpha) || !double.IsFinite(x.Beta))) throw new ArgumentException("theta must be finite");
        return new Theta(s);
    }

    /// <summary>theta from (alpha, beta) pairs.</summary>
    public static Theta Of(params (double Alpha, double Beta)[] segments) => Of(segments.Select(s => new Segment(s.Alpha, s.Beta)));

    /// <summary>theta from the spec's flat vector (alpha[1], beta[1], ..., alpha[K], beta[K]).</summary>
    public static Theta FromVector(IReadOnlyList<double> v)
    {
        if (v.Count == 0 || v.Count % 2 != 0) throw new ArgumentException($"theta needs 2K values, got {v.Count}");
        return Of(Enumerable.Range(0, v.Count / 2).Select(c => new Segment(v[2 * c], v[2 * c + 1])));
    }

    /// <summary>The spec's flat vector (alpha[1], beta[1], ..., alpha[K], beta[K]).</summary>
    public double[] ToVector() => Segments.SelectMany(s => new[] { s.Alpha, s.Beta }).ToArray();

    /// <summary>The K x 2 view: row c is (alpha[c], beta[c]).</summary>
    public double[,] ToTable()
    {
        var t = new double[K, 2];
        for (var c = 0; c < K; c++) { t[c, 0] = Segments[c].Alpha; t[c, 1] = Segments[c].Beta; }
        return t;
    }

    /// <summary>Segments reordered so that new c is old order[c].</summary>
    public Theta Reorder(int[] order) => new(order.Select(o => Segments[o]).ToImmutableArray());

    /// <inheritdoc/>
    public bool Equals(Theta? other) => other is not null && Segments.SequenceEqual(other.Segments);
    /// <inheritdoc/>
    public override int GetHashCode() => Segments.Aggregate(17, (h, s) => h * 31 + s.GetHashCode());
    /// <inheritdoc/>
    public override string ToString() => "theta = [" + string.Join(", ", Segments) + "]";
}
