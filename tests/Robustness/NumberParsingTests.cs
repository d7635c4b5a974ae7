using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Data;
using Mixtures.Tests.Instructor;
using Xunit;

namespace Mixtures.Tests.Robustness;

/// <summary>Numbers are read in the invariant culture with NumberStyles.Float only: a comma is never a
/// thousands separator, a file with decimal commas is an error naming file, row, column and the fix, and
/// <c>--decimal-comma</c> reads it.</summary>
public class NumberParsingTests
{
    private static DataTable Table(string text, NumberCells? numbers = null, char? sep = null) =>
        DataTableCsv.ParseText(text, "f.csv", new TableRequest(["a", "b"], Separator: sep, Numbers: numbers)).Value();

    private static string Error(string text, NumberCells? numbers = null, char? sep = null, bool drop = false) =>
        DataTableCsv.ParseText(text, "f.csv", new TableRequest(["a", "b"], Separator: sep, Numbers: numbers, DropMissing: drop))
            .Match(Succ: _ => throw new Xunit.Sdk.XunitException("expected a failure"), Fail: e => e.Message);

    [Theory]
    [InlineData("a,b\n\"0,5\",1\n2,3\n", "row 2, column a: '0,5' has a comma")]
    [InlineData("a,b\n\"2,25\",1\n2,3\n", "row 2, column a: '2,25' has a comma")]
    [InlineData("a,b\n1,\"1,000\"\n2,3\n", "row 2, column b: '1,000' has a comma")]
    [InlineData("a;b\n1;2\n0,5;1,5\n", "row 3, column a: '0,5' has a comma")]
    public void A_comma_in_a_number_is_an_error_naming_file_row_and_column(string text, string expected)
    {
        var message = Error(text);
        Assert.StartsWith("f.csv: ", message);
        Assert.Contains(expected, message);
    }

    [Fact]
    public void A_decimal_comma_error_names_the_fix_and_is_not_hidden_by_drop_missing()
    {
        var message = Error("a;b\n0,5;1,5\n2;3\n", drop: true);
        Assert.Contains("--decimal-comma", message);
        Assert.DoesNotContain("--drop-missing", message);
    }

    [Fact]
    public void Decimal_comma_reads_a_european_export_exactly()
    {
        var t = Table("a;b\n0,5;1,25\n-2,75;3e2\n1;2,5E-3\n", NumberCells.Comma);
        Assert.Equal(';', t.Separator);
        Assert.Equal(new[] { 0.5, -2.75, 1.0 }, t.Column("a"));
        Assert.Equal(new[] { 1.25, 300.0, 0.0025 }, t.Column("b"));
    }

    [Fact]
    public void Decimal_comma_is_the_same_as_decimal_point_on_the_same_numbers()
    {
        var point = Table("a\tb\n0.125\t-7.5\n3\t1e-300\n", sep: '\t');
        var comma = Table("a\tb\n0,125\t-7,5\n3\t1e-300\n", NumberCells.Comma, '\t');
        Assert.Equal(point.Values.ToColumnMajorArray(), comma.Values.ToColumnMajorArray());
    }

    [Theory]
    [InlineData("a;b\n1.234,5;1\n2;3\n", "'1.234,5' has a point")]
    [InlineData("a;b\n1.5;1\n2;3\n", "'1.5' has a point")]
    public void With_decimal_comma_a_point_is_an_error(string text, string expected) =>
        Assert.Contains(expected, Error(text, NumberCells.Comma));

    [Fact]
    public void Decimal_comma_with_a_comma_separator_is_a_usage_error()
    {
        var fin = DataTableCsv.ParseText("a,b\n1,2\n3,4\n", "f.csv", new TableRequest(["a", "b"], Separator: ',', Numbers: NumberCells.Comma));
        Assert.True(fin.IsFail);
        fin.IfFail(e =>
        {
            Assert.Contains("--decimal-comma", e.Message);
            Assert.Equal(Mixtures.Data.ExitCodes.Usage, Mixtures.Data.Failure.ExitCodeOf(e));
        });
    }

    [Theory]
    [InlineData("a,b,a\n1,2,3\n", "'a' appears twice (columns 1 and 3)")]
    [InlineData("a,b,B\n1,2,3\n", "'B' appears twice (columns 2 and 3)")]
    public void Duplicate_column_names_are_an_error(string text, string expected)
    {
        var message = Error(text);
        Assert.Contains("row 1", message);
        Assert.Contains(expected, message);
    }

    [Theory]
    [InlineData("$5")]
    [InlineData("(5)")]
    [InlineData("5-")]
    [InlineData("0x10")]
    [InlineData("1 000")]
    public void Currency_parentheses_trailing_signs_hex_and_spaced_thousands_are_not_numbers(string cell) =>
        Assert.Contains("is not a finite number", Error($"a,b\n\"{cell}\",1\n2,3\n"));

    [Fact]
    public void Sales_files_with_a_comma_in_a_number_name_the_cell_and_decimal_comma_reads_them()
    {
        var bad = SalesCsv.ParseText("Price,S1,S2\n1,2,3\n\"1,5\",2,3\n2,4,5\n", "s.csv");
        Assert.True(bad.IsFail);
        bad.IfFail(e => Assert.Contains("s.csv: row 3, column Price: '1,5' has a comma", e.Message));
        var good = SalesCsv.ParseText("Price;S1;S2\n1;2;3\n1,5;2,5;3\n2;4;5\n", "s.csv", NumberCells.Comma).Value();
        var same = SalesCsv.ParseText("Price,S1,S2\n1,2,3\n1.5,2.5,3\n2,4,5\n", "s.csv").Value();
        Assert.Equal(same.Prices.ToArray(), good.Prices.ToArray());
        Assert.Equal(same.LogSales.ToColumnMajorArray(), good.LogSales.ToColumnMajorArray());
    }

    [Fact]
    public void A_semicolon_sales_file_read_as_comma_says_which_separator_to_give()
    {
        var fin = SalesCsv.ParseText("Price;S1;S2\n1;2;3\n1,5;2,5;3\n2;4;5\n", "s.csv");
        fin.IfFail(e => Assert.Contains("give --sep ;", e.Message));
        Assert.True(fin.IsFail);
    }

    [Fact]
    public void Duplicate_store_names_are_an_error()
    {
        var fin = SalesCsv.ParseText("Price,S1,S1\n1,2,3\n1.5,2,3\n2,4,5\n", "s.csv");
        Assert.True(fin.IsFail);
        fin.IfFail(e => Assert.Contains("'S1' appears twice", e.Message));
    }

    [Fact]
    public void The_commands_refuse_a_european_file_and_read_it_with_decimal_comma()
    {
        using var dir = new TempFolder();
        var eu = string.Join("\n", Enumerable.Range(0, 40).Select(i => FormattableString.Invariant($"{i % 7 * 0.5 + 1.2};{i * 37 % 11 * 0.25 - 3}").Replace('.', ',')));
        var us = string.Join("\n", Enumerable.Range(0, 40).Select(i => FormattableString.Invariant($"{i % 7 * 0.5 + 1.2},{i * 37 % 11 * 0.25 - 3}")));
        File.WriteAllText(dir.File("eu.csv"), "a;b\n" + eu + "\n");
        File.WriteAllText(dir.File("us.csv"), "a,b\n" + us + "\n");
        var refused = MixturesCli.Run(dir.Path, "cluster", "eu.csv", "--columns", "a,b", "--k", "1..2", "--out", "m.json");
        Assert.Equal(65, refused.ExitCode);
        Assert.Single(refused.ErrorLines);
        Assert.Contains("eu.csv: row 2, column a:", refused.Stderr);
        Assert.Contains("--decimal-comma", refused.Stderr);
        Assert.False(File.Exists(dir.File("m.json")));
        var eur = MixturesCli.Run(dir.Path, "cluster", "eu.csv", "--columns", "a,b", "--k", "1..2", "--decimal-comma", "--out", "eu.json", "--quiet");
        var usr = MixturesCli.Run(dir.Path, "cluster", "us.csv", "--columns", "a,b", "--k", "1..2", "--out", "us.json", "--quiet");
        Assert.Equal(0, eur.ExitCode);
        Assert.Equal(0, usr.ExitCode);
        Assert.Equal(File.ReadAllText(dir.File("us.json")).Replace("us.csv", "F").Replace("\"comma\"", "S"),
            File.ReadAllText(dir.File("eu.json")).Replace("eu.csv", "F").Replace("\"semicolon\"", "S"));
    }
}
