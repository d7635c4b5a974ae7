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

    internal static CsvReaderOptions Options(char? separator) => new()
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
    /// blank, or a covariate turned out to be text, and grown when the capacity was too small.</summary>
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
        var covariates = (request.Covariates ?? []).ToList();
        var wanted = request.Numeric.Concat(request.Text ?? []).Concat(covariates).ToList();
        var unknown = wanted.Where(c => Index(c) < 0).ToList();
        if (unknown.Count > 0)
            return FinFail<DataTable>(Failure.Usage(
                $"{file}: no column named {string.Join(", ", unknown.Select(u => $"'{u}'"))}; available columns: {string.Join(", ", header)}"));
        // the covariates sit in the numeric array after the requested numeric columns until their cells decide their kind
        var autoFrom = request.Numeric.Count;
        var numeric = request.Numeric.Concat(covariates)
            .Concat((request.OptionalNumeric ?? []).Where(c => Index(c) >= 0 && !request.Numeric.Contains(c) && !covariates.Contains(c))).ToList();
        var autoTo = autoFrom + covariates.Count;
        var numIdx = numeric.Select(Index).ToArray();
        var textCols = (request.Text ?? []).ToList();
        var textIdx = textCols.Select(Index).ToArray();
        var auto = covariates.Select(_ => new CovariateCells()).ToArray();

        var m = numeric.Count;
        var stride = (int)Math.Max(1, Math.Min(capacity, System.Array.MaxLength / Math.Max(1, m)));
        var values = new double[(long)stride * m];
        var n = 0;
        var texts = textCols.Select(_ => ImmutableArray.CreateBuilder<string>()).ToArray();
        var lines = ImmutableArray.CreateBuilder<int>(stride);
        var dropped = 0;
        var row = new double[numeric.Count];
        var rowTexts = new string?[covariates.Count];
        while (reader.Read())
        {
            var line = (int)reader.LineNumber;
            if (reader.FieldCount != header.Length)
                return FinFail<DataTable>(Failure.Data(UnclosedQuote(reader)
                    ? $"{file}: row {line}: a quote opened in this row is never closed"
                    : $"{file}: row {line}: {reader.FieldCount} fields, but the header has {header.Length} (separator: {DataTable.NameOf(separator)})"));
            string? problem = null;
            for (var j = 0; j < numeric.Count; j++)
            {
                var isAuto = j >= autoFrom && j < autoTo;
                // a covariate's cell is looked at in every row, so that its kind does not depend on the other columns
                if (problem is not null && !isAuto) continue;
                var f = numIdx[j];
                if (isAuto) rowTexts[j - autoFrom] = null;
                if (reader.IsEmpty(f)) problem ??= $"row {line}, column {numeric[j]}: missing value";
                else if (!numbers.TryFinite(reader.GetSpan(f), out var v, out var why))
                {
                    if (isAuto && !why.Separator && !numbers.TryParse(reader.GetSpan(f), out _) || isAuto && why.Separator && !numbers.OtherSeparatorNumber(reader.GetString(f) ?? ""))
                    {
                        // text: a level if the column turns out categorical, a non-numeric value otherwise
                        var a = j - autoFrom;
                        var cell = auto[a].Text(reader.GetString(f) ?? "", line);
                        rowTexts[a] = cell;
                        row[j] = double.NaN;
                        continue;
                    }
                    if (isAuto) auto[j - autoFrom].Numbers = true;
                    // a number written with the other decimal separator is a format error, never a row to drop
                    if (why.Separator) return FinFail<DataTable>(Failure.Data($"{file}: row {line}, column {numeric[j]}: {why}"));
                    problem ??= $"row {line}, column {numeric[j]}: {why}";
                }
                else
                {
                    row[j] = v;
                    if (isAuto) auto[j - autoFrom].Numbers = true;
                }
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
                foreach (var c in auto) c.Grow(grown);
                stride = grown;
            }
            for (var j = 0; j < m; j++) values[j * stride + n] = row[j];
            for (var a = 0; a < auto.Length; a++)
                if (rowTexts[a] is { } t) auto[a].Keep(n, t, stride);
            n++;
            for (var j = 0; j < textCols.Count; j++) texts[j].Add(reader.GetString(textIdx[j]) ?? "");
            lines.Add(line);
        }

        // the covariates' kinds: text when none of their cells is a number; a column mixing numbers and text is numeric,
        // and its text cells are non-numeric values
        var mixed = Enumerable.Range(0, auto.Length).Where(a => auto[a].Texts && auto[a].Numbers).ToList();
        if (mixed.Count > 0 && !request.DropMissing)
        {
            var a = mixed.MinBy(a => auto[a].FirstLine);
            var c = auto[a];
            return FinFail<DataTable>(Failure.Data(
                $"{file}: row {c.FirstLine}, column {covariates[a]}: '{Shown(c.FirstText!)}' is not a finite number (use --drop-missing to drop such rows; " +
                $"a covariate is categorical when none of its cells is a number, or when --categorical names it)"));
        }
        var keep = (bool[]?)null;
        if (mixed.Count > 0)
        {
            keep = new bool[n];
            for (var i = 0; i < n; i++)
                keep[i] = mixed.All(a => auto[a].Cells is not { } cells || cells[i] is null);
            dropped += keep.Count(k => !k);
        }
        var categorical = Enumerable.Range(0, auto.Length).Where(a => auto[a].Texts && !auto[a].Numbers).ToList();
        var kept = keep is null ? n : keep.Count(k => k);
        if (kept == 0)
            return FinFail<DataTable>(Failure.Data(dropped > 0
                ? $"{file}: every row has a missing or non-numeric value in the chosen columns ({dropped} dropped)"
                : $"{file}: no data rows after the header"));
        var columns = Enumerable.Range(0, m).Where(j => !(j >= autoFrom && j < autoTo && categorical.Contains(j - autoFrom))).ToArray();
        ImmutableArray<T> Rows<T>(IReadOnlyList<T> all) => keep is null
            ? all.Take(n).ToImmutableArray()
            : Enumerable.Range(0, n).Where(i => keep[i]).Select(i => all[i]).ToImmutableArray();
        double[] arr;
        if (keep is null && columns.Length == m) arr = n == stride ? values : Restride(values, n, m, stride, n);
        else
        {
            arr = new double[(long)kept * columns.Length];
            var at = 0L;
            foreach (var j in columns)
                for (var i = 0; i < n; i++)
                    if (keep is null || keep[i]) arr[at++] = values[(long)j * stride + i];
        }
        var allLines = lines.Count == lines.Capacity ? lines.MoveToImmutable() : lines.ToImmutable();
        return new DataTable(file, separator, header.ToImmutableArray(), columns.Select(j => numeric[j]).ToImmutableArray(),
            Matrix<double>.Build.Dense(kept, columns.Length, arr),
            textCols.Concat(categorical.Select(a => covariates[a])).ToImmutableArray(),
            texts.Select(t => keep is null ? t.ToImmutable() : Rows(t)).Concat(categorical.Select(a => Rows((IReadOnlyList<string>)auto[a].Cells!))).ToImmutableArray(),
            keep is null ? allLines : Rows(allLines), dropped);
    }

    private static string Shown(string cell) => cell.Length > 40 ? cell[..40] + "..." : cell;

    /// <summary>What the cells of a covariate column were so far: whether some was a number and some text, the first
    /// text cell, and the text of every kept row (null where a number), each distinct text held once.</summary>
    private sealed class CovariateCells
    {
        private readonly Dictionary<string, string> distinct = new(StringComparer.Ordinal);
        public bool Numbers;
        public bool Texts;
        public int FirstLine;
        public string? FirstText;
        public string?[]? Cells;

        /// <summary>Notes a text cell of file line <paramref name="line"/>; returns its shared copy.</summary>
        public string Text(string raw, int line)
        {
            var cell = raw.Trim();
            if (!distinct.TryGetValue(cell, out var shared)) distinct[cell] = shared = cell;
            if (!Texts) { Texts = true; FirstLine = line; FirstText = shared; }
            return shared;
        }

        /// <summary>Keeps the text of the kept row <paramref name="i"/>.</summary>
        public void Keep(int i, string text, int stride)
        {
            Cells ??= new string?[stride];
            Cells[i] = text;
        }

        /// <summary>Makes room for <paramref name="stride"/> rows.</summary>
        public void Grow(int stride)
        {
            if (Cells is not null) System.Array.Resize(ref Cells, stride);
        }
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
