using System.Collections.Immutable;
using LanguageExt;
using Mixtures.Domain.Regression;
using static LanguageExt.Prelude;

namespace Mixtures.Data;

/// <summary>The columns of a GLM mixture beyond those of a regression: the offset (Poisson) and the trials (binomial).</summary>
/// <param name="Response">The response distribution.</param>
/// <param name="Offset">The offset column (added to the linear predictor as it is: give log exposure), or null.</param>
/// <param name="Trials">The column of binomial trials n_i, or null (0/1 responses).</param>
public sealed record GlmColumns(GlmResponse Response, string? Offset, string? Trials)
{
    /// <summary>The extra numeric columns to read.</summary>
    public ImmutableArray<string> Extra => [.. new[] { Offset, Trials }.OfType<string>()];
}

/// <summary>A validated GLM regression data set read from a file: the regression part (y, design, groups) and the
/// offsets and trials, checked row by row against the response distribution.</summary>
/// <param name="Regression">y, covariates, design and groups, as for a linear regression.</param>
/// <param name="Glm">The family and its extra columns.</param>
/// <param name="Offset">The offset of every row (empty without an offset column).</param>
/// <param name="Trials">The trials of every row (empty without a trials column).</param>
public sealed record GlmInput(RegressionInput Regression, GlmColumns Glm, ImmutableArray<double> Offset, ImmutableArray<double> Trials)
{
    /// <summary>The path as given.</summary>
    public string File => Regression.File;

    /// <summary>The data of the estimation (<see cref="GlmData"/>), checked.</summary>
    public Fin<GlmData> Data() =>
        GlmData.Of(Glm.Response, Regression.Y, Regression.Design, Offset.IsDefaultOrEmpty ? null : Offset, Trials.IsDefaultOrEmpty ? null : Trials,
            Regression.GroupIds is { } g ? g : null).Match(Succ: d => d, Fail: e => FinFail<GlmData>(Failure.Data($"{File}: {e.Message}")));

    /// <summary>Checks the column choice: an offset only for Poisson, trials only for binomial, neither named twice.</summary>
    public static Fin<GlmColumns> Parse(GlmResponse response, string? offset, string? trials, RegressionColumns columns)
    {
        var problems = new List<string>();
        if (offset is not null && response != GlmResponse.Poisson) problems.Add($"--offset is for --family poisson (not {response.Name()})");
        if (trials is not null && response != GlmResponse.Binomial) problems.Add($"--trials is for --family binomial (not {response.Name()})");
        var used = new List<string> { columns.Y };
        used.AddRange(columns.X);
        if (columns.Group is not null) used.Add(columns.Group);
        foreach (var (option, name) in new[] { ("--offset", offset), ("--trials", trials) })
        {
            if (name is null) continue;
            if (string.IsNullOrWhiteSpace(name)) problems.Add($"{option}: give a column name");
            else if (used.Contains(name.Trim(), StringComparer.OrdinalIgnoreCase)) problems.Add($"{option}: '{name.Trim()}' is also used as --y, --x, --group or another option");
            else used.Add(name.Trim());
        }
        return problems.Count > 0
            ? FinFail<GlmColumns>(Failure.Usage(string.Join("; ", problems)))
            : new GlmColumns(response, offset?.Trim(), trials?.Trim());
    }

    /// <summary>Reads the chosen columns of a delimited file and checks every response: Poisson counts whole numbers
    /// &gt;= 0, binomial successes whole numbers in 0..trials (0/1 without a trials column), trials whole numbers &gt;= 1.
    /// A bad value is one line naming the file, the row (the file's line) and the column.</summary>
    /// <param name="path">The file.</param>
    /// <param name="columns">The regression's columns.</param>
    /// <param name="glm">The offset and trials columns.</param>
    /// <param name="separator">The separator, or null to detect it.</param>
    /// <param name="dropMissing">Drop rows with a missing value in a chosen column instead of failing.</param>
    /// <param name="numbers">How number cells are read.</param>
    /// <param name="covariates">Which covariates are categorical and their reference levels.</param>
    /// <param name="concomitant">Concomitant columns read as well (numbers or text as their cells say), so that
    /// <paramref name="dropMissing"/> drops rows with a missing concomitant value too.</param>
    /// <param name="weights">An observation-weights column read with them (see <see cref="WeightColumn"/>), or null.</param>
    public static Fin<GlmInput> Read(string path, RegressionColumns columns, GlmColumns glm, char? separator, bool dropMissing, NumberCells? numbers = null,
        CovariateOptions? covariates = null, IReadOnlyList<string>? concomitant = null, string? weights = null)
    {
        var request = ConcomitantColumns.Request(columns, concomitant ?? [], separator, dropMissing, numbers ?? NumberCells.Point, covariates);
        return from table in DataTableCsv.Read(path, request with { Numeric = [.. request.Numeric, .. glm.Extra, .. weights is null ? [] : new[] { weights }] })
               from input in FromTable(table, columns, glm, requireY: true, covariates, numbers: numbers)
               select input;
    }

    /// <summary>The GLM input of a table (<paramref name="requireY"/> false for prediction rows without responses).</summary>
    /// <param name="table">The table read.</param>
    /// <param name="columns">The regression's columns.</param>
    /// <param name="glm">The offset and trials columns.</param>
    /// <param name="requireY">Whether the response must be present.</param>
    /// <param name="covariates">Which covariates are categorical and their reference levels.</param>
    /// <param name="coding">A fitted model's coding of the covariates (for prediction rows), or null to make one.</param>
    /// <param name="numbers">How number cells were read (for messages about categorical columns).</param>
    public static Fin<GlmInput> FromTable(DataTable table, RegressionColumns columns, GlmColumns glm, bool requireY, CovariateOptions? covariates = null,
        DesignCoding? coding = null, NumberCells? numbers = null)
    {
        var file = table.File;
        var offset = glm.Offset is not null && table.Has(glm.Offset) ? table.Column(glm.Offset).ToImmutableArray() : [];
        var trials = glm.Trials is not null && table.Has(glm.Trials) ? table.Column(glm.Trials).ToImmutableArray() : [];
        var hasY = requireY || table.Has(columns.Y);
        if (hasY)
        {
            var y = table.Column(columns.Y);
            for (var i = 0; i < table.Rows; i++)
                if (GlmData.ResponseProblem(glm.Response, y[i], trials.IsDefaultOrEmpty ? null : trials[i]) is { } why)
                    return FinFail<GlmInput>(Failure.Data($"{file}: row {table.Lines[i]}, column {(why.Column == "y" ? columns.Y : glm.Trials)}: {why.Reason}"));
        }
        if (!trials.IsDefaultOrEmpty)
            for (var i = 0; i < table.Rows; i++)
                if (GlmData.ResponseProblem(GlmResponse.Binomial, 0, trials[i]) is { } why)
                    return FinFail<GlmInput>(Failure.Data($"{file}: row {table.Lines[i]}, column {glm.Trials}: {why.Reason}"));
        return from reg in RegressionInput.FromTable(table, columns, requireY, covariates, coding, numbers)
               select new GlmInput(reg, glm, offset, trials);
    }
}
