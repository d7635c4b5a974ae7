using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;

namespace Mixtures.Domain.Comparison;

/// <summary>Rows to compare models on.</summary>
/// <param name="Y">The n responses.</param>
/// <param name="Covariates">n x m covariates (no intercept column; every model adds one).</param>
/// <param name="Segment">Each row's known segment (index into <paramref name="SegmentNames"/>), or null when none is given.</param>
/// <param name="SegmentNames">Segment names (empty without segments).</param>
public sealed record ComparisonData(ImmutableArray<double> Y, Matrix<double> Covariates, ImmutableArray<int>? Segment, ImmutableArray<string> SegmentNames)
{
    /// <summary>Rows to compare on, n.</summary>
    public int Rows => Y.Length;

    /// <summary>Number of coefficients p = m + 1.</summary>
    public int P => Covariates.ColumnCount + 1;

    /// <summary>The design [1, covariates] (n x p).</summary>
    public Matrix<double> Design => LatentClassRegression.Design(Covariates, intercept: true);

    /// <summary>Number of known segments S (0 without segments).</summary>
    public int Segments => Segment is null ? 0 : SegmentNames.Length;

    /// <summary>Rows with segment labels as names; labels numbered in ordinal order of the names.</summary>
    public static ComparisonData WithLabels(IReadOnlyList<double> y, Matrix<double> covariates, IReadOnlyList<string>? labels)
    {
        if (covariates.RowCount != y.Count) throw new ArgumentException($"{covariates.RowCount} covariate rows for {y.Count} responses");
        if (labels is null) return new ComparisonData(y.ToImmutableArray(), covariates, null, []);
        if (labels.Count != y.Count) throw new ArgumentException($"{labels.Count} segment labels for {y.Count} rows");
        var names = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray();
        var index = names.Select((s, i) => (s, i)).ToDictionary(t => t.s, t => t.i, StringComparer.Ordinal);
        return new ComparisonData(y.ToImmutableArray(), covariates, labels.Select(l => index[l]).ToImmutableArray(), names);
    }
}
