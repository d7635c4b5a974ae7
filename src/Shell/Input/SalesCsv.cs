using System.Collections.Immutable;
using System.Globalization;
using CsvHelper;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Input;

/// <summary>
/// Reads a sales file: comma-separated, header <c>Price,Store1,...,StoreN</c>, one row per week.
/// Rows are numbered as lines of the file (the header is row 1). Numbers have a decimal point; with
/// <see cref="NumberCells.Comma"/> (<c>--decimal-comma</c>) a decimal comma, and the separator is then
/// a semicolon unless given.
/// </summary>
public static class SalesCsv
{
    /// <summary>Fewest weeks accepted (two coefficients and at least one residual degree of freedom).</summary>
    public const int MinWeeks = 3;

    public static Fin<SalesInput> Read(string path) => Read(path, null, NumberCells.Point);

    /// <summary>Reads a sales file with the given separator (null: comma, or semicolon with decimal commas) and number format.</summary>
    public static Fin<SalesInput> Read(string path, char? separator, NumberCells numbers)
    {
        if (!File.Exists(path)) return FinFail<SalesInput>(Failure.NoInput($"{path}: file not found"));
        var sep = separator ?? (numbers.DecimalComma ? ';' : ',');
        if (numbers.SeparatorProblem(sep) is { } problem) return FinFail<SalesInput>(Failure.Usage($"{path}: {problem}"));
        try
        {
            var capacity = RowCapacity.OfFile(path);
            using var reader = CsvReader.FromFile(path, Options(sep));
            return Parse(reader, path, numbers, capacity);
        }
        catch (IOException e) { return FinFail<SalesInput>(Failure.NoInput($"{path}: cannot read the file ({e.Message})")); }
        catch (UnauthorizedAccessException e) { return FinFail<SalesInput>(Failure.NoInput($"{path}: cannot read the file ({e.Message})")); }
    }

    /// <summary>Parses sales CSV text (for tests and scripts); <paramref name="file"/> names it in errors.</summary>
    public static Fin<SalesInput> ParseText(string text, string file, NumberCells? numbers = null, char? separator = null)
    {
        var n = numbers ?? NumberCells.Point;
        var sep = separator ?? (n.DecimalComma ? ';' : ',');
        if (n.SeparatorProblem(sep) is { } problem) return FinFail<SalesInput>(Failure.Usage($"{file}: {problem}"));
        using var reader = CsvReader.FromText(text, Options(sep));
        return Parse(reader, file, n, RowCapacity.OfText(text));
    }

    private static CsvReaderOptions Options(char separator) => new()
    {
        Separator = separator,
        HasHeader = true,
        TrimWhitespace = true,
        SkipEmptyLines = true,
        TrackLineNumbers = true,
    };

    /// <summary>Parses the weeks into the store-major T x N array, allocated for <paramref name="capacity"/> weeks
    /// (the file's lines after the header) so that the sales are held once; it is trimmed (one copy) only when there
    /// were blank lines, and grown when the capacity was too small.</summary>
    private static Fin<SalesInput> Parse(CsvReader reader, string file, NumberCells numbers, int capacity)
    {
        var header = (reader.Headers ?? []).ToArray();
        if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace)) return FinFail<SalesInput>(Failure.Data($"{file}: the file is empty"));
        if (numbers.TryParse(header[0].AsSpan(), out _))
            return FinFail<SalesInput>(Failure.Data($"{file}: row 1: expected a header 'Price,Store1,...' but found numbers"));
        if (!string.Equals(header[0].Trim(), "Price", StringComparison.OrdinalIgnoreCase) && header[0].Trim().StartsWith("Price", StringComparison.OrdinalIgnoreCase)
            && header[0].Trim()[5] is var other && other is ';' or '\t' or '|' or ',')
            return FinFail<SalesInput>(Failure.Data($"{file}: row 1: the header '{Short(header[0])}' is separated by {DataTable.NameOf(other)}, not by {DataTable.NameOf(reader.Separator)}: give --sep {(other == '\t' ? "tab" : other.ToString())}"));
        if (!string.Equals(header[0].Trim(), "Price", StringComparison.OrdinalIgnoreCase))
            return FinFail<SalesInput>(Failure.Data($"{file}: row 1, column 1: the first column must be 'Price' (found '{header[0]}')"));
        if (header.Length < 2) return FinFail<SalesInput>(Failure.Data($"{file}: row 1: no store columns after Price"));
        var names = header.Skip(1).Select((h, j) => string.IsNullOrWhiteSpace(h) ? $"Store{j + 1}" : h.Trim()).ToImmutableArray();
        var N = names.Length;
        if (DataTableCsv.DuplicateColumn(names.Insert(0, header[0].Trim())) is { } duplicate) return FinFail<SalesInput>(Failure.Data($"{file}: row 1: {duplicate}"));
        var prices = new List<double>();
        var stride = (int)Math.Max(1, Math.Min(capacity, System.Array.MaxLength / N)); // weeks the array holds per store
        var a = new double[(long)stride * N];
        while (reader.Read())
        {
            var row = reader.LineNumber;
            if (reader.FieldCount != N + 1)
                return FinFail<SalesInput>(Failure.Data(DataTableCsv.UnclosedQuote(reader)
                    ? $"{file}: row {row}: a quote opened in this row is never closed"
                    : $"{file}: row {row}: {reader.FieldCount} fields, but the header has {N + 1}"));
            if (!TryPositive(reader, 0, numbers, out var price, out var why))
                return FinFail<SalesInput>(Failure.Data($"{file}: row {row}, column Price: {why}"));
            var t = prices.Count;
            prices.Add(price);
            if (t == stride)
            {
                var grown = (int)Math.Min(2L * stride, System.Array.MaxLength / N);
                a = Restride(a, t, N, stride, grown);
                stride = grown;
            }
            for (var i = 0; i < N; i++)
            {
                if (!TryPositive(reader, i + 1, numbers, out var s, out why))
                    return FinFail<SalesInput>(Failure.Data($"{file}: row {row}, column {names[i]} (column {i + 2}): {why}"));
                a[(long)i * stride + t] = Math.Log(s);
            }
        }
        var T = prices.Count;
        if (T == 0) return FinFail<SalesInput>(Failure.Data($"{file}: no data rows after the header"));
        if (T < MinWeeks) return FinFail<SalesInput>(Failure.Data($"{file}: {T} week(s) of data; at least {MinWeeks} are needed"));
        if (prices.All(p => p == prices[0]))
            return FinFail<SalesInput>(Failure.Data($"{file}: column Price: the price is constant ({prices[0].ToString(CultureInfo.InvariantCulture)}) so the price effect beta is not identified"));
        if (stride != T) a = Restride(a, T, N, stride, T);
        return new SalesInput(file, names, prices.ToImmutableArray(), Matrix<double>.Build.Dense(T, N, a));
    }

    private static string Short(string text) => text.Length > 40 ? text[..40] + "..." : text;

    /// <summary>The first <paramref name="weeks"/> weeks of N stores stored store-major with stride
    /// <paramref name="from"/>, copied to a new array with stride <paramref name="to"/>.</summary>
    private static double[] Restride(double[] a, int weeks, int N, int from, int to)
    {
        var copy = new double[(long)to * N];
        for (var i = 0; i < N; i++) System.Array.Copy(a, (long)i * from, copy, (long)i * to, weeks);
        return copy;
    }

    private static bool TryPositive(CsvReader reader, int field, NumberCells numbers, out double value, out string why)
    {
        why = "";
        if (!numbers.TryFinite(reader.GetSpan(field), out value, out var problem)) { why = problem.Text; return false; }
        if (value <= 0) { why = $"{reader.GetString(field)} is not positive (its logarithm is taken)"; return false; }
        return true;
    }
}
