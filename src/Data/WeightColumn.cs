using LanguageExt;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Data;

/// <summary>
/// The observation weights of a data file (<c>--weights COL</c>): a numeric column, one weight per unit, so with a group
/// column the same on every row of a group. Weights are finite and &gt;= 0 with a positive sum (a unit of weight 0 is
/// left out of the fit); a bad value is one line naming the file, the row (the file's line) and the column.
/// </summary>
/// <remarks>The table reader already rejects a missing, non-numeric, NaN or infinite cell of the column (naming file, row
/// and column; <c>--drop-missing</c> drops such rows instead). flexmix's <c>weights = w</c> accepts whole numbers only;
/// here any non-negative real is a weight.</remarks>
public static class WeightColumn
{
    /// <summary>The column name (null without <c>--weights</c>), checked against the columns already in use
    /// (<paramref name="used"/>: the response, covariates, group, offset ...).</summary>
    public static Fin<WeightsColumn> Parse(string? name, IEnumerable<string> used)
    {
        if (name is null) return new WeightsColumn(null);
        if (string.IsNullOrWhiteSpace(name)) return FinFail<WeightsColumn>(Failure.Usage("--weights: give a column name"));
        var n = name.Trim();
        if (used.Any(u => string.Equals(u, n, StringComparison.OrdinalIgnoreCase)))
            return FinFail<WeightsColumn>(Failure.Usage($"--weights: '{n}' is already used as another column (--y, --x, --columns, --group, --offset, --trials or --concomitant)"));
        return new WeightsColumn(n);
    }

    /// <summary>
    /// The weights of the units from the numeric column <paramref name="column"/> of <paramref name="table"/> (null when
    /// <paramref name="column"/> is null): row i belongs to unit <c>unitOfRow[i]</c> (row i itself when
    /// <paramref name="unitOfRow"/> is null), and every row of a unit must carry the same weight (<paramref name="groupColumn"/>
    /// names the units in the message).
    /// </summary>
    public static Fin<UnitWeights> ForUnits(DataTable table, string? column, IReadOnlyList<int>? unitOfRow, int units, string? groupColumn)
    {
        if (column is null) return new UnitWeights(null);
        var file = table.File;
        var values = table.Column(column);
        var w = new double[units];
        var firstRow = new int[units];
        System.Array.Fill(firstRow, -1);
        for (var i = 0; i < table.Rows; i++)
        {
            var v = values[i];
            if (ObservationWeights.Problem(v) is { } why)
                return FinFail<UnitWeights>(Failure.Data($"{file}: row {table.Lines[i]}, column {column}: {why}"));
            var u = unitOfRow?[i] ?? i;
            if (firstRow[u] < 0) { firstRow[u] = i; w[u] = v; continue; }
            if (v != w[u])
                return FinFail<UnitWeights>(Failure.Data(
                    $"{file}: row {table.Lines[i]}, column {column}: weight {N(v)} differs from {N(w[u])} on row {table.Lines[firstRow[u]]} " +
                    $"of the same {groupColumn ?? "unit"}; a weight belongs to the whole group (give every row of a group the same weight)"));
        }
        return ObservationWeights.Of(w).Match(
            Succ: ok => Fin<UnitWeights>.Succ(new UnitWeights(ok)),
            Fail: e => FinFail<UnitWeights>(Failure.Data($"{file}: column {column}: {e.Message}")));
    }

    private static string N(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The weights column chosen with <c>--weights</c>, or none (a wrapper: a <see cref="Fin{A}"/> holds no null).</summary>
/// <param name="Name">The column name, or null.</param>
public sealed record WeightsColumn(string? Name);

/// <summary>The observation weights read for the units, or none (a wrapper: a <see cref="Fin{A}"/> holds no null).</summary>
/// <param name="Weights">The weights, or null without <c>--weights</c>.</param>
public sealed record UnitWeights(ObservationWeights? Weights);
