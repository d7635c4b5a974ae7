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

    /// <summary>The observation weight of every row, or null without weights.</summary>
    public ObservationWeights? Weights => weights;

    private ObservationWeights? weights;

    /// <summary>The same data with observation weights, one per row (null: none): the fit maximises
    /// sum_i w_i log sum_k pi_k N(x_i; mu_k, Sigma_k), so means and covariances are weighted by W[i,k] w_i. The column
    /// scales of the coordinates and the k-means++ starts stay unweighted.</summary>
    /// <exception cref="ArgumentException">The number of weights is not the number of rows.</exception>
    public GaussianData WithWeights(ObservationWeights? w)
    {
        if (w is not null && w.Count != N) throw new ArgumentException($"{w.Count} observation weights for {N} rows");
        var copy = (GaussianData)MemberwiseClone();
        copy.weights = w;
        return copy;
    }

    private GaussianData(int n, int d, double[] x, ImmutableArray<string> columns)
    {
        N = n; D = d; this.x = x; Columns = columns;
    }

    private double[]? columnMean;
    private double[]? columnScale;
    private int[]? unitExponent;

    /// <summary>Mean of every column (computed once, on first use).</summary>
    internal double[] ColumnMean { get { if (columnMean is null) ColumnMoments(); return columnMean!; } }

    /// <summary>Population standard deviation of every column, 1 for a constant column (computed once):
    /// the scale of the location coordinates used by accelerated EM.</summary>
    internal double[] ColumnScale { get { if (columnScale is null) ColumnMoments(); return columnScale!; } }

    /// <summary>
    /// Deviations within 2^±ScaleFreeRange are squared and summed as they are: squares and sums of up to
    /// 2^30 rows stay far inside the range of doubles (no overflow, no subnormal intermediate).
    /// </summary>
    internal const int ScaleFreeRange = 256;

    /// <summary>The smallest positive normal double, 2^-1022 (below it doubles lose precision).</summary>
    public const double SmallestNormal = 2.2250738585072014E-308;

    /// <summary>
    /// Per column, the exponent e_j of its internal unit 2^e_j: 0 for ordinary columns, and for a column
    /// whose half-range h_j is beyond 2^±<see cref="ScaleFreeRange"/> the e_j with h_j &lt; 2^(e_j - 1) ... 2^e_j,
    /// so that (x_ij - c) / 2^e_j is at most 2 in size for any centre c inside the range. Kernels
    /// that square deviations (scatter, k-means distances, column variances) divide by the unit first
    /// and multiply the result back with <see cref="Math.ScaleB"/>: scaling by a power of two is exact, so
    /// the result is the same number the direct sums would give without overflow or underflow.
    /// </summary>
    internal int[] UnitExponent
    {
        get
        {
            if (unitExponent is not null) return unitExponent;
            var e = new int[D];
            for (var j = 0; j < D; j++) e[j] = UnitExponentOf(new ReadOnlySpan<double>(x, j * N, N));
            return unitExponent = e;
        }
    }

    /// <summary>The unit exponent of one column (see <see cref="UnitExponent"/>).</summary>
    internal static int UnitExponentOf(ReadOnlySpan<double> col)
    {
        double lo = col[0], hi = col[0];
        foreach (var v in col) { if (v < lo) lo = v; if (v > hi) hi = v; }
        return UnitExponentOf(lo, hi);
    }

    /// <summary>The unit exponent of a column whose smallest value is <paramref name="lo"/> and largest <paramref name="hi"/>.</summary>
    internal static int UnitExponentOf(double lo, double hi)
    {
        var h = hi * 0.5 - lo * 0.5; // half the range, without overflow
        if (!(h > 0)) return 0;
        var e = Math.ILogB(h) + 1;
        return Math.Abs(e) > ScaleFreeRange ? e : 0;
    }

    private void ColumnMoments()
    {
        var mean = new double[D];
        var scale = new double[D];
        for (var j = 0; j < D; j++)
        {
            var col = new ReadOnlySpan<double>(x, j * N, N);
            var (m, sd) = MeanAndSd(col, UnitExponent[j], sumFirst: true);
            mean[j] = m;
            scale[j] = sd > 0 && double.IsFinite(sd) ? sd : 1.0;
        }
        columnMean = mean;
        columnScale = scale;
    }

    /// <summary>
    /// Mean and population standard deviation of a column (two passes, no cancellation). With unit
    /// exponent 0 the plain sums; otherwise the deviations are divided by the unit 2^e before squaring,
    /// so columns near the limits of the double range give their sd without overflow or underflow.
    /// <paramref name="sumFirst"/> sums the values with the vectorised sum, otherwise left to right
    /// (the two callers' historical orders, kept so their results do not change).
    /// </summary>
    internal static (double Mean, double Sd) MeanAndSd(ReadOnlySpan<double> col, int unitExponent, bool sumFirst)
    {
        var n = col.Length;
        double m;
        if (sumFirst) m = System.Numerics.Tensors.TensorPrimitives.Sum(col) / n;
        else
        {
            m = 0.0;
            foreach (var v in col) m += v;
            m /= n;
        }
        if (!double.IsFinite(m))
        {
            // values near the largest double: sum them in units of their magnitude
            var big = Math.ILogB(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(col));
            var t = 0.0;
            foreach (var v in col) t += Math.ScaleB(v, -big);
            m = Math.ScaleB(t / n, big);
        }
        if (unitExponent == 0)
        {
            var ss = 0.0;
            foreach (var v in col) ss += (v - m) * (v - m);
            return (m, Math.Sqrt(ss / n));
        }
        var mu = Math.ScaleB(m, -unitExponent);
        var s2 = 0.0;
        foreach (var v in col) { var dv = Math.ScaleB(v, -unitExponent) - mu; s2 += dv * dv; }
        return (m, Math.ScaleB(Math.Sqrt(s2 / n), unitExponent));
    }

    /// <summary>The value of row i, column j.</summary>
    public double this[int i, int j] => x[j * N + i];

    /// <summary>The data as an n x d matrix (a copy).</summary>
    public Matrix<double> ToMatrix() => Matrix<double>.Build.Dense(N, D, (double[])x.Clone());

    /// <summary>The data divided by the columns' units 2^e_j (<see cref="UnitExponent"/>; exact), an n x d copy:
    /// the data themselves for ordinary columns.</summary>
    internal Matrix<double> InUnits()
    {
        var e = UnitExponent;
        var y = (double[])x.Clone();
        for (var j = 0; j < D; j++)
            if (e[j] != 0)
                for (var i = 0; i < N; i++) y[j * N + i] = Math.ScaleB(y[j * N + i], -e[j]);
        return Matrix<double>.Build.Dense(N, D, y);
    }

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

    /// <summary>
    /// A block of rows of a larger data set (streaming EM): the first n x d entries of <paramref name="values"/>,
    /// column-major, not copied nor checked (the caller validated them), with the whole data's unit exponents and
    /// column scales, so that the kernels compute on the block exactly what they compute on those rows of the
    /// whole data. The block is only read, during the call that made it.
    /// </summary>
    internal static GaussianData Block(int n, int d, double[] values, ImmutableArray<string> columns, int[] unitExponent, double[] columnMean, double[] columnScale) =>
        new(n, d, values, columns) { unitExponent = unitExponent, columnMean = columnMean, columnScale = columnScale };

    /// <summary>The same data with rows permuted: new row r is old row order[r].</summary>
    public GaussianData PermuteRows(IReadOnlyList<int> order)
    {
        if (order.Count != N) throw new ArgumentException("order must have one entry per row");
        var y = new double[x.Length];
        for (var j = 0; j < D; j++)
        for (var r = 0; r < N; r++)
            y[j * N + r] = x[j * N + order[r]];
        return new GaussianData(N, D, y, Columns)
        {
            weights = weights is null ? null : ObservationWeights.Of(order.Select(o => weights[o]).ToArray()).Match(w => w, e => throw new InvalidOperationException(e.Message)),
        };
    }
}
