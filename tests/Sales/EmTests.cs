using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Simulate;

namespace Mixtures.Tests.Sales;

public class EmTests
{
    private static readonly SalesTruth Truth = new(Theta.Of((2.0, -1.0), (3.5, -2.0), (5.0, -0.5)), MixingWeights.Of([0.3, 0.3, 0.4]));

    [Fact]
    public void EM_reports_the_log_likelihood_of_its_final_parameters()
    {
        var (y, X, _) = TestSupport.Panel(Truth, 60, 20, 1);
        var fit = SalesModel.EM(3, y, X, new EmOptions(1e-10, 500), seed: 4).Value();
        Assert.Equal(SalesModel.LogL(fit.Theta, fit.Pi, y, X), fit.LogLikelihood, 8);
        Assert.Equal(fit.Trace[^1], fit.LogLikelihood);
        Assert.Equal(fit.Iterations, fit.Trace.Length);
        Assert.True(fit.Converged);
        // W belongs to the final parameters too.
        var W = SalesModel.EStep(fit.Theta, fit.Pi, y, X);
        Assert.True(EmLoop.MaxAbsDifference(W, fit.W) < 1e-12);
    }

    [Fact]
    public void EM_with_default_options_is_plain_EM_iteration_for_iteration()
    {
        Assert.Equal(Acceleration.None, EmOptions.Default.Accelerate);
        var (y, X, _) = TestSupport.Panel(Truth, 60, 15, 5);
        var fit = SalesModel.EM(3, y, X, EmOptions.Default, seed: 7).Value();
        Assert.Equal(fit.Iterations, fit.Trace.Length);
        // replay the spec by hand: W0 the seed's random partition; (theta_t, pi_t) = MStep(W_(t-1)); W_t = EStep(theta_t, pi_t)
        var data = Mixtures.Domain.Regression.RegressionData.Panel(y, X);
        var W = SalesModel.Family.RandomResponsibilities(data, 3, Mixtures.Domain.Random.Seeds.Generator(Mixtures.Domain.Random.Seeds.Derive(7, 3, 0)));
        for (var t = 0; t < fit.Iterations; t++)
        {
            var (theta, pi) = SalesModel.MStep(y, X, W).Value();
            var Wt = SalesModel.EStep(theta, pi, y, X);
            Assert.Equal(SalesModel.LogL(theta, pi, y, X), fit.Trace[t]);
            var change = EmLoop.MaxAbsDifference(Wt, W);
            // the spec's rule: stop at the first t with max |W_t - W_(t-1)| < 1e-8
            Assert.Equal(t == fit.Iterations - 1, change < EmOptions.Default.Tolerance);
            W = Wt;
        }
        Assert.True(fit.Converged);
    }

    [Fact]
    public void SQUAREM_reaches_the_plain_EM_optimum_from_the_same_start_in_fewer_EM_steps()
    {
        var (y, X, _) = TestSupport.Panel(Truth, 60, 15, 5);
        var plain = SalesModel.EM(4, y, X, new EmOptions(1e-10, 20000), seed: 3).Value();
        var fast = SalesModel.EM(4, y, X, new EmOptions(1e-10, 20000, Accelerate: Acceleration.Squarem), seed: 3).Value();
        Assert.True(plain.Converged && fast.Converged);
        Assert.Equal(plain.LogLikelihood, fast.LogLikelihood, 6);
        Assert.True(fast.Iterations < plain.Iterations, $"{fast.Iterations} EM steps with SQUAREM, {plain.Iterations} without");
    }

    [Fact]
    public void EM_log_likelihood_never_decreases()
    {
        var (y, X, _) = TestSupport.Panel(Truth, 60, 20, 2);
        var fit = SalesModel.EM(4, y, X, new EmOptions(1e-12, 300), seed: 9).Value();
        for (var t = 1; t < fit.Trace.Length; t++)
            Assert.True(fit.Trace[t] >= fit.Trace[t - 1] - 1e-9 * Math.Abs(fit.Trace[t - 1]), $"decrease at iteration {t + 1}");
    }

    [Fact]
    public void EM_stops_at_the_iteration_limit_and_says_so()
    {
        var (y, X, _) = TestSupport.Panel(Truth, 60, 20, 2);
        var fit = SalesModel.EM(3, y, X, new EmOptions(0.0, 3), seed: 1).Value();
        Assert.Equal(3, fit.Iterations);
        Assert.False(fit.Converged);
    }

    [Fact]
    public void Segments_are_reported_by_ascending_alpha()
    {
        var (y, X, _) = TestSupport.Panel(Truth, 90, 20, 3);
        var est = SalesModel.Estimate(3, y, X).Value();
        var alphas = est.Theta.Segments.Select(s => s.Alpha).ToArray();
        Assert.Equal(alphas.Order().ToArray(), alphas);
    }

    [Fact]
    public void Estimate_uses_split_starts_from_the_K_minus_1_fit_and_counts_starts_at_the_best()
    {
        var (y, X, _) = TestSupport.Panel(Truth, 90, 20, 3);
        var est = SalesModel.Estimate(3, y, X, starts: 4).Value();
        Assert.Equal(2, est.Starts.Count(s => s.Start.Kind == StartKind.Split));
        // the random starts cycle through the family's kinds: partition, Dirichlet, parameters, partition
        Assert.Equal([StartKind.RandomPartition, StartKind.RandomSoft, StartKind.Parameters, StartKind.RandomPartition],
            est.Starts.Where(s => s.Start.Kind != StartKind.Split).Select(s => s.Start.Kind));
        var best = est.Starts.Where(s => s.Failure is null).Max(s => s.LogLikelihood);
        Assert.Equal(best, est.LogLikelihood, 9);
        Assert.Equal(est.Starts.Count(s => s.Failure is null && Math.Abs(s.LogLikelihood - best) <= Math.Max(1e-6, 1e-9 * Math.Abs(best))), est.StartsAtBest);
        Assert.True(est.StartsAtBest >= 1);
    }

    [Fact]
    public void Estimate_is_deterministic_for_a_seed()
    {
        var (y, X, _) = TestSupport.Panel(Truth, 60, 15, 8);
        var a = SalesModel.Estimate(3, y, X, starts: 5, seed: 12).Value();
        var b = SalesModel.Estimate(3, y, X, starts: 5, seed: 12).Value();
        Assert.Equal(a.Theta, b.Theta);
        Assert.Equal(a.Pi, b.Pi);
        Assert.Equal(a.LogLikelihood, b.LogLikelihood);
    }

    [Fact]
    public void Estimate_rejects_more_segments_than_stores()
    {
        var (y, X, _) = TestSupport.Panel(Truth, 3, 10, 8);
        Assert.True(SalesModel.Estimate(4, y, X).IsFail);
    }

    [Fact]
    public void Relabel_finds_the_permutation_with_the_smallest_cost()
    {
        var cost = new double[,] { { 5, 1, 9 }, { 1, 7, 3 }, { 9, 4, 0 } };
        Assert.Equal([1, 0, 2], Relabel.BestPermutation(cost));
    }
}
