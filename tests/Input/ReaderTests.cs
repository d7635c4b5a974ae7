using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Data;

namespace Mixtures.Tests.Input;

/// <summary>The readers store the values once, in an array sized by the file's line count; blank lines, dropped rows and
/// line counts that are too small still give exactly the rows read.</summary>
public class ReaderTests
{
    [Theory]
    [InlineData("a,b\n1,2\n3,4\n", 2)]
    [InlineData("a,b\n1,2\n3,4", 2)]
    [InlineData("a,b\n", 0)]
    [InlineData("a,b", 0)]
    [InlineData("a,b\n1,2\n\n3,4\n\n", 4)]
    public void Row_capacity_is_the_number_of_lines_after_the_header(string text, int rows)
    {
        Assert.Equal(rows, RowCapacity.OfText(text));
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, text);
            Assert.Equal(rows, RowCapacity.OfFile(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_table_with_blank_lines_and_dropped_rows_keeps_exactly_the_rows_read_column_by_column()
    {
        var t = DataTableCsv.ParseText("x,y,z\n1,10,a\n\n2,,b\n3,30,c\n\n4,40,d\n", "t.csv", new TableRequest(["x", "y"], ["z"], DropMissing: true)).Value();
        Assert.Equal(3, t.Rows);
        Assert.Equal(1, t.DroppedRows);
        Assert.Equal([1.0, 3.0, 4.0], t.Column("x"));
        Assert.Equal([10.0, 30.0, 40.0], t.Column("y"));
        Assert.Equal(["a", "c", "d"], t.Labels("z").ToArray());
        Assert.Equal([2, 5, 7], t.Lines.ToArray());
    }

    [Fact]
    public void A_table_longer_than_its_line_count_grows_its_array()
    {
        // carriage returns alone end the records but are not counted as lines
        var t = DataTableCsv.ParseText("x,y\r1,2\r3,4\r5,6\r", "t.csv", new TableRequest(["x", "y"])).Value();
        Assert.Equal(0, RowCapacity.OfText("x,y\r1,2\r3,4\r5,6\r"));
        Assert.Equal([1.0, 3.0, 5.0], t.Column("x"));
        Assert.Equal([2.0, 4.0, 6.0], t.Column("y"));
    }

    [Fact]
    public void Sales_with_blank_lines_keep_every_week_of_every_store()
    {
        var s = SalesCsv.ParseText("Price,S1,S2\n1.5,10,20\n\n2.5,30,40\n3.5,50,60\n\n\n", "s.csv").Value();
        Assert.Equal(3, s.Weeks);
        Assert.Equal([1.5, 2.5, 3.5], s.Prices.ToArray());
        Assert.Equal(3, s.LogSales.RowCount);
        Assert.Equal([Math.Log(10), Math.Log(30), Math.Log(50)], s.LogSales.Column(0).ToArray());
        Assert.Equal([Math.Log(20), Math.Log(40), Math.Log(60)], s.LogSales.Column(1).ToArray());
    }

    [Fact]
    public void Sales_longer_than_their_line_count_grow_the_array()
    {
        var s = SalesCsv.ParseText("Price,S1,S2\r1.5,10,20\r2.5,30,40\r3.5,50,60\r4.5,70,80", "s.csv").Value();
        Assert.Equal(4, s.Weeks);
        Assert.Equal([Math.Log(10), Math.Log(30), Math.Log(50), Math.Log(70)], s.LogSales.Column(0).ToArray());
        Assert.Equal([Math.Log(20), Math.Log(40), Math.Log(60), Math.Log(80)], s.LogSales.Column(1).ToArray());
    }
}
