using System.Collections.Immutable;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Mixtures.Data;

/// <summary>
/// A store-attribute file of the sales panel (<c>mixtures sales --stores FILE</c>): a delimited file with a <c>Store</c>
/// column naming every store of the sales file exactly once (one row per store, in any order) and further columns that
/// describe the stores (observation weights with <c>--weights COL</c>; concomitant variables). The sales file is wide
/// (weeks x stores), so whatever belongs to a store comes from here. A store of the sales file without a row, a row
/// naming a store the sales file does not have, or a store named twice is an error naming the file, row and column.
/// </summary>
/// <param name="Table">The requested columns as read (<see cref="StoreColumn"/> among the text columns).</param>
/// <param name="StoreOfRow">For every row of <paramref name="Table"/>, the index of its store in the sales file's store order.</param>
/// <param name="RowOfStore">For every store of the sales file (in its order), its row of <paramref name="Table"/>.</param>
public sealed record StoreAttributes(DataTable Table, ImmutableArray<int> StoreOfRow, ImmutableArray<int> RowOfStore)
{
    /// <summary>The name of the column naming the stores.</summary>
    public const string StoreColumn = "Store";

    /// <summary>The path as given.</summary>
    public string File => Table.File;

    /// <summary>Number of stores.</summary>
    public int Stores => RowOfStore.Length;

    /// <summary>The values of a numeric column in the sales file's store order.</summary>
    public double[] Numbers(string column)
    {
        var v = Table.Column(column);
        return RowOfStore.Select(r => v[r]).ToArray();
    }

    /// <summary>The labels of a text column in the sales file's store order.</summary>
    public ImmutableArray<string> Labels(string column)
    {
        var v = Table.Labels(column);
        return [.. RowOfStore.Select(r => v[r])];
    }

    /// <summary>
    /// Reads <paramref name="path"/> with the <c>Store</c> column and the requested columns (<paramref name="numeric"/> must
    /// hold finite numbers; <paramref name="text"/> are read as labels) and matches its rows to the stores of
    /// <paramref name="salesFile"/> (<paramref name="storeNames"/>, the sales file's store columns, matched exactly).
    /// </summary>
    public static Fin<StoreAttributes> Read(string path, string salesFile, IReadOnlyList<string> storeNames, IReadOnlyList<string> numeric,
        IReadOnlyList<string>? text = null, char? separator = null, NumberCells? numbers = null) =>
        from table in DataTableCsv.Read(path, new TableRequest(numeric, [StoreColumn, .. text ?? []], null, separator, false, numbers))
        from matched in Match(table, salesFile, storeNames)
        select matched;

    /// <summary>Matches the rows of a table with a <c>Store</c> column to the sales file's stores (see <see cref="Read"/>).</summary>
    public static Fin<StoreAttributes> Match(DataTable table, string salesFile, IReadOnlyList<string> storeNames)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < storeNames.Count; i++) index.TryAdd(storeNames[i], i);
        var labels = table.Labels(StoreColumn);
        var rowOfStore = new int[storeNames.Count];
        System.Array.Fill(rowOfStore, -1);
        var storeOfRow = new int[table.Rows];
        for (var r = 0; r < table.Rows; r++)
        {
            var name = labels[r];
            if (!index.TryGetValue(name, out var s))
                return FinFail<StoreAttributes>(Failure.Data(
                    $"{table.File}: row {table.Lines[r]}, column {StoreColumn}: '{name}' is not a store of the sales file {salesFile} (its stores are its columns after Price)"));
            if (rowOfStore[s] >= 0)
                return FinFail<StoreAttributes>(Failure.Data(
                    $"{table.File}: row {table.Lines[r]}, column {StoreColumn}: store '{name}' appears again (first on row {table.Lines[rowOfStore[s]]}); give every store one row"));
            rowOfStore[s] = r;
            storeOfRow[r] = s;
        }
        var missing = Enumerable.Range(0, storeNames.Count).Where(s => rowOfStore[s] < 0).ToList();
        if (missing.Count > 0)
            return FinFail<StoreAttributes>(Failure.Data(
                $"{table.File}: column {StoreColumn}: no row for store{(missing.Count > 1 ? "s" : "")} " +
                $"{string.Join(", ", missing.Take(5).Select(s => $"'{storeNames[s]}'"))}{(missing.Count > 5 ? $" and {missing.Count - 5} more" : "")} " +
                $"of the sales file {salesFile}; every store needs one row"));
        return new StoreAttributes(table, [.. storeOfRow], [.. rowOfStore]);
    }
}
