using System.Collections.Concurrent;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Data;

namespace Mixtures.Tests.Em;

/// <summary><see cref="EmOptions.Progress"/>: what the EM loops report, and that reporting changes nothing.</summary>
public class ProgressTests
{
    private static SalesInput Sales => SalesCsv.Read(Path.Combine(TestSupport.RepoRoot, "data", "sales.csv")).Value();

    public static TheoryData<Acceleration, int> Algorithms() => new()
    {
        { Acceleration.None, 0 },
        { Acceleration.Squarem, 0 },
        { Acceleration.Squarem, EmOptions.DefaultNewtonAfter },
        { Acceleration.Anderson, 0 },
    };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Sales_path_reports_rising_K_and_iterations_and_is_the_same_with_and_without_a_listener(Acceleration accelerate, int newtonAfter)
    {
        var input = Sales;
        var X = SalesModel.Design(input.Prices);
        var options = SalesModel.EstimationOptions with { Accelerate = accelerate, NewtonAfter = newtonAfter, MaxIterations = 300 };
        var settings = new EstimationSettings(SalesModel.Plan(4), 7, options);
        var reports = new ConcurrentQueue<EstimationProgress>();
        var without = SalesModel.EstimatePath([1, 2, 3], input.LogSales, X, settings);
        var with = SalesModel.EstimatePath([1, 2, 3], input.LogSales, X, settings with { Options = options with { Progress = reports.Enqueue } });

        AssertSame(without.Fits, with.Fits);
        var all = reports.ToList();
        Assert.NotEmpty(all);
        // K rises through the path (1, 2, 3 in turn), every report knows the path's last K and its K's starts
        Assert.Equal([1, 2, 3], all.Select(r => r.K).Distinct());
        for (var i = 1; i < all.Count; i++) Assert.True(all[i].K >= all[i - 1].K, $"K fell from {all[i - 1].K} to {all[i].K}");
        Assert.All(all, r => Assert.Equal(3, r.LastK));
        foreach (var f in with.Fits)
        {
            var e = f.Estimate!;
            Assert.All(all.Where(r => r.K == f.K), r => Assert.Equal(e.Starts.Length, r.Starts));
            // within a start the iterations rise, and its last report is where it ended
            foreach (var run in all.Where(r => r.K == f.K).GroupBy(r => r.Start))
            {
                var its = run.Select(r => r.Iteration).ToList();
                for (var i = 1; i < its.Count; i++) Assert.True(its[i] >= its[i - 1], $"K = {f.K}, start {run.Key}: iteration fell from {its[i - 1]} to {its[i]}");
                var outcome = e.Starts[run.Key - 1];
                if (outcome.Failure is null)
                {
                    Assert.Equal(outcome.Iterations, run.Last().Iteration);
                    Assert.Equal(outcome.LogLikelihood, run.Last().LogLikelihood);
                }
            }
            Assert.Contains(all, r => r.K == f.K && r.Start == e.Best.Start.Index + 1 && r.Iteration == e.Best.Iterations && r.LogLikelihood == e.Best.LogLikelihood);
        }
    }

    [Fact]
    public void Screened_gaussian_path_counts_the_screening_steps_and_is_the_same_with_and_without_a_listener()
    {
        var X = Mixtures.Tests.Gaussian.GaussianTestData.Separated(600, 2, 3, 5).X;
        // screening from 1 row, so that the finalists continue after 5 EM steps
        var settings = GaussianSettings.Default with { Starts = 6, ScreenFrom = 1 };
        var reports = new ConcurrentQueue<EstimationProgress>();
        var without = GaussianMixture.Estimate([1, 2, 3], X, settings).Value();
        var with = GaussianMixture.Estimate([1, 2, 3], X, settings with { Progress = reports.Enqueue }).Value();
        AssertSame(without.Estimation.Fits, with.Estimation.Fits);
        var all = reports.ToList();
        foreach (var f in with.Estimation.Fits.Where(f => f.K > 1))
        {
            var e = f.Estimate!;
            var continued = e.Starts.Where(s => s.Failure is null && !s.ScreenedOut && s.Iterations > settings.ScreenIterations).ToList();
            Assert.NotEmpty(continued);
            foreach (var s in continued)
                Assert.Equal(s.Iterations, all.Where(r => r.K == f.K && r.Start == s.Start.Index + 1).Max(r => r.Iteration));
        }
    }

    private static void AssertSame<TC>(IReadOnlyList<KEstimate<TC>> a, IReadOnlyList<KEstimate<TC>> b)
    {
        Assert.Equal(a.Count, b.Count);
        for (var i = 0; i < a.Count; i++)
        {
            var (x, y) = (a[i].Estimate!, b[i].Estimate!);
            Assert.Equal(x.Best.Trace.ToArray(), y.Best.Trace.ToArray());
            Assert.Equal(x.Best.Iterations, y.Best.Iterations);
            Assert.Equal(x.Best.Start, y.Best.Start);
            Assert.Equal(x.Best.Mixture.Weights.Pi.ToArray(), y.Best.Mixture.Weights.Pi.ToArray());
            Assert.Equal(x.Starts.Select(s => (s.LogLikelihood, s.Iterations, s.Converged, s.ScreenedOut)), y.Starts.Select(s => (s.LogLikelihood, s.Iterations, s.Converged, s.ScreenedOut)));
        }
    }
}
