using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Mixtures.Domain;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Shell;

namespace Mixtures.Tests.Gaussian;

/// <summary>
/// <c>mixtures predict</c> on extreme new rows: posteriors are computed in log space, so rows far from
/// every cluster or class still get a valid class; predictions beyond the double range and rows that
/// cannot be standardized are one-line errors naming the file, the row and the column.
/// </summary>
public class FarOutPredictionTests
{
    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static GaussianModel TwoClusters(CovarianceType type)
    {
        var (X, _, _) = GaussianTestData.Separated(400, 2, 2, 17);
        return GaussianMixture.Estimate([2], X, new GaussianSettings(type, Starts: 3))
            .Match(Succ: e => e.Model, Fail: e => throw new Xunit.Sdk.XunitException(e.Message));
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Tied)]
    [InlineData(CovarianceType.Diag)]
    [InlineData(CovarianceType.Spherical)]
    public void Points_1e200_away_get_the_class_of_their_direction_not_a_uniform_posterior(CovarianceType type)
    {
        var model = TwoClusters(type);
        // along each direction, a point 1e6 away (densities underflow, log densities do not) and 1e200
        // away (the squared distances overflow): the far point's class is the nearer point's
        double[][] directions = [[1, 1], [1, -1], [-1, 0.3], [0.2, -1]];
        var X = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(2 * directions.Length, 2, (i, j) => directions[i / 2][j] * (i % 2 == 0 ? 1e6 : 1e200));
        var (W, logL) = model.Posterior(X).Match(Succ: p => p, Fail: e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.Equal(double.NegativeInfinity, logL);
        for (var d = 0; d < directions.Length; d++)
        {
            var near = W.Row(2 * d);
            var far = W.Row(2 * d + 1);
            Assert.All(far, v => Assert.True(double.IsFinite(v)));
            Assert.Equal(1.0, far.Sum(), 12);
            Assert.Equal(near.MaximumIndex(), far.MaximumIndex());
            Assert.True(far.Maximum() > 0.999, $"direction {d}: {far}");
        }
    }

    [Fact]
    public void Far_rows_leave_the_posterior_of_ordinary_rows_unchanged_bit_for_bit()
    {
        var model = TwoClusters(CovarianceType.Full);
        var (X, _, _) = GaussianTestData.Separated(50, 2, 2, 18);
        var alone = model.Posterior(X).Match(Succ: p => p.W, Fail: e => throw new Xunit.Sdk.XunitException(e.Message));
        var withFar = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(51, 2, (i, j) => i < 50 ? X[i, j] : 1e300);
        var both = model.Posterior(withFar).Match(Succ: p => p.W, Fail: e => throw new Xunit.Sdk.XunitException(e.Message));
        for (var i = 0; i < 50; i++)
        for (var k = 0; k < 2; k++) Assert.Equal(alone[i, k], both[i, k]);
    }

    private static string Write(string dir, string name, string text)
    {
        var p = Path.Combine(dir, name);
        File.WriteAllText(p, text);
        return p;
    }

    private static string ClusterModel(string dir, bool standardize)
    {
        var (X, _, _) = GaussianTestData.Separated(200, 2, 2, 19);
        var lines = new List<string> { "A,B" };
        for (var i = 0; i < X.RowCount; i++) lines.Add($"{R(X[i, 0])},{R(X[i, 1])}");
        var data = Write(dir, "fit.csv", string.Join('\n', lines) + "\n");
        var model = Path.Combine(dir, "model.json");
        string[] args = ["cluster", data, "--columns", "A,B", "--k", "2", "--starts", "2", "--quiet", "--out", model];
        var (code, _, err) = TestSupport.RunCli(standardize ? [.. args, "--standardize"] : args);
        Assert.True(code == 0, err);
        return model;
    }

    [Fact]
    public void A_subnormal_scaler_scale_is_exit_65_with_one_line_naming_the_field()
    {
        using var t = new TempDir();
        var model = ClusterModel(t.Path, standardize: true);
        var node = JsonNode.Parse(File.ReadAllText(model))!;
        node["scaler"]!["scale"]![0] = 1e-320;
        var edited = Write(t.Path, "edited.json", node.ToJsonString());
        var (code, stdout, err) = TestSupport.RunCli(["predict", "--model", edited, Path.Combine(t.Path, "fit.csv")]);
        Assert.Equal(ExitCodes.DataError, code);
        Assert.Equal("", stdout);
        Assert.Equal("mixtures: error: " + edited + ": \"scaler.scale\"[0] is 9.99989E-321: a scale must be positive and a normal double (at least 2.2E-308)", err.Trim());
    }

    [Fact]
    public void A_row_whose_standardized_value_overflows_is_exit_65_naming_its_line_and_column()
    {
        using var t = new TempDir();
        var model = ClusterModel(t.Path, standardize: true);
        var rows = Write(t.Path, "new.csv", "A,B\n1,2\n3,1e308\n");
        var output = Path.Combine(t.Path, "labels.csv");
        var node = JsonNode.Parse(File.ReadAllText(model))!;
        node["scaler"]!["scale"]![1] = 1e-3;
        var edited = Write(t.Path, "edited.json", node.ToJsonString());
        var (code, _, err) = TestSupport.RunCli(["predict", "--model", edited, rows, "--out", output]);
        Assert.Equal(ExitCodes.DataError, code);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"mixtures: error: {rows}: row 3, column B: 1E+308 is too far from the scaler's mean", err);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Cluster_predict_on_far_rows_writes_valid_probabilities()
    {
        using var t = new TempDir();
        var model = ClusterModel(t.Path, standardize: false);
        var rows = Write(t.Path, "far.csv", "A,B\n1,2\n1e200,1e200\n-1e300,1e300\n");
        var (code, stdout, err) = TestSupport.RunCli(["predict", "--model", model, rows]);
        Assert.True(code == 0, err);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.All(f, v => Assert.True(double.IsFinite(v), line));
            Assert.Equal(1.0, f[3] + f[4], 12);
            Assert.NotEqual(0.5, f[2]);
        }
    }

    private static readonly RegressionComponents Classes = new([
        new RegressionClass([1.0, 2.0], 0.5),
        new RegressionClass([5.0, -1.0], 2.0),
        new RegressionClass([0.0, 0.5], 1.0)]);

    private static readonly MixingWeights Pi = MixingWeights.Of([0.3, 0.3, 0.4]);

    private static MathNet.Numerics.LinearAlgebra.Matrix<double> Design(params double[] x) =>
        MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(x.Length, 2, (i, j) => j == 0 ? 1.0 : x[i]);

    [Fact]
    public void A_response_1e300_away_goes_to_the_widest_class_with_probability_1()
    {
        // (y - x'beta_c) / sigma_c is about y / sigma_c for every class: the largest sigma is nearest
        var p = LatentClassRegression.Predict(Classes, Pi, Design(0.5, 0.5, 0.5), [2.0, 1e300, -1e300]);
        for (var i = 1; i < 3; i++)
        {
            Assert.Equal(1.0, p.Posterior![i, 1]);
            Assert.True(p.Posterior[i, 0] < 1e-300 && p.Posterior[i, 2] < 1e-300);
        }
    }

    [Fact]
    public void With_a_common_sigma_a_response_1e300_away_goes_to_the_class_with_the_largest_prediction()
    {
        // equal sigmas: log f_c - log f_m = -((y - p_c)^2 - (y - p_m)^2) / (2 sigma^2), linear in y, so for
        // y = +1e300 the highest line wins and for y = -1e300 the lowest (a 1e-300 relative difference)
        var common = new RegressionComponents([new RegressionClass([1.0, 2.0], 1.0), new RegressionClass([5.0, -1.0], 1.0), new RegressionClass([0.0, 0.5], 1.0)]);
        var p = LatentClassRegression.Predict(common, Pi, Design(0.5, 0.5, 10), [1e300, -1e300, 1e300]);
        Assert.Equal(1.0, p.Posterior![0, 1]); // predictions 2, 4.5, 0.25 at x = 0.5
        Assert.Equal(1.0, p.Posterior[1, 2]);
        Assert.Equal(1.0, p.Posterior[2, 0]); // 21, -5, 5 at x = 10
    }

    [Theory]
    [InlineData(1e300)]
    [InlineData(1e-300)]
    public void Posteriors_of_a_model_and_rows_scaled_by_c_equal_those_of_the_unscaled_ones(double c)
    {
        var scaled = new RegressionComponents(Classes.Classes.Select(k => new RegressionClass([c * k.Beta[0], k.Beta[1]], c * k.Sigma)).ToImmutableArray());
        double[] x = [0.3, 1.7, -2, 0.9];
        double[] y = [2.0, 3.5, 1.0, -0.4];
        var a = LatentClassRegression.Predict(Classes, Pi, Design(x), y).Posterior!;
        var b = LatentClassRegression.Predict(scaled, Pi, Design(x.Select(v => v * c).ToArray()), y.Select(v => v * c).ToArray()).Posterior!;
        for (var i = 0; i < x.Length; i++)
        for (var k = 0; k < 3; k++) Assert.Equal(a[i, k], b[i, k], 1e-12);
    }

    [Fact]
    public void An_ordinary_row_beside_a_1e300_row_keeps_its_posterior()
    {
        var alone = LatentClassRegression.Predict(Classes, Pi, Design(0.3, 1.7), [2.0, 3.5]).Posterior!;
        var beside = LatentClassRegression.Predict(Classes, Pi, Design(0.3, 1.7, 1e300), [2.0, 3.5, 1.0]).Posterior!;
        for (var i = 0; i < 2; i++)
        for (var c = 0; c < 3; c++) Assert.Equal(alone[i, c], beside[i, c], 1e-12);
        Assert.Equal(1.0, beside.Row(2).Sum(), 12);
    }

    [Fact]
    public void A_prediction_beyond_the_double_range_is_exit_65_naming_row_and_column()
    {
        using var t = new TempDir();
        var model = Write(t.Path, "model.json", "{ \"kind\": \"regression\", \"y\": \"y\", \"x\": [\"x1\"], \"intercept\": true, \"selected\": { \"classes\": [ " +
                                                "{ \"beta\": [1, 2e10], \"sigma\": 1, \"pi\": 0.25 }, { \"beta\": [5, -1], \"sigma\": 0.5, \"pi\": 0.75 } ] } }");
        var rows = Write(t.Path, "new.csv", "x1\n1\n2\n1e300\n");
        var output = Path.Combine(t.Path, "pred.csv");
        var (code, _, err) = TestSupport.RunCli(["predict", "--model", model, rows, "--out", output]);
        Assert.Equal(ExitCodes.DataError, code);
        Assert.Equal($"mixtures: error: {rows}: row 4, column x1: 1E+300 times class 1's coefficient 2E+10 makes the prediction of class 1 overflow (beyond 1.8E+308)", err.Trim());
        Assert.False(File.Exists(output));
    }
}
