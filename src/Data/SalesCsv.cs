using System.Collections.Immutable;
using System.Globalization;
using CsvHelper;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using static LanguageExt.Prelude;

namespace Mixtures.Data;

/// <summary>
/// Reads a sales file: comma-separated, header <c>Price,Store1,...,StoreN</c>, one row per week; or the long
/// format, header <c>store,week,price,sales</c> (any order), one row per store and week.
/// Rows are numbered as lines of the file (the header is row 1). Numbers have a decimal point; with
/// <see cref="NumberCells.Comma"/> (<c>--decimal-comma</c>) a decimal comma, and the separator is then
/// a semicolon unless given.
/// </summary>
public static class SalesCsv
{
    /// <summary>Fewest weeks accepted (two coefficients and at least one residual degree of freedom).</summary>
    public const int MinWeeks = 3;

    /// <summary>Reads a sales file, comma-separated with a decimal point: wide (a Price column, then one column per store) or
    /// long (columns store, week, price, sales; every store every week, one price per week).</summary>
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
        if (LongColumns(header) is { } longColumns) return ParseLong(reader, file, numbers, header, longColumns);
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

    /// <summary>The positions of store, week, price and sales when the header is exactly those four columns (any
    /// order, names ignoring case): the long format.</summary>
    private static int[]? LongColumns(string[] header)
    {
        if (header.Length != 4) return null;
        string[] wanted = ["store", "week", "price", "sales"];
        var at = wanted.Select(w => System.Array.FindIndex(header, h => string.Equals(h.Trim(), w, StringComparison.OrdinalIgnoreCase))).ToArray();
        return at.All(i => i >= 0) && at.Distinct().Count() == 4 ? at : null;
    }

    /// <summary>
    /// The long format, one row per store and week: <c>store,week,price,sales</c>. Stores and weeks are
    /// labels, taken in order of first appearance (so a long file written store by store or week by week
    /// gives the same panel as the wide file). Every store must have every week exactly once, and each week
    /// one price; sales and prices must be positive numbers. Failures name the row and column (or the store
    /// and week that is missing).
    /// </summary>
    private static Fin<SalesInput> ParseLong(CsvReader reader, string file, NumberCells numbers, string[] header, int[] col)
    {
        var (cStore, cWeek, cPrice, cSales) = (col[0], col[1], col[2], col[3]);
        var stores = new Dictionary<string, int>(StringComparer.Ordinal);
        var weeks = new Dictionary<string, int>(StringComparer.Ordinal);
        var storeNames = new List<string>();
        var weekNames = new List<string>();
        var prices = new List<double>();
        var priceLine = new List<long>();
        var storeOf = new List<int>();
        var weekOf = new List<int>();
        var logSales = new List<double>();
        var lines = new List<long>();
        while (reader.Read())
        {
            var row = reader.LineNumber;
            if (reader.FieldCount != 4)
                return FinFail<SalesInput>(Failure.Data(DataTableCsv.UnclosedQuote(reader)
                    ? $"{file}: row {row}: a quote opened in this row is never closed"
                    : $"{file}: row {row}: {reader.FieldCount} fields, but the header has 4"));
            var store = reader.GetString(cStore)?.Trim() ?? "";
            var week = reader.GetString(cWeek)?.Trim() ?? "";
            if (store.Length == 0) return FinFail<SalesInput>(Failure.Data($"{file}: row {row}, column {header[cStore].Trim()}: missing value"));
            if (week.Length == 0) return FinFail<SalesInput>(Failure.Data($"{file}: row {row}, column {header[cWeek].Trim()}: missing value"));
            if (!TryPositive(reader, cPrice, numbers, out var price, out var why))
                return FinFail<SalesInput>(Failure.Data($"{file}: row {row}, column {header[cPrice].Trim()}: {why}"));
            if (!TryPositive(reader, cSales, numbers, out var sales, out why))
                return FinFail<SalesInput>(Failure.Data($"{file}: row {row}, column {header[cSales].Trim()}: {why}"));
            if (!stores.TryGetValue(store, out var i)) { i = stores.Count; stores[store] = i; storeNames.Add(store); }
            if (!weeks.TryGetValue(week, out var t)) { t = weeks.Count; weeks[week] = t; weekNames.Add(week); prices.Add(price); priceLine.Add(row); }
            else if (prices[t] != price)
                return FinFail<SalesInput>(Failure.Data(
                    $"{file}: row {row}, column {header[cPrice].Trim()}: week {Short(week)} has price {reader.GetString(cPrice)} here but {prices[t].ToString("R", CultureInfo.InvariantCulture)} in row {priceLine[t]}: one price per week"));
            storeOf.Add(i);
            weekOf.Add(t);
            logSales.Add(Math.Log(sales));
            lines.Add(row);
        }
        var T = weeks.Count;
        var N = stores.Count;
        if (logSales.Count == 0) return FinFail<SalesInput>(Failure.Data($"{file}: no data rows after the header"));
        if ((long)T * N > System.Array.MaxLength) return FinFail<SalesInput>(Failure.Data($"{file}: {N} stores x {T} weeks is too large a panel"));
        var a = new double[(long)T * N];
        var seen = new long[(long)T * N];
        for (var r = 0; r < logSales.Count; r++)
        {
            var at = (long)storeOf[r] * T + weekOf[r];
            if (seen[at] != 0)
                return FinFail<SalesInput>(Failure.Data(
                    $"{file}: row {lines[r]}: store {Short(storeNames[storeOf[r]])}, week {Short(weekNames[weekOf[r]])} appears twice (first in row {seen[at]})"));
            seen[at] = lines[r];
            a[at] = logSales[r];
        }
        for (var i = 0; i < N; i++)
        for (var t = 0; t < T; t++)
            if (seen[(long)i * T + t] == 0)
                return FinFail<SalesInput>(Failure.Data(
                    $"{file}: store {Short(storeNames[i])} has no row for week {Short(weekNames[t])}: every store needs a row for every week ({N} stores x {T} weeks)"));
        if (T < MinWeeks) return FinFail<SalesInput>(Failure.Data($"{file}: {T} week(s) of data; at least {MinWeeks} are needed"));
        if (prices.All(p => p == prices[0]))
            return FinFail<SalesInput>(Failure.Data($"{file}: column {header[cPrice].Trim()}: the price is constant ({prices[0].ToString(CultureInfo.InvariantCulture)}) so the price effect beta is not identified"));
        return new SalesInput(file, [.. storeNames], [.. prices], Matrix<double>.Build.Dense(T, N, a));
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
