using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Domain.Random;

namespace Mixtures.Tests.Gaussian;

/// <summary>
/// The Gaussian sweeps that leave W unwritten (plain EM with the log-likelihood rule reads no W between
/// its steps): the same log L, sums and column sums as the sweep that writes W, bit for bit, the caller's buffer left
/// as it was, and W made on demand, equal to the sweep's, when the fit from the sums must recentre.
/// </summary>
public class SweepWithoutWTests
{
    // the fused sweep tests' data: two whole chunks and a last one whose last block is shorter than a block and
    // than a vector group
    private static GaussianData Data(int d, bool hugeColumn) => GaussianFusedSweepTests.Data(d, hugeColumn);

    private static void SameBits(double[] expected, double[] actual, string what) => GaussianFusedSweepTests.SameBits(expected, actual, what);

    /// <summary>Components fitted to a random partition, their means moved by <paramref name="shift"/> and their
    /// covariances scaled by <paramref name="scale"/>.</summary>
    private static GaussianComponents Far(GaussianFamily family, GaussianData data, int K, ulong seed, double shift, double scale)
    {
        var near = family.Fit(data, family.RandomResponsibilities(data, K, Seeds.Generator(seed))).Value();
        return GaussianComponents.Create(family.Type, K, data.D, near.Means.Select(v => v + shift).ToArray(),
            near.Covariances.Select(v => v * scale).ToArray()).Value();
    }

    /// <summary>The unfused E-step's W at <paramref name="m"/>: the log-densities, then the E-step in place.</summary>
    private static double[] UnfusedW(GaussianFamily family, GaussianData data, Mixture<GaussianComponents> m)
    {
        var (n, K) = (data.N, m.Components.K);
        var w = new double[n * K];
        family.LogDensities(data, m.Components, w);
        EmLoop.EStepInto(w, m.Weights.LogPi(), n, K, w);
        return w;
    }

    /// <summary>A run's fused steps after an E-step at <paramref name="m"/> that left its (zeroed) buffer unwritten.</summary>
    private static (FusedSweep<GaussianData, GaussianComponents> Sweep, double[] W) StepWithoutW(GaussianFamily family, GaussianData data,
        Mixture<GaussianComponents> m)
    {
        var (n, K) = (data.N, m.Components.K);
        var sweep = FusedSweep<GaussianData, GaussianComponents>.For(family, ConstantWeights.Instance, data, n, K)!;
        var w = new double[n * K];
        sweep.E(m, w, null, out _, needW: false);
        Assert.All(w, v => Assert.Equal(0.0, v));
        return (sweep, w);
    }

    [Theory]
    [MemberData(nameof(GaussianFusedSweepTests.Types), MemberType = typeof(GaussianFusedSweepTests))]
    public void A_step_without_W_returns_the_steps_values_and_leaves_the_buffer_as_it_was(CovarianceType type, bool huge)
    {
        var data = Data(6, huge);
        var family = new GaussianFamily(type, init: GaussianInit.Random);
        IFusedWithoutW<GaussianData, GaussianComponents> without = family;
        const int K = 5;
        var n = data.N;
        Assert.True(without.SweepsWithoutW(data, K));
        var W = family.RandomResponsibilities(data, K, Seeds.Generator(4));
        var m = new Mixture<GaussianComponents>(family.Fit(data, W).Value(), MixingWeights.Normalised([1.0, 2.0, 3.0, 4.0, 5.0]));
        var logPi = m.Weights.LogPi();

        var w = new double[n * K];
        var stats = new double[without.FusedStatistics(data, K)];
        var sums = new double[K];
        var ll = without.FusedStep(data, m.Components, logPi, n, K, w, null, out _, stats, sums);

        var untouched = Enumerable.Range(0, n * K).Select(i => -1.0 - i).ToArray();
        var buffer = (double[])untouched.Clone();
        var stats2 = new double[stats.Length];
        var sums2 = new double[K];
        var ll2 = without.FusedStepWithoutW(data, m.Components, logPi, n, K, buffer, stats2, sums2);

        Assert.Equal(BitConverter.DoubleToInt64Bits(ll), BitConverter.DoubleToInt64Bits(ll2));
        SameBits(stats, stats2, "statistics");
        SameBits(sums, sums2, "column sums");
        SameBits(untouched, buffer, "the buffer");
        // and the column sums are W's, as MixingWeights sums them
        var columnSums = new double[K];
        MixingWeights.AddColumnSums(w, n, K, columnSums);
        SameBits(columnSums, sums2, "W's column sums");
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Diag)]
    public void When_the_fit_recentres_after_a_step_without_W_it_makes_the_steps_W_and_fits_as_the_warm_fit_does(CovarianceType type)
    {
        // components far from the data and broad: the means move by far more than the new spread, so the fit from the
        // sums sums the scatter again about the new means, from W
        var data = Data(3, false);
        var family = new GaussianFamily(type, init: GaussianInit.Random);
        const int K = 2;
        var far = Far(family, data, K, 3, 1e5, 1e12);
        var m = new Mixture<GaussianComponents>(far, MixingWeights.Normalised([0.4, 0.6]));

        var expected = UnfusedW(family, data, m);
        var fitExpected = family.Fit(data, expected, K, far).Value();

        var (sweep, w) = StepWithoutW(family, data, m);
        var fit = sweep.M(w, m)!.Value.Value();
        SameBits(fitExpected.mu, fit.Components.mu, "mu");
        SameBits(fitExpected.factor, fit.Components.factor, "factor");
        // the fit read W, so it was made, and it is the step's
        SameBits(expected, w, "W made on demand");
    }

    [Fact]
    public void An_M_step_at_other_components_after_a_step_without_W_finds_the_steps_W_in_the_buffer()
    {
        // the fused M-step declines (its sums are centred at the E-step's means, not at these components), and the
        // caller then fits from the buffer: it must hold the E-step's W
        var data = Data(3, false);
        var family = new GaussianFamily(CovarianceType.Diag, init: GaussianInit.Random);
        const int K = 3;
        var m = new Mixture<GaussianComponents>(Far(family, data, K, 5, 0, 1), MixingWeights.Normalised([1.0, 2.0, 3.0]));
        var other = new Mixture<GaussianComponents>(Far(family, data, K, 6, 0, 1), m.Weights);
        var expected = UnfusedW(family, data, m);

        var (sweep, w) = StepWithoutW(family, data, m);
        Assert.Null(sweep.M(w, other));
        SameBits(expected, w, "W");
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Tied)]
    [InlineData(CovarianceType.Diag)]
    [InlineData(CovarianceType.Spherical)]
    public void A_run_from_far_components_without_W_equals_the_run_with_W_bit_for_bit(CovarianceType type)
    {
        // the log-likelihood rule takes the sweeps without W, the weight-change rule (with tolerance 0 the same
        // iterations) writes W at every step: the same trace and fit (the recentring case is the test above)
        var data = Data(4, false);
        var family = new GaussianFamily(type, init: GaussianInit.Random);
        const int K = 3;
        var far = Far(family, data, K, 8, 50, 1e4);
        var theta0 = new Mixture<GaussianComponents>(far, MixingWeights.Normalised([1.0, 1.0, 1.0]));
        var start = new StartInfo(StartKind.Given, 0);
        var withoutW = EmLoop.RunFrom(family, data, theta0, new EmOptions(0, 25, Rule: StopRule.LogLikelihoodChange), start).Value();
        var withW = EmLoop.RunFrom(family, data, theta0, new EmOptions(0, 25, Rule: StopRule.WeightChange), start).Value();
        Assert.Equal(25, withoutW.Iterations);
        Assert.Equal(withW.Trace.ToArray(), withoutW.Trace.ToArray());
        SameBits(withW.Mixture.Components.mu, withoutW.Mixture.Components.mu, "mu");
        SameBits(withW.Mixture.Components.factor, withoutW.Mixture.Components.factor, "factor");
        Assert.Equal(withW.Mixture.Weights.Pi.ToArray(), withoutW.Mixture.Weights.Pi.ToArray());
    }

    [Theory]
    [InlineData(CovarianceType.Full, false)]
    [InlineData(CovarianceType.Full, true)]
    [InlineData(CovarianceType.Tied, true)]
    [InlineData(CovarianceType.Diag, false)]
    [InlineData(CovarianceType.Diag, true)]
    [InlineData(CovarianceType.Spherical, true)]
    public void A_squarem_run_with_the_log_likelihood_rule_leaves_W_unwritten_and_equals_the_unfused_run_bit_for_bit(CovarianceType type, bool far)
    {
        // SQUAREM with the log-likelihood rule keeps one buffer, read only by the M-step after each E-step, so its
        // sweeps (the plain steps' and the extrapolated points') leave W unwritten: the run's buffer still holds W0 at
        // the end (none of these runs recentres, which would make W there; that case is the test above). The unfused
        // family writes W at every E-step and fits from it. Far components make the first steps and extrapolations large.
        var data = Data(4, false);
        var family = new GaussianFamily(type, init: GaussianInit.Random);
        const int K = 3;
        var theta0 = new Mixture<GaussianComponents>(
            far ? Far(family, data, K, 8, 50, 1e4) : family.Fit(data, family.RandomResponsibilities(data, K, Seeds.Generator(5))).Value(),
            MixingWeights.Normalised([1.0, 1.0, 1.0]));
        var start = new StartInfo(StartKind.Given, 0);
        const int steps = 40;
        var options = new EmOptions(0, steps, Rule: StopRule.LogLikelihoodChange, Accelerate: Acceleration.Squarem);
        var W0 = UnfusedW(family, data, theta0);
        var buffer = (double[])W0.Clone();
        var fused = EmLoop.RunInPlace(family, data, buffer, data.N, K, options, start).Value();
        var unfused = EmLoop.RunInPlace(new GaussianFusedSweepTests.Unfused(family), data, (double[])W0.Clone(), data.N, K, options, start).Value();
        Assert.Equal(steps, fused.Iterations);
        // fewer log-likelihoods than M-steps: some steps were extrapolations (each kept one takes three M-steps for two)
        Assert.True(fused.Trace.Length < steps, $"the run kept {fused.Trace.Length} log-likelihoods in {steps} M-steps");
        SameBits(W0, buffer, "the run's buffer");
        Assert.Equal(unfused.Trace.ToArray(), fused.Trace.ToArray());
        SameBits(unfused.Mixture.Components.mu, fused.Mixture.Components.mu, "mu");
        SameBits(unfused.Mixture.Components.factor, fused.Mixture.Components.factor, "factor");
        Assert.Equal(unfused.Mixture.Weights.Pi.ToArray(), fused.Mixture.Weights.Pi.ToArray());
    }
}
