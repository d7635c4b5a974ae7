using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;

namespace Mixtures.Data;

/// <summary>What to take from a delimited file with a header.</summary>
/// <param name="Numeric">Columns that must hold finite numbers.</param>
/// <param name="Text">Columns read as labels (e.g. a group or segment column); empty cells are missing.</param>
/// <param name="OptionalNumeric">Numeric columns used when present (e.g. y in <c>predict</c>).</param>
/// <param name="Separator">The separator, or null to detect it (, ; tab |).</param>
/// <param name="DropMissing">Drop rows with a missing or non-numeric value in a requested column instead of failing.</param>
/// <param name="Numbers">How numbers are written (decimal point by default; <see cref="NumberCells.Comma"/> for --decimal-comma).</param>
/// <param name="Covariates">Columns read as numbers or as text depending on their cells (covariates, which may be
/// categorical): a column none of whose non-empty cells is a number (nor a number written with the other decimal
/// separator) is read as text, into <see cref="DataTable.TextColumns"/>; every other one as numbers, into
/// <see cref="DataTable.NumericColumns"/>, where a text cell is then a non-numeric value (an error naming its row, or a
/// row dropped with <see cref="DropMissing"/>). The kind is decided from every row of the file, also the dropped ones.
/// Empty cells are missing in both kinds.</param>
public sealed record TableRequest(
    IReadOnlyList<string> Numeric,
    IReadOnlyList<string>? Text = null,
    IReadOnlyList<string>? OptionalNumeric = null,
    char? Separator = null,
    bool DropMissing = false,
    NumberCells? Numbers = null,
    IReadOnlyList<string>? Covariates = null);

/// <summary>The requested columns of a delimited file, validated.</summary>
/// <param name="File">The path as given.</param>
/// <param name="Separator">The separator used (detected or given).</param>
/// <param name="Header">Every column name of the file.</param>
/// <param name="NumericColumns">Names of the numeric columns in <paramref name="Values"/> (requested, then covariates read as numbers, then optional ones present).</param>
/// <param name="Values">n x m values of <paramref name="NumericColumns"/>.</param>
/// <param name="TextColumns">Names of the label columns (requested as text), then of the <see cref="TableRequest.Covariates"/> read as text.</param>
/// <param name="TextValues">Per label column, its n values.</param>
/// <param name="Lines">The file line of each kept row (the header is line 1).</param>
/// <param name="DroppedRows">Rows dropped by <c>--drop-missing</c>.</param>
public sealed record DataTable(
    string File,
    char Separator,
    ImmutableArray<string> Header,
    ImmutableArray<string> NumericColumns,
    Matrix<double> Values,
    ImmutableArray<string> TextColumns,
    ImmutableArray<ImmutableArray<string>> TextValues,
    ImmutableArray<int> Lines,
    int DroppedRows)
{
    /// <summary>Number of data rows kept.</summary>
    public int Rows => Values.RowCount;

    /// <summary>The values of a numeric column.</summary>
    public double[] Column(string name)
    {
        var j = NumericColumns.IndexOf(name);
        if (j < 0) throw new ArgumentException($"column {name} was not read");
        return Values.Column(j).ToArray();
    }

    /// <summary>Whether a numeric column was read (an optional one may be absent, a covariate read as text).</summary>
    public bool Has(string name) => NumericColumns.Contains(name);

    /// <summary>Whether a label column was read (a covariate read as text is one).</summary>
    public bool HasText(string name) => TextColumns.Contains(name);

    /// <summary>The values of a label column.</summary>
    public ImmutableArray<string> Labels(string name)
    {
        var j = TextColumns.IndexOf(name);
        if (j < 0) throw new ArgumentException($"column {name} was not read");
        return TextValues[j];
    }

    /// <summary>Printable name of the separator.</summary>
    public string SeparatorName => NameOf(Separator);

    /// <summary>Printable name of a separator character.</summary>
    public static string NameOf(char separator) => separator switch { '\t' => "tab", ',' => "comma", ';' => "semicolon", '|' => "pipe", _ => $"'{separator}'" };
}
