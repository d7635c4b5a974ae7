using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Em;
using static LanguageExt.Prelude;

namespace Mixtures.Data;

/// <summary>Concomitant variables of a regression file (<c>--concomitant</c>): columns that the class probabilities
/// depend on, one value per unit (per group with a group column, so constant within a group); a text column is
/// categorical, coded as treatment dummies as the covariates are (<see cref="DesignCoding.Fit"/>).</summary>
public static class ConcomitantColumns
{
    /// <summary>The comma-separated column names (none when <paramref name="text"/> is null), checked against the
    /// regression's own columns: a concomitant may not be the response, a covariate or the group.</summary>
    public static Fin<ImmutableArray<string>> Parse(string? text, RegressionColumns columns)
    {
        if (text is null) return ImmutableArray<string>.Empty;
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToImmutableArray();
        if (names.Length == 0) return FinFail<ImmutableArray<string>>(Failure.Usage("--concomitant: give at least one column name"));
        var dup = names.GroupBy(c => c, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) return FinFail<ImmutableArray<string>>(Failure.Usage($"--concomitant: column '{dup.Key}' is listed twice"));
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
        return from coded in DesignCoding.Fit(columns, intercept: true, (covariates ?? CovariateOptions.None).References, input.File, numbers, table.Rows)
               let Z = Matrix<double>.Build.Dense(input.Units, coded.Covariates.ColumnCount, (u, j) => coded.Covariates[unitRow[u], j])
               select new Concomitant(ConcomitantWeights.WithIntercept(Z, coded.Coding.Names)) { Coding = coded.Coding };
    }
}

/// <summary>The concomitant model of a regression, or null for one pi for every unit (a wrapper: a <see cref="Fin{A}"/> holds no null).</summary>
/// <param name="Model">The model, or null.</param>
public sealed record Concomitant(ConcomitantWeights? Model)
{
    /// <summary>How the concomitant columns were coded (their categorical levels and references), or null without concomitants.</summary>
    public DesignCoding? Coding { get; init; }
}
