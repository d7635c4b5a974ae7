using System.Collections.Immutable;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Mixtures.Data;

/// <summary>
/// A store-attribute file (<c>sales --stores FILE --concomitant A,B</c>): a delimited file with a header, a column
/// <see cref="StoreColumn"/> naming every store of the sales file exactly once (one row per store, any order) and the
/// concomitant columns (numbers, or text: categorical, treatment-coded as <see cref="DesignCoding.Fit"/> codes covariates).
/// The rows are matched to the sales file's stores by name (exactly, after trimming), so the concomitant model's unit u
/// is the sales file's store u.
/// </summary>
public static class StoreAttributes
{
    /// <summary>The name of the column that names the stores.</summary>
    public const string StoreColumn = "Store";

    /// <summary>
    /// The concomitant model of the stores <paramref name="stores"/> (the sales file's store names, in its order) from the
    /// columns <paramref name="names"/> of the attribute file. Fails with one line naming the file, the row (file line) and the
    /// column for a store named twice, a store the sales file does not have, an empty store name or a missing or bad value; a
    /// store of the sales file that has no row is named too.
    /// </summary>
    public static Fin<Concomitant> Read(string path, IReadOnlyList<string> stores, IReadOnlyList<string> names, char? separator = null, NumberCells? numbers = null)
    {
        if (names.Contains(StoreColumn, StringComparer.OrdinalIgnoreCase))
            return FinFail<Concomitant>(Failure.Usage($"--concomitant: '{StoreColumn}' names the stores; it cannot be a concomitant variable"));
        return from table in DataTableCsv.Read(path, new TableRequest([], [StoreColumn], Separator: separator, Numbers: numbers, Covariates: [.. names]))
               from unitRow in Match(table, stores)
               from concomitant in ConcomitantColumns.ForRows(table, names, numbers: numbers, unitRow: unitRow)
               select concomitant;
    }

    /// <summary>The row of every store of the sales file (unit u: row unitRow[u]), or the first mismatch.</summary>
    private static Fin<int[]> Match(DataTable table, IReadOnlyList<string> stores)
    {
        var file = table.File;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var u = 0; u < stores.Count; u++) index[stores[u].Trim()] = u;
        var unitRow = new int[stores.Count];
        System.Array.Fill(unitRow, -1);
        var labels = table.Labels(StoreColumn);
        for (var i = 0; i < table.Rows; i++)
        {
            var name = labels[i]?.Trim() ?? "";
            if (name.Length == 0)
                return FinFail<int[]>(Failure.Data($"{file}: row {table.Lines[i]}, column {StoreColumn}: the store name is empty"));
            if (!index.TryGetValue(name, out var u))
                return FinFail<int[]>(Failure.Data($"{file}: row {table.Lines[i]}, column {StoreColumn}: store '{name}' is not a store of the sales file"));
            if (unitRow[u] >= 0)
                return FinFail<int[]>(Failure.Data($"{file}: row {table.Lines[i]}, column {StoreColumn}: store '{name}' is listed twice (first on row {table.Lines[unitRow[u]]}); give one row per store"));
            unitRow[u] = i;
        }
        var missing = Enumerable.Range(0, stores.Count).FirstOrDefault(u => unitRow[u] < 0, -1);
        if (missing >= 0)
            return FinFail<int[]>(Failure.Data(
                $"{file}: column {StoreColumn}: no row for store '{stores[missing]}' of the sales file ({stores.Count(s => unitRow[index[s.Trim()]] < 0)} store(s) missing); give one row per store"));
        return unitRow;
    }
}
