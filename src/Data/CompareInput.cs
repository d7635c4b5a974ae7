using System.Collections.Immutable;
using LanguageExt;
using Mixtures.Domain.Comparison;
using static LanguageExt.Prelude;

namespace Mixtures.Data;

/// <summary>The columns of <c>mixtures compare</c>: the response, the covariates and an optional known segment.</summary>
public sealed record CompareColumns(string Y, ImmutableArray<string> X, string? Segment)
{
    /// <summary>Coefficient names when every covariate is numeric: "(Intercept)" (R's name), then the covariates
    /// (with categorical covariates, <see cref="CompareInput.Coefficients"/>).</summary>
    public ImmutableArray<string> Coefficients => X.Insert(0, "(Intercept)");

    /// <summary>Parses --y, --x (comma list) and --segment, checking that no column plays two roles.</summary>
    public static Fin<CompareColumns> Parse(string? y, string? x, string? segment)
    {
        var xs = (x ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToImmutableArray();
        var yy = y?.Trim();
        var seg = segment?.Trim();
        var problems = new List<string>();
        if (string.IsNullOrEmpty(yy)) problems.Add("--y: give the response column");
        if (xs.Length == 0) problems.Add("--x: give at least one covariate column (e.g. --x tenure,spend)");
        var dup = xs.GroupBy(c => c, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) problems.Add($"--x: column '{dup.Key}' is listed twice");
        if (!string.IsNullOrEmpty(yy) && xs.Contains(yy, StringComparer.OrdinalIgnoreCase)) problems.Add($"--x: '{yy}' is the response (--y)");
        if (segment is not null && string.IsNullOrEmpty(seg)) problems.Add("--segment: give a column name");
        else if (seg is not null && (string.Equals(seg, yy, StringComparison.OrdinalIgnoreCase) || xs.Contains(seg, StringComparer.OrdinalIgnoreCase)))
            problems.Add($"--segment: '{seg}' is also used as --y or --x");
        return problems.Count > 0
            ? FinFail<CompareColumns>(Failure.Usage(string.Join("; ", problems)))
            : new CompareColumns(yy!, xs, seg);
    }
}

/// <summary>A validated comparison data set read from a file.</summary>
/// <param name="Table">The columns as read (file, separator, file lines of the rows).</param>
/// <param name="Columns">The roles of the columns.</param>
/// <param name="Data">Responses, coded covariates (categorical ones as dummies) and known segments.</param>
public sealed record CompareInput(DataTable Table, CompareColumns Columns, ComparisonData Data)
{
    private readonly DesignCoding? coding;

    /// <summary>How the covariate columns became the covariates of <see cref="Data"/> (every column numeric unless set).</summary>
    public DesignCoding Coding
    {
        get => coding ?? DesignCoding.Numeric(Columns.X, intercept: true);
        init => coding = value;
    }

    /// <summary>Coefficient names: "(Intercept)" (R's name), then each numeric covariate and each dummy of a categorical one.</summary>
    public ImmutableArray<string> Coefficients => Coding.Coefficients;

    /// <summary>The path as given.</summary>
    public string File => Table.File;

    /// <summary>Reads the chosen columns (numbers for y, numbers or text for x as their cells say, labels for the segment);
    /// a covariate none of whose cells is a number, or one <paramref name="covariates"/> names, is coded as dummies.
    /// Errors name file, row and column.</summary>
    public static Fin<CompareInput> Read(string path, CompareColumns columns, char? separator = null, NumberCells? numbers = null, CovariateOptions? covariates = null)
    {
        var forced = covariates ?? CovariateOptions.None;
        var text = (columns.Segment is null ? [] : new[] { columns.Segment }).Concat(columns.X.Where(forced.IsForced)).ToList();
        return from table in DataTableCsv.Read(path, new TableRequest([columns.Y], text.Count == 0 ? null : text, Separator: separator, Numbers: numbers,
                   Covariates: columns.X.Where(x => !forced.IsForced(x)).ToList()))
               from input in FromTable(table, columns, forced, numbers)
               select input;
    }

    /// <summary>The comparison data from an already read table, its covariates coded by <see cref="DesignCoding.Fit"/>.</summary>
    public static Fin<CompareInput> FromTable(DataTable table, CompareColumns columns, CovariateOptions? covariates = null, NumberCells? numbers = null) =>
        from coded in DesignCoding.Fit(RegressionInput.CovariateColumns(table, columns.X), intercept: true, (covariates ?? CovariateOptions.None).References,
            table.File, numbers, table.Rows)
        select new CompareInput(table, columns,
            ComparisonData.WithLabels(table.Column(columns.Y), coded.Covariates, columns.Segment is null ? null : table.Labels(columns.Segment)))
        {
            Coding = coded.Coding,
        };
}
