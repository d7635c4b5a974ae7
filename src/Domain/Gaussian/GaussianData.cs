using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Gaussian;

/// <summary>
/// n observations of d variables for a Gaussian mixture: finite values, at least one row and one
/// column, stored column-major (value of row i, column j at <c>j * n + i</c>) so that a block of rows
/// of one column is contiguous for the vectorised kernels.
/// </summary>
public sealed class GaussianData
{
    /// <summary>Number of rows n.</summary>
    public int N { get; }
    /// <summary>Number of variables d.</summary>
    public int D { get; }
    /// <summary>Names of the d columns (used in messages about collapsed components).</summary>
    public ImmutableArray<string> Columns { get; }

    internal readonly double[] x; // column-major n * d; never mutated after construction

    private GaussianData(int n, int d, double[] x, ImmutableArray<string> columns)
    {
        N = n; D = d; this.x = x; Columns = columns;
    }

    private double[]? columnMean;
    private double[]? columnScale;

    /// <summary>Mean of every column (computed once, on first use).</summary>
    internal double[] ColumnMean { get { if (columnMean is null) ColumnMoments(); return columnMean!; } }

    /// <summary>Population standard deviation of every column, 1 for a constant column (computed once):
    /// the scale of the location coordinates used by accelerated EM.</summary>
    internal double[] ColumnScale { get { if (columnScale is null) ColumnMoments(); return columnScale!; } }

    private void ColumnMoments()
    {
        var mean = new double[D];
        var scale = new double[D];
        for (var j = 0; j < D; j++)
        {
            var col = new ReadOnlySpan<double>(x, j * N, N);
            var m = System.Numerics.Tensors.TensorPrimitives.Sum(col) / N;
            var ss = 0.0;
            foreach (var v in col) ss += (v - m) * (v - m);
            var sd = Math.Sqrt(ss / N);
            mean[j] = m;
            scale[j] = sd > 0 && double.IsFinite(sd) ? sd : 1.0;
        }
        columnMean = mean;
        columnScale = scale;
    }

    /// <summary>The value of row i, column j.</summary>
    public double this[int i, int j] => x[j * N + i];

    /// <summary>The data as an n x d matrix (a copy).</summary>
    public Matrix<double> ToMatrix() => Matrix<double>.Build.Dense(N, D, (double[])x.Clone());

    /// <summary>
    /// Validated data from an n x d matrix (copied). Fails when there are no rows or columns, a value is
    /// not finite, or the number of names does not match; columns default to x1..xd.
    /// </summary>
    public static Fin<GaussianData> Of(Matrix<double> X, IReadOnlyList<string>? columns = null) =>
        FromColumnMajor(X.RowCount, X.ColumnCount, X.ToColumnMajorArray(), columns);

    /// <summary>
    /// Validated data that takes over a column-major n x d array (the caller must not modify it
    /// afterwards): the constructor for large data sets, which avoids a copy.
    /// </summary>
    public static Fin<GaussianData> FromColumnMajor(int n, int d, double[] values, IReadOnlyList<string>? columns = null)
    {
        if (n < 1) return FinFail<GaussianData>(new InvalidDataError("no rows: a Gaussian mixture needs at least one observation"));
        if (d < 1) return FinFail<GaussianData>(new InvalidDataError("no columns: a Gaussian mixture needs at least one variable"));
        if (values.Length != n * d) throw new ArgumentException($"{values.Length} values for {n} x {d}");
        var names = columns?.ToImmutableArray() ?? Enumerable.Range(1, d).Select(j => $"x{j}").ToImmutableArray();
        if (names.Length != d) return FinFail<GaussianData>(new InvalidDataError($"{names.Length} column names for {d} columns"));
        for (var j = 0; j < d; j++)
        for (var i = 0; i < n; i++)
            if (!double.IsFinite(values[j * n + i]))
                return FinFail<GaussianData>(new InvalidDataError($"row {i + 1}, column {names[j]}: {values[j * n + i]} is not a finite number"));
        return new GaussianData(n, d, values, names);
    }

    /// <summary>The same data with rows permuted: new row r is old row order[r].</summary>
    public GaussianData PermuteRows(IReadOnlyList<int> order)
    {
        if (order.Count != N) throw new ArgumentException("order must have one entry per row");
        var y = new double[x.Length];
        for (var j = 0; j < D; j++)
        for (var r = 0; r < N; r++)
            y[j * N + r] = x[j * N + order[r]];
        return new GaussianData(N, D, y, Columns);
    }
}
