using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Data;

/// <summary>A named covariate column handed to <see cref="DesignCoding"/>: its n numbers, or its n cell texts.</summary>
/// <param name="Name">The column's name.</param>
public abstract record CovariateColumn(string Name)
{
    /// <summary>Number of rows, n.</summary>
    public abstract int Rows { get; }

    /// <summary>A column of numbers: one design column, its values as they are.</summary>
    /// <param name="Name">The column's name.</param>
    /// <param name="Values">The n values.</param>
    public sealed record Numeric(string Name, IReadOnlyList<double> Values) : CovariateColumn(Name)
    {
        /// <inheritdoc/>
        public override int Rows => Values.Count;
    }

    /// <summary>A categorical column: its cells as text (trimmed, never empty), coded as dummies.</summary>
    /// <param name="Name">The column's name.</param>
    /// <param name="Cells">The n cell texts.</param>
    public sealed record Text(string Name, IReadOnlyList<string> Cells) : CovariateColumn(Name)
    {
        /// <inheritdoc/>
        public override int Rows => Cells.Count;
    }
}

/// <summary>
/// How a list of covariate columns, some numeric and some text, becomes the columns of a design matrix, as R's
/// <c>model.matrix</c> does with the default treatment contrasts: a numeric column is one column as it is; a
/// categorical column with L levels is L - 1 dummy columns (<see cref="CategoricalCoding"/>), in the order of the
/// columns. <see cref="Fit"/> makes the coding from the data (levels, reference levels) and applies it;
/// <see cref="Apply"/> applies a stored coding to new data (<c>predict</c>). Every function here is pure.
/// </summary>
/// <param name="Columns">The covariate columns in order (the <c>--x</c> list).</param>
/// <param name="Categorical">The coding of each categorical column, in the order of <paramref name="Columns"/>;
/// the other columns are numeric.</param>
/// <param name="Intercept">Whether the design has an intercept column of ones first (it changes the coding:
/// without one, the first categorical column gets a dummy for every level).</param>
/// <example>
/// <code>
/// var coded = DesignCoding.Fit([new CovariateColumn.Numeric("x", [0.5, 1.5, 2.5]),
///                                new CovariateColumn.Text("region", ["west", "north", "south"])], intercept: true).Value();
/// // coded.Coding.Coefficients: (Intercept), x, regionsouth, regionwest
/// // coded.Covariates: [[0.5, 0, 1], [1.5, 0, 0], [2.5, 1, 0]]; coded.Design adds the column of ones
/// </code>
/// </example>
public sealed record DesignCoding(ImmutableArray<string> Columns, ImmutableArray<CategoricalCoding> Categorical, bool Intercept)
{
    /// <summary>R's name of the intercept coefficient.</summary>
    public const string InterceptName = "(Intercept)";

    /// <summary>The coding of numeric columns only (each column is one design column).</summary>
    public static DesignCoding Numeric(IEnumerable<string> columns, bool intercept) => new(columns.ToImmutableArray(), [], intercept);

    /// <summary>The coding of a column when it is categorical, or null (numeric). Names are compared ignoring case,
    /// as the readers look columns up.</summary>
    public CategoricalCoding? Of(string column) =>
        Categorical.FirstOrDefault(c => string.Equals(c.Column, column, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether a column is categorical in this coding.</summary>
    public bool IsCategorical(string column) => Of(column) is not null;

    /// <summary>The names of the design columns without the intercept: a numeric column's name, a categorical
    /// column's dummies (<c>x</c>, <c>regionsouth</c>, <c>regionwest</c>).</summary>
    public ImmutableArray<string> Names => Columns.SelectMany(c => Of(c) is { } cat ? cat.Names.AsEnumerable() : [c]).ToImmutableArray();

    /// <summary>The coefficient names, R's: <c>(Intercept)</c> when there is one, then <see cref="Names"/>.</summary>
    public ImmutableArray<string> Coefficients => Intercept ? Names.Insert(0, InterceptName) : Names;

    /// <summary>For each design column without the intercept (each of <see cref="Names"/>), the index in
    /// <see cref="Columns"/> of the column it comes from.</summary>
    public ImmutableArray<int> Sources => Columns.SelectMany((c, j) => Enumerable.Repeat(j, Of(c) is { } cat ? cat.Coded.Length : 1)).ToImmutableArray();

    /// <summary>Whether some column is categorical.</summary>
    public bool HasCategorical => Categorical.Length > 0;

    private static string At(string? source) => source is null ? "" : source + ": ";

    /// <summary>
    /// A coding from its parts (as read back from a model file), checked: distinct column names, every categorical
    /// column among them, 2 to <see cref="CategoricalCoding.MaxLevels"/> distinct non-empty levels, the reference one
    /// of them, and null exactly for the first categorical column of a design without intercept; no two design
    /// columns with the same name (compared as R compares names: case matters, so levels B and b give dummies gB and gb). Errors are data errors (65) prefixed by <paramref name="source"/>.
    /// </summary>
    public static Fin<DesignCoding> Create(IEnumerable<string> columns, IEnumerable<CategoricalCoding> categorical, bool intercept, string? source = null)
    {
        Fin<DesignCoding> Bad(string what) => FinFail<DesignCoding>(Failure.Data(At(source) + what));
        var cols = columns.ToImmutableArray();
        var cats = categorical.ToList();
        if (cols.Any(string.IsNullOrWhiteSpace)) return Bad("a covariate column has no name");
        if (cols.GroupBy(c => c, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } dup)
            return Bad($"the covariate column '{dup.Key}' is listed twice");
        var ordered = new List<CategoricalCoding>();
        foreach (var c in cats)
        {
            var j = cols.IndexOf(c.Column);
            if (j < 0) j = cols.ToList().FindIndex(x => string.Equals(x, c.Column, StringComparison.OrdinalIgnoreCase));
            if (j < 0) return Bad($"the categorical column '{c.Column}' is not one of the covariates ({string.Join(", ", cols)})");
            if (cats.Count(o => string.Equals(o.Column, c.Column, StringComparison.OrdinalIgnoreCase)) > 1) return Bad($"column {c.Column} is coded twice");
            if (c.Levels.IsDefault || c.Levels.Length < 2) return Bad($"column {c.Column}: a categorical covariate needs at least two levels");
            if (c.Levels.Length > CategoricalCoding.MaxLevels) return Bad($"column {c.Column}: {c.Levels.Length} levels, more than the {CategoricalCoding.MaxLevels} allowed");
            if (c.Levels.Any(l => l is null || l.Length == 0 || l.Trim() != l)) return Bad($"column {c.Column}: a level is empty or has surrounding spaces");
            if (c.Levels.Distinct(StringComparer.Ordinal).Count() != c.Levels.Length) return Bad($"column {c.Column}: a level is listed twice");
            if (c.Reference is not null && !c.Knows(c.Reference)) return Bad($"column {c.Column}: the reference level '{c.Reference}' is not one of its levels ({c.LevelList})");
            ordered.Add(c with { Column = cols[j] });
        }
        ordered = ordered.OrderBy(c => cols.IndexOf(c.Column)).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            var full = !intercept && i == 0;
            if (full && ordered[i].Reference is not null)
                return Bad($"column {ordered[i].Column}: without an intercept the first categorical column has a dummy for every level (no reference level)");
            if (!full && ordered[i].Reference is null)
                return Bad($"column {ordered[i].Column}: a categorical column needs a reference level (only the first one in a design without intercept has none)");
        }
        var coding = new DesignCoding(cols, ordered.ToImmutableArray(), intercept);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        if (intercept) seen[InterceptName] = "the intercept";
        foreach (var (name, j) in coding.Names.Zip(coding.Sources))
        {
            var from = coding.Of(cols[j]) is null ? $"column {cols[j]}" : $"the dummy {name} of column {cols[j]}";
            if (seen.TryGetValue(name, out var other))
                return Bad($"{from} has the name of {other} ({name}); rename a column or a level so that every coefficient has its own name");
            seen[name] = from;
        }
        return coding;
    }

    /// <summary>
    /// The coding of the columns, made from their data, and the design columns it gives: the pure function every
    /// command reading covariates calls (<c>regress --x</c>, <c>compare --x</c>; concomitant variables alike).
    /// A <see cref="CovariateColumn.Text"/> column is categorical: its levels are the distinct cell texts, in
    /// <see cref="CategoricalCoding.Order"/>; the reference is the first level unless <paramref name="references"/>
    /// names another; each other level is a 0/1 dummy named column + level. Without an intercept the first categorical
    /// column gets a dummy for every level (R's coding of <c>~ 0 + f</c>), so it takes no reference.
    /// </summary>
    /// <param name="columns">The covariate columns, all with the same number of rows.</param>
    /// <param name="intercept">Whether the design will have an intercept (see <see cref="Intercept"/>).</param>
    /// <param name="references">Chosen reference levels by column name (names compared ignoring case, levels as text).</param>
    /// <param name="source">What to name in messages, usually the file (messages then read "file: column c: ...").</param>
    /// <param name="numbers">How numbers are written, to order the levels of a column of numbers numerically.</param>
    /// <param name="rows">The number of rows; needed only when there are no columns (a design of the intercept alone).</param>
    /// <returns>The coding and the n x <see cref="Names"/> covariate matrix (without the intercept column); or a
    /// usage error (64) for a reference naming a column that is not categorical or an unknown level (the levels are
    /// listed), or a data error (65) for a categorical column with one level, with more than
    /// <see cref="CategoricalCoding.MaxLevels"/>, with an empty cell, or whose dummy's name is taken.</returns>
    public static Fin<CodedCovariates> Fit(IReadOnlyList<CovariateColumn> columns, bool intercept,
        IReadOnlyDictionary<string, string>? references = null, string? source = null, NumberCells? numbers = null, int? rows = null)
    {
        var at = At(source);
        if (columns.Select(c => c.Rows).Distinct().Count() > 1)
            return FinFail<CodedCovariates>(Failure.Data($"{at}the covariate columns have different numbers of rows"));
        var refs = references ?? new Dictionary<string, string>();
        var names = columns.Select(c => c.Name).ToList();
        foreach (var (col, level) in refs)
        {
            var column = columns.FirstOrDefault(c => string.Equals(c.Name, col, StringComparison.OrdinalIgnoreCase));
            if (column is null)
                return FinFail<CodedCovariates>(Failure.Usage($"{at}--reference {col}={level}: column {col} is not one of the covariates ({string.Join(", ", names)})"));
            if (column is CovariateColumn.Numeric)
                return FinFail<CodedCovariates>(Failure.Usage(
                    $"{at}--reference {col}={level}: column {column.Name} holds numbers, so it has no levels (add --categorical {column.Name} to code it as categorical)"));
        }
        var codings = new List<CategoricalCoding>();
        foreach (var column in columns.OfType<CovariateColumn.Text>())
        {
            var distinct = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < column.Cells.Count; i++)
            {
                var cell = column.Cells[i]?.Trim() ?? "";
                if (cell.Length == 0) return FinFail<CodedCovariates>(Failure.Data($"{at}column {column.Name}: row {i + 1} is empty (a missing value)"));
                distinct.Add(cell);
            }
            if (distinct.Count > CategoricalCoding.MaxLevels)
                return FinFail<CodedCovariates>(Failure.Data(
                    $"{at}column {column.Name}: {distinct.Count} distinct values, but a categorical covariate may have at most {CategoricalCoding.MaxLevels} levels " +
                    "(is it an identifier? rows that share a class are grouped with --group)"));
            if (distinct.Count < 2)
                return FinFail<CodedCovariates>(Failure.Data(distinct.Count == 0
                    ? $"{at}column {column.Name}: no rows"
                    : $"{at}column {column.Name}: every row has the same value '{distinct.First()}', so as a categorical covariate it has nothing to contrast (it needs at least two levels)"));
            var levels = CategoricalCoding.Order(distinct, numbers);
            var full = !intercept && codings.Count == 0;
            var chosen = refs.FirstOrDefault(kv => string.Equals(kv.Key, column.Name, StringComparison.OrdinalIgnoreCase));
            string? reference = levels[0];
            if (chosen.Key is not null)
            {
                var level = chosen.Value.Trim();
                if (full)
                    return FinFail<CodedCovariates>(Failure.Usage(
                        $"{at}--reference {chosen.Key}={chosen.Value}: without an intercept the first categorical column, {column.Name}, gets a dummy for every level (as in R), so it has no reference level"));
                if (!levels.Contains(level))
                    return FinFail<CodedCovariates>(Failure.Usage(
                        $"{at}--reference {chosen.Key}={chosen.Value}: column {column.Name} has no level '{level}' (its levels: {string.Join(", ", levels)})"));
                reference = level;
            }
            codings.Add(new CategoricalCoding(column.Name, levels, full ? null : reference));
        }
        return from coding in Create(names, codings, intercept, source)
               from covariates in coding.Apply(columns, rows)
               select new CodedCovariates(coding, covariates);
    }

    /// <summary>
    /// The n x <see cref="Names"/> covariate matrix (without the intercept column) of new data under this coding:
    /// numeric columns as they are, each categorical column as its dummies. Columns are found by name (ignoring case).
    /// A cell of a level the coding does not know is a <see cref="RowValueError"/> naming the row (0-based, among
    /// the given rows), the column and the known levels. <paramref name="rows"/> is needed only when there are no columns.
    /// </summary>
    public Fin<Matrix<double>> Apply(IReadOnlyList<CovariateColumn> columns, int? rows = null)
    {
        var n = columns.Count > 0 ? columns[0].Rows : rows ?? 0;
        var width = Names.Length;
        var values = new double[(long)n * width];
        var at = 0;
        foreach (var name in Columns)
        {
            var column = columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
            if (column is null) return FinFail<Matrix<double>>(Failure.Data($"column {name} is missing"));
            if (column.Rows != n) return FinFail<Matrix<double>>(Failure.Data("the covariate columns have different numbers of rows"));
            var cat = Of(name);
            switch (column, cat)
            {
                case (CovariateColumn.Numeric num, null):
                    var target = values.AsSpan((int)((long)at * n), n);
                    if (num.Values is ArraySegment<double> segment) segment.AsSpan().CopyTo(target);
                    else if (num.Values is double[] array) array.AsSpan(0, n).CopyTo(target);
                    else for (var i = 0; i < n; i++) target[i] = num.Values[i];
                    at++;
                    break;
                case (CovariateColumn.Text text, { } coding):
                    var index = coding.Coded.Select((l, j) => (l, j)).ToDictionary(t => t.l, t => t.j, StringComparer.Ordinal);
                    for (var i = 0; i < n; i++)
                    {
                        var cell = text.Cells[i]?.Trim() ?? "";
                        if (index.TryGetValue(cell, out var j)) values[(long)(at + j) * n + i] = 1;
                        else if (!string.Equals(cell, coding.Reference, StringComparison.Ordinal))
                            return FinFail<Matrix<double>>(new RowValueError(i, name, cell.Length == 0
                                ? "missing value"
                                : $"'{Shown(cell)}' is not one of the levels of {name} the model was fitted with ({coding.LevelList})"));
                    }
                    at += coding.Coded.Length;
                    break;
                case (CovariateColumn.Numeric, { }):
                    return FinFail<Matrix<double>>(Failure.Data($"column {name} is categorical in the coding but was given as numbers"));
                default:
                    return FinFail<Matrix<double>>(Failure.Data($"column {name} is numeric in the coding but was given as text"));
            }
        }
        return Matrix<double>.Build.Dense(n, width, values);
    }

    private static string Shown(string cell) => cell.Length > 40 ? cell[..40] + "..." : cell;
}

/// <summary>Covariates coded for a design: the coding and the covariate matrix it gave.</summary>
/// <param name="Coding">The coding (columns, levels, references, intercept).</param>
/// <param name="Covariates">n x <see cref="DesignCoding.Names"/> covariates, without the intercept column.</param>
public sealed record CodedCovariates(DesignCoding Coding, Matrix<double> Covariates)
{
    /// <summary>The n x p design: the intercept column of ones when <see cref="DesignCoding.Intercept"/>, then the covariates.</summary>
    public Matrix<double> Design => LatentClassRegression.Design(Covariates, Coding.Intercept);

    /// <summary>The coefficient names of <see cref="Design"/>'s columns.</summary>
    public ImmutableArray<string> Coefficients => Coding.Coefficients;
}
