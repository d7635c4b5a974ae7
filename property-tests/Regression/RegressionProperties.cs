using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Domain.Simulate;

namespace Mixtures.PropertyTests.Regression;

public class RegressionProperties
{
    [RegressionProperty]
    public Property EM_log_likelihood_never_decreases() =>
        Prop.ForAll(RegressionGenerators.Small.ToArbitrary(), Gen.Choose(1, 4).ToArbitrary(), (c, K) =>
        {
            K = Math.Min(K, c.Data.Units);
            var settings = new RegressionSettings(c.Variance, Seed: c.Seed, Tolerance: 1e-12, MaxIterations: 150, MinPrior: 0, Accelerate: Acceleration.None);
            if (!LatentClassRegression.EM(K, c.Data, settings).TryGet(out var f, out _)) return true; // a degenerate start has no trace
            for (var t = 1; t < f.Trace.Length; t++)
                if (f.Trace[t] < f.Trace[t - 1] - 1e-9 * Math.Abs(f.Trace[t - 1])) return false;
            return true;
        });

    [RegressionProperty(MaxTest = 60)]
    public Property Responsibilities_lie_in_0_1_and_rows_sum_to_one_even_when_densities_underflow() =>
        Prop.ForAll(Gen.Elements(1.0, 30.0, 1000.0).SelectMany(RegressionGenerators.Parameters).ToArbitrary(), x =>
        {
            var W = LatentClassRegression.EStep(x.Theta, x.Pi, x.Case.Data);
            if (W.RowCount != x.Case.Data.Units) return false;
            for (var u = 0; u < W.RowCount; u++)
            {
                var s = 0.0;
                for (var k = 0; k < W.ColumnCount; k++)
                {
                    if (!(W[u, k] >= 0 && W[u, k] <= 1)) return false;
                    s += W[u, k];
                }
                if (Math.Abs(s - 1) > 1e-12) return false;
            }
            return double.IsFinite(LatentClassRegression.LogL(x.Theta, x.Pi, x.Case.Data));
        });

    [RegressionProperty(MaxTest = 60)]
    public Property LogL_is_invariant_under_relabeling_of_classes() =>
        Prop.ForAll(RegressionGenerators.Parameters(1.0).ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (x, seed) =>
        {
            var K = x.Theta.K;
            var order = Enumerable.Range(0, K).OrderBy(k => (k * 7919L + seed) % 101).ThenBy(k => k).ToArray();
            var relabeled = new RegressionComponents(order.Select(o => x.Theta.Classes[o]).ToImmutableArray());
            var a = LatentClassRegression.LogL(x.Theta, x.Pi, x.Case.Data);
            var b = LatentClassRegression.LogL(relabeled, x.Pi.Reorder(order), x.Case.Data);
            return Math.Abs(a - b) <= 1e-10 * Math.Max(1, Math.Abs(a));
        });

    [RegressionProperty(MaxTest = 60)]
    public Property LogL_is_invariant_under_permuting_the_rows() =>
        Prop.ForAll(RegressionGenerators.Parameters(1.0).ToArbitrary(), Gen.Choose(1, int.MaxValue).ToArbitrary(), (x, seed) =>
        {
            var s = x.Case.Sample;
            var n = s.Rows;
            var rng = new System.Random(seed);
            var perm = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).ToArray();
            var X = s.Design;
            var Xp = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, X.ColumnCount, (i, j) => X[perm[i], j]);
            var yp = perm.Select(i => s.Y[i]).ToArray();
            var gp = x.Case.RowsPerGroup > 1 ? perm.Select(i => s.Groups[i]).ToArray() : null;
            var a = LatentClassRegression.LogL(x.Theta, x.Pi, x.Case.Data);
            var b = LatentClassRegression.LogL(x.Theta, x.Pi, yp, Xp, gp);
            return Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(a));
        });

    /// <summary>Well-separated classes and enough rows that the MLE is near the truth.</summary>
    private static Gen<RegressionCase> Recoverable =>
        from truth in RegressionGenerators.Truth(1, 3, 3, 5.0)
        from n in Gen.Choose(150, 300)
        from seed in Gen.Choose(1, int.MaxValue)
        select new RegressionCase(truth, n * truth.K, 1, (ulong)seed, VarianceModel.PerClass);

    // A statistical property: each of up to 180 coefficient checks per run misses 4 SE with
    // probability 6e-5, so an unpinned run fails by chance about 1% of the time. The generator seed is
    // pinned (Replay) so CI is deterministic; change it to explore other cases.
    [RegressionProperty(MaxTest = 20, Replay = "8405153209710582291,3387394562215487117")]
    public Property Coefficients_are_recovered_within_4_standard_errors() =>
        Prop.ForAll(Recoverable.ToArbitrary(), c =>
        {
            var truth = c.Truth;
            var fit = LatentClassRegression.EM(new Mixture<RegressionComponents>(truth.Classes, truth.Pi), c.Data,
                RegressionSettings.Default with { MinPrior = 0 }).Value();
            var inf = LatentClassRegression.StandardErrors(fit.Mixture.Components, fit.Mixture.Weights, c.Data, VarianceModel.PerClass).Value();
            // canonical order is ascending intercept, as the generated truth is
            for (var k = 0; k < c.K; k++)
            for (var j = 0; j < truth.P; j++)
            {
                var e = inf.Beta[k][j];
                if (Math.Abs(e.Estimate - truth.Classes.Classes[k].Beta[j]) > 4 * e.StdError) return false;
            }
            return true;
        });
}
