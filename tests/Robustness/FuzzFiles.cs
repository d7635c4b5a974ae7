using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Mixtures.Tests.Robustness;

/// <summary>A data file handed to a command: its bytes and what must happen.</summary>
/// <param name="What">A readable description of the case (printed by FsCheck when a property fails).</param>
/// <param name="Bytes">The file's content.</param>
/// <param name="ExitCodes">The promised exit codes: [0] for a valid variant, else the failure's code (two where either
/// reading is right, e.g. random bytes may lack the columns, 64, or be no table at all, 65).</param>
/// <param name="Row">The file line the error must name (null: the message names only the file).</param>
/// <param name="Column">The column the error must name (null: none).</param>
public sealed record FuzzCase(string What, byte[] Bytes, int[] ExitCodes, int? Row, string? Column)
{
    public FuzzCase(string what, byte[] bytes, int exitCode, int? row, string? column) : this(what, bytes, [exitCode], row, column) { }

    public bool Valid => ExitCodes is [0];

    public override string ToString() => $"{What} (expect exit {string.Join(" or ", ExitCodes)}{(Row is null ? "" : $", row {Row}")}{(Column is null ? "" : $", column {Column}")})";
}

/// <summary>A valid table a command reads (header and rows of cells, numbers in invariant text), and the columns
/// the command uses (a bad cell in another column is not an error).</summary>
public sealed record BaseTable(string[] Header, string[][] Rows, char Separator, string[] Used)
{
    public string Text(string newline = "\n", bool finalNewline = true, Func<string, string>? cell = null, char? separator = null)
    {
        var sep = separator ?? Separator;
        var lines = new[] { Header }.Concat(Rows).Select(r => string.Join(sep, r.Select(c => cell is null ? c : cell(c))));
        return string.Join(newline, lines) + (finalNewline ? newline : "");
    }
}

/// <summary>FsCheck generators of malformed and edge files, and of valid variants that must give byte-identical outputs.</summary>
public static class FuzzFiles
{
    private static string N(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A numeric table with the given columns: n rows of values with 3 to 6 significant digits, positive when asked.</summary>
    public static Gen<BaseTable> Table(string[] header, int rowsMin, int rowsMax, bool positive, string[] used, Func<int, int, string>? textCell = null) =>
        from n in Gen.Choose(rowsMin, rowsMax)
        from cells in Gen.Choose(positive ? 100 : -9999, 9999).ArrayOf(n * header.Length)
        from scale in Gen.Elements(1.0, 0.01, 1e-4)
        select new BaseTable(header,
            Enumerable.Range(0, n).Select(i => header.Select((_, j) => textCell?.Invoke(i, j) ?? N((cells[i * header.Length + j] + 0.5) * scale)).ToArray()).ToArray(),
            ',', used);

    private static readonly string[] Junk = ["abc", "NaN", "Infinity", "-Infinity", "1,5", "1.2.3", "0x1F", "--1", "1e999", "$5", "(3)", "1 000", "\u00a0", "tr\u00fce", "\u0001"];

    private static byte[] Utf8(string s) => new UTF8Encoding(false).GetBytes(s);

    /// <summary>Malformed variants of a table: each names the row (file line) and column its error must name.</summary>
    public static Gen<FuzzCase> Malformed(BaseTable t, bool dataErrorsOnly = false)
    {
        var rows = t.Rows.Length;
        var badCell =
            from i in Gen.Choose(0, rows - 1)
            from jj in Gen.Choose(0, t.Used.Length - 1)
            from junk in Gen.Elements(Junk.Append("").ToArray())
            let j = Array.IndexOf(t.Header, t.Used[jj])
            let copy = t.Rows.Select((r, k) => k == i ? r.Select((c, m) => m == j ? (junk.Contains(',') ? $"\"{junk}\"" : junk) : c).ToArray() : r).ToArray()
            select new FuzzCase($"row {i + 2} column {t.Used[jj]} = '{junk}'", Utf8((t with { Rows = copy }).Text()), 65, i + 2, t.Used[jj]);
        var ragged =
            from i in Gen.Choose(0, rows - 1)
            from extra in Gen.Elements(true, false)
            let copy = t.Rows.Select((r, k) => k == i ? (extra ? [.. r, "1"] : r[..^1]) : r).ToArray()
            select new FuzzCase($"row {i + 2} with {(extra ? "an extra" : "a missing")} field", Utf8((t with { Rows = copy }).Text()), 65, i + 2, null);
        var duplicate =
            from j in Gen.Choose(1, t.Header.Length - 1)
            let header = t.Header.Select((h, k) => k == j ? t.Header[j - 1] : h).ToArray()
            select new FuzzCase($"header names '{t.Header[j - 1]}' twice", Utf8((t with { Header = header }).Text()), 65, 1, null);
        var empty = Gen.Elements(
            new FuzzCase("an empty file", [], 65, null, null),
            new FuzzCase("a header only", Utf8(string.Join(',', t.Header) + "\n"), 65, null, null),
            new FuzzCase("blank lines only", Utf8("\n\n\n"), 65, null, null));
        var unbalanced =
            from i in Gen.Choose(0, rows - 1)
            let copy = t.Rows.Select((r, k) => k == i ? r.Select((c, m) => m == 0 ? "\"" + c : c).ToArray() : r).ToArray()
            select new FuzzCase($"an unbalanced quote in row {i + 2}", Utf8((t with { Rows = copy }).Text()), 65, i + 2, null);
        var european = Gen.Constant(new FuzzCase("semicolons and decimal commas (a European export)",
            Utf8(t.Text(separator: ';', cell: c => c.Replace('.', ','))), 65, null, null));
        var binary =
            from len in Gen.Choose(1, 64)
            from bytes in Gen.Choose(0, 255).ArrayOf(len)
            select new FuzzCase($"{len} random bytes", bytes.Select(b => (byte)b).ToArray(), [64, 65], null, null);
        var gens = new List<Gen<FuzzCase>> { badCell, badCell, ragged, duplicate, empty, unbalanced, european };
        if (!dataErrorsOnly) gens.Add(binary);
        return Gen.OneOf(gens.ToArray());
    }

    /// <summary>Valid variants of a table's text: each must give byte-identical outputs to the plain text.</summary>
    public static Gen<FuzzCase> Valid(BaseTable t) => Gen.Elements(
        new FuzzCase("CRLF line ends", Utf8(t.Text("\r\n")), 0, null, null),
        new FuzzCase("a UTF-8 byte order mark", [0xEF, 0xBB, 0xBF, .. Utf8(t.Text())], 0, null, null),
        new FuzzCase("UTF-16 with a byte order mark", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(t.Text())).ToArray(), 0, null, null),
        new FuzzCase("every cell quoted", Utf8(t.Text(cell: c => $"\"{c}\"")), 0, null, null),
        new FuzzCase("no final newline", Utf8(t.Text(finalNewline: false)), 0, null, null),
        new FuzzCase("spaces around cells", Utf8(t.Text(cell: c => $" {c} ")), 0, null, null),
        new FuzzCase("blank lines at the end", Utf8(t.Text() + "\n\n"), 0, null, null),
        new FuzzCase("CRLF, BOM, quotes and no final newline", [0xEF, 0xBB, 0xBF, .. Utf8(t.Text("\r\n", false, c => $"\"{c}\""))], 0, null, null));
}
