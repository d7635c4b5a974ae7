using Spectre.Console;
using Spectre.Console.Rendering;

namespace Mixtures.Shell.Output;

/// <summary>
/// Writes a table so that it fits the console's width without splitting a word (and so never a number): as it is when
/// it fits; otherwise with column widths set so that every column is at least as wide as its longest word and only
/// text is wrapped, between words; and when even that does not fit, vertically, one "column: value" line per cell.
/// </summary>
public static class TableLayout
{
    /// <summary>Width of a square-bordered table beyond its columns' content: one space of padding either side of
    /// every column and one border between columns and at each edge.</summary>
    private static int Overhead(int columns) => 3 * columns + 1;

    public static void Write(IAnsiConsole console, Table table)
    {
        var width = console.Profile.Width;
        if (!Fit(console, table, width)) Vertical(console, table, width);
        else console.Write(table);
    }

    /// <summary>Sets the column widths of <paramref name="table"/> so that it fits <paramref name="width"/> with no word
    /// split (none are set when it fits as it is); false when it cannot.</summary>
    private static bool Fit(IAnsiConsole console, Table table, int width)
    {
        var options = RenderOptions.Create(console);
        var n = table.Columns.Count;
        var min = new int[n];
        var max = new int[n];
        for (var c = 0; c < n; c++) Measure(options, table.Columns[c].Header, ref min[c], ref max[c]);
        foreach (var row in table.Rows)
        {
            var c = 0;
            foreach (var cell in row)
            {
                if (c < n) Measure(options, cell, ref min[c], ref max[c]);
                c++;
            }
        }
        var room = width - Overhead(n);
        if (max.Sum() <= room) return true;
        if (min.Sum() > room) return false;
        // every column gets its longest word; the room left goes to the columns in proportion to what they lack
        var widths = (int[])min.Clone();
        var spare = room - min.Sum();
        var lack = max.Zip(min, (a, b) => a - b).Sum();
        for (var c = 0; c < n; c++) widths[c] += (int)((long)spare * (max[c] - min[c]) / lack);
        for (var c = 0; spare - (widths.Sum() - min.Sum()) > 0 && c < n; c++)
            if (widths[c] < max[c]) widths[c]++;
        for (var c = 0; c < n; c++) table.Columns[c].Width = widths[c];
        return true;
    }

    /// <summary>Widens (min, max) to a cell's longest word and longest line.</summary>
    private static void Measure(RenderOptions options, IRenderable cell, ref int min, ref int max)
    {
        foreach (var line in Segment.SplitLines(cell.Render(options, 100_000)))
        {
            var text = string.Concat(line.Where(s => !s.IsControlCode).Select(s => s.Text));
            max = Math.Max(max, Segment.CellCount(line));
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                min = Math.Max(min, new Segment(word).CellCount());
        }
    }

    /// <summary>The table turned on its side: for every row, one line per non-empty cell with the column's header,
    /// rows apart by an empty line.</summary>
    private static void Vertical(IAnsiConsole console, Table table, int width)
    {
        var options = RenderOptions.Create(console);
        bool Empty(IRenderable cell)
        {
            int min = 0, max = 0;
            Measure(options, cell, ref min, ref max);
            return max == 0;
        }
        var side = new Table().HideHeaders().AddColumn(new TableColumn("")).AddColumn(new TableColumn(""));
        if (table.Title is { } title) side.Title = title;
        if (table.Caption is { } caption) side.Caption = caption;
        var first = true;
        foreach (var row in table.Rows)
        {
            if (!first) side.AddEmptyRow();
            first = false;
            var c = 0;
            foreach (var cell in row)
            {
                if (c < table.Columns.Count && !Empty(cell)) side.AddRow(table.Columns[c].Header, cell);
                c++;
            }
        }
        Fit(console, side, width);
        console.Write(side);
    }
}
