using System.Collections.Immutable;
using System.Globalization;
using CsvHelper;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using static LanguageExt.Prelude;

namespace Mixtures.Data;

/// <summary>
/// Reads the requested columns of a comma, semicolon, tab or pipe separated file with a header
/// (the separator is detected from the first lines unless given). Rows are numbered as lines of the
/// file, the header being row 1. Errors name the file, row and column.
/// </summary>
public static class DataTableCsv
{
    /// <summary>Parses a --sep value: ",", ";", "tab" or "\t", "|"; absent or "auto" gives None (detect).
    /// (An Option rather than a null char: Fin cannot hold null.) <see cref="Separator"/> turns it into
    /// the <see cref="TableRequest.Separator"/> value.</summary>
    public static Fin<Option<char>> ParseSeparator(string? text) => text switch
    {
        null or "" or "auto" => Fin<Option<char>>.Succ(None),
        "," or "comma" => Fin<Option<char>>.Succ(Some(',')),
        ";" or "semicolon" => Fin<Option<char>>.Succ(Some(';')),
        "\t" or "\\t" or "tab" => Fin<Option<char>>.Succ(Some('\t')),
        "|" or "pipe" => Fin<Option<char>>.Succ(Some('|')),
        _ => FinFail<Option<char>>(Failure.Usage($"--sep: '{text}' is not a separator (use , ; tab or |)")),
    };

    /// <summary>A parsed --sep as the request's separator (null: detect).</summary>
    public static char? Separator(Option<char> separator) => separator.MatchUnsafe<char?>(c => c, () => null);

    /// <summary>Reads and validates a delimited file as the request asks (columns, separator, number format, missing cells);
    /// every error names the file, the row and the column.</summary>
    public static Fin<DataTable> Read(string path, TableRequest request)
    {
        if (!File.Exists(path)) return FinFail<DataTable>(Failure.NoInput($"{path}: file not found"));
        if (new FileInfo(path).Length == 0) return FinFail<DataTable>(Failure.Data($"{path}: the file is empty"));
        try
        {
            var capacity = RowCapacity.OfFile(path);
            using var reader = CsvReader.FromFile(path, Options(request.Separator));
            return Parse(reader, path, request, capacity);
        }
        catch (IOException e) { return FinFail<DataTable>(Failure.NoInput($"{path}: cannot read the file ({e.Message})")); }
        catch (UnauthorizedAccessException e) { return FinFail<DataTable>(Failure.NoInput($"{path}: cannot read the file ({e.Message})")); }
    }

    /// <summary>Parses delimited text (tests, scripts); <paramref name="file"/> names it in errors.</summary>
    public static Fin<DataTable> ParseText(string text, string file, TableRequest request)
    {
        if (text.Length == 0) return FinFail<DataTable>(Failure.Data($"{file}: the file is empty"));
        using var reader = CsvReader.FromText(text, Options(request.Separator));
        return Parse(reader, file, request, RowCapacity.OfText(text));
    }

    private static CsvReaderOptions Options(char? separator) => new()
    {
        Separator = separator,
        HasHeader = true,
        TrimWhitespace = true,
        SkipEmptyLines = true,
        TrackLineNumbers = true,
    };

    /// <summary>Whether the record's last field is a quoted field running over a line break (an unclosed quote
    /// swallows the rest of the file).</summary>
    public static bool UnclosedQuote(CsvReader reader)
    {
        if (reader.FieldCount == 0) return false;
        var raw = reader.GetRawSpan(reader.FieldCount - 1).TrimStart((byte)' ');
        return raw.Length > 0 && raw[0] == (byte)'"' && raw.IndexOfAny((byte)'\n', (byte)'\r') >= 0;
    }

    /// <summary>The problem of a header naming a column twice (names compared ignoring case, as columns are looked up), if any.</summary>
    public static string? DuplicateColumn(IReadOnlyList<string> header)
    {
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var j = 0; j < header.Count; j++)
        {
            if (header[j].Length == 0) continue;
            if (seen.TryGetValue(header[j], out var first))
                return $"the column name '{header[j]}' appears twice (columns {first + 1} and {j + 1}); give every column its own name";
            seen[header[j]] = j;
        }
        return null;
    }

    /// <summary>Parses the rows into one column-major array allocated for <paramref name="capacity"/> rows (the file's
    /// lines after the header), so the values are held once; it is trimmed (one copy) only when rows were dropped or
    /// blank, and grown when the capacity was too small.</summary>
    private static Fin<DataTable> Parse(CsvReader reader, string file, TableRequest request, int capacity)
    {
        var header = (reader.Headers ?? []).Select(h => h.Trim()).ToArray();
        if (header.Length == 0 || header.All(string.IsNullOrEmpty)) return FinFail<DataTable>(Failure.Data($"{file}: the file is empty"));
        var separator = reader.Separator;
        var numbers = request.Numbers ?? NumberCells.Point;
        if (numbers.SeparatorProblem(separator) is { } sepProblem) return FinFail<DataTable>(Failure.Usage($"{file}: {sepProblem}"));
        if (DuplicateColumn(header) is { } duplicate) return FinFail<DataTable>(Failure.Data($"{file}: row 1: {duplicate}"));
        int Index(string name)
        {
            var j = System.Array.IndexOf(header, name);
            return j >= 0 ? j : System.Array.FindIndex(header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
        }
        var wanted = request.Numeric.Concat(request.Text ?? []).ToList();
        var unknown = wanted.Where(c => Index(c) < 0).ToList();
        if (unknown.Count > 0)
            return FinFail<DataTable>(Failure.Usage(
                $"{file}: no column named {string.Join(", ", unknown.Select(u => $"'{u}'"))}; available columns: {string.Join(", ", header)}"));
        var numeric = request.Numeric.Concat((request.OptionalNumeric ?? []).Where(c => Index(c) >= 0 && !request.Numeric.Contains(c))).ToList();
        var numIdx = numeric.Select(Index).ToArray();
        var textCols = (request.Text ?? []).ToList();
        var textIdx = textCols.Select(Index).ToArray();

        var m = numeric.Count;
        var stride = (int)Math.Max(1, Math.Min(capacity, System.Array.MaxLength / Math.Max(1, m)));
        var values = new double[(long)stride * m];
        var n = 0;
        var texts = textCols.Select(_ => ImmutableArray.CreateBuilder<string>()).ToArray();
        var lines = ImmutableArray.CreateBuilder<int>(stride);
        var dropped = 0;
        var row = new double[numeric.Count];
        while (reader.Read())
        {
            var line = (int)reader.LineNumber;
            if (reader.FieldCount != header.Length)
                return FinFail<DataTable>(Failure.Data(UnclosedQuote(reader)
                    ? $"{file}: row {line}: a quote opened in this row is never closed"
                    : $"{file}: row {line}: {reader.FieldCount} fields, but the header has {header.Length} (separator: {DataTable.NameOf(separator)})"));
            string? problem = null;
            for (var j = 0; j < numeric.Count && problem is null; j++)
            {
                var f = numIdx[j];
                if (reader.IsEmpty(f)) problem = $"row {line}, column {numeric[j]}: missing value";
                else if (!numbers.TryFinite(reader.GetSpan(f), out var v, out var why))
                {
                    // a number written with the other decimal separator is a format error, never a row to drop
                    if (why.Separator) return FinFail<DataTable>(Failure.Data($"{file}: row {line}, column {numeric[j]}: {why}"));
                    problem = $"row {line}, column {numeric[j]}: {why}";
                }
                else row[j] = v;
            }
            for (var j = 0; j < textCols.Count && problem is null; j++)
                if (reader.IsEmpty(textIdx[j])) problem = $"row {line}, column {textCols[j]}: missing value";
            if (problem is not null)
            {
                if (request.DropMissing) { dropped++; continue; }
                return FinFail<DataTable>(Failure.Data($"{file}: {problem} (use --drop-missing to drop such rows)"));
            }
            if (n == stride)
            {
                var grown = (int)Math.Min(2L * stride, System.Array.MaxLength / Math.Max(1, m));
                values = Restride(values, n, m, stride, grown);
                stride = grown;
            }
            for (var j = 0; j < m; j++) values[j * stride + n] = row[j];
            n++;
            for (var j = 0; j < textCols.Count; j++) texts[j].Add(reader.GetString(textIdx[j]) ?? "");
            lines.Add(line);
        }
        if (n == 0)
            return FinFail<DataTable>(Failure.Data(dropped > 0
                ? $"{file}: every row has a missing or non-numeric value in the chosen columns ({dropped} dropped)"
                : $"{file}: no data rows after the header"));
        var arr = n == stride ? values : Restride(values, n, m, stride, n);
        return new DataTable(file, separator, header.ToImmutableArray(), numeric.ToImmutableArray(), Matrix<double>.Build.Dense(n, m, arr),
            textCols.ToImmutableArray(), texts.Select(t => t.ToImmutable()).ToImmutableArray(),
            lines.Count == lines.Capacity ? lines.MoveToImmutable() : lines.ToImmutable(), dropped);
    }

    /// <summary>The first <paramref name="rows"/> rows of m columns stored column-major with stride
    /// <paramref name="from"/>, copied to a new array with stride <paramref name="to"/>.</summary>
    private static double[] Restride(double[] values, int rows, int m, int from, int to)
    {
        var copy = new double[(long)to * m];
        for (var j = 0; j < m; j++) System.Array.Copy(values, (long)j * from, copy, (long)j * to, rows);
        return copy;
    }
}
