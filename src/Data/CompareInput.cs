using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Comparison;
using static LanguageExt.Prelude;

namespace Mixtures.Data;

/// <summary>The columns of <c>mixtures compare</c>: the response, the covariates and an optional known segment.</summary>
public sealed record CompareColumns(string Y, ImmutableArray<string> X, string? Segment)
{
    /// <summary>Coefficient names: "(Intercept)" (R's name), then the covariates.</summary>
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
/// <param name="Data">Responses, covariates and known segments.</param>
public sealed record CompareInput(DataTable Table, CompareColumns Columns, ComparisonData Data)
{
    /// <summary>The path as given.</summary>
    public string File => Table.File;

    /// <summary>Reads the chosen columns (numbers for y and x, labels for the segment); errors name file, row and column.</summary>
    public static Fin<CompareInput> Read(string path, CompareColumns columns, char? separator = null, NumberCells? numbers = null) =>
        from table in DataTableCsv.Read(path, new TableRequest([columns.Y, .. columns.X], columns.Segment is null ? null : [columns.Segment], Separator: separator, Numbers: numbers))
        select FromTable(table, columns);

    /// <summary>The comparison data from an already read table.</summary>
    public static CompareInput FromTable(DataTable table, CompareColumns columns)
    {
        var n = table.Rows;
        var cov = Matrix<double>.Build.Dense(n, columns.X.Length, (i, j) => table.Values[i, table.NumericColumns.IndexOf(columns.X[j])]);
        var data = ComparisonData.WithLabels(table.Column(columns.Y), cov, columns.Segment is null ? null : table.Labels(columns.Segment));
        return new CompareInput(table, columns, data);
    }
}
