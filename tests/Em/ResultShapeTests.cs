using System.Reflection;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Domain.Random;
using Mixtures.Domain.Regression;
using Mixtures.Tests.Gaussian;

namespace Mixtures.Tests.Em;

/// <summary>Estimation results keep parameters, not n x K matrices; the responsibilities come from repeating a run's
/// final E-step, exactly as the run made it.</summary>
public class ResultShapeTests
{
    private static readonly Type[] ResultTypes =
    [
        typeof(EmFit<GaussianComponents>), typeof(EstimateResult<GaussianComponents>), typeof(KEstimate<GaussianComponents>),
        typeof(EstimationPath<GaussianComponents>), typeof(StartOutcome), typeof(StartInfo),
    ];

    private static bool DataSized(Type t) =>
        typeof(Matrix<double>).IsAssignableFrom(t) || t == typeof(double[]) || t == typeof(double[,]) || t == typeof(Lazy<Matrix<double>>);

    [Fact]
    public void No_record_of_an_estimation_path_has_a_matrix_or_array_member()
    {
        const BindingFlags all = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
        foreach (var type in ResultTypes)
        {
            var members = type.GetFields(all).Select(f => (f.Name, Type: f.FieldType))
                .Concat(type.GetProperties(all).Select(p => (p.Name, Type: p.PropertyType)));
            foreach (var (name, memberType) in members)
                Assert.False(DataSized(memberType), $"{type.Name}.{name} is a {memberType.Name}");
        }
    }

    [Fact]
    public void Every_K_of_a_screened_path_keeps_ICL_equal_to_ICL_of_its_repeated_final_E_step()
    {
        var (X, _, _) = GaussianTestData.Separated(3000, 2, 3, 21, spacing: 4);
        var data = GaussianData.Of(X).Value();
        var family = new GaussianFamily(CovarianceType.Full);
        // screening from 1000 rows: the finalists continue from their repeated E-step
        var settings = new EstimationSettings(new StartPlan(6, 3, 2, ScreenFrom: 1000), 4, new EmOptions(1e-10, 500, 0, StopRule.LogLikelihoodChange, Acceleration.Squarem));
        var path = Estimation.Path(family, ConstantWeights.Instance, data, [1, 2, 3, 4], settings);
        Assert.True(path.Screened);
        foreach (var k in path.Fits)
        {
            var e = k.Estimate!;
            if (k.K > 1) Assert.Contains(e.Starts, s => s.ScreenedOut);
            var W = EmLoop.Responsibilities(family, ConstantWeights.Instance, data, e.Best);
            Assert.Equal((3000, k.K), (W.RowCount, W.ColumnCount));
            Assert.Equal(Selection.Icl(e.Bic, W), e.Icl);
        }
    }

    [Theory]
    [InlineData(Acceleration.None, StopRule.LogLikelihoodChange)]
    [InlineData(Acceleration.None, StopRule.WeightChange)]
    [InlineData(Acceleration.Squarem, StopRule.LogLikelihoodChange)]
    [InlineData(Acceleration.Anderson, StopRule.WeightChange)]
    public void Repeating_the_final_E_step_in_the_run_order_gives_the_runs_own_log_likelihood_bit_for_bit(Acceleration accelerate, StopRule rule)
    {
        var (X, _, _) = GaussianTestData.Separated(5000, 3, 4, 8, spacing: 2);
        var data = GaussianData.Of(X).Value();
        var family = new GaussianFamily(CovarianceType.Full, init: GaussianInit.Random);
        var W0 = family.RandomResponsibilities(data, 4, Seeds.Generator(17));
        var fit = EmLoop.Run(family, data, W0, new EmOptions(1e-9, 60, 0, rule, accelerate), new StartInfo(StartKind.Random, 0)).Value();
        // the run's components were reordered, so the order of the E-step's row sums matters
        Assert.False(fit.RunOrder.IsDefaultOrEmpty);
        var w = new double[5000 * 4];
        var ll = EmLoop.ResponsibilitiesInto(family, ConstantWeights.Instance, data, fit, w);
        Assert.Equal(fit.LogLikelihood, ll);
        Assert.Equal(fit.Trace[^1], ll);
        // in canonical order: rows sum to one, and the E-step of the reported parameters agrees up to rounding
        var (Wc, llc) = GaussianMixture.EStepWithLogL(fit.Mixture.Components, fit.Mixture.Weights, data);
        Assert.Equal(ll, llc, 1e-9 * Math.Abs(ll));
        var wc = Wc.ToColumnMajorArray();
        for (var j = 0; j < w.Length; j++) Assert.Equal(wc[j], w[j], 1e-12);
    }

    [Fact]
    public void A_regression_split_start_is_made_from_the_repeated_E_step_of_the_K_minus_1_fit()
    {
        var sim = RegressionTestData();
        var family = new RegressionFamily(VarianceModel.PerClass);
        var W0 = Estimation.RandomPartition(sim.Units, 2, Seeds.Generator(3));
        var fit = EmLoop.Run(family, sim, W0, new EmOptions(1e-8, 500), new StartInfo(StartKind.RandomPartition, 0)).Value();
        var Wp = EmLoop.Responsibilities(family, ConstantWeights.Instance, sim, fit);
        for (var j = 0; j < 2; j++)
        {
            var W = Estimation.SplitStart(family, ConstantWeights.Instance, sim, fit, j);
            Assert.NotNull(W);
            for (var i = 0; i < sim.Units; i++)
            {
                // the other class keeps its responsibility, class j's is given to j or to the new class
                Assert.Equal(Wp[i, 1 - j], W![i, 1 - j]);
                Assert.Equal(Wp[i, j], W[i, j] + W[i, 2]);
                Assert.True(W[i, j] == 0 || W[i, 2] == 0);
            }
        }
    }

    [Theory]
    [InlineData(Acceleration.Squarem)]
    [InlineData(Acceleration.None)]
    [InlineData(Acceleration.Anderson)]
    public void A_path_whose_runs_reuse_buffers_gives_each_K_exactly_as_a_K_fitted_alone(Acceleration accelerate)
    {
        // the path's runs borrow buffers that earlier runs (other K, other starts) filled; ForK alone starts from fresh ones
        var (X, _, _) = GaussianTestData.Separated(2500, 2, 3, 5, spacing: 4);
        var gauss = GaussianData.Of(X).Value();
        var gf = new GaussianFamily(CovarianceType.Full);
        var gs = new EstimationSettings(new StartPlan(5, 3, 2, ScreenFrom: 1000), 9, new EmOptions(1e-10, 300, 0, StopRule.LogLikelihoodChange, accelerate));
        AssertSameAsAlone(gf, gauss, gs);
        var reg = RegressionTestData();
        var rf = new RegressionFamily(VarianceModel.PerClass);
        var rs = new EstimationSettings(new StartPlan(5, 3, 2, ScreenFrom: 100), 9, new EmOptions(1e-8, 300, 0.05, StopRule.WeightChange, accelerate,
            accelerate == Acceleration.Squarem ? EmOptions.DefaultNewtonAfter : 0));
        AssertSameAsAlone(rf, reg, rs);
    }

    private static void AssertSameAsAlone<TD, TC>(IMixtureFamily<TD, TC> family, TD data, EstimationSettings settings)
    {
        var path = Estimation.Path(family, ConstantWeights.Instance, data, [1, 2, 3, 4], settings);
        for (var K = 2; K <= 4; K++)
        {
            var inPath = path.For(K)!;
            var previous = path.For(K - 1)!;
            var alone = Estimation.ForK(family, ConstantWeights.Instance, data, K, settings, previous.Eligible ? previous.Estimate!.Best : null);
            Assert.Equal(alone.Ok, inPath.Ok);
            if (!alone.Ok) continue;
            Assert.Equal(alone.Estimate!.Starts.Length, inPath.Estimate!.Starts.Length);
            for (var i = 0; i < alone.Estimate.Starts.Length; i++)
                Assert.True(alone.Estimate.Starts[i] == inPath.Estimate.Starts[i], $"K = {K}: {alone.Estimate.Starts[i]} alone, {inPath.Estimate.Starts[i]} in the path");
            Assert.Equal(alone.LogLikelihood, inPath.LogLikelihood);
            Assert.Equal(alone.Estimate.LogMaxPosterior, inPath.Estimate.LogMaxPosterior);
            Assert.Equal(alone.Estimate.Best.Trace.ToArray(), inPath.Estimate.Best.Trace.ToArray());
        }
    }

    private static RegressionData RegressionTestData()
    {
        var rng = Seeds.Generator(12);
        const int n = 600;
        var X = Matrix<double>.Build.Dense(n, 2, (i, j) => j == 0 ? 1.0 : rng.NextDouble() * 10);
        var y = Enumerable.Range(0, n).Select(i => (i % 2 == 0 ? 1 + 2 * X[i, 1] : 8 - X[i, 1]) + rng.NextDouble() - 0.5).ToArray();
        return RegressionData.FromRows(y, X);
    }
}
