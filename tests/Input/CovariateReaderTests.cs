using LanguageExt;
using Mixtures.Domain;

namespace Mixtures.Tests.Input;

/// <summary>Covariate columns (<see cref="TableRequest.Covariates"/>) are read as numbers or as text as their cells say:
/// text when none of the cells is a number; a column mixing numbers and text is numeric with bad cells.</summary>
public class CovariateReaderTests
{
    private static readonly string[] Y = ["y"];

    private static Fin<DataTable> Read(string text, bool dropMissing = false, NumberCells? numbers = null, string[]? covariates = null) =>
        DataTableCsv.ParseText(text, "t.csv", new TableRequest(Y, DropMissing: dropMissing, Numbers: numbers, Covariates: covariates ?? ["x", "g"]));

    private static string Error(Fin<DataTable> fin)
    {
        Assert.False(fin.TryGet(out _, out var e));
        return e.Message;
    }

    [Fact]
    public void A_column_of_text_is_read_as_labels_and_a_column_of_numbers_as_numbers()
    {
        var t = Read("y,x,g\n1,0.5, north\n2,1.5,south\n3,-2,north\n").Value();
        Assert.Equal(["y", "x"], t.NumericColumns.ToArray());
        Assert.Equal(["g"], t.TextColumns.ToArray());
        Assert.True(t.HasText("g"));
        Assert.False(t.Has("g"));
        Assert.Equal([0.5, 1.5, -2], t.Column("x"));
        Assert.Equal(["north", "south", "north"], t.Labels("g").ToArray());
        // each distinct text is held once
        Assert.Same(t.Labels("g")[0], t.Labels("g")[2]);
    }

    [Fact]
    public void A_column_mixing_numbers_and_text_is_numeric_and_its_first_text_cell_is_the_error()
    {
        Assert.Equal("t.csv: row 4, column x: 'n/a' is not a finite number (use --drop-missing to drop such rows; " +
                     "a covariate is categorical when none of its cells is a number, or when --categorical names it)",
            Error(Read("y,x,g\n1,0.5,a\n2,1.5,b\n3,n/a,a\n4,7,b\n")));
        // whichever comes first in the file
        Assert.Contains("row 2, column x: 'n/a' is not a finite number", Error(Read("y,x,g\n1,n/a,a\n2,1.5,b\n3,2,a\n")));
    }

    [Fact]
    public void With_drop_missing_the_text_cells_of_a_mixed_column_drop_their_rows_and_a_text_column_keeps_them()
    {
        var t = Read("y,x,g\n1,0.5,a\n2,n/a,b\n3,,a\n4,7,\n5,8,b\n6,9,a\n", dropMissing: true).Value();
        Assert.Equal(3, t.DroppedRows);
        Assert.Equal([2, 6, 7], t.Lines.ToArray());
        Assert.Equal([1.0, 5, 6], t.Column("y"));
        Assert.Equal([0.5, 8, 9], t.Column("x"));
        Assert.Equal(["a", "b", "a"], t.Labels("g").ToArray());
    }

    [Fact]
    public void The_kind_of_a_column_comes_from_every_row_also_the_dropped_ones()
    {
        // x's only number is in a row dropped for its missing y: x is still numeric, so 'n/a' is a bad cell
        var t = Read("y,x,g\n,3,a\n1,n/a,b\n2,5,a\n3,6,b\n", dropMissing: true).Value();
        Assert.Equal(2, t.DroppedRows);
        Assert.Equal([5.0, 6], t.Column("x"));
        Assert.Equal(["a", "b"], t.Labels("g").ToArray());
        Assert.Contains("every row has a missing or non-numeric value in the chosen columns (3 dropped)",
            Error(Read("y,x,g\n1,,a\n2,x,b\nz,4,a\n", dropMissing: true)));
    }

    [Fact]
    public void Numbers_with_the_other_decimal_separator_are_a_format_error_not_text()
    {
        Assert.Contains("row 2, column x: '0,5' has a comma; numbers are read with a decimal point (for a file with decimal commas use --decimal-comma)",
            Error(Read("y;x;g\n1;0,5;a\n2;1,5;b\n")));
        Assert.Contains("row 2, column x: '1.5' has a point", Error(Read("y;x;g\n1;1.5;a\n2;2,5;b\n", numbers: NumberCells.Comma)));
        Assert.Contains("'1,000' has a comma", Error(Read("y;x;g\n1;1,000;a\n2;2;b\n", dropMissing: true)));
        // text with a comma is text
        var t = Read("y;x;g\n1;1;\"Smith, John\"\n2;2;Doe\n").Value();
        Assert.Equal(["Smith, John", "Doe"], t.Labels("g").ToArray());
        // a decimal-comma file reads its covariates with decimal commas
        var c = Read("y;x;g\n1;0,5;a\n2;1,5;b\n", numbers: NumberCells.Comma).Value();
        Assert.Equal([0.5, 1.5], c.Column("x"));
    }

    [Fact]
    public void Non_finite_numbers_count_as_numbers_not_as_text()
    {
        Assert.Contains("row 3, column g: 'NaN' is not a finite number", Error(Read("y,x,g\n1,2,3\n2,3,NaN\n")));
    }

    [Fact]
    public void A_text_column_longer_than_the_line_count_grows_with_the_numbers()
    {
        // carriage returns alone end records but are not counted as lines: the arrays start with room for one row
        var t = Read("y,x,g\r1,2,a\r3,4,b\r5,6,c\r7,8,a\r").Value();
        Assert.Equal([1.0, 3, 5, 7], t.Column("y"));
        Assert.Equal([2.0, 4, 6, 8], t.Column("x"));
        Assert.Equal(["a", "b", "c", "a"], t.Labels("g").ToArray());
    }

    [Fact]
    public void Requested_text_columns_stay_first_and_covariates_read_as_text_follow()
    {
        var t = DataTableCsv.ParseText("y,s,g,x\n1,s1,a,2\n2,s2,b,3\n", "t.csv", new TableRequest(Y, ["s"], Covariates: ["g", "x"])).Value();
        Assert.Equal(["s", "g"], t.TextColumns.ToArray());
        Assert.Equal(["y", "x"], t.NumericColumns.ToArray());
    }
}
