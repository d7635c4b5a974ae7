using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Comparison;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Shell;
using Mixtures.Shell.Commands;

namespace Mixtures.Tests.Regression;

/// <summary>
/// Latent class regression, OLS and their identifiability checks do not depend on the units of y and
/// the covariates: with y multiplied by c and every covariate by c, the intercepts and sigmas scale by c,
/// the slopes stay, and log L = log L(original) - n log c, also at c = 1e300 and 1e-300.
/// </summary>
public class ExtremeScaleRegressionTests
{
    private static (double[] Y, Matrix<double> X) Scaled(double c)
    {
        var s = Example.Sample;
        var y = s.Y.Select(v => v * c).ToArray();
        var X = LatentClassRegression.Design(s.Covariates.Map(v => v * c), intercept: true);
        return (y, X);
    }

    private static void AssertRelative(double expected, double actual, double tol, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tol * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R}");

    private static EstimationPath<RegressionComponents> Path(double[] y, Matrix<double> X) =>
        LatentClassRegression.Estimate([1, 2, 3], LatentClassRegression.Data(y, X), new RegressionSettings(VarianceModel.PerClass, Starts: 6))
            .Match(Succ: p => p, Fail: e => throw new Xunit.Sdk.XunitException(e.Message));

    [Theory]
    [InlineData(1e300)]
    [InlineData(1e-300)]
    [InlineData(1e150)]
    public void Fit_of_y_and_x_scaled_by_c_is_the_scaled_fit_with_the_log_Jacobian(double c)
    {
        var (y0, X0) = Scaled(1.0);
        var (y, X) = Scaled(c);
        var small = Path(y0, X0);
        var big = Path(y, X);
        Assert.Equal(small.SelectedK, big.SelectedK);
        var n = y.Length;
        foreach (var K in new[] { 1, 2, 3 })
        {
            var a = small.Fits[K - 1].Estimate!;
            var b = big.Fits[K - 1].Estimate!;
            var shift = n * Math.Log(c);
            Assert.True(Math.Abs(b.LogLikelihood - (a.LogLikelihood - shift)) <= 1e-9 * (Math.Abs(a.LogLikelihood) + Math.Abs(shift)),
                $"K = {K}: log L {b.LogLikelihood:R}, expected {a.LogLikelihood - shift:R}");
            for (var k = 0; k < K; k++)
            {
                var ca = a.Best.Mixture.Components.Classes[k];
                var cb = b.Best.Mixture.Components.Classes[k];
                AssertRelative(c * ca.Beta[0], cb.Beta[0], 1e-6, $"K = {K}, class {k + 1}: intercept");
                for (var j = 1; j < ca.Beta.Length; j++) Assert.Equal(ca.Beta[j], cb.Beta[j], 1e-6);
                AssertRelative(c * ca.Sigma, cb.Sigma, 1e-6, $"K = {K}, class {k + 1}: sigma");
                Assert.Equal(a.Best.Mixture.Weights.Pi[k], b.Best.Mixture.Weights.Pi[k], 1e-6);
            }
        }
    }

    [Fact]
    public void One_class_fit_under_power_of_two_scales_is_exactly_the_scaled_fit_and_its_standard_errors_too()
    {
        var s = Example.Sample;
        const int ey = 900, ex = 880;
        var y = s.Y.Select(v => Math.ScaleB(v, ey)).ToArray();
        var X = LatentClassRegression.Design(s.Covariates.Map(v => Math.ScaleB(v, ex)), intercept: true);
        var settings = new RegressionSettings(VarianceModel.PerClass);
        var a = LatentClassRegression.Estimate(1, Example.Data, settings).Match(Succ: e => e, Fail: e => throw new Xunit.Sdk.XunitException(e.Message));
        var data = LatentClassRegression.Data(y, X);
        var b = LatentClassRegression.Estimate(1, data, settings).Match(Succ: e => e, Fail: e => throw new Xunit.Sdk.XunitException(e.Message));
        var ca = a.Best.Mixture.Components.Classes[0];
        var cb = b.Best.Mixture.Components.Classes[0];
        Assert.Equal(Math.ScaleB(ca.Beta[0], ey), cb.Beta[0]);
        for (var j = 1; j < 3; j++) Assert.Equal(Math.ScaleB(ca.Beta[j], ey - ex), cb.Beta[j]);
        Assert.Equal(Math.ScaleB(ca.Sigma, ey), cb.Sigma);
        var sa = LatentClassRegression.StandardErrors(a.Best.Mixture.Components, a.Best.Mixture.Weights, Example.Data, VarianceModel.PerClass).Match(Succ: r => r, Fail: e => throw new Xunit.Sdk.XunitException(e.Message));
        var sb = LatentClassRegression.StandardErrors(b.Best.Mixture.Components, b.Best.Mixture.Weights, data, VarianceModel.PerClass).Match(Succ: r => r, Fail: e => throw new Xunit.Sdk.XunitException(e.Message));
        AssertRelative(Math.ScaleB(sa.Beta[0][0].StdError, ey), sb.Beta[0][0].StdError, 1e-12, "SE(intercept)");
        AssertRelative(Math.ScaleB(sa.Beta[0][1].StdError, ey - ex), sb.Beta[0][1].StdError, 1e-12, "SE(slope)");
        AssertRelative(sa.LogSigma[0].StdError, sb.LogSigma[0].StdError, 1e-12, "SE(log sigma)");
    }

    [Fact]
    public void Cholesky_singularity_test_is_relative_to_each_variable_not_to_the_largest()
    {
        // two independent columns, one in units 1e20 times smaller: well conditioned after scaling
        var A = Matrix<double>.Build.DenseOfArray(new double[,] { { 300, 1e-9 }, { 1e-9, 3e-20 } });
        Assert.NotNull(WeightedLeastSquares.TryCholesky(A));
        var collinear = Matrix<double>.Build.DenseOfArray(new double[,] { { 1e-300, 2e-300 }, { 2e-300, 4e-300 } });
        Assert.Null(WeightedLeastSquares.TryCholesky(collinear));
    }

    [Fact]
    public void Ols_at_1e300_is_the_scaled_ols()
    {
        var (y0, X0) = Scaled(1.0);
        var (y, X) = Scaled(1e300);
        var a = OrdinaryLeastSquares.Fit(X0, y0).Match(Succ: f => f, Fail: e => throw new Xunit.Sdk.XunitException(e.Message));
        var b = OrdinaryLeastSquares.Fit(X, y).Match(Succ: f => f, Fail: e => throw new Xunit.Sdk.XunitException(e.Message));
        AssertRelative(1e300 * a.Beta[0], b.Beta[0], 1e-12, "intercept");
        AssertRelative(a.Beta[1], b.Beta[1], 1e-12, "slope");
        AssertRelative(1e300 * a.Sigma, b.Sigma, 1e-12, "sigma");
        var m0 = PredictionMetrics.Of(y0, a.Predict(X0));
        var m1 = PredictionMetrics.Of(y, b.Predict(X));
        AssertRelative(1e300 * m0.Rmse, m1.Rmse, 1e-12, "RMSE");
        AssertRelative(m0.R2!.Value, m1.R2!.Value, 1e-12, "R^2");
    }

    private static string File(string dir, double c, Func<int, double, double, double>? y = null)
    {
        var s = Example.Sample;
        var path = System.IO.Path.Combine(dir, $"reg-{c.ToString("R", CultureInfo.InvariantCulture)}.csv");
        var lines = new List<string> { "y,x1,x2" };
        for (var i = 0; i < 300; i++)
        {
            var x1 = s.Covariates[i, 0];
            var x2 = s.Covariates[i, 1];
            var yi = y?.Invoke(i, x1, x2) ?? s.Y[i];
            lines.Add(string.Join(",", new[] { yi * c, x1 * c, x2 * c }.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        }
        System.IO.File.WriteAllLines(path, lines);
        return path;
    }

    private static readonly Mixtures.Data.RegressionColumns Columns = new("y", ["x1", "x2"], null, true);

    private static RegressCommand.Settings Regress(string file, string ks = "1..2") =>
        new(file, "y", "x1,x2", null, ks, 4, 1, "per-class", false, 0.05, "bic", null, false, null, null, 1e-8, 2000, true);

    [Theory]
    [InlineData(1e300)]
    [InlineData(1e-300)]
    public void Regress_fits_data_scaled_by_1e300_or_1e_minus_300_instead_of_calling_it_an_exact_fit(double c)
    {
        using var t = new Gaussian.TempDir();
        var model = System.IO.Path.Combine(t.Path, "model.json");
        Assert.Equal(ExitCodes.Ok, RegressCommand.Run(Regress(File(t.Path, c)) with { Out = model }));
        using var doc = JsonDocument.Parse(System.IO.File.ReadAllText(model));
        var cls = doc.RootElement.GetProperty("selected").GetProperty("classes");
        Assert.All(cls.EnumerateArray(), k => Assert.InRange(k.GetProperty("sigma").GetDouble() / c, 0.3, 3));
    }

    [Theory]
    [InlineData(1e300)]
    [InlineData(1e-300)]
    public void A_true_exact_fit_and_a_true_collinearity_are_still_refused_at_any_scale(double c)
    {
        using var t = new Gaussian.TempDir();
        var exact = Mixtures.Data.RegressionInput.Read(File(t.Path, c, (_, x1, x2) => 3 + 2 * x1 - x2), Columns, null, false)
            .Match(Succ: i => i.ExactFit(), Fail: e => e.Message);
        Assert.Contains("is an exact linear function", exact);
        var lines = new List<string> { "y,x1,x2" };
        for (var i = 0; i < 50; i++)
            lines.Add(string.Join(",", new[] { (i % 7 + 0.1 * i) * c, i * c, 2 * i * c }.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        var path = System.IO.Path.Combine(t.Path, "collinear.csv");
        System.IO.File.WriteAllLines(path, lines);
        var collinear = Mixtures.Data.RegressionInput.Read(path, Columns, null, false)
            .Match(Succ: _ => "accepted", Fail: e => e.Message);
        Assert.Contains("collinear", collinear);
    }

    [Fact]
    public void Compare_on_data_scaled_by_1e300_scores_as_the_original_data_scaled()
    {
        using var t = new Gaussian.TempDir();
        var ltv = System.IO.Path.Combine(TestSupport.RepoRoot, "data", "ltv.csv");
        var rows = System.IO.File.ReadAllLines(ltv);
        var header = rows[0].Split(',');
        var scaledRows = rows.Skip(1).Select(r => string.Join(",", r.Split(',').Select((v, j) =>
            header[j] == "segment" ? v : (double.Parse(v, CultureInfo.InvariantCulture) * 1e300).ToString("R", CultureInfo.InvariantCulture))));
        var big = System.IO.Path.Combine(t.Path, "ltv-big.csv");
        System.IO.File.WriteAllLines(big, [rows[0], .. scaledRows]);
        double[] Mae(string file, string outName)
        {
            var json = System.IO.Path.Combine(t.Path, outName);
            var code = CompareCommand.Run(new CompareCommand.Settings(file, "ltv", "tenure_months,monthly_spend,orders", "segment", "3", 0.3, 42, json, null, null, true));
            Assert.Equal(ExitCodes.Ok, code);
            using var doc = JsonDocument.Parse(System.IO.File.ReadAllText(json));
            return doc.RootElement.GetProperty("scores").EnumerateArray().Select(s => s.GetProperty("overall").GetProperty("mae").GetDouble()).ToArray();
        }
        var a = Mae(ltv, "a.json");
        var b = Mae(big, "b.json");
        Assert.Equal(a.Length, b.Length);
        for (var i = 0; i < a.Length; i++) AssertRelative(1e300 * a[i], b[i], 1e-6, $"score {i}");
    }
}
