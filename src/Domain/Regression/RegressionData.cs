using Mixtures.Domain.Em;
using MathNet.Numerics.LinearAlgebra;

namespace Mixtures.Domain.Regression;

/// <summary>How the per-unit cross products X_u'X_u are stored.</summary>
public enum DesignLayout
{
    /// <summary>Every unit has the same design (the panel sales model): one p x p matrix.</summary>
    Shared,
    /// <summary>Every unit is one row x_u: X_u'X_u = x_u x_u'.</summary>
    Rows,
    /// <summary>Units are groups of rows with their own cross products.</summary>
    PerUnit,
}

/// <summary>
/// Sufficient statistics of a regression mixture, computed in one pass over the data. For a
/// reference coefficient vector b0 (the pooled OLS fit) and residuals r0 = y - X b0, unit u keeps
/// n_u, X_u'r0_u and r0_u'r0_u, so that for any b with d = b - b0
///   RSS_u(b) = r0_u'r0_u - 2 d'X_u'r0_u + d'X_u'X_u d,
/// and an EM iteration costs O(U K p^2) instead of O(rows K p). Working with residuals of b0
/// rather than raw y avoids the cancellation of y'y - 2 b'X'y + b'X'X b when y is large.
/// </summary>
public sealed class RegressionData
{
    /// <summary>Number of units U (rows of W).</summary>
    public int Units { get; }
    /// <summary>Number of coefficients p (columns of X).</summary>
    public int P { get; }
    /// <summary>Total rows, n in BIC.</summary>
    public int Observations { get; }
    /// <summary>Rows per unit n_u.</summary>
    public IReadOnlyList<int> UnitRows => unitRows;
    /// <summary>Storage of X_u'X_u.</summary>
    public DesignLayout Layout { get; }
    /// <summary>Residual variance of the pooled fit, sum_u r0_u'r0_u / rows, in the data's units (infinite or 0
    /// when that is beyond the double range; computations use it in the internal units).</summary>
    public double PooledResidualVariance => Math.ScaleB(pooledVariance, 2 * responseExponent);

    /// <summary>The observation weight of every unit (a row, a group, a store), or null without weights.</summary>
    public Model.ObservationWeights? Weights => weights;

    /// <summary>n in BIC: sum_u w_u n_u with observation weights (the rows of the replicated data for whole-number
    /// weights), else <see cref="Observations"/>.</summary>
    public double WeightedObservations => weights is null ? Observations : weights.Observations(unitRows);

    private Model.ObservationWeights? weights;

    /// <summary>The same data with observation weights, one per unit (null: none). The reference fit b0, the pooled
    /// residual variance and the column scales stay the unweighted ones: they are reference points of the arithmetic
    /// and scales of the coordinates, not estimates.</summary>
    /// <exception cref="ArgumentException">The number of weights is not the number of units.</exception>
    public RegressionData WithWeights(Model.ObservationWeights? w)
    {
        if (w is not null && w.Count != Units) throw new ArgumentException($"{w.Count} observation weights for {Units} units");
        var copy = (RegressionData)MemberwiseClone();
        copy.weights = w;
        return copy;
    }

    /// <summary>The reference coefficients b0.</summary>
    public IReadOnlyList<double> Beta0 => beta0;
    /// <summary>The unit of every row for grouped row data (units numbered in order of first
    /// appearance of their label); null when every row is its own unit or the data are a panel.</summary>
    public IReadOnlyList<int>? RowUnit => rowUnit;

    /// <summary>
    /// Values within 2^±UnitRange are used as they are: their squares and sums stay far inside the range
    /// of doubles. A column of X (or y) with a larger or smaller magnitude is stored divided by a power of
    /// two 2^e (its unit), which is exact, so that sums of squares neither overflow nor underflow: data
    /// around 1e300 or 1e-300 are fitted as data around 1 are, and ordinary data keep every bit.
    /// </summary>
    internal const int UnitRange = 256;

    internal readonly int[] columnExponent; // p: column j of X is stored as X[., j] / 2^e_j
    internal readonly int responseExponent; // y (and r0, sigma) stored as y / 2^e_y

    /// <summary>A coefficient difference in the data's units to the internal units: d_j 2^(e_j - e_y) (exact).</summary>
    internal double ToUnits(int j, double d) => Math.ScaleB(d, columnExponent[j] - responseExponent);

    /// <summary>A coefficient difference in the internal units back to the data's units (exact).</summary>
    internal double FromUnits(int j, double d) => Math.ScaleB(d, responseExponent - columnExponent[j]);

    /// <summary>sigma in the internal units: sigma / 2^e_y (exact).</summary>
    internal double SigmaToUnits(double sigma) => Math.ScaleB(sigma, -responseExponent);

    /// <summary>-log(2^e_y): the log-density of a row in the data's units minus that in the internal units.</summary>
    internal double LogUnitShift => -responseExponent * Math.Log(2.0);

    /// <summary>The unit exponent of values whose largest magnitude is <paramref name="max"/> (0 when within 2^±<see cref="UnitRange"/>).</summary>
    internal static int UnitExponent(double max)
    {
        if (!(max > 0) || !double.IsFinite(max)) return 0;
        var e = Math.ILogB(max) + 1;
        return Math.Abs(e) > UnitRange ? e : 0;
    }

    internal readonly int[] unitRows;
    internal readonly double[] beta0;     // p, in the data's units
    internal readonly double[] xtr;       // U*p, unit-major (empty for Rows)
    internal readonly double[] rtr;       // U
    internal readonly double[] design;    // Shared: p*p; Rows: X column-major (design[j*U + u]); PerUnit: U*p*p
    internal readonly double[]? r0;       // Rows only: the residual r0_u itself
    internal readonly int[]? rowUnit;     // grouped rows only
    internal readonly double pooledVariance; // internal units

    private RegressionData(int units, int p, int observations, DesignLayout layout, int[] unitRows,
        double[] beta0, double[] xtr, double[] rtr, double[] design, double[]? r0 = null, int[]? rowUnit = null,
        int[]? columnExponent = null, int responseExponent = 0, double? pooled = null, double[]? beta0Units = null)
    {
        this.r0 = r0;
        this.columnExponent = columnExponent ?? new int[p];
        this.responseExponent = responseExponent;
        this.beta0Units = beta0Units;
        pooledVariance = pooled ?? SequentialSum(rtr) / Math.Max(1, observations);
        this.rowUnit = rowUnit;
        Units = units; P = p; Observations = observations; Layout = layout;
        this.unitRows = unitRows; this.beta0 = beta0; this.xtr = xtr; this.rtr = rtr; this.design = design;
        columnRms = new double[p];
        for (var j = 0; j < p; j++)
        {
            var ss = 0.0;
            switch (layout)
            {
                case DesignLayout.Shared: ss = design[j * p + j] * units; break;
                case DesignLayout.Rows: for (var u = 0; u < units; u++) ss += design[j * units + u] * design[j * units + u]; break;
                default: for (var u = 0; u < units; u++) ss += design[(u * p + j) * p + j]; break;
            }
            var rms = Math.Sqrt(ss / Math.Max(1, observations));
            columnRms[j] = rms > 0 && double.IsFinite(rms) ? rms : 1.0;
        }
        var sy = Math.Sqrt(pooledVariance);
        responseScale = sy > 0 && double.IsFinite(sy) ? sy : 1.0;
    }

    /// <summary>Root mean square of every column of X over all rows (1 for the intercept column), in the data's
    /// units: the scale of the coefficient coordinates used by accelerated EM.</summary>
    public IReadOnlyList<double> ColumnRms => columnRms.Select((r, j) => Math.ScaleB(r, columnExponent[j])).ToArray();

    /// <summary>The square root of <see cref="PooledResidualVariance"/> (1 when it is 0): the scale of y, in the data's units.</summary>
    public double ResponseScale => Math.ScaleB(responseScale, responseExponent);

    internal readonly double[] columnRms; // p, internal units
    internal readonly double responseScale; // internal units

    /// <summary>sum_i a[i] added in row order from zero (a running total streaming EM continues block by block).</summary>
    internal static double SequentialSum(ReadOnlySpan<double> a)
    {
        var s = 0.0;
        foreach (var v in a) s += v;
        return s;
    }

    /// <summary>Rows per chunk of <see cref="CrossProductsOfChunk"/>.</summary>
    internal const int CrossChunk = 4096;

    /// <summary>Entries of <see cref="CrossProductsOfChunk"/>: X'X (p x p, lower triangle), X'y (p), y'y.</summary>
    internal static int CrossProductSize(int p) => p * p + p + 1;

    /// <summary>
    /// The cross products of rows [from, to) of a column-major X (column j at <c>X[j * n ..]</c>) and y into
    /// <paramref name="acc"/>: X'X (row-major p x p, entries b &lt;= a), X'y (p) and y'y, each a fixed-lane dot product,
    /// so a chunk's sums depend only on its rows. The whole data's are the chunks' (of <see cref="CrossChunk"/> rows)
    /// added in chunk order from zero: in memory (<see cref="FromRows"/>) and block by block (streaming EM) alike.
    /// </summary>
    internal static void CrossProductsOfChunk(ReadOnlySpan<double> X, int n, ReadOnlySpan<double> y, int p, int from, int to, Span<double> acc)
    {
        var len = to - from;
        var ys = y.Slice(from, len);
        for (var a = 0; a < p; a++)
        {
            var xa = X.Slice(a * n + from, len);
            for (var b = 0; b <= a; b++) acc[a * p + b] = Gaussian.GaussianKernels.Dot(xa, X.Slice(b * n + from, len));
            acc[p * p + a] = Gaussian.GaussianKernels.Dot(xa, ys);
        }
        acc[p * p + p] = Gaussian.GaussianKernels.Dot(ys, ys);
    }

    /// <summary>Adds the chunks' cross products of n rows (X column-major) to <paramref name="total"/> in chunk order
    /// (the chunks computed in parallel, added in order: the sums do not depend on the thread count).</summary>
    internal static void AddCrossProducts(double[] X, int n, double[] y, int p, double[] total)
    {
        var chunks = (n + CrossChunk - 1) / CrossChunk;
        var size = CrossProductSize(p);
        var partial = new double[chunks * size];
        Parallelism.ForChunks(chunks, c =>
            CrossProductsOfChunk(X, n, y, p, c * CrossChunk, Math.Min(n, (c + 1) * CrossChunk), partial.AsSpan(c * size, size)));
        ChunkSums.AddInOrder(partial, chunks, size, total);
    }

    /// <summary>b0 = (X'X)^-1 X'y from the cross products (Cholesky), or 0 when X'X is not positive definite.</summary>
    internal static double[] ReferenceFit(double[] cross, int p)
    {
        var A = Matrix<double>.Build.Dense(p, p, (a, b) => a >= b ? cross[a * p + b] : cross[b * p + a]);
        var chol = WeightedLeastSquares.TryCholesky(A);
        return chol is null ? new double[p] : chol.Solve(Vector<double>.Build.Dense(p, j => cross[p * p + j])).ToArray();
    }

    private readonly double[]? beta0Units; // row data read in blocks: b0 in the internal units

    /// <summary>
    /// The data-wide quantities of n rows read in blocks (streaming EM), with no rows of their own: b0 in the internal
    /// units (<paramref name="beta0Units"/>, from <see cref="ReferenceFit"/> on the scaled rows' cross products), the unit
    /// exponents and the pooled residual variance sum_i r0_i^2 / n in the internal units, as <see cref="FromRows"/> computes
    /// them on the whole data. <see cref="RowBlock"/> gives a block's rows with them; the M-step
    /// (<see cref="RegressionFamily"/>'s fit from sums) reads only these.
    /// </summary>
    internal static RegressionData RowGlobals(int n, int p, double[] beta0Units, int[] columnExponent, int responseExponent, double pooledVariance)
    {
        var b0 = beta0Units.Select((b, j) => Math.ScaleB(b, responseExponent - columnExponent[j])).ToArray();
        return new RegressionData(0, p, n, DesignLayout.Rows, [], b0, [], [], [], [], null, columnExponent, responseExponent, pooledVariance, beta0Units);
    }

    /// <summary>
    /// A block of r rows as data with this data's b0, units, pooled variance and scales (<see cref="RowGlobals"/>): y and X
    /// already in the internal units (X column-major r x p), r0 = y - X b0 formed as <see cref="FromRows"/> forms it into
    /// <paramref name="r0"/> and its squares into <paramref name="rtr"/>, so every row's log-densities and M-step terms are
    /// the whole data's. The arrays (at least r entries, r p for X; <paramref name="ones"/> all 1) are kept, not copied:
    /// the caller may reuse them for the next block once it is done with this one.
    /// </summary>
    internal RegressionData RowBlock(int r, double[] y, double[] X, double[] r0, double[] rtr, int[] ones)
    {
        var b0 = beta0Units ?? beta0;
        for (var i = 0; i < r; i++)
        {
            var f = 0.0;
            for (var j = 0; j < P; j++) f += X[j * r + i] * b0[j];
            var e = y[i] - f;
            r0[i] = e;
            rtr[i] = e * e;
        }
        return new RegressionData(this, r, X, r0, rtr, ones);
    }

    /// <summary>A block of rows with the data-wide quantities of <paramref name="globals"/> (see <see cref="RowBlock"/>).</summary>
    private RegressionData(RegressionData globals, int r, double[] design, double[] r0, double[] rtr, int[] ones)
    {
        Units = r; P = globals.P; Observations = r; Layout = DesignLayout.Rows;
        unitRows = ones; beta0 = globals.beta0; xtr = []; this.rtr = rtr; this.design = design; this.r0 = r0; rowUnit = null;
        columnExponent = globals.columnExponent; responseExponent = globals.responseExponent; beta0Units = globals.beta0Units;
        pooledVariance = globals.pooledVariance; columnRms = globals.columnRms; responseScale = globals.responseScale;
    }

    /// <summary>
    /// Panel data with a design shared by all units: y is T x N (column i = unit i), X is T x p.
    /// </summary>
    public static RegressionData Panel(Matrix<double> y, Matrix<double> X)
    {
        var T = y.RowCount;
        var N = y.ColumnCount;
        var p = X.ColumnCount;
        if (X.RowCount != T) throw new ArgumentException($"X has {X.RowCount} rows but y has {T}");
        var XtX = X.TransposeThisAndMultiply(X);
        var ybar = Vector<double>.Build.Dense(T, t =>
        {
            var s = 0.0;
            for (var i = 0; i < N; i++) s += y[t, i];
            return s / N;
        });
        var b0 = SolveOrZero(XtX, X.TransposeThisAndMultiply(ybar), p);
        var fit0 = X * Vector<double>.Build.Dense(b0);
        var Y = y.AsColumnMajorArray() ?? y.ToColumnMajorArray();
        var Xa = X.ToColumnMajorArray();
        var xtr = new double[N * p];
        var rtr = new double[N];
        Parallel.For(0, N, Parallelism.Options, i =>
        {
            var off = i * T;
            var rr = 0.0;
            for (var t = 0; t < T; t++)
            {
                var r = Y[off + t] - fit0[t];
                rr += r * r;
                for (var j = 0; j < p; j++) xtr[i * p + j] += Xa[j * T + t] * r;
            }
            rtr[i] = rr;
        });
        return new RegressionData(N, p, checked(N * T), DesignLayout.Shared, Enumerable.Repeat(T, N).ToArray(),
            b0, xtr, rtr, XtX.ToColumnMajorArray());
    }

    /// <summary>
    /// Row data: y (n), X (n x p), and optionally a group label per row; rows with the same label form
    /// one unit (flexmix's <c>y ~ x | id</c>), in order of first appearance.
    /// </summary>
    /// <remarks>Columns of X and y beyond 2^±<see cref="UnitRange"/> in magnitude are stored in units of a power of two
    /// (see <see cref="UnitRange"/>); <see cref="Beta0"/> and every public figure are in the data's units.</remarks>
    public static RegressionData FromRows(IReadOnlyList<double> y, Matrix<double> X, IReadOnlyList<int>? group = null)
    {
        var n = y.Count;
        var p = X.ColumnCount;
        if (X.RowCount != n) throw new ArgumentException($"X has {X.RowCount} rows but y has {n}");
        var ex = new int[p];
        for (var j = 0; j < p; j++) ex[j] = UnitExponent(X.Column(j).AbsoluteMaximum());
        var ey = UnitExponent(n == 0 ? 0 : y.Max(Math.Abs));
        if (ey != 0 || ex.Any(e => e != 0))
        {
            var ys = y.Select(v => Math.ScaleB(v, -ey)).ToArray();
            var Xs = Matrix<double>.Build.Dense(n, p, (i, j) => Math.ScaleB(X[i, j], -ex[j]));
            var inUnits = FromRows(ys, Xs, group);
            var b0Data = inUnits.beta0.Select((b, j) => Math.ScaleB(b, ey - ex[j])).ToArray();
            return new RegressionData(inUnits.Units, p, n, inUnits.Layout, inUnits.unitRows, b0Data, inUnits.xtr, inUnits.rtr, inUnits.design,
                inUnits.r0, inUnits.rowUnit, ex, ey);
        }
        var Xc = X.AsColumnMajorArray() ?? X.ToColumnMajorArray();   // X[i, j] = Xc[j * n + i]
        var cross = new double[CrossProductSize(p)];
        AddCrossProducts(Xc, n, y as double[] ?? y.ToArray(), p, cross);
        var b0 = ReferenceFit(cross, p);
        var r0 = new double[n];
        for (var i = 0; i < n; i++)
        {
            var f = 0.0;
            for (var j = 0; j < p; j++) f += Xc[j * n + i] * b0[j];
            r0[i] = y[i] - f;
        }
        if (group is null)
        {
            // Single rows keep X column-major and r0 itself; X'r0 per row is not stored (the M-step
            // forms x r0 on the fly).
            var xs = (double[])Xc.Clone();
            var rtr = new double[n];
            for (var i = 0; i < n; i++) rtr[i] = r0[i] * r0[i];
            return new RegressionData(n, p, n, DesignLayout.Rows, Enumerable.Repeat(1, n).ToArray(), b0, [], rtr, xs, r0);
        }
        if (group.Count != n) throw new ArgumentException($"{group.Count} group labels for {n} rows");
        var index = new Dictionary<int, int>();
        var unitOf = new int[n];
        for (var i = 0; i < n; i++)
        {
            if (!index.TryGetValue(group[i], out var u)) { u = index.Count; index[group[i]] = u; }
            unitOf[i] = u;
        }
        var U = index.Count;
        var rows = new int[U];
        var gx = new double[U * p];
        var gr = new double[U];
        var gd = new double[U * p * p];
        for (var i = 0; i < n; i++)
        {
            var u = unitOf[i];
            rows[u]++;
            gr[u] += r0[i] * r0[i];
            for (var a = 0; a < p; a++)
            {
                gx[u * p + a] += X[i, a] * r0[i];
                for (var b = 0; b < p; b++) gd[(u * p + a) * p + b] += X[i, a] * X[i, b];
            }
        }
        return new RegressionData(U, p, n, DesignLayout.PerUnit, rows, b0, gx, gr, gd, null, unitOf);
    }

    private static double[] SolveOrZero(Matrix<double> XtX, Vector<double> Xty, int p)
    {
        var chol = WeightedLeastSquares.TryCholesky(XtX);
        return chol is null ? new double[p] : chol.Solve(Xty).ToArray();
    }
}
