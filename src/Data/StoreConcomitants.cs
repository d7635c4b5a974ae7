using LanguageExt;
using static LanguageExt.Prelude;

namespace Mixtures.Data;

/// <summary>
/// Store attributes as concomitant variables (<c>sales --stores FILE --concomitant A,B</c>): the columns of a
/// store-attribute file (<see cref="StoreAttributes"/>: a <see cref="StoreAttributes.StoreColumn"/> column naming every
/// store of the sales file exactly once), numbers or text (categorical, treatment-coded as <see cref="DesignCoding.Fit"/>
/// codes covariates), one row per store matched by name, so the concomitant model's unit u is the sales file's store u.
/// </summary>
public static class StoreConcomitants
{
    /// <summary>
    /// The concomitant model of the stores <paramref name="stores"/> (the sales file's store names, in its order) from the
    /// columns <paramref name="names"/> of the attribute file. Fails with one line naming the file, the row (file line) and the
    /// column for a store named twice, a store the sales file does not have, a store without a row, or a missing or bad value.
    /// </summary>
    public static Fin<Concomitant> Read(string path, string salesFile, IReadOnlyList<string> stores, IReadOnlyList<string> names, char? separator = null,
        NumberCells? numbers = null)
    {
        if (names.Contains(StoreAttributes.StoreColumn, StringComparer.OrdinalIgnoreCase))
            return FinFail<Concomitant>(Failure.Usage($"--concomitant: '{StoreAttributes.StoreColumn}' names the stores; it cannot be a concomitant variable"));
        return from table in DataTableCsv.Read(path, new TableRequest([], [StoreAttributes.StoreColumn], Separator: separator, Numbers: numbers, Covariates: [.. names]))
               from matched in StoreAttributes.Match(table, salesFile, stores)
               from concomitant in ConcomitantColumns.ForRows(table, names, numbers: numbers, unitRow: [.. matched.RowOfStore])
               select concomitant;
    }
}
