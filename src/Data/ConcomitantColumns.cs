using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Em;
using static LanguageExt.Prelude;

namespace Mixtures.Data;

/// <summary>Concomitant variables of a regression file (<c>--concomitant</c>): numeric columns that the class probabilities
/// depend on, one value per unit (per group with a group column, so constant within a group).</summary>
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
    /// concomitant columns read as numbers too (so that <c>--drop-missing</c> drops rows with a missing concomitant value as well).</summary>
    public static TableRequest Request(RegressionColumns columns, IReadOnlyList<string> concomitant, char? separator, bool dropMissing, NumberCells numbers,
        CovariateOptions? covariates = null)
    {
        var request = RegressionInput.Request(columns, separator, dropMissing, covariates: covariates);
        return request with { Numeric = [.. request.Numeric, .. concomitant], Numbers = numbers };
    }

    /// <summary>The concomitant model of the regression's units (its <c>Model</c> is null without concomitant columns): an
    /// intercept and the columns, one row per unit. With a group column, a value that differs within a group is an error
    /// naming the file, row and column.</summary>
    public static Fin<Concomitant> Model(RegressionInput input, IReadOnlyList<string> names)
    {
        if (names.Count == 0) return new Concomitant(null);
        var U = input.Units;
        var Z = Matrix<double>.Build.Dense(U, names.Count, double.NaN);
        var firstRow = new int[U];
        for (var j = 0; j < names.Count; j++)
        {
            var values = input.Table.Column(names[j]);
            for (var i = 0; i < values.Length; i++)
            {
                var u = input.GroupIds is { } g ? g[i] : i;
                if (double.IsNaN(Z[u, j])) { Z[u, j] = values[i]; firstRow[u] = i; }
                else if (Z[u, j] != values[i])
                    return FinFail<Concomitant>(Failure.Data(
                        $"{input.File}: row {input.Table.Lines[i]}, column {names[j]}: {values[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture)} differs from " +
                        $"{Z[u, j].ToString("R", System.Globalization.CultureInfo.InvariantCulture)} on row {input.Table.Lines[firstRow[u]]} of the same {input.Columns.Group}; a concomitant variable describes the whole group"));
            }
        }
        return new Concomitant(ConcomitantWeights.WithIntercept(Z, names));
    }
}

/// <summary>The concomitant model of a regression, or null for one pi for every unit (a wrapper: a <see cref="Fin{A}"/> holds no null).</summary>
/// <param name="Model">The model, or null.</param>
public sealed record Concomitant(ConcomitantWeights? Model);
