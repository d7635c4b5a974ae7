using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Data;

namespace Mixtures.Tests;

/// <summary>
/// The bundled sample data/sales.csv fitted by an independent NumPy implementation of the sales model
/// (reference/sales_em_numpy.py, 200 random starts per K, stop at max |dW| &lt; 1e-12; its output
/// reference/sales_em_numpy.json is committed beside it). Python is not needed at test time.
/// </summary>
public sealed class SalesReferenceTests(SalesReferenceTests.Fixture fx) : IClassFixture<SalesReferenceTests.Fixture>
{
    /// <summary>The sample, the reference file and our Estimate for K = 1..4 (default 10 starts, seed 1), computed once.</summary>
    public sealed class Fixture
    {
        public Matrix<double> Y { get; }
        public Matrix<double> X { get; }
        public JsonElement Reference { get; }
        public IReadOnlyDictionary<int, SalesEstimate> Estimates { get; }

        public Fixture()
        {
            var input = SalesCsv.Read(Path.Combine(RepositoryRoot(), "data", "sales.csv")).Value();
            Y = input.LogSales;
            X = SalesModel.Design(input.Prices);
            Reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "reference", "sales_em_numpy.json"))).RootElement;
            Estimates = Ks.ToDictionary(k => k, k => SalesModel.Estimate(k, Y, X).Value());
        }

        public JsonElement Model(int K) => Reference.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("K").GetInt32() == K);
    }

    private static readonly int[] Ks = [1, 2, 3, 4];

    public static TheoryData<int> KValues => new(Ks);

    public static TheoryData<int> FixedCases => new(Enumerable.Range(0, 5));

    [Fact]
    public void Reference_file_describes_the_bundled_sample()
    {
        var data = fx.Reference.GetProperty("data");
        Assert.Equal(fx.Y.ColumnCount, data.GetProperty("stores").GetInt32());
        Assert.Equal(fx.Y.RowCount, data.GetProperty("weeks").GetInt32());
        Assert.Equal(FixedCases.Count, fx.Reference.GetProperty("fixed").GetArrayLength());
        Assert.Equal(Ks, fx.Reference.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("K").GetInt32()));
    }

    [Theory]
    [MemberData(nameof(FixedCases))]
    public void LogL_at_fixed_parameters_matches_numpy_to_1e9_relative(int index)
    {
        var c = fx.Reference.GetProperty("fixed")[index];
        var theta = Theta.Of(Rows(c.GetProperty("theta")).Select(r => new Segment(r[0], r[1])));
        var pi = MixingWeights.Of(Numbers(c.GetProperty("pi")));
        var expected = c.GetProperty("logLikelihood").GetDouble();

        var actual = SalesModel.LogL(theta, pi, fx.Y, fx.X);

        Assert.True(Math.Abs(actual - expected) <= 1e-9 * Math.Abs(expected),
            $"LogL = {actual:R}, NumPy {expected:R}, difference {actual - expected:E3}");
    }

    [Theory]
    [MemberData(nameof(KValues))]
    public void Estimate_reaches_the_numpy_best_log_likelihood_to_1e6(int K)
    {
        var expected = fx.Model(K).GetProperty("logLikelihood").GetDouble();
        var actual = fx.Estimates[K].LogLikelihood;

        Assert.True(Math.Abs(actual - expected) <= 1e-6,
            $"K = {K}: Estimate log L = {actual:R}, NumPy best of {fx.Model(K).GetProperty("starts").GetInt32()} starts = {expected:R}, difference {actual - expected:E3}");
    }

    [Theory]
    [MemberData(nameof(KValues))]
    public void Estimate_theta_and_pi_match_numpy_after_ordering_by_alpha(int K)
    {
        var m = fx.Model(K);
        var refRows = Rows(m.GetProperty("theta"));
        var refPi = Numbers(m.GetProperty("pi"));
        var refOrder = Enumerable.Range(0, K).OrderBy(c => refRows[c][0]).ToArray();
        var est = fx.Estimates[K];
        var order = Enumerable.Range(0, K).OrderBy(c => est.Theta.Segments[c].Alpha).ToArray();

        for (var j = 0; j < K; j++)
        {
            var (ours, theirs) = (est.Theta.Segments[order[j]], refRows[refOrder[j]]);
            Assert.True(Math.Abs(ours.Alpha - theirs[0]) <= 1e-6, $"K = {K}, segment {j + 1}: alpha {ours.Alpha:R} vs NumPy {theirs[0]:R}");
            Assert.True(Math.Abs(ours.Beta - theirs[1]) <= 1e-6, $"K = {K}, segment {j + 1}: beta {ours.Beta:R} vs NumPy {theirs[1]:R}");
            Assert.True(Math.Abs(est.Pi.Pi[order[j]] - refPi[refOrder[j]]) <= 1e-6, $"K = {K}, segment {j + 1}: pi {est.Pi.Pi[order[j]]:R} vs NumPy {refPi[refOrder[j]]:R}");
        }
    }

    private static double[] Numbers(JsonElement a) => a.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static double[][] Rows(JsonElement a) => a.EnumerateArray().Select(Numbers).ToArray();

    /// <summary>The folder holding Functional.sln, found by walking up from the test binaries.</summary>
    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Functional.sln"))) return d.FullName;
        throw new InvalidOperationException($"no Functional.sln above {AppContext.BaseDirectory}");
    }
}
