using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Domain.Random;

namespace Mixtures.Tests.Gaussian;

/// <summary>
/// The Gaussian family's fused sweep (log-densities, E-step and the next M-step's centred moments in one pass over
/// each chunk) against the unfused path it replaces (the log-densities, the E-step over the whole buffer, then the warm
/// M-step's sweep centred at the current means): equal bit for bit, step by step and over whole runs, for every
/// covariance type, with a column in units 2^e, with one thread or several.
/// </summary>
public class GaussianFusedSweepTests
{
    // two whole chunks of 4096 rows and a last chunk whose last block is not a multiple of the vector width
    private const int Rows = 2 * 4096 + 1003;

    internal static GaussianData Data(int d, bool hugeColumn)
    {
        var (X, _, _) = GaussianTestData.Separated(Rows, d, 3, 21, spacing: 3.0);
        // a column far beyond 2^256 in size takes the kernels' unit 2^e (exact scaling by a power of two)
        if (hugeColumn) X.SetColumn(1, X.Column(1).Map(v => Math.ScaleB(v, 300)));
        var data = GaussianData.Of(X).Value();
        Assert.Equal(hugeColumn, data.UnitExponent.Any(e => e != 0));
        return data;
    }

    public static TheoryData<CovarianceType, bool> Types => new()
    {
        { CovarianceType.Full, false }, { CovarianceType.Tied, false }, { CovarianceType.Diag, false }, { CovarianceType.Spherical, false },
        { CovarianceType.Full, true }, { CovarianceType.Diag, true },
    };

    /// <summary>Components from a random partition's fit, and weights that are not uniform.</summary>
    private static Mixture<GaussianComponents> SomeMixture(GaussianFamily family, GaussianData data, int K, ulong seed)
    {
        var W = family.RandomResponsibilities(data, K, Seeds.Generator(seed));
        var c = family.Fit(data, W).Value();
        return new Mixture<GaussianComponents>(c, MixingWeights.Normalised(Enumerable.Range(1, K).Select(k => (double)k)));
    }

    internal static void SameBits(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
                Assert.Fail($"{what}[{i}] = {actual[i]:R}, unfused {expected[i]:R}");
    }

    private static void SameComponents(GaussianComponents expected, GaussianComponents actual)
    {
        SameBits(expected.mu, actual.mu, "mu");
        SameBits(expected.factor, actual.factor, "factor");
        SameBits(expected.logDet, actual.logDet, "log det");
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void A_fused_step_and_the_fit_from_its_sums_equal_the_unfused_E_step_and_warm_fit_bit_for_bit(CovarianceType type, bool huge)
    {
        var data = Data(4, huge);
        var family = new GaussianFamily(type, init: GaussianInit.Random);
        IFusedFamily<GaussianData, GaussianComponents> fused = family;
        const int K = 3;
        var n = data.N;
        var m = SomeMixture(family, data, K, 1);
        var prev = family.RandomResponsibilities(data, K, Seeds.Generator(2)).ToColumnMajorArray();

        var expected = new double[n * K];
        family.LogDensities(data, m.Components, expected);
        var llExpected = EmLoop.EStepInto(expected, m.Weights.LogPi(), n, K, expected, prev, out var changeExpected);
        var fitExpected = family.Fit(data, expected, K, m.Components).Value();

        var w = new double[n * K];
        var stats = new double[fused.FusedStatistics(data, K)];
        Assert.NotEmpty(stats);
        var ll = fused.FusedStep(data, m.Components, m.Weights.LogPi(), n, K, w, prev, out var change, stats);

        Assert.Equal(BitConverter.DoubleToInt64Bits(llExpected), BitConverter.DoubleToInt64Bits(ll));
        Assert.Equal(changeExpected, change);
        Assert.True(change > 0);
        SameBits(expected, w, "W");
        SameComponents(fitExpected, fused.FitStatistics(data, stats, K, w).Value());
    }

    [Theory]
    [InlineData(CovarianceType.Full, 4)]
    [InlineData(CovarianceType.Full, 9)]
    [InlineData(CovarianceType.Tied, 9)]
    [InlineData(CovarianceType.Diag, 9)]
    [InlineData(CovarianceType.Spherical, 4)]
    public void A_fused_step_over_W_prev_in_one_buffer_equals_the_step_with_two_bit_for_bit(CovarianceType type, int d)
    {
        var data = Data(d, false);
        var family = new GaussianFamily(type, init: GaussianInit.Random);
        const int K = 3;
        var m = SomeMixture(family, data, K, 5);
        var prev = family.RandomResponsibilities(data, K, Seeds.Generator(7)).ToColumnMajorArray();
        TestSupport.OneBufferStepEqualsTwo(family, data, m.Components, m.Weights.LogPi(), data.N, K, prev);
    }

    [Fact]
    public void When_the_means_move_far_the_fit_from_the_sums_recentres_as_the_warm_fit_does()
    {
        // components centred far from the data and broad enough to share them: the means move by far more than the new
        // spread, the one-sweep identity would cancel, so both fits sum the scatter again
        var data = Data(3, false);
        var family = new GaussianFamily(CovarianceType.Full, init: GaussianInit.Random);
        IFusedFamily<GaussianData, GaussianComponents> fused = family;
        const int K = 2;
        var n = data.N;
        var near = SomeMixture(family, data, K, 3).Components;
        var far = GaussianComponents.Create(CovarianceType.Full, K, 3, near.Means.Select(v => v + 1e5).ToArray(), near.Covariances.Select(v => v * 1e12).ToArray()).Value();
        var logPi = new[] { Math.Log(0.4), Math.Log(0.6) };

        var expected = new double[n * K];
        family.LogDensities(data, far, expected);
        EmLoop.EStepInto(expected, logPi, n, K, expected);
        var fitExpected = family.Fit(data, expected, K, far).Value();
        var w = new double[n * K];
        var stats = new double[fused.FusedStatistics(data, K)];
        fused.FusedStep(data, far, logPi, n, K, w, null, out _, stats);
        SameComponents(fitExpected, fused.FitStatistics(data, stats, K, w).Value());
        // the scatter was summed again: the sums alone do not give the fit
        Assert.Throws<InvalidOperationException>(() => fused.FitStatistics(data, stats, K));
    }

    [Fact]
    public void Weighted_rows_and_more_than_sixteen_components_take_the_unfused_path()
    {
        var data = Data(2, false);
        IFusedFamily<GaussianData, GaussianComponents> fused = new GaussianFamily(CovarianceType.Full);
        Assert.True(fused.FusedStatistics(data, 16) > 0);
        Assert.Equal(0, fused.FusedStatistics(data, 17));
        var weighted = data.WithWeights(ObservationWeights.Of(Enumerable.Range(0, data.N).Select(i => 1.0 + i % 3).ToArray()).Value());
        Assert.Equal(0, fused.FusedStatistics(weighted, 3));
    }

    public static TheoryData<CovarianceType, Acceleration, StopRule> Runs => new()
    {
        { CovarianceType.Full, Acceleration.None, StopRule.LogLikelihoodChange },
        { CovarianceType.Full, Acceleration.None, StopRule.WeightChange },
        { CovarianceType.Full, Acceleration.Squarem, StopRule.LogLikelihoodChange },
        { CovarianceType.Diag, Acceleration.None, StopRule.LogLikelihoodChange },
        { CovarianceType.Diag, Acceleration.Anderson, StopRule.WeightChange },
        { CovarianceType.Tied, Acceleration.None, StopRule.LogLikelihoodChange },
        { CovarianceType.Spherical, Acceleration.Squarem, StopRule.WeightChange },
    };

    [Theory]
    [MemberData(nameof(Runs))]
    public void A_run_on_the_fused_sweep_equals_the_unfused_run_bit_for_bit(CovarianceType type, Acceleration accelerate, StopRule rule)
    {
        var data = Data(4, false);
        var family = new GaussianFamily(type, init: GaussianInit.Random);
        const int K = 3;
        var options = new EmOptions(Tolerance: 0, MaxIterations: 30, Rule: rule, Accelerate: accelerate);
        var W0 = family.RandomResponsibilities(data, K, Seeds.Generator(9));
        var start = new StartInfo(StartKind.Random, 0);
        var fused = EmLoop.Run(family, data, W0, options, start).Value();
        var unfused = EmLoop.Run(new Unfused(family), data, W0, options, start).Value();
        Assert.Equal(30, fused.Iterations);
        Assert.Equal(unfused.Trace.ToArray(), fused.Trace.ToArray());
        Assert.Equal(unfused.Mixture.Weights.Pi.ToArray(), fused.Mixture.Weights.Pi.ToArray());
        SameComponents(unfused.Mixture.Components, fused.Mixture.Components);
    }

    [Fact]
    public void A_fused_run_is_the_same_on_one_thread_and_in_parallel()
    {
        var data = Data(5, true);
        var family = new GaussianFamily(CovarianceType.Diag, init: GaussianInit.Random);
        var options = new EmOptions(Tolerance: 0, MaxIterations: 20, Rule: StopRule.LogLikelihoodChange);
        var W0 = family.RandomResponsibilities(data, 4, Seeds.Generator(12));
        var start = new StartInfo(StartKind.Random, 0);
        var parallel = EmLoop.Run(family, data, W0, options, start).Value();
        var single = Parallelism.WithThreads(1, () => EmLoop.Run(family, data, W0, options, start).Value());
        Assert.Equal(single.Trace.ToArray(), parallel.Trace.ToArray());
        SameComponents(single.Mixture.Components, parallel.Mixture.Components);
    }

    /// <summary>The family without its fused sweep: every other member delegated (the warm fit included).</summary>
    internal sealed class Unfused(GaussianFamily f) : IMixtureFamily<GaussianData, GaussianComponents>, IWarmStartFamily<GaussianData, GaussianComponents>
    {
        public int Units(GaussianData data) => f.Units(data);
        public string UnitName(GaussianData data) => f.UnitName(data);
        public int Observations(GaussianData data) => f.Observations(data);
        public ObservationWeights? UnitWeights(GaussianData data) => f.UnitWeights(data);
        public double WeightedObservations(GaussianData data) => f.WeightedObservations(data);
        public int ComponentCount(GaussianComponents components) => f.ComponentCount(components);
        public int ComponentParameters(GaussianData data, int K) => f.ComponentParameters(data, K);
        public void LogDensities(GaussianData data, GaussianComponents components, double[] dest) => f.LogDensities(data, components, dest);
        public Fin<GaussianComponents> Fit(GaussianData data, double[] W, int K) => f.Fit(data, W, K);
        public Fin<GaussianComponents> Fit(GaussianData data, double[] W, int K, GaussianComponents start) => f.Fit(data, W, K, start);
        public GaussianComponents Reorder(GaussianComponents components, int[] order) => f.Reorder(components, order);
        public int[] CanonicalOrder(GaussianComponents components) => f.CanonicalOrder(components);
        public ReadOnlyMemory<double> SplitFeatures(GaussianData data, GaussianComponents components, int k) => f.SplitFeatures(data, components, k);
        public Matrix<double> RandomResponsibilities(GaussianData data, int K, System.Random rng) => f.RandomResponsibilities(data, K, rng);
        public ImmutableArray<StartKind> StartKinds => f.StartKinds;
        public bool Start(GaussianData data, int K, StartKind kind, System.Random rng, double[] W0) => f.Start(data, K, kind, rng, W0);
        public int VectorLength(GaussianData data, int K) => f.VectorLength(data, K);
        public void ToVector(GaussianData data, GaussianComponents components, Span<double> v) => f.ToVector(data, components, v);
        public Fin<GaussianComponents> FromVector(GaussianData data, ReadOnlySpan<double> v, int K) => f.FromVector(data, v, K);
    }
}
