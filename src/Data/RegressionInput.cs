using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using static LanguageExt.Prelude;

namespace Mixtures.Data;

/// <summary>Which columns of a file make a regression: y, the covariates, an optional group.</summary>
public sealed record RegressionColumns(string Y, ImmutableArray<string> X, string? Group, bool Intercept)
{
    /// <summary>Coefficient names when every covariate is numeric: "(Intercept)" (R's name) when wanted, then the covariates.
    /// With categorical covariates the names are those of the coding (<see cref="RegressionInput.Coefficients"/>).</summary>
    public ImmutableArray<string> Coefficients => Intercept ? X.Insert(0, "(Intercept)") : X;

    /// <summary>Parses --y, --x (comma list) and --group, checking names do not repeat.</summary>
    public static Fin<RegressionColumns> Parse(string? y, string? x, string? group, bool noIntercept)
    {
        var xs = (x ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToImmutableArray();
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(y)) problems.Add("--y: give the response column");
        if (xs.Length == 0 && noIntercept) problems.Add("--x: give at least one covariate column (or drop --no-intercept)");
        var dup = xs.GroupBy(c => c, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) problems.Add($"--x: column '{dup.Key}' is listed twice");
        if (y is not null && xs.Contains(y.Trim(), StringComparer.OrdinalIgnoreCase)) problems.Add($"--x: '{y.Trim()}' is the response (--y)");
        if (group is not null && (string.Equals(group.Trim(), y?.Trim(), StringComparison.OrdinalIgnoreCase) || xs.Contains(group.Trim(), StringComparer.OrdinalIgnoreCase)))
            problems.Add($"--group: '{group.Trim()}' is also used as --y or --x");
        if (group is not null && string.IsNullOrWhiteSpace(group)) problems.Add("--group: give a column name");
        return problems.Count > 0
            ? FinFail<RegressionColumns>(Failure.Usage(string.Join("; ", problems)))
            : new RegressionColumns(y!.Trim(), xs, group?.Trim(), !noIntercept);
    }
}

/// <summary>A validated regression data set read from a file.</summary>
/// <param name="Table">The columns as read (file, separator, lines, dropped rows).</param>
/// <param name="Columns">The roles of the columns.</param>
/// <param name="Y">The n responses.</param>
/// <param name="Covariates">n x m coded covariates (no intercept): numeric columns as they are, categorical ones as
/// their dummies; <see cref="Coding"/> names them.</param>
/// <param name="Design">n x p design: [1, covariates] or the covariates alone.</param>
/// <param name="GroupIds">Per row, its group's index in <paramref name="GroupLabels"/> (null without --group).</param>
/// <param name="GroupLabels">The distinct group labels in order of first appearance (the units).</param>
public sealed record RegressionInput(
    DataTable Table, RegressionColumns Columns, ImmutableArray<double> Y, Matrix<double> Covariates, Matrix<double> Design,
    ImmutableArray<int>? GroupIds, ImmutableArray<string> GroupLabels)
{
    private readonly DesignCoding? coding;

    /// <summary>How the covariate columns became <see cref="Covariates"/>: numeric columns, categorical ones with
    /// their levels and reference levels (every column numeric unless set).</summary>
    public DesignCoding Coding
    {
        get => coding ?? DesignCoding.Numeric(Columns.X, Columns.Intercept);
        init => coding = value;
    }

    /// <summary>The coefficient names of <see cref="Design"/>'s columns: "(Intercept)" (R's name) when wanted, then each
    /// numeric covariate and each dummy of a categorical one (<c>regionsouth</c>).</summary>
    public ImmutableArray<string> Coefficients => Coding.Coefficients;

    /// <summary>Number of data rows.</summary>
    public int Rows => Table.Rows;
    /// <summary>Number of units carrying a latent class: groups with a group column, rows otherwise.</summary>
    public int Units => GroupIds is null ? Rows : GroupLabels.Length;
    /// <summary>The path as given.</summary>
    public string File => Table.File;

    /// <summary>The file as the data of <see cref="LatentClassRegression.Fit(Mixtures.Domain.Fits.RegressionRows, IEnumerable{int}?, RegressionSettings?)"/>:
    /// y, the design and the groups (their indices in <see cref="GroupLabels"/>).</summary>
    public Mixtures.Domain.Fits.RegressionRows ToRows() => new(Y, Design, GroupIds ?? []);

    /// <summary>The sufficient statistics for the EM core.</summary>
    public RegressionData Data() => LatentClassRegression.Data(Y, Design, GroupIds is { } g ? g : null);

    /// <summary>Reads and validates the chosen columns of a delimited file. A covariate none of whose cells is a number,
    /// or one that <paramref name="covariates"/> names as categorical, is coded as dummies (<see cref="DesignCoding.Fit"/>).</summary>
    public static Fin<RegressionInput> Read(string path, RegressionColumns columns, char? separator, bool dropMissing, IReadOnlyList<string>? optional = null,
        NumberCells? numbers = null, CovariateOptions? covariates = null) =>
        from table in DataTableCsv.Read(path, Request(columns, separator, dropMissing, optional, covariates) with { Numbers = numbers })
        from input in FromTable(table, columns, requireY: true, covariates, numbers: numbers)
        select input;

    /// <summary>The table request for the columns of a regression: y numeric, the covariates numeric or text as their
    /// cells say (text when <paramref name="covariates"/> makes them categorical), the group as text.</summary>
    public static TableRequest Request(RegressionColumns columns, char? separator, bool dropMissing, IReadOnlyList<string>? optional = null,
        CovariateOptions? covariates = null)
    {
        var forced = covariates ?? CovariateOptions.None;
        var text = (columns.Group is null ? [] : new[] { columns.Group }).Concat(columns.X.Where(forced.IsForced)).ToList();
        return new([columns.Y], text.Count == 0 ? null : text, optional, separator, dropMissing,
            Covariates: columns.X.Where(x => !forced.IsForced(x)).ToList());
    }

    /// <summary>The table request of new data for a fitted coding (<c>predict</c>): the numeric covariates as numbers, the
    /// categorical ones and the group as text, y (when present) as an optional number.</summary>
    public static TableRequest Request(DesignCoding coding, string? group, IReadOnlyList<string>? optional, char? separator, bool dropMissing, NumberCells? numbers) =>
        new(coding.Columns.Where(c => !coding.IsCategorical(c)).ToList(),
            [.. group is null ? [] : new[] { group }, .. coding.Columns.Where(coding.IsCategorical)], optional, separator, dropMissing, numbers);

    /// <summary>The covariate columns of a table, numeric or text as they were read (a numeric column is a view of the
    /// table's values, not a copy).</summary>
    public static IReadOnlyList<CovariateColumn> CovariateColumns(DataTable table, IEnumerable<string> names)
    {
        var values = table.Values.AsColumnMajorArray();
        IReadOnlyList<double> Numbers(string x) =>
            values is null ? table.Column(x) : new ArraySegment<double>(values, table.NumericColumns.IndexOf(x) * table.Rows, table.Rows);
        return names.Select(x => table.Has(x) ? (CovariateColumn)new CovariateColumn.Numeric(x, Numbers(x)) : new CovariateColumn.Text(x, table.Labels(x))).ToList();
    }

    /// <summary>Builds and checks the regression from a table (<paramref name="requireY"/> false for prediction rows without y).
    /// The covariates are coded by <paramref name="coding"/> when given (a fitted model's: a level it does not know is an
    /// error naming the file, row and column), or else by a coding made from the table (<see cref="DesignCoding.Fit"/>
    /// with the reference levels of <paramref name="covariates"/>).</summary>
    public static Fin<RegressionInput> FromTable(DataTable table, RegressionColumns columns, bool requireY, CovariateOptions? covariates = null,
        DesignCoding? coding = null, NumberCells? numbers = null)
    {
        var file = table.File;
        var n = table.Rows;
        var xs = CovariateColumns(table, columns.X);
        var coded = coding is null
            ? DesignCoding.Fit(xs, columns.Intercept, (covariates ?? CovariateOptions.None).References, file, numbers, n)
            : coding.Apply(xs, n).Match(
                Succ: cov => Fin<CodedCovariates>.Succ(new CodedCovariates(coding, cov)),
                Fail: e => FinFail<CodedCovariates>(e is RowValueError rv
                    ? Failure.Data($"{file}: row {table.Lines[rv.Row]}, column {rv.Column}: {rv.Reason}")
                    : Failure.Data($"{file}: {e.Message}")));
        return coded.Bind(c => Build(table, columns, requireY, c));
    }

    private static Fin<RegressionInput> Build(DataTable table, RegressionColumns columns, bool requireY, CodedCovariates coded)
    {
        var file = table.File;
        var n = table.Rows;
        var y = requireY || table.Has(columns.Y) ? table.Column(columns.Y).ToImmutableArray() : [];
        var cov = coded.Covariates;
        var design = coded.Design;
        ImmutableArray<int>? ids = null;
        var labels = ImmutableArray<string>.Empty;
        if (columns.Group is not null)
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            var b = ImmutableArray.CreateBuilder<int>(n);
            foreach (var label in table.Labels(columns.Group))
            {
                if (!index.TryGetValue(label, out var u)) { u = index.Count; index[label] = u; }
                b.Add(u);
            }
            ids = b.MoveToImmutable();
            labels = index.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToImmutableArray();
        }
        var input = new RegressionInput(table, columns, y, cov, design, ids, labels) { Coding = coded.Coding };
        if (!requireY) return input;
        var p = design.ColumnCount;
        if (n <= p)
            return FinFail<RegressionInput>(Failure.Data($"{file}: {n} row(s) for {p} coefficient(s); a regression needs more rows than coefficients"));
        var singular = SingularDesign(design, coded.Coding);
        if (singular is not null) return FinFail<RegressionInput>(Failure.Data($"{file}: {singular}"));
        return input;
    }

    /// <summary>
    /// Null, or why y is an exact linear function of the design (pooled residual sum of squares at most
    /// 1e-20 of the total): then any estimated error variance collapses to zero and the likelihood is unbounded.
    /// The ratio does not depend on the units of y or of any covariate; y and every column are divided by a
    /// power of two near their largest magnitude first, so that data around 1e300 or 1e-300 do not
    /// overflow or underflow to a false "exact fit".
    /// </summary>
    public string? ExactFit()
    {
        var ey = UnitOf(Y);
        var yv = Vector<double>.Build.DenseOfEnumerable(Y).Map(v => Math.ScaleB(v, -ey));
        var X = Design.Clone();
        for (var j = 0; j < X.ColumnCount; j++)
        {
            var e = UnitOf(X.Column(j));
            X.SetColumn(j, X.Column(j).Map(v => Math.ScaleB(v, -e)));
        }
        var r = yv - X * X.QR().Solve(yv);
        var mean = yv.Average();
        var tss = yv.Sum(v => (v - mean) * (v - mean)) + mean * mean * yv.Count;
        return r.DotProduct(r) <= 1e-20 * tss
            ? $"column {Columns.Y} is an exact linear function of {string.Join(", ", Coefficients)} (residual variance 0), so the error variance cannot be estimated; use --variance fixed=v"
            : null;
    }

    /// <summary>The exponent of a power of two near the largest magnitude of the values (0 when they are all 0).</summary>
    private static int UnitOf(IEnumerable<double> values)
    {
        var max = values.Select(Math.Abs).DefaultIfEmpty(0.0).Max();
        return max > 0 && double.IsFinite(max) ? Math.ILogB(max) : 0;
    }

    /// <summary>||x||_2 without overflow or underflow: m sqrt(sum (x / m)^2), m a power of two near max |x|.</summary>
    private static double Norm(Vector<double> x)
    {
        var e = UnitOf(x);
        return Math.ScaleB(Math.Sqrt(x.Sum(v => Math.ScaleB(v, -e) * Math.ScaleB(v, -e))), e);
    }

    /// <summary>Why X'X is singular (a constant or collinear column), or null when it is not.</summary>
    private static string? SingularDesign(Matrix<double> X, DesignCoding coding)
    {
        var names = coding.Coefficients;
        // scale columns to unit norm so the pivot test does not depend on units
        var norms = Enumerable.Range(0, X.ColumnCount).Select(j => Norm(X.Column(j))).ToArray();
        for (var j = 0; j < norms.Length; j++)
            if (!(norms[j] > 0)) return $"column {names[j]} is zero in every row (its coefficient is not identified)";
        var Xs = Matrix<double>.Build.Dense(X.RowCount, X.ColumnCount, (i, j) => X[i, j] / norms[j]);
        if (WeightedLeastSquares.TryCholesky(Xs.TransposeThisAndMultiply(Xs)) is not null) return null;
        if (coding.Intercept)
            for (var j = 1; j < X.ColumnCount; j++)
            {
                var c = X.Column(j);
                if (c.Maximum() - c.Minimum() == 0) return $"column {names[j]} is constant (it duplicates the intercept; drop it or use --no-intercept)";
            }
        return $"the columns {string.Join(", ", coding.Names)} are collinear (the design matrix X'X is singular); drop a redundant column";
    }
}
