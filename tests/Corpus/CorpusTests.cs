using System.Globalization;
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Data;

namespace Mixtures.Tests.Corpus;

/// <summary>
/// Fast cases of the corpus benchmark (bench/corpus, bench/Corpus): the defaults of every family reach the
/// best-known optimum of the committed fixture bench/corpus/best_known.json (the best of 1000 of our starts and
/// of the mixtools, flexmix, scikit-learn and mclust references polished by our EM) within 1e-6 relative, and BIC
/// picks the K that the best-known values pick among the same K.
/// </summary>
public class CorpusTests
{
    private static readonly string Corpus = Path.Combine(TestSupport.RepoRoot, "bench", "corpus");
    private static readonly Lazy<JsonDocument> Fixture = new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Corpus, "best_known.json"))));

    private static (double[] BestKnown, int[] FreeParameters, int Observations) Expected(string id, int maxK)
    {
        var c = Fixture.Value.RootElement.GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("id").GetString() == id);
        var ks = c.GetProperty("k").EnumerateArray().Take(maxK).ToArray();
        return (ks.Select(k => k.GetProperty("bestKnown").GetDouble()).ToArray(), ks.Select(k => k.GetProperty("freeParameters").GetInt32()).ToArray(),
            c.GetProperty("observations").GetInt32());
    }

    private static void AssertReachesAndSelects<TC>(string id, EstimationPath<TC> path)
    {
        var maxK = path.Fits.Length;
        var (best, k, n) = Expected(id, maxK);
        for (var K = 1; K <= maxK; K++)
        {
            var f = path.For(K)!;
            Assert.True(f.Eligible, $"{id} K = {K}: no eligible fit ({f.Failure})");
            var ll = f.Estimate!.LogLikelihood;
            Assert.True(ll >= best[K - 1] - 1e-6 * Math.Abs(best[K - 1]), $"{id} K = {K}: defaults {ll:R}, best-known {best[K - 1]:R}");
        }
        var bic = best.Select((ll, i) => Selection.Bic(ll, k[i], n)).ToArray();
        Assert.Equal(Array.IndexOf(bic, bic.Min()) + 1, path.SelectedK);
    }

    private static (double[] y, Matrix<double> X) Rows(string file, string y, string x)
    {
        var lines = File.ReadAllLines(Path.Combine(Corpus, "data", file));
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',').Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        int Col(string name) => Array.IndexOf(header, name);
        return (rows.Select(r => r[Col(y)]).ToArray(), Matrix<double>.Build.Dense(rows.Length, 1, (i, _) => rows[i][Col(x)]));
    }

    [Theory]
    [InlineData("tonedata.csv", "tuned", "stretchratio", "regression/tonedata", 4)]
    [InlineData("CO2data.csv", "CO2", "GNP", "regression/CO2data", 2)]
    [InlineData("NOdata.csv", "NO", "Equivalence", "regression/NOdata", 2)]
    public void Regression_defaults_reach_the_best_known_optimum(string file, string y, string x, string id, int maxK)
    {
        var (yv, X) = Rows(file, y, x);
        var data = LatentClassRegression.Data(yv, LatentClassRegression.Design(X));
        var path = LatentClassRegression.Estimate(Enumerable.Range(1, maxK), data, RegressionSettings.Default).Value();
        AssertReachesAndSelects(id, path);
    }

    [Theory]
    [InlineData("faithful", "tied", false, 5)]
    [InlineData("faithful", "full", true, 3)]
    [InlineData("iris", "tied", true, 6)]
    [InlineData("diabetes", "spherical", true, 6)]
    [InlineData("thyroid", "diag", false, 6)]
    public void Gaussian_defaults_reach_the_best_known_optimum(string name, string covariance, bool standardized, int maxK)
    {
        var lines = File.ReadAllLines(Path.Combine(Corpus, "data", name + ".csv"));
        var columns = lines[0].Split(',');
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',').Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var X = Matrix<double>.Build.Dense(rows.Length, columns.Length, (i, j) => rows[i][j]);
        var settings = GaussianSettings.Default with { Covariance = CovarianceTypes.Parse(covariance)!.Value, Standardize = standardized };
        var est = GaussianMixture.Estimate(Enumerable.Range(1, maxK), X, settings, columns).Value();
        AssertReachesAndSelects($"gaussian/{name}/{(standardized ? "std" : "raw")}/{covariance}", est.Estimation);
    }

    [Fact]
    public void Sales_defaults_reach_the_best_known_optimum_on_the_bundled_sample()
    {
        var input = SalesCsv.Read(Path.Combine(TestSupport.RepoRoot, "data", "sales.csv")).Value();
        var path = SalesModel.EstimatePath([1, 2, 3, 4, 5], input.LogSales, SalesModel.Design(input.Prices),
            new EstimationSettings(SalesModel.Plan(), 1, SalesModel.EstimationOptions));
        AssertReachesAndSelects("sales/sales.csv", path);
    }

    [Fact]
    public void Sales_defaults_reach_the_best_known_optimum_on_student_609948_above_the_true_K()
    {
        // formerly K = 4 ended 0.096 below the best optimum, so our own default fit scored 87.5% in the grader
        var s = Mixtures.Domain.Simulate.StudentData.Simulate(Mixtures.Domain.Simulate.StudentNumber.Parse("609948").Value());
        var path = SalesModel.EstimatePath([1, 2, 3, 4], s.Sales.Map(Math.Log), SalesModel.Design(s.Prices),
            new EstimationSettings(SalesModel.Plan(), 1, SalesModel.EstimationOptions));
        AssertReachesAndSelects("sales/student 609948", path);
    }
}
