using System.Globalization;
using System.Text;
using Mixtures.Data;
using Mixtures.Domain;
using Mixtures.Tests.Gaussian;

namespace Mixtures.Tests.Streaming;

/// <summary>The Arrow column cache: written from CSV in record batches of any size, read back in blocks of a multiple of 4096 rows.</summary>
public class ColumnCacheTests
{
    [Fact]
    public void Batches_of_3000_rows_are_read_back_as_blocks_of_4096_with_every_value_and_csv_line_in_order()
    {
        using var t = new TempDir();
        var csv = Path.Combine(t.Path, "x.csv");
        const int n = 10_000;
        var sb = new StringBuilder("id,u,v\n");
        for (var i = 0; i < n; i++)
        {
            sb.Append(i).Append(',').Append((i * 0.25).ToString(CultureInfo.InvariantCulture)).Append(',').Append((-i / 3.0).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            if (i == 5000) sb.Append('\n'); // a blank line: skipped, so later rows keep their own line numbers
        }
        File.WriteAllText(csv, sb.ToString());
        var cache = Path.Combine(t.Path, "x.arrow");
        var info = ColumnCache.FromCsv(csv, ["v", "u"], cache, batchRows: 3000).Value();
        Assert.Equal(n, info.Rows);
        var blocks = ColumnCache.Open(cache, ["u", "v"], 4096).Value();
        Assert.Equal(n, blocks.Rows);
        Assert.True(blocks.HasLines);
        var sizes = new List<int>();
        var row = 0;
        foreach (var (block, lines) in blocks.BlocksWithLines())
        {
            sizes.Add(block.Rows);
            var x = block.Values.Span;
            for (var i = 0; i < block.Rows; i++, row++)
            {
                Assert.Equal(row * 0.25, x[i]);
                Assert.Equal(-row / 3.0, x[block.Rows + i]);
                Assert.Equal(row + 2 + (row > 5000 ? 1 : 0), lines[i]);
            }
        }
        Assert.Equal([4096, 4096, n - 8192], sizes);
        // every 1000th row from the first
        var (rows, values) = blocks.Sample(10);
        Assert.Equal(10, rows);
        Assert.Equal(Enumerable.Range(0, 10).Select(k => k * 1000 * 0.25), values.Take(10));
    }
}
