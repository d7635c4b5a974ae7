using FsCheck;
using FsCheck.Fluent;
using Mixtures.Domain;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Domain.Simulate;

namespace Mixtures.PropertyTests.Regression;

/// <summary>A generated Poisson or binomial mixture data set with the truth it was simulated from.</summary>
public sealed record GlmCase(GlmTruth Truth, int Rows, int RowsPerGroup, ulong Seed)
{
    private GlmData? data;
    public GlmData Data => data ??= Make();

    private GlmData Make()
    {
        var s = GlmSimulator.Simulate(Truth, Rows, Seed, RowsPerGroup);
        return GlmData.Of(Truth.Response, s.Y, LatentClassRegression.Design(s.Covariates),
            trials: Truth.Response == GlmResponse.Binomial ? s.Trials : null, group: RowsPerGroup > 1 ? s.Groups : null).Value();
    }

    public override string ToString() =>
        $"{Truth.Response.Name()}, n = {Rows}, rows per group = {RowsPerGroup}, seed = {Seed}, trials = {Truth.Trials}, {Truth.Classes}, {Truth.Pi}";
}

/// <summary>The GLM families' invariants: EM (plain and accelerated) never lowers log L from any start kind; the E-step's
/// rows sum to one; log L does not depend on the order of the classes.</summary>
public class GlmProperties
{
    /// <summary>K 1..3 classes, an intercept and at most one slope, 20..150 rows, one in three grouped.</summary>
    public static Gen<GlmCase> Small =>
        from response in Gen.Elements(GlmResponse.Poisson, GlmResponse.Binomial)
        from K in Gen.Choose(1, 3)
        from p in Gen.Choose(1, 2)
        from intercepts in Gen.ArrayOf(RegressionGenerators.Between(-1, 2.5), K)
        from slopes in Gen.ArrayOf(RegressionGenerators.Between(-1, 1), K)
        from raw in Gen.ArrayOf(Gen.Choose(1, 3), K)
        from trials in Gen.Choose(1, 10)
        from n in Gen.Choose(20, 150)
        from grouped in Gen.Choose(0, 2)
        from perGroup in Gen.Choose(2, 5)
        from seed in Gen.Choose(1, int.MaxValue)
        select new GlmCase(
            new GlmTruth(response,
                GlmComponents.Of(Enumerable.Range(0, K).Select(c => p == 1 ? new[] { intercepts[c] } : [intercepts[c], slopes[c]]).ToArray()),
                MixingWeights.Normalised(raw.Select(r => (double)r)), trials),
            n, grouped == 0 ? perGroup : 1, (ulong)seed);

    private static bool Monotone(System.Collections.Immutable.ImmutableArray<double> trace)
    {
        for (var t = 1; t < trace.Length; t++)
            if (trace[t] < trace[t - 1] - 1e-9 * Math.Max(1, Math.Abs(trace[t - 1]))) return false;
        return true;
    }

    [RegressionProperty]
    public Property Plain_EM_log_likelihood_never_decreases_for_Poisson_and_binomial_mixtures() =>
        Prop.ForAll(Small.ToArbitrary(), Gen.Choose(1, 4).ToArbitrary(), Gen.Choose(0, 5).ToArbitrary(), (c, K, start) =>
        {
            K = Math.Min(K, c.Data.Units);
            var settings = new GlmSettings(Seed: c.Seed, Tolerance: 1e-12, MaxIterations: 150, MinPrior: 0, Accelerate: Acceleration.None);
            if (!GlmRegression.EM(K, c.Data, settings, start).TryGet(out var f, out _)) return true; // a degenerate start has no trace
            return Monotone(f.Trace);
        });

    [RegressionProperty]
    public Property Accelerated_EM_never_decreases_log_likelihood_for_Poisson_and_binomial_mixtures() =>
        Prop.ForAll(Small.ToArbitrary(), Gen.Choose(1, 4).ToArbitrary(), Gen.Elements(Acceleration.Squarem, Acceleration.Anderson).ToArbitrary(), (c, K, accelerate) =>
        {
            K = Math.Min(K, c.Data.Units);
            var settings = new GlmSettings(Seed: c.Seed, Tolerance: 1e-10, MaxIterations: 300, MinPrior: 0, Accelerate: accelerate);
            if (!GlmRegression.EM(K, c.Data, settings).TryGet(out var f, out _)) return true;
            return Monotone(f.Trace);
        });

    [RegressionProperty(MaxTest = 60)]
    public Property Responsibilities_sum_to_one_and_log_L_ignores_the_order_of_classes() =>
        Prop.ForAll(Small.ToArbitrary(), c =>
        {
            var theta = c.Truth.Classes;
            var pi = c.Truth.Pi;
            var W = GlmRegression.EStep(theta, pi, c.Data);
            for (var u = 0; u < W.RowCount; u++)
                if (Math.Abs(W.Row(u).Sum() - 1) > 1e-12) return false;
            var order = Enumerable.Range(0, theta.K).Reverse().ToArray();
            var a = GlmRegression.LogL(theta, pi, c.Data);
            var b = GlmRegression.LogL(GlmRegression.Family.Reorder(theta, order), pi.Reorder(order), c.Data);
            return double.IsFinite(a) && Math.Abs(a - b) <= 1e-10 * Math.Max(1, Math.Abs(a));
        });
}
