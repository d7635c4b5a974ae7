using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Gaussian;
using Mixtures.Shell;
using Mixtures.Shell.Commands;

namespace Mixtures.Tests.Gaussian;

/// <summary>
/// Gaussian fits are scale-equivariant: on data whose column j is multiplied by c_j, the fit gives
/// c_j mu_j, c_a c_b Sigma[a,b] and log L - n sum_j log c_j (with reg-covar 0, the ridge being in the
/// data's units), also near the limits of the double range; data whose covariances cannot be
/// represented in their units are refused with a one-line message.
/// </summary>
public class ExtremeScaleTests
{
    private static readonly CovarianceType[] Types = [CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diag, CovarianceType.Spherical];

    private static Matrix<double> Scaled(Matrix<double> X, double[] c) => Matrix<double>.Build.Dense(X.RowCount, X.ColumnCount, (i, j) => X[i, j] * c[j]);

    private static GaussianEstimate Fit(Matrix<double> X, CovarianceType type, double reg = 0.0, int K = 1) =>
        GaussianMixture.Estimate([K], X, new GaussianSettings(type, Starts: 3, RegCovar: reg)).Match(Succ: e => e, Fail: e => throw new Xunit.Sdk.XunitException(e.Message));

    private static string Fail(Matrix<double> X, CovarianceType type, double reg = GaussianFamily.DefaultRegCovar) =>
        GaussianMixture.Estimate([1, 2], X, new GaussianSettings(type, Starts: 2, RegCovar: reg), ["a", "b", "c"])
            .Match(Succ: _ => throw new Xunit.Sdk.XunitException("expected a failure"), Fail: e => e.Message);

    /// <summary>The covariance entry (a, b) of component k in the type's storage.</summary>
    private static double Cov(GaussianComponents c, int k, int a, int b) => c.Covariance(k)[a, b];

    private static void AssertRelative(double expected, double actual, double tol) =>
        Assert.True(Math.Abs(expected - actual) <= tol * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");

    public static TheoryData<CovarianceType> AllTypes() => new(Types);

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void K1_fit_near_1e154_and_1e_minus_150_maps_to_the_unscaled_fit_with_the_log_Jacobian(CovarianceType type)
    {
        var X = GaussianTestData.Correlated(300, 5);
        // per-column scales; a spherical covariance is equivariant only under one common scale
        double[] c = type == CovarianceType.Spherical ? [1e153, 1e153, 1e153] : [1e153, 1e-150, 3.0];
        var small = Fit(X, type).Model.Components;
        var fit = Fit(Scaled(X, c), type);
        var big = fit.Model.Components;
        for (var j = 0; j < 3; j++) AssertRelative(c[j] * small.Means[j], big.Means[j], 1e-14);
        for (var a = 0; a < 3; a++)
        for (var b = 0; b < 3; b++)
            if (Cov(small, 0, a, b) != 0) AssertRelative(c[a] * c[b] * Cov(small, 0, a, b), Cov(big, 0, a, b), 1e-12);
        var n = X.RowCount;
        var jacobian = n * c.Sum(Math.Log);
        var logL = Fit(X, type).Selected.LogLikelihood;
        Assert.True(Math.Abs(fit.Selected.LogLikelihood - (logL - jacobian)) <= 1e-13 * (Math.Abs(logL) + Math.Abs(jacobian)) * 10,
            $"log L {fit.Selected.LogLikelihood:R} vs {logL - jacobian:R}");
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void K1_fit_under_power_of_two_scales_is_exactly_the_scaled_fit(CovarianceType type)
    {
        var X = GaussianTestData.Correlated(300, 6);
        int[] e = type == CovarianceType.Spherical ? [400, 400, 400] : [500, -480, 0];
        var c = e.Select(x => Math.ScaleB(1.0, x)).ToArray();
        var small = Fit(X, type).Model.Components;
        var big = Fit(Scaled(X, c), type).Model.Components;
        for (var j = 0; j < 3; j++) Assert.Equal(Math.ScaleB(small.Means[j], e[j]), big.Means[j]);
        for (var a = 0; a < 3; a++)
        for (var b = 0; b < 3; b++)
            Assert.Equal(Math.ScaleB(Cov(small, 0, a, b), e[a] + e[b]), Cov(big, 0, a, b));
    }

    [Fact]
    public void K2_fit_of_separated_groups_near_1e154_finds_the_same_clusters_as_the_unscaled_data()
    {
        var (X, _, _) = GaussianTestData.Separated(400, 2, 2, 7);
        var c = new[] { 1e153, 1e153 };
        var small = Fit(X, CovarianceType.Full, GaussianFamily.DefaultRegCovar, K: 2);
        var big = Fit(Scaled(X, c), CovarianceType.Full, GaussianFamily.DefaultRegCovar, K: 2);
        for (var i = 0; i < X.RowCount; i++)
        for (var k = 0; k < 2; k++)
            Assert.True(Math.Abs(small.Responsibilities[i, k] - big.Responsibilities[i, k]) < 1e-6, $"row {i}, component {k}");
        for (var t = 0; t < 4; t++) AssertRelative(1e153 * small.Model.Components.Means[t], big.Model.Components.Means[t], 1e-5);
    }

    [Fact]
    public void A_column_whose_variance_overflows_or_underflows_is_refused_naming_it()
    {
        var X = GaussianTestData.Correlated(100, 8);
        var over = Fail(Scaled(X, [1e155, 1, 1]), CovarianceType.Full);
        Assert.StartsWith("column a: its standard deviation 1.99E+155 squared", over);
        Assert.Contains("squared is beyond the largest double", over);
        var under = Fail(Scaled(X, [1, 1e-300, 1]), CovarianceType.Diag);
        Assert.StartsWith("column b: its standard deviation", under);
        Assert.Contains("squared is below the smallest normal double", under);
        Assert.Contains("standardize", under);
    }

    [Fact]
    public void Tiny_data_with_the_default_ridge_says_the_ridge_swamps_the_column()
    {
        var X = GaussianTestData.Correlated(100, 9);
        var msg = Fail(Scaled(X, [1e-150, 1e-150, 1e-150]), CovarianceType.Full);
        Assert.Contains("the ridge swamps it", msg);
        Assert.DoesNotContain("raise reg-covar", msg);
    }

    [Theory]
    [InlineData(1e300)]
    [InlineData(1e-300)]
    public void Standardized_fit_of_data_at_1e300_or_1e_minus_300_equals_that_of_the_unscaled_data(double scale)
    {
        var (X, _, _) = GaussianTestData.Separated(300, 2, 2, 11);
        var settings = new GaussianSettings(Starts: 3, Standardize: true);
        var small = GaussianMixture.Estimate([1, 2], X, settings).Match(Succ: e => e, Fail: e => throw new Xunit.Sdk.XunitException(e.Message));
        var big = GaussianMixture.Estimate([1, 2], Scaled(X, [scale, scale]), settings).Match(Succ: e => e, Fail: e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.Equal(small.SelectedK, big.SelectedK);
        for (var t = 0; t < small.Model.Components.Means.Length; t++)
            Assert.Equal(small.Model.Components.Means[t], big.Model.Components.Means[t], 1e-9);
        for (var j = 0; j < 2; j++) AssertRelative(scale * small.Model.Scaler!.Scale[j], big.Model.Scaler!.Scale[j], 1e-12);
    }

    private static string File(string dir, double scale, int n = 200)
    {
        var path = Path.Combine(dir, $"scaled-{scale.ToString("R", CultureInfo.InvariantCulture)}.csv");
        var rng = new System.Random(1);
        var lines = new List<string> { "a,b" };
        for (var i = 0; i < n; i++)
        {
            // sd about 0.3 (times the scale): at 1e154 the sum of squared deviations overflows
            var a = 1 + (rng.NextDouble() - 0.5);
            var b = 0.5 * a + 2 + 0.6 * (rng.NextDouble() - 0.5);
            lines.Add($"{(a * scale).ToString("R", CultureInfo.InvariantCulture)},{(b * scale).ToString("R", CultureInfo.InvariantCulture)}");
        }
        System.IO.File.WriteAllLines(path, lines);
        return path;
    }

    [Theory]
    [InlineData("full")]
    [InlineData("tied")]
    [InlineData("diag")]
    [InlineData("spherical")]
    public void Cluster_command_fits_values_near_1e154_and_reports_them_in_their_units(string covariance)
    {
        using var t = new TempDir();
        var r = ClusterCommand.Compute(new ClusterCommand.Settings(File(t.Path, 1e154), "a,b", Ks: "1", Covariance: covariance, Quiet: true));
        var o = r.Match(Succ: o => o, Fail: e => throw new Xunit.Sdk.XunitException(e.Message));
        var mean = o.Estimate.Model.Components.Means;
        AssertRelative(1e154, mean[0], 0.1);
        AssertRelative(2.5e154, mean[1], 0.1);
        Assert.True(o.Estimate.Model.Components.Covariances.All(double.IsFinite));
        // the plots' PCA too (its SVD squares the data)
        Assert.Equal(ExitCodes.Ok, ClusterCommand.Run(new ClusterCommand.Settings(File(t.Path, 1e154), "a,b", Ks: "1..2", Covariance: covariance, Quiet: true,
            Plots: Path.Combine(t.Path, "plots"))));
    }

    [Fact]
    public void Cluster_command_on_data_whose_variance_overflows_is_exit_65_with_one_line()
    {
        using var t = new TempDir();
        var (code, stdout, err) = TestSupport.RunCli(["cluster", File(t.Path, 1e156), "--columns", "a,b", "--k", "1"]);
        Assert.Equal(ExitCodes.DataError, code);
        Assert.Equal("", stdout);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("column a: its standard deviation", err);
    }

    [Fact]
    public void Model_on_extreme_data_does_not_depend_on_the_thread_count()
    {
        using var t = new TempDir();
        var file = File(t.Path, 1e154, n: 9000);
        var one = Path.Combine(t.Path, "one.json");
        var two = Path.Combine(t.Path, "two.json");
        string[] args = ["cluster", file, "--columns", "a,b", "--k", "1..2", "--starts", "2", "--quiet"];
        var (c1, _, e1) = TestSupport.RunCli([.. args, "--out", one], env: new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = "1" });
        var (c2, _, e2) = TestSupport.RunCli([.. args, "--out", two], env: new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = "2" });
        Assert.True(c1 == 0, e1);
        Assert.True(c2 == 0, e2);
        Assert.Equal(System.IO.File.ReadAllBytes(one), System.IO.File.ReadAllBytes(two));
    }
}
