using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Data;

/// <summary>Concomitant variables of a regression file (<c>--concomitant</c>): columns that the class probabilities
/// depend on, one value per unit (per group with a group column, so constant within a group); a text column is
/// categorical, coded as treatment dummies as the covariates are (<see cref="DesignCoding.Fit"/>).</summary>
public static class ConcomitantColumns
{
    /// <summary>The comma-separated column names (none when <paramref name="text"/> is null), checked against the
    /// regression's own columns: a concomitant may not be the response, a covariate or the group.</summary>
    public static Fin<ImmutableArray<string>> Parse(string? text, RegressionColumns columns) =>
        Parse(text).Bind(names => Checked(names, columns));

    /// <summary>The comma-separated column names of <c>--concomitant</c> (none when <paramref name="text"/> is null), each at most
    /// once; a usage error (64) otherwise.</summary>
    public static Fin<ImmutableArray<string>> Parse(string? text)
    {
        if (text is null) return ImmutableArray<string>.Empty;
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToImmutableArray();
        if (names.Length == 0) return FinFail<ImmutableArray<string>>(Failure.Usage("--concomitant: give at least one column name"));
        var dup = names.GroupBy(c => c, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) return FinFail<ImmutableArray<string>>(Failure.Usage($"--concomitant: column '{dup.Key}' is listed twice"));
        return names;
    }

    private static Fin<ImmutableArray<string>> Checked(ImmutableArray<string> names, RegressionColumns columns)
    {
        var clash = names.FirstOrDefault(n => string.Equals(n, columns.Y, StringComparison.OrdinalIgnoreCase) || columns.X.Contains(n, StringComparer.OrdinalIgnoreCase)
                                               || string.Equals(n, columns.Group, StringComparison.OrdinalIgnoreCase));
        if (clash is not null) return FinFail<ImmutableArray<string>>(Failure.Usage($"--concomitant: '{clash}' is already used as --y, --x or --group"));
        return names;
    }

    /// <summary>The table request of a regression (covariates coded as <paramref name="covariates"/> says) with its
    /// concomitant columns too, numbers or text as their cells say (text when <paramref name="covariates"/> names them as
    /// categorical), so that <c>--drop-missing</c> drops rows with a missing concomitant value as well.</summary>
    public static TableRequest Request(RegressionColumns columns, IReadOnlyList<string> concomitant, char? separator, bool dropMissing, NumberCells numbers,
        CovariateOptions? covariates = null)
    {
        var forced = covariates ?? CovariateOptions.None;
        var request = RegressionInput.Request(columns, separator, dropMissing, covariates: forced);
        var text = (request.Text ?? []).Concat(concomitant.Where(forced.IsForced)).ToList();
        return request with
        {
            Text = text.Count == 0 ? null : text,
            Covariates = [.. request.Covariates ?? [], .. concomitant.Where(z => !forced.IsForced(z))],
            Numbers = numbers,
        };
    }

    /// <summary>The concomitant model of the regression's units (its <c>Model</c> is null without concomitant columns): an
    /// intercept and the columns, one row per unit, a text column (or one <paramref name="covariates"/> names) coded as
    /// treatment dummies by <see cref="DesignCoding.Fit"/> with the reference levels of <paramref name="covariates"/>. With a
    /// group column, a value that differs within a group is an error naming the file, row and column.</summary>
    public static Fin<Concomitant> Model(RegressionInput input, IReadOnlyList<string> names, CovariateOptions? covariates = null, NumberCells? numbers = null)
    {
        if (names.Count == 0) return new Concomitant(null);
        var table = input.Table;
        var columns = RegressionInput.CovariateColumns(table, names);
        var unitRow = new int[input.Units];
        System.Array.Fill(unitRow, -1);
        for (var i = 0; i < table.Rows; i++)
        {
            var u = input.GroupIds is { } g ? g[i] : i;
            if (unitRow[u] < 0) { unitRow[u] = i; continue; }
            foreach (var column in columns)
            {
                var (value, first) = column switch
                {
                    CovariateColumn.Numeric num => num.Values[i] == num.Values[unitRow[u]] ? (null, null)
                        : (num.Values[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture), num.Values[unitRow[u]].ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
                    CovariateColumn.Text text => string.Equals(text.Cells[i], text.Cells[unitRow[u]], StringComparison.Ordinal) ? (null, null)
                        : ($"'{text.Cells[i]}'", $"'{text.Cells[unitRow[u]]}'"),
                    _ => ((string?)null, (string?)null),
                };
                if (value is not null)
                    return FinFail<Concomitant>(Failure.Data(
                        $"{input.File}: row {table.Lines[i]}, column {column.Name}: {value} differs from {first} on row {table.Lines[unitRow[u]]} " +
                        $"of the same {input.Columns.Group}; a concomitant variable describes the whole group"));
            }
        }
        return Build(columns, unitRow, input.File, table.Rows, covariates, numbers);
    }

    /// <summary>The concomitant model of a table whose every row is a unit (<c>cluster --concomitant</c>, a store-attribute
    /// file): an intercept and the columns <paramref name="names"/> (numbers as they are, text as treatment dummies by
    /// <see cref="DesignCoding.Fit"/>), in the table's row order (<paramref name="unitRow"/>[u] is unit u's row when given).
    /// The <c>Model</c> is null without names.</summary>
    public static Fin<Concomitant> ForRows(DataTable table, IReadOnlyList<string> names, CovariateOptions? covariates = null, NumberCells? numbers = null,
        IReadOnlyList<int>? unitRow = null)
    {
        if (names.Count == 0) return new Concomitant(null);
        var rows = unitRow?.ToArray() ?? Enumerable.Range(0, table.Rows).ToArray();
        return Build(RegressionInput.CovariateColumns(table, names), rows, table.File, table.Rows, covariates, numbers);
    }

    /// <summary>The concomitant model coded from every row of the columns, one unit per entry of <paramref name="unitRow"/>.</summary>
    private static Fin<Concomitant> Build(IReadOnlyList<CovariateColumn> columns, int[] unitRow, string file, int rows, CovariateOptions? covariates, NumberCells? numbers) =>
        from coded in DesignCoding.Fit(columns, intercept: true, (covariates ?? CovariateOptions.None).References, file, numbers, rows)
        let Z = Matrix<double>.Build.Dense(unitRow.Length, coded.Covariates.ColumnCount, (u, j) => coded.Covariates[unitRow[u], j])
        select new Concomitant(ConcomitantWeights.WithIntercept(Z, coded.Coding.Names))
        {
            Coding = coded.Coding,
            Columns = [.. columns.Select(c => c.Name)],
            Variables = Variables(columns, unitRow, coded.Coding),
        };

    /// <summary>The concomitant variables per unit as read (numbers, or the index of each unit's level in the coding's levels).</summary>
    private static ImmutableArray<ConcomitantVariable> Variables(IReadOnlyList<CovariateColumn> columns, int[] unitRow, DesignCoding coding) =>
        [.. columns.Select(c => c switch
        {
            CovariateColumn.Numeric num => (ConcomitantVariable)new ConcomitantVariable.Numeric(c.Name, [.. unitRow.Select(r => num.Values[r])]),
            CovariateColumn.Text text when coding.Of(c.Name) is { } cat => new ConcomitantVariable.Categorical(c.Name, cat.Levels,
                [.. unitRow.Select(r => cat.Levels.IndexOf(text.Cells[r]?.Trim() ?? ""))]),
            _ => throw new ArgumentException($"column {c.Name} is text but not categorical in the coding"),
        })];

    /// <summary>
    /// The concomitant design of new data under a fitted coding (<c>predict</c>): an intercept and the coded columns, one row per
    /// unit (a unit's first row; every row a unit without <paramref name="groupIds"/>), named as <paramref name="terms"/> (the model's
    /// terms, the intercept first). A missing column, a non-numeric cell or a level the fit did not see is an error naming the
    /// file, row and column; a value that changes within a group (<paramref name="groupIds"/>) too.
    /// </summary>
    public static Fin<ConcomitantWeights> Apply(DataTable table, DesignCoding coding, IReadOnlyList<string> terms,
        IReadOnlyList<int>? groupIds = null, int? units = null, string? groupName = null)
    {
        var file = table.File;
        var columns = RegressionInput.CovariateColumns(table, coding.Columns);
        var n = units ?? table.Rows;
        var unitRow = new int[n];
        System.Array.Fill(unitRow, -1);
        for (var i = 0; i < table.Rows; i++)
        {
            var u = groupIds is null ? i : groupIds[i];
            if (unitRow[u] < 0) { unitRow[u] = i; continue; }
            foreach (var column in columns)
            {
                var differs = column switch
                {
                    CovariateColumn.Numeric num => num.Values[i] != num.Values[unitRow[u]],
                    CovariateColumn.Text text => !string.Equals(text.Cells[i], text.Cells[unitRow[u]], StringComparison.Ordinal),
                    _ => false,
                };
                if (differs)
                    return FinFail<ConcomitantWeights>(Failure.Data(
                        $"{file}: row {table.Lines[i]}, column {column.Name}: the value differs from row {table.Lines[unitRow[u]]} of the same {groupName}; a concomitant variable describes the whole group"));
            }
        }
        return coding.Apply(columns, table.Rows).Match(
            Succ: cov => terms.Count == cov.ColumnCount + 1
                ? Fin<ConcomitantWeights>.Succ(ConcomitantWeights.WithIntercept(
                    Matrix<double>.Build.Dense(n, cov.ColumnCount, (u, j) => cov[unitRow[u], j]), [.. terms.Skip(1)]))
                : FinFail<ConcomitantWeights>(Failure.Data($"{file}: the concomitant coding gives {cov.ColumnCount + 1} terms but the model has {terms.Count}")),
            Fail: e => FinFail<ConcomitantWeights>(e is RowValueError rv
                ? Failure.Data($"{file}: row {table.Lines[rv.Row]}, column {rv.Column}: {rv.Reason}")
                : Failure.Data($"{file}: {e.Message}")));
    }
}

/// <summary>The concomitant model of a regression, or null for one pi for every unit (a wrapper: a <see cref="Fin{A}"/> holds no null).</summary>
/// <param name="Model">The model, or null.</param>
public sealed record Concomitant(ConcomitantWeights? Model)
{
    /// <summary>How the concomitant columns were coded (their categorical levels and references), or null without concomitants.</summary>
    public DesignCoding? Coding { get; init; }

    /// <summary>The concomitant columns as named in the file, in order (empty without concomitants).</summary>
    public ImmutableArray<string> Columns { get; init; } = [];

    /// <summary>The concomitant variables per unit as read (for the class profiles' means and shares; empty without concomitants).</summary>
    public ImmutableArray<ConcomitantVariable> Variables { get; init; } = [];
}
