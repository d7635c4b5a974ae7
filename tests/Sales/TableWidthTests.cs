using System.Text.RegularExpressions;
using Mixtures.Domain;
using Mixtures.Domain.Comparison;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Shell.Commands;
using Mixtures.Data;
using Mixtures.Shell.Output;
using Spectre.Console;

namespace Mixtures.Tests.Sales;

/// <summary>
/// The console tables of sales, regress, cluster and compare on the bundled samples, printed by the commands' own
/// functions into a console of a forced width: no line is wider than the console, and every number of the
/// unconstrained output is whole on one line.
/// </summary>
public partial class TableWidthTests
{
    private static string Data(string name) => Path.Combine(TestSupport.RepoRoot, "data", name);

    private static string Render(int width, Action<IAnsiConsole> print)
    {
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        print(console);
        return text.ToString().Replace("\r\n", "\n");
    }

    [GeneratedRegex(@"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?%?")]
    private static partial Regex Number();

    private static Dictionary<string, int> Numbers(string text) =>
        Number().Matches(text).GroupBy(m => m.Value).ToDictionary(g => g.Key, g => g.Count());

    private static void AssertFits(string name, Action<IAnsiConsole> print)
    {
        var wide = Render(1000, print);
        var wideNumbers = Numbers(wide);
        Assert.NotEmpty(wideNumbers);
        foreach (var width in new[] { 80, 100 })
        {
            var narrow = Render(width, print);
            var lines = narrow.Split('\n');
            foreach (var line in lines)
                Assert.True(line.Length <= width, $"{name} at {width} columns: a line of {line.Length} characters:\n{line}\n\n{narrow}");
            var narrowNumbers = Numbers(narrow);
            foreach (var (number, count) in wideNumbers)
                Assert.True(narrowNumbers.GetValueOrDefault(number) >= count,
                    $"{name} at {width} columns: {number} appears {count} times whole at full width, {narrowNumbers.GetValueOrDefault(number)} at {width}:\n{narrow}");
        }
    }

    [Fact]
    public void Sales_tables_fit_80_and_100_columns()
    {
        var input = SalesCsv.Read(Data("sales.csv")).Value();
        var X = SalesModel.Design(input.Prices);
        var settings = new EstimationSettings(SalesModel.Plan(), 1, SalesModel.EstimationOptions);
        var path = SalesModel.EstimatePath([1, 2, 3, 4, 5], input.LogSales, X, settings);
        var estimates = path.Fits.Select(f => SalesModel.ToSalesEstimate(f, input.LogSales, X)).ToList();
        AssertFits("sales", c => SalesTables.Print(input, estimates, path.SelectedK!.Value, settings, c));
    }

    [Fact]
    public void Regression_tables_fit_80_and_100_columns()
    {
        var columns = RegressionColumns.Parse("y", "x1,x2", null, false).Value();
        var input = RegressionInput.Read(Data("regression.csv"), columns, null, false).Value();
        var data = input.Data();
        var settings = new RegressionSettings(VarianceModel.PerClass);
        var path = LatentClassRegression.Estimate([1, 2, 3, 4], data, settings).Value();
        var selected = path.Selected!;
        var best = selected.Estimate!.Best;
        var inference = LatentClassRegression.StandardErrors(best.Mixture.Components, best.Mixture.Weights, data, settings.Variance);
        var profiles = LatentClassRegression.Profiles(LatentClassRegression.Responsibilities(best, data, settings.Variance), data, input.Y, input.Covariates);
        AssertFits("regress", c => RegressionTables.Print(input, settings, path, selected, SelectionCriterion.Bic, inference, profiles, c));
    }

    [Fact]
    public void Cluster_tables_fit_80_and_100_columns()
    {
        var o = ClusterCommand.Compute(new ClusterCommand.Settings(Data("customers.tsv"),
            "MntWines,MntFruits,MntMeatProducts,MntFishProducts,MntSweetProducts,MntGoldProds", Ks: "1..7", Starts: 3, Standardize: true)).Value();
        AssertFits("cluster", c => ClusterTables.Print(o.Table, o.Estimate, o.Profiles, o.Confidence, c));
    }

    [Fact]
    public void Compare_tables_fit_80_and_100_columns()
    {
        var input = CompareInput.Read(Data("regression.csv"), CompareColumns.Parse("y", "x1,x2", "true_class").Value()).Value();
        var settings = new ComparisonSettings();
        var result = ModelComparison.Compare(input.Data, settings).Value();
        var json = CompareResults.From(input, "auto", settings, result);
        AssertFits("compare", c => CompareTables.Print(input, result, json, c));
    }
}
