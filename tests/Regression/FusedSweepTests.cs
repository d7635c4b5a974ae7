using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Domain.Simulate;

namespace Mixtures.Tests.Regression;

/// <summary>
/// The regression family's fused sweep (log-densities, E-step and the next M-step's sums in one pass) against the
/// unfused path it replaces: equal bit for bit, step by step and over whole runs, with one thread or several.
/// </summary>
public class FusedSweepTests
{
    // 3 chunks of 4096 and a tail that is not a multiple of 4
    private const int Rows = 2 * 4096 + 1003;

    private static RegressionData RowData()
    {
        var s = RegressionSimulator.Simulate(RegressionTruth.Example, Rows, 11);
        return LatentClassRegression.Data(s.Y, s.Design);
    }

    private static RegressionData PanelData(int stores = 2 * 4096 + 1001)
    {
        var truth = SalesSimulator.RandomTruth(4, 5);
        var (y, X, _) = TestSupport.Panel(truth, stores, 20, 3);
        return SalesModel.Data(y, X);
    }

    public static TheoryData<string> Layouts => new() { "rows", "panel" };

    private static (RegressionData Data, RegressionFamily Family, int K) Case(string layout) => layout == "rows"
        ? (RowData(), LatentClassRegression.Family(VarianceModel.PerClass), 3)
        : (PanelData(), SalesModel.Family, 4);

    /// <summary>Components from a random partition's fit, and weights that are not uniform.</summary>
    private static Mixture<RegressionComponents> SomeMixture(RegressionFamily family, RegressionData data, int K, ulong seed)
    {
        var W = family.RandomResponsibilities(data, K, Mixtures.Domain.Random.Seeds.Generator(seed));
        var c = family.Fit(data, W).Value();
        return new Mixture<RegressionComponents>(c, MixingWeights.Normalised(Enumerable.Range(1, K).Select(k => (double)k)));
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Fused_step_writes_the_W_log_L_and_change_of_log_densities_then_the_E_step_bit_for_bit(string layout)
    {
        var (data, family, K) = Case(layout);
        var n = data.Units;
        Assert.True(family.FusedStatistics(data, K) > 0);
        var m = SomeMixture(family, data, K, 1);
        var prev = family.RandomResponsibilities(data, K, Mixtures.Domain.Random.Seeds.Generator(2)).ToColumnMajorArray();

        var expected = new double[n * K];
        family.LogDensities(data, m.Components, expected);
        var llExpected = EmLoop.EStepInto(expected, m.Weights.LogPi(), n, K, expected, prev, out var changeExpected);

        var w = new double[n * K];
        var stats = new double[family.FusedStatistics(data, K)];
        var ll = family.FusedStep(data, m.Components, m.Weights.LogPi(), n, K, w, prev, out var change, stats);

        Assert.Equal(BitConverter.DoubleToInt64Bits(llExpected), BitConverter.DoubleToInt64Bits(ll));
        Assert.Equal(changeExpected, change);
        Assert.True(change > 0);
        for (var i = 0; i < n * K; i++)
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(w[i]))
                Assert.Fail($"W[{i % n},{i / n}] = {w[i]:R}, unfused {expected[i]:R}");
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Fused_step_over_W_prev_in_one_buffer_equals_the_step_with_two_bit_for_bit(string layout)
    {
        var (data, family, K) = Case(layout);
        var m = SomeMixture(family, data, K, 4);
        var prev = family.RandomResponsibilities(data, K, Mixtures.Domain.Random.Seeds.Generator(6)).ToColumnMajorArray();
        TestSupport.OneBufferStepEqualsTwo(family, data, m.Components, m.Weights.LogPi(), data.Units, K, prev);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void The_sweeps_column_sums_give_the_mixing_weights_of_W_bit_for_bit(string layout)
    {
        var (data, family, K) = Case(layout);
        var n = data.Units;
        var m = SomeMixture(family, data, K, 6);
        var w = new double[n * K];
        var stats = new double[family.FusedStatistics(data, K)];
        var sums = new double[K];
        ((IFusedColumnSums<RegressionData, RegressionComponents>)family).FusedStep(data, m.Components, m.Weights.LogPi(), n, K, w, null, out _, stats, sums);
        var fromW = MixingWeights.FromColumnMeans(w, n, K).Pi.ToArray();
        var fromSums = MixingWeights.FromColumnSums(sums, n).Pi.ToArray();
        Assert.Equal(fromW.Select(BitConverter.DoubleToInt64Bits), fromSums.Select(BitConverter.DoubleToInt64Bits));
        // the sums are W's: they add up to the units
        Assert.Equal(n, sums.Sum(), 1e-9 * n);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Fit_from_the_fused_sums_equals_the_fit_from_W(string layout)
    {
        var (data, family, K) = Case(layout);
        var n = data.Units;
        var m = SomeMixture(family, data, K, 4);
        var w = new double[n * K];
        var stats = new double[family.FusedStatistics(data, K)];
        family.FusedStep(data, m.Components, m.Weights.LogPi(), n, K, w, null, out _, stats);
        var fromSums = family.FitStatistics(data, stats, K).Value();
        var fromW = family.Fit(data, w, K).Value();
        for (var c = 0; c < K; c++)
        {
            Assert.Equal(fromW.Classes[c].Beta.ToArray(), fromSums.Classes[c].Beta.ToArray());
            Assert.Equal(fromW.Classes[c].Sigma, fromSums.Classes[c].Sigma);
        }
        // and the fit moved: the sums are not those of the start
        Assert.NotEqual(m.Components.Classes[0].Beta[0], fromSums.Classes[0].Beta[0]);
    }

    [Fact]
    public void A_panel_of_fewer_stores_than_one_block_is_fused_exactly()
    {
        var data = PanelData(stores: 7);
        var family = SalesModel.Family;
        const int K = 2;
        var m = SomeMixture(family, data, K, 6);
        var expected = new double[7 * K];
        family.LogDensities(data, m.Components, expected);
        var llExpected = EmLoop.EStepInto(expected, m.Weights.LogPi(), 7, K, expected);
        var w = new double[7 * K];
        var stats = new double[family.FusedStatistics(data, K)];
        Assert.Equal(llExpected, family.FusedStep(data, m.Components, m.Weights.LogPi(), 7, K, w, null, out _, stats));
        Assert.Equal(expected, w);
        var a = family.FitStatistics(data, stats, K).Value();
        var b = family.Fit(data, w, K).Value();
        Assert.Equal(b.Classes.Select(c => c.Beta.ToArray()), a.Classes.Select(c => c.Beta.ToArray()));
    }

    [Fact]
    public void Grouped_rows_and_weighted_units_take_the_unfused_path()
    {
        var s = RegressionSimulator.Simulate(RegressionTruth.Example, 600, 3, rowsPerGroup: 3);
        var grouped = LatentClassRegression.Data(s.Y, s.Design, s.Groups);
        var family = LatentClassRegression.Family(VarianceModel.PerClass);
        Assert.Equal(0, family.FusedStatistics(grouped, 3));
        var rows = LatentClassRegression.Data(s.Y, s.Design);
        Assert.True(family.FusedStatistics(rows, 3) > 0);
        var weighted = rows.WithWeights(ObservationWeights.Of(Enumerable.Range(0, rows.Units).Select(i => 1.0 + i % 3).ToArray()).Value());
        Assert.Equal(0, family.FusedStatistics(weighted, 3));
        Assert.Equal(0, family.FusedStatistics(rows, 17));
    }

    public static TheoryData<string, Acceleration, StopRule> Runs => new()
    {
        { "rows", Acceleration.None, StopRule.WeightChange },
        { "rows", Acceleration.None, StopRule.LogLikelihoodChange },
        { "rows", Acceleration.Squarem, StopRule.WeightChange },
        { "rows", Acceleration.Anderson, StopRule.WeightChange },
        { "panel", Acceleration.None, StopRule.WeightChange },
        { "panel", Acceleration.Squarem, StopRule.WeightChange },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void A_run_on_the_fused_sweep_equals_the_unfused_run_bit_for_bit(string layout, Acceleration accelerate, StopRule rule)
    {
        var (data, family, K) = Case(layout);
        var options = new EmOptions(Tolerance: 0, MaxIterations: 40, Rule: rule, Accelerate: accelerate,
            NewtonAfter: accelerate == Acceleration.Squarem ? 10 : 0);
        var W0 = family.RandomResponsibilities(data, K, Mixtures.Domain.Random.Seeds.Generator(9));
        var start = new StartInfo(StartKind.RandomPartition, 0);
        var fused = EmLoop.Run(family, data, W0, options, start).Value();
        var unfused = EmLoop.Run(new Unfused(family), data, W0, options, start).Value();
        Assert.Equal(40, fused.Iterations);
        Assert.Equal(unfused.Trace.ToArray(), fused.Trace.ToArray());
        Assert.Equal(unfused.LogLikelihood, fused.LogLikelihood);
        Assert.Equal(unfused.Mixture.Weights.Pi.ToArray(), fused.Mixture.Weights.Pi.ToArray());
        for (var c = 0; c < K; c++)
        {
            Assert.Equal(unfused.Mixture.Components.Classes[c].Beta.ToArray(), fused.Mixture.Components.Classes[c].Beta.ToArray());
            Assert.Equal(unfused.Mixture.Components.Classes[c].Sigma, fused.Mixture.Components.Classes[c].Sigma);
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void A_fused_run_is_the_same_on_one_thread_and_in_parallel(string layout)
    {
        var (data, family, K) = Case(layout);
        var options = new EmOptions(Tolerance: 0, MaxIterations: 25);
        var W0 = family.RandomResponsibilities(data, K, Mixtures.Domain.Random.Seeds.Generator(12));
        var start = new StartInfo(StartKind.RandomPartition, 0);
        var parallel = EmLoop.Run(family, data, W0, options, start).Value();
        var single = Parallelism.OnThisThread(() => EmLoop.Run(family, data, W0, options, start).Value());
        Assert.Equal(single.Trace.ToArray(), parallel.Trace.ToArray());
        Assert.Equal(single.Mixture.Weights.Pi.ToArray(), parallel.Mixture.Weights.Pi.ToArray());
        for (var c = 0; c < K; c++)
            Assert.Equal(single.Mixture.Components.Classes[c].Beta.ToArray(), parallel.Mixture.Components.Classes[c].Beta.ToArray());
    }

    [Fact]
    public void The_sales_estimate_is_unchanged_by_the_fused_sweep()
    {
        var (y, X, _) = TestSupport.Panel(SalesSimulator.RandomTruth(3, 2), 500, 26, 8);
        var data = SalesModel.Data(y, X);
        var settings = new EstimationSettings(SalesModel.Plan(4), 3, SalesModel.EstimationOptions);
        var fused = Estimation.Path(SalesModel.Family, ConstantWeights.Instance, data, [2, 3], settings, SelectionCriterion.Bic);
        var unfused = Estimation.Path(new Unfused(SalesModel.Family), ConstantWeights.Instance, data, [2, 3], settings, SelectionCriterion.Bic);
        for (var i = 0; i < 2; i++)
        {
            var a = fused.Fits[i].Estimate!;
            var b = unfused.Fits[i].Estimate!;
            Assert.Equal(b.Starts.Select(s => s.LogLikelihood), a.Starts.Select(s => s.LogLikelihood));
            Assert.Equal(b.Starts.Select(s => s.Iterations), a.Starts.Select(s => s.Iterations));
        }
    }

    /// <summary>The family without its fused sweep: every other member delegated.</summary>
    private sealed class Unfused(RegressionFamily f) : IMixtureFamily<RegressionData, RegressionComponents>, ISecondOrderFamily<RegressionData, RegressionComponents>
    {
        public int Units(RegressionData data) => f.Units(data);
        public string UnitName(RegressionData data) => f.UnitName(data);
        public int Observations(RegressionData data) => f.Observations(data);
        public ObservationWeights? UnitWeights(RegressionData data) => f.UnitWeights(data);
        public double WeightedObservations(RegressionData data) => f.WeightedObservations(data);
        public int ComponentCount(RegressionComponents components) => f.ComponentCount(components);
        public int ComponentParameters(RegressionData data, int K) => f.ComponentParameters(data, K);
        public void LogDensities(RegressionData data, RegressionComponents components, double[] dest) => f.LogDensities(data, components, dest);
        public Fin<RegressionComponents> Fit(RegressionData data, double[] W, int K) => f.Fit(data, W, K);
        public RegressionComponents Reorder(RegressionComponents components, int[] order) => f.Reorder(components, order);
        public int[] CanonicalOrder(RegressionComponents components) => f.CanonicalOrder(components);
        public ReadOnlyMemory<double> SplitFeatures(RegressionData data, RegressionComponents components, int k) => f.SplitFeatures(data, components, k);
        public Matrix<double> RandomResponsibilities(RegressionData data, int K, System.Random rng) => f.RandomResponsibilities(data, K, rng);
        public ImmutableArray<StartKind> StartKinds => f.StartKinds;
        public bool Start(RegressionData data, int K, StartKind kind, System.Random rng, double[] W0) => f.Start(data, K, kind, rng, W0);
        public int VectorLength(RegressionData data, int K) => f.VectorLength(data, K);
        public void ToVector(RegressionData data, RegressionComponents components, Span<double> v) => f.ToVector(data, components, v);
        public Fin<RegressionComponents> FromVector(RegressionData data, ReadOnlySpan<double> v, int K) => f.FromVector(data, v, K);
        public (double[] Gradient, Matrix<double> Information, double LogLikelihood) Derivatives(RegressionData data, Mixture<RegressionComponents> m,
            double[]? scratch = null) => f.Derivatives(data, m, scratch);
        public Fin<Mixture<RegressionComponents>> Step(RegressionData data, Mixture<RegressionComponents> m, double[] delta) => f.Step(data, m, delta);
    }
}
