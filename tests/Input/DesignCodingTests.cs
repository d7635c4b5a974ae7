using System.Collections.Immutable;
using Mixtures.Domain;
using Mixtures.Domain.Model;

namespace Mixtures.Tests.Input;

/// <summary>
/// <see cref="DesignCoding"/>: covariate columns, some numeric and some text, become a design matrix as R's
/// <c>model.matrix(y ~ x + region)</c> builds it with the default treatment contrasts (levels in sorted order, the
/// first the reference, dummies named column + level).
/// </summary>
public class DesignCodingTests
{
    private static CovariateColumn Num(string name, params double[] v) => new CovariateColumn.Numeric(name, v);
    private static CovariateColumn Text(string name, params string[] v) => new CovariateColumn.Text(name, v);

    private static Failure FailureOf<T>(LanguageExt.Fin<T> fin)
    {
        Assert.False(fin.TryGet(out _, out var error));
        return Assert.IsType<Failure>(error);
    }

    [Fact]
    public void Text_column_becomes_treatment_coded_dummies_named_as_R_names_them()
    {
        var coded = DesignCoding.Fit([Num("x", 0.5, 1.5, 2.5, 3.5), Text("region", "west", "north", "south", "west")], intercept: true).Value();
        // R: colnames(model.matrix(~ x + region)) = "(Intercept)" "x" "regionsouth" "regionwest"
        Assert.Equal(["(Intercept)", "x", "regionsouth", "regionwest"], coded.Coefficients.ToArray());
        Assert.Equal(["x", "regionsouth", "regionwest"], coded.Coding.Names.ToArray());
        var region = coded.Coding.Of("region")!;
        Assert.Equal(["north", "south", "west"], region.Levels.ToArray());
        Assert.Equal("north", region.Reference);
        Assert.Equal(new double[,] { { 0.5, 0, 1 }, { 1.5, 0, 0 }, { 2.5, 1, 0 }, { 3.5, 0, 1 } }, coded.Covariates.ToArray());
        Assert.Equal(new double[,] { { 1, 0.5, 0, 1 }, { 1, 1.5, 0, 0 }, { 1, 2.5, 1, 0 }, { 1, 3.5, 0, 1 } }, coded.Design.ToArray());
        Assert.Equal([0, 1, 1], coded.Coding.Sources.ToArray());
    }

    [Fact]
    public void Levels_are_in_ordinal_order_upper_case_first_as_R_in_the_C_locale()
    {
        var coded = DesignCoding.Fit([Text("g", "b", "a", "B", "A", "b", "ä", "a")], intercept: true).Value();
        var g = coded.Coding.Of("g")!;
        Assert.Equal(["A", "B", "a", "b", "ä"], g.Levels.ToArray());
        Assert.Equal("A", g.Reference);
        Assert.Equal(["gB", "ga", "gb", "gä"], coded.Coding.Names.ToArray());
    }

    [Fact]
    public void Levels_that_are_all_numbers_are_in_numeric_order_as_R_factor_orders_a_numeric_vector()
    {
        var coded = DesignCoding.Fit([Text("year", "2010", "9", "10", "2", "9")], intercept: true).Value();
        Assert.Equal(["2", "9", "10", "2010"], coded.Coding.Of("year")!.Levels.ToArray());
        Assert.Equal(["year9", "year10", "year2010"], coded.Coding.Names.ToArray());
        // decimal commas order numerically too when the file uses them
        var comma = DesignCoding.Fit([Text("d", "1,5", "10", "2")], intercept: true, numbers: NumberCells.Comma).Value();
        Assert.Equal(["1,5", "2", "10"], comma.Coding.Of("d")!.Levels.ToArray());
        // a level that is not a number makes the order ordinal
        Assert.Equal(["10", "9", "x"], CategoricalCoding.Order(["9", "10", "x"]).ToArray());
    }

    [Fact]
    public void Cells_are_trimmed_and_compared_as_text()
    {
        var coded = DesignCoding.Fit([Text("g", " a", "a ", "b")], intercept: true).Value();
        Assert.Equal(["a", "b"], coded.Coding.Of("g")!.Levels.ToArray());
        Assert.Equal([0.0, 0.0, 1.0], coded.Covariates.Column(0).ToArray());
    }

    [Fact]
    public void A_reference_level_can_be_chosen_by_column_ignoring_the_case_of_its_name()
    {
        var refs = new Dictionary<string, string> { ["REGION"] = "west" };
        var coded = DesignCoding.Fit([Text("region", "west", "north", "south")], intercept: true, refs).Value();
        var region = coded.Coding.Of("region")!;
        Assert.Equal(["north", "south", "west"], region.Levels.ToArray());
        Assert.Equal("west", region.Reference);
        Assert.Equal(["(Intercept)", "regionnorth", "regionsouth"], coded.Coefficients.ToArray());
        Assert.Equal(new double[,] { { 0, 0 }, { 1, 0 }, { 0, 1 } }, coded.Covariates.ToArray());
        Assert.Equal(-1, region.DummyOf("west"));
        Assert.Equal(0, region.DummyOf("north"));
        Assert.Equal(-2, region.DummyOf("east"));
    }

    [Fact]
    public void Without_an_intercept_the_first_categorical_column_gets_every_level_as_R_codes_0_plus_f()
    {
        // R: colnames(model.matrix(~ 0 + x + a + b)) = "x" "aa1" "aa2" "bb2"
        var coded = DesignCoding.Fit([Num("x", 1, 2, 3, 4), Text("a", "a1", "a2", "a1", "a2"), Text("b", "b1", "b1", "b2", "b2")], intercept: false).Value();
        Assert.Equal(["x", "aa1", "aa2", "bb2"], coded.Coefficients.ToArray());
        Assert.Null(coded.Coding.Of("a")!.Reference);
        Assert.Equal("b1", coded.Coding.Of("b")!.Reference);
        Assert.Equal(new double[,] { { 1, 1, 0, 0 }, { 2, 0, 1, 0 }, { 3, 1, 0, 1 }, { 4, 0, 1, 1 } }, coded.Covariates.ToArray());
        Assert.Equal(new double[,] { { 1, 1, 0, 0 }, { 2, 0, 1, 0 }, { 3, 1, 0, 1 }, { 4, 0, 1, 1 } }, coded.Design.ToArray());
    }

    [Fact]
    public void Numeric_columns_alone_are_the_columns_themselves()
    {
        var coded = DesignCoding.Fit([Num("x1", 1, 2), Num("x2", 3, 4)], intercept: true).Value();
        Assert.False(coded.Coding.HasCategorical);
        Assert.Equal(["(Intercept)", "x1", "x2"], coded.Coefficients.ToArray());
        Assert.Equal(new double[,] { { 1, 3 }, { 2, 4 } }, coded.Covariates.ToArray());
        var none = DesignCoding.Fit([], intercept: true, rows: 3).Value();
        Assert.Equal(3, none.Design.RowCount);
        Assert.Equal(["(Intercept)"], none.Coefficients.ToArray());
    }

    [Fact]
    public void Applying_a_fitted_coding_to_new_rows_gives_the_same_dummies_and_names_an_unseen_level_by_row_and_column()
    {
        var coding = DesignCoding.Fit([Num("x", 1, 2, 3), Text("region", "north", "south", "west")], intercept: true).Value().Coding;
        var again = coding.Apply([Text("REGION", "west", "north"), Num("x", 7, 8)]).Value();
        Assert.Equal(new double[,] { { 7, 0, 1 }, { 8, 0, 0 } }, again.ToArray());
        Assert.False(coding.Apply([Num("x", 1, 2, 3), Text("region", "north", "east", "south")]).TryGet(out _, out var error));
        var row = Assert.IsType<RowValueError>(error);
        Assert.Equal(1, row.Row);
        Assert.Equal("region", row.Column);
        Assert.Contains("'east' is not one of the levels of region the model was fitted with (north, south, west)", row.Reason);
        Assert.Contains("is categorical in the coding", FailureOf(coding.Apply([Num("x", 1), Num("region", 2)])).Text);
    }

    [Fact]
    public void A_column_with_one_level_has_no_contrast()
    {
        var f = FailureOf(DesignCoding.Fit([Num("x", 1, 2, 3), Text("g", "a", "a", "a")], intercept: true, source: "d.csv"));
        Assert.Equal(ExitCodes.DataError, f.ExitCode);
        Assert.Equal("d.csv: column g: every row has the same value 'a', so as a categorical covariate it has nothing to contrast (it needs at least two levels)", f.Text);
    }

    [Fact]
    public void More_than_50_levels_is_an_error_and_50_are_fine()
    {
        var fifty = Enumerable.Range(0, 50).Select(i => $"L{i:00}").ToArray();
        Assert.Equal(49, DesignCoding.Fit([Text("id", fifty)], intercept: true).Value().Coding.Names.Length);
        var f = FailureOf(DesignCoding.Fit([Text("id", [.. fifty, "L50"])], intercept: true, source: "d.csv"));
        Assert.Equal(ExitCodes.DataError, f.ExitCode);
        Assert.StartsWith("d.csv: column id: 51 distinct values, but a categorical covariate may have at most 50 levels", f.Text);
    }

    [Theory]
    [InlineData("region", "east", "d.csv: --reference region=east: column region has no level 'east' (its levels: north, south, west)")]
    [InlineData("x", "1", "d.csv: --reference x=1: column x holds numbers, so it has no levels (add --categorical x to code it as categorical)")]
    [InlineData("size", "big", "d.csv: --reference size=big: column size is not one of the covariates (x, region)")]
    public void A_bad_reference_is_a_usage_error_naming_the_file_and_column(string column, string level, string message)
    {
        var refs = new Dictionary<string, string> { [column] = level };
        var f = FailureOf(DesignCoding.Fit([Num("x", 1, 2, 3), Text("region", "north", "south", "west")], intercept: true, refs, "d.csv"));
        Assert.Equal(ExitCodes.Usage, f.ExitCode);
        Assert.Equal(message, f.Text);
    }

    [Fact]
    public void A_reference_for_the_fully_coded_column_without_intercept_is_an_error()
    {
        var refs = new Dictionary<string, string> { ["g"] = "b" };
        var f = FailureOf(DesignCoding.Fit([Text("g", "a", "b")], intercept: false, refs, "d.csv"));
        Assert.Equal(ExitCodes.Usage, f.ExitCode);
        Assert.Contains("without an intercept the first categorical column, g, gets a dummy for every level", f.Text);
    }

    [Fact]
    public void A_dummy_named_like_another_column_is_an_error()
    {
        var f = FailureOf(DesignCoding.Fit([Num("regionsouth", 1, 2), Text("region", "north", "south")], intercept: true, source: "d.csv"));
        Assert.Equal(ExitCodes.DataError, f.ExitCode);
        Assert.Contains("the dummy regionsouth of column region has the name of column regionsouth", f.Text);
    }

    [Fact]
    public void A_stored_coding_is_checked_when_it_is_read_back()
    {
        CategoricalCoding C(string? reference, params string[] levels) => new("region", levels.ToImmutableArray(), reference);
        Assert.True(DesignCoding.Create(["x", "region"], [C("north", "north", "south")], true).TryGet(out var ok, out _));
        Assert.Equal(["(Intercept)", "x", "regionsouth"], ok.Coefficients.ToArray());
        Assert.Contains("'east' is not one of its levels", FailureOf(DesignCoding.Create(["x", "region"], [C("east", "north", "south")], true)).Text);
        Assert.Contains("at least two levels", FailureOf(DesignCoding.Create(["region"], [C("north", "north")], true)).Text);
        Assert.Contains("needs a reference level", FailureOf(DesignCoding.Create(["region"], [C(null, "north", "south")], true)).Text);
        Assert.Contains("no reference level", FailureOf(DesignCoding.Create(["region"], [C("north", "north", "south")], false)).Text);
        Assert.Contains("not one of the covariates", FailureOf(DesignCoding.Create(["x"], [C("north", "north", "south")], true)).Text);
        Assert.Contains("listed twice", FailureOf(DesignCoding.Create(["region"], [C("north", "north", "south", "north")], true)).Text);
    }

    [Fact]
    public void Covariate_options_parse_repeated_and_comma_separated_values()
    {
        var o = CovariateOptions.Parse(["year", "Code,year"], ["region=south,size=big", "name=Smith, John", "shop=a=b"], ["x", "year", "code", "region", "size", "name", "shop"]).Value();
        Assert.Equal(["year", "code"], o.Categorical.ToArray());
        Assert.True(o.IsForced("YEAR"));
        Assert.Equal("south", o.References["REGION"]);
        Assert.Equal("big", o.References["size"]);
        Assert.Equal("Smith, John", o.References["name"]);
        Assert.Equal("a=b", o.References["shop"]);
        Assert.Contains("--categorical: 'month' is not one of the --x columns (x, year)", FailureOf(CovariateOptions.Parse(["month"], null, ["x", "year"])).Text);
        Assert.Contains("--reference: 'south' is not column=level", FailureOf(CovariateOptions.Parse(null, ["south"], ["region"])).Text);
        Assert.Contains("two reference levels ('a' and 'b')", FailureOf(CovariateOptions.Parse(null, ["g=a", "g=b"], ["g"])).Text);
        Assert.Equal(ExitCodes.Usage, FailureOf(CovariateOptions.Parse(["month"], null, ["x"])).ExitCode);
    }
}
