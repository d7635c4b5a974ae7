using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Domain.Simulate;

namespace Mixtures.Tests.Regression;

public class StandardErrorTests
{
    /// <summary>psi = (beta_1..beta_K, log sigma (per class / common / none), alpha_2..alpha_K) back to (theta, pi).</summary>
    private static (RegressionComponents, MixingWeights) FromPsi(double[] psi, int K, int p, VarianceKind kind, double fixedSigma = 1.0)
    {
        var nv = kind switch { VarianceKind.PerClass => K, VarianceKind.Common => 1, _ => 0 };
        var classes = Enumerable.Range(0, K).Select(c =>
        {
            var sigma = kind switch
            {
                VarianceKind.PerClass => Math.Exp(psi[K * p + c]),
                VarianceKind.Common => Math.Exp(psi[K * p]),
                _ => fixedSigma,
            };
            return new RegressionClass(psi.Skip(c * p).Take(p).ToImmutableArray(), sigma);
        }).ToImmutableArray();
        var a = new double[K];
        for (var c = 1; c < K; c++) a[c] = psi[K * p + nv + c - 1];
        var z = a.Select(Math.Exp).Sum();
        return (new RegressionComponents(classes), MixingWeights.Of(a.Select(x => Math.Exp(x) / z)));
    }

    private static double[] ToPsi(RegressionComponents theta, MixingWeights pi, VarianceKind kind)
    {
        var psi = new List<double>();
        foreach (var c in theta.Classes) psi.AddRange(c.Beta);
        if (kind == VarianceKind.PerClass) psi.AddRange(theta.Classes.Select(c => Math.Log(c.Sigma)));
        if (kind == VarianceKind.Common) psi.Add(Math.Log(theta.Classes[0].Sigma));
        for (var c = 1; c < pi.K; c++) psi.Add(Math.Log(pi.Pi[c] / pi.Pi[0]));
        return psi.ToArray();
    }

    /// <summary>-d^2 log L by central differences of LogL (step h), an independent route to I(psi).</summary>
    private static Matrix<double> NumericalInformation(double[] psi, RegressionData data, int K, int p, VarianceKind kind, double fixedSigma, double h = 1e-4)
    {
        var D = psi.Length;
        double F(double[] v) { var (t, w) = FromPsi(v, K, p, kind, fixedSigma); return LatentClassRegression.LogL(t, w, data); }
        var H = Matrix<double>.Build.Dense(D, D);
        for (var a = 0; a < D; a++)
        for (var b = a; b < D; b++)
        {
            double At(double da, double db) { var v = (double[])psi.Clone(); v[a] += da; v[b] += db; return F(v); }
            var val = (At(h, h) - At(h, -h) - At(-h, h) + At(-h, -h)) / (4 * h * h);
            H[a, b] = -val; H[b, a] = -val;
        }
        return H;
    }

    [Theory]
    [InlineData(VarianceKind.PerClass, false)]
    [InlineData(VarianceKind.Common, false)]
    [InlineData(VarianceKind.Fixed, false)]
    [InlineData(VarianceKind.PerClass, true)]
    public void Observed_information_equals_the_numerical_Hessian_of_LogL_at_any_point(VarianceKind kind, bool grouped)
    {
        var truth = RegressionTruth.Of([[0.0, 2.0], [3.0, -1.0]], [0.8, 1.2], [0.4, 0.6]);
        var s = RegressionSimulator.Simulate(truth, 120, 17, rowsPerGroup: grouped ? 3 : 1);
        var data = LatentClassRegression.Data(s.Y, s.Design, grouped ? s.Groups : null);
        var variance = kind switch { VarianceKind.PerClass => VarianceModel.PerClass, VarianceKind.Common => VarianceModel.Common, _ => VarianceModel.Fixed(0.81) };
        // a point that is not the MLE: the identity holds everywhere
        var theta = new RegressionComponents([new RegressionClass([0.1, 1.9], kind == VarianceKind.Fixed ? 0.9 : 0.85), new RegressionClass([2.8, -0.9], kind == VarianceKind.Fixed ? 0.9 : kind == VarianceKind.Common ? 0.85 : 1.1)]);
        var pi = MixingWeights.Of([0.45, 0.55]);
        var I = ObservedInformation.Compute(theta, pi, data, variance);
        var N = NumericalInformation(ToPsi(theta, pi, kind), data, 2, 2, kind, 0.9);
        Assert.Equal(N.RowCount, I.RowCount);
        for (var a = 0; a < I.RowCount; a++)
        for (var b = 0; b < I.ColumnCount; b++)
            Assert.True(Math.Abs(I[a, b] - N[a, b]) <= 1e-4 * Math.Max(1.0, Math.Abs(N[a, b])), $"{ObservedInformation.Names(2, 2, variance)[a]}, {ObservedInformation.Names(2, 2, variance)[b]}: {I[a, b]} vs {N[a, b]}");
    }

    [Theory]
    [InlineData(VarianceKind.PerClass, false)]
    [InlineData(VarianceKind.Common, true)]
    [InlineData(VarianceKind.Fixed, false)]
    public void Gradient_equals_the_central_difference_of_LogL_and_a_Newton_step_uses_the_same_coordinates(VarianceKind kind, bool grouped)
    {
        var truth = RegressionTruth.Of([[0.0, 2.0], [3.0, -1.0], [-2.0, 0.5]], [0.8, 1.2, 1.0], [0.3, 0.3, 0.4]);
        var s = RegressionSimulator.Simulate(truth, 150, 23, rowsPerGroup: grouped ? 3 : 1);
        var data = LatentClassRegression.Data(s.Y, s.Design, grouped ? s.Groups : null);
        var variance = kind switch { VarianceKind.PerClass => VarianceModel.PerClass, VarianceKind.Common => VarianceModel.Common, _ => VarianceModel.Fixed(0.81) };
        var sig = kind == VarianceKind.Fixed ? 0.9 : 0.95;
        var theta = new RegressionComponents([new RegressionClass([0.1, 1.9], sig), new RegressionClass([2.8, -0.9], kind == VarianceKind.PerClass ? 1.1 : sig),
            new RegressionClass([-1.8, 0.4], kind == VarianceKind.PerClass ? 0.7 : sig)]);
        var pi = MixingWeights.Of([0.25, 0.35, 0.4]);
        var (g, _, ll) = ObservedInformation.Derivatives(theta, pi, data, variance);
        Assert.Equal(LatentClassRegression.LogL(theta, pi, data), ll, 9);
        var psi = ToPsi(theta, pi, kind);
        const double h = 1e-5;
        for (var a = 0; a < psi.Length; a++)
        {
            double At(double step)
            {
                var q = (double[])psi.Clone();
                q[a] += step;
                var (t, w) = FromPsi(q, 3, 2, kind, 0.9);
                return LatentClassRegression.LogL(t, w, data);
            }
            var numeric = (At(h) - At(-h)) / (2 * h);
            Assert.True(Math.Abs(g[a] - numeric) <= 1e-5 * Math.Max(1.0, Math.Abs(numeric)), $"{ObservedInformation.Names(3, 2, variance)[a]}: {g[a]} vs {numeric}");
        }
        // the family's Newton step moves psi by delta in these coordinates
        var family = LatentClassRegression.Family(variance);
        var delta = Enumerable.Range(0, psi.Length).Select(a => 0.01 * (a + 1)).ToArray();
        var moved = family.Step(data, new Mixture<RegressionComponents>(theta, pi), delta).Value();
        var expected = psi.Zip(delta, (x, y) => x + y).ToArray();
        var got = ToPsi(moved.Components, moved.Weights, kind);
        for (var a = 0; a < psi.Length; a++) Assert.Equal(expected[a], got[a], 10);
    }

    [Fact]
    public void Standard_errors_of_one_class_are_the_OLS_ones_with_the_ML_variance()
    {
        // K = 1: Cov(beta) = sigma^2_ML (X'X)^-1 and SE(log sigma) = 1 / sqrt(2 n)
        var s = RegressionSimulator.Simulate(RegressionTruth.Of([[1.0, 2.0, -1.0]], [1.5], [1.0]), 200, 4);
        var data = LatentClassRegression.Data(s.Y, s.Design);
        var fit = LatentClassRegression.EM(1, data, RegressionSettings.Default).Value();
        var inf = LatentClassRegression.StandardErrors(fit.Mixture.Components, fit.Mixture.Weights, data, VarianceModel.PerClass).Value();
        var X = s.Design;
        var cov = (X.TransposeThisAndMultiply(X)).Inverse() * fit.Mixture.Components.Classes[0].Variance;
        for (var j = 0; j < 3; j++) Assert.Equal(Math.Sqrt(cov[j, j]), inf.Beta[0][j].StdError, 8);
        Assert.Equal(1 / Math.Sqrt(2 * 200.0), inf.LogSigma[0].StdError, 8);
        Assert.Equal(fit.Mixture.Components.Classes[0].Sigma / Math.Sqrt(400.0), inf.Sigma[0].StdError, 8);
        Assert.Empty(inf.Logit);
    }

    [Fact]
    public void Intervals_are_estimate_plus_minus_1_96_SE_and_z_is_estimate_over_SE()
    {
        var fit = LatentClassRegression.EM(new Mixture<RegressionComponents>(RegressionTruth.Example.Classes, RegressionTruth.Example.Pi), Example.Data, RegressionSettings.Default).Value();
        var inf = LatentClassRegression.StandardErrors(fit.Mixture.Components, fit.Mixture.Weights, Example.Data, VarianceModel.PerClass).Value();
        var b = inf.Beta[1][2];
        Assert.Equal(b.Estimate - 1.959963984540054 * b.StdError, b.Lower, 12);
        Assert.Equal(b.Estimate + 1.959963984540054 * b.StdError, b.Upper, 12);
        Assert.Equal(b.Estimate / b.StdError, b.Z, 12);
        Assert.All(inf.Pi, p => Assert.True(p.Lower > 0 && p.Upper < 1 && p.Lower < p.Estimate && p.Estimate < p.Upper));
        Assert.All(inf.Sigma, p => Assert.True(p.Lower > 0 && p.Lower < p.Estimate && p.Estimate < p.Upper));
        Assert.Equal(14, inf.Names.Length);
    }

    [Fact]
    public void Slope_intervals_cover_the_truth_about_95_percent_of_the_time()
    {
        // 200 simulated data sets, two well-separated classes, EM started at the truth
        var truth = RegressionTruth.Of([[0.0, 1.5], [4.0, -1.0]], [1.0, 0.7], [0.6, 0.4]);
        const int sets = 200;
        var covered = new int[2];
        for (var r = 0; r < sets; r++)
        {
            var s = RegressionSimulator.Simulate(truth, 250, 1000 + (ulong)r);
            var data = LatentClassRegression.Data(s.Y, s.Design);
            var fit = LatentClassRegression.EM(new Mixture<RegressionComponents>(truth.Classes, truth.Pi), data, RegressionSettings.Default with { MinPrior = 0 }).Value();
            var inf = LatentClassRegression.StandardErrors(fit.Mixture.Components, fit.Mixture.Weights, data, VarianceModel.PerClass).Value();
            for (var c = 0; c < 2; c++)
            {
                var slope = inf.Beta[c][1];
                if (slope.Lower <= truth.Classes.Classes[c].Beta[1] && truth.Classes.Classes[c].Beta[1] <= slope.Upper) covered[c]++;
            }
        }
        Assert.InRange(covered[0] / (double)sets, 0.90, 0.98);
        Assert.InRange(covered[1] / (double)sets, 0.90, 0.98);
    }

    [Fact]
    public void Standard_errors_fail_as_a_value_when_the_information_is_singular()
    {
        // two identical classes: the labels are not identified and I(psi) is singular
        var cls = new RegressionClass([5.0, 2.0, 0.0], 1.0);
        var theta = new RegressionComponents([cls, cls]);
        var r = LatentClassRegression.StandardErrors(theta, MixingWeights.Of([0.5, 0.5]), Example.Data, VarianceModel.PerClass);
        Assert.True(r.IsFail);
        r.IfFail(e => Assert.Equal(RegressionErrorCodes.SingularInformation, e.Code));
    }
}
