using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Domain.Random;

namespace Mixtures.PropertyTests.Gaussian;

public class GaussianProperties
{
    private static readonly EmOptions Exact = new(1e-14, 60, 0, StopRule.LogLikelihoodChange);

    /// <summary>Exactly 30 iterations (tolerance 0): two runs that should agree are compared step for step,
    /// not at a stopping decision that rounding can tip either way.</summary>
    private static readonly EmOptions Fixed = new(0.0, 30, 0, StopRule.LogLikelihoodChange);

    /// <summary>One EM run from random responsibilities drawn with <paramref name="seed"/> (W0 does not depend on the data).</summary>
    private static LanguageExt.Fin<EmFit<GaussianComponents>> Run(GaussianData data, CovarianceType type, int K, ulong seed, double reg, EmOptions options, Func<Matrix<double>, Matrix<double>>? editW0 = null)
    {
        var family = new GaussianFamily(type, reg, GaussianInit.Random);
        var W0 = family.RandomResponsibilities(data, K, Seeds.Generator(seed));
        return EmLoop.Run(family, data, editW0 is null ? W0 : editW0(W0), options, new StartInfo(StartKind.Random, 0, seed));
    }

    [GaussianProperty]
    public Property EM_log_likelihood_never_decreases_for_every_covariance_type_without_ridge() =>
        Prop.ForAll(GaussianGenerators.Small.ToArbitrary(), GaussianGenerators.Covariance.ToArbitrary(), Gen.Choose(1, 4).ToArbitrary(), (c, type, K) =>
        {
            // reg-covar 0: only the exact ML M-step is guaranteed not to decrease log L (a ridged one is not a maximiser)
            if (!Run(c.Data, type, K, c.Seed, 0.0, Exact).TryGet(out var f, out _)) return true;
            for (var t = 1; t < f.Trace.Length; t++)
                if (f.Trace[t] < f.Trace[t - 1] - 1e-9 * Math.Max(1, Math.Abs(f.Trace[t - 1]))) return false;
            return true;
        });

    [GaussianProperty(MaxTest = 60)]
    public Property Responsibilities_lie_in_0_1_and_rows_sum_to_one_even_when_densities_underflow() =>
        Prop.ForAll(Gen.Elements(1.0, 30.0, 1000.0).SelectMany(GaussianGenerators.Parameters).ToArbitrary(), x =>
        {
            var W = GaussianMixture.EStep(x.Theta, x.Pi, x.Case.X);
            for (var i = 0; i < W.RowCount; i++)
            {
                var s = 0.0;
                for (var k = 0; k < W.ColumnCount; k++)
                {
                    if (!(W[i, k] >= 0 && W[i, k] <= 1)) return false;
                    s += W[i, k];
                }
                if (Math.Abs(s - 1) > 1e-12) return false;
            }
            return double.IsFinite(GaussianMixture.LogL(x.Theta, x.Pi, x.Case.X));
        });

    // A statistical property: a mean misses the truth by 0.1 (5 standard errors at most) with probability
    // under 1e-6 per coordinate, up to 180 coordinates a run; the generator seed is pinned (Replay) so CI
    // is deterministic; change it to explore other cases.
    [GaussianProperty(MaxTest = 15, Replay = "4242424242424242421,1357913579135791357")]
    public Property Well_separated_clusters_are_recovered_means_within_0_1_and_adjusted_Rand_above_0_95() =>
        Prop.ForAll(GaussianGenerators.Separated.ToArbitrary(), GaussianGenerators.Covariance.ToArbitrary(), (c, type) =>
        {
            var est = GaussianMixture.Estimate([c.K], c.X, new GaussianSettings(type, Starts: 3, Seed: c.Seed, Tolerance: 1e-8)).Value();
            var theta = est.Model.Components;
            var cost = new double[c.K, c.K];
            for (var a = 0; a < c.K; a++)
            for (var b = 0; b < c.K; b++)
                cost[a, b] = Enumerable.Range(0, c.D).Sum(j => Math.Abs(c.Means[a][j] - theta.Means[b * c.D + j]));
            var perm = Relabel.BestPermutation(cost);
            var meansOk = Enumerable.Range(0, c.K).All(a => Enumerable.Range(0, c.D).All(j => Math.Abs(c.Means[a][j] - theta.Means[perm[a] * c.D + j]) < 0.1));
            var labels = Profiles.Assign(est.Responsibilities).Labels.ToArray();
            return (meansOk && AdjustedRand.Index(c.Labels, labels) > 0.95)
                .Label($"means {string.Join("; ", Enumerable.Range(0, c.K).Select(k => string.Join(", ", theta.Means.Skip(k * c.D).Take(c.D).Select(v => v.ToString("G4")))))}, ARI {AdjustedRand.Index(c.Labels, labels)}");
        });

    [GaussianProperty(MaxTest = 60)]
    public Property LogL_is_invariant_under_relabeling_of_components() =>
        Prop.ForAll(GaussianGenerators.Parameters(1.0).ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (x, seed) =>
        {
            var K = x.Theta.K;
            var order = Enumerable.Range(0, K).OrderBy(k => (k * 7919L + seed) % 101).ThenBy(k => k).ToArray();
            var a = GaussianMixture.LogL(x.Theta, x.Pi, x.Case.X);
            var b = GaussianMixture.LogL(x.Theta.Reorder(order), x.Pi.Reorder(order), x.Case.X);
            return Math.Abs(a - b) <= 1e-10 * Math.Max(1, Math.Abs(a));
        });

    [GaussianProperty]
    public Property EM_from_relabeled_starting_responsibilities_gives_the_same_canonical_fit() =>
        Prop.ForAll(GaussianGenerators.Small.ToArbitrary(), GaussianGenerators.Covariance.ToArbitrary(), Gen.Choose(2, 4).ToArbitrary(), (c, type, K) =>
        {
            var options = Fixed;
            var order = Enumerable.Range(0, K).Reverse().ToArray();
            if (!Run(c.Data, type, K, c.Seed, 1e-6, options).TryGet(out var a, out _)) return true;
            // the same start with its columns relabeled must fit (and fail) alike
            return Run(c.Data, type, K, c.Seed, 1e-6, options, W0 => Matrix<double>.Build.Dense(W0.RowCount, K, (i, k) => W0[i, order[k]])).TryGet(out var b, out _)
                && Close(a, b, 1e-9);
        });

    [GaussianProperty(MaxTest = 60)]
    public Property LogL_is_invariant_under_permuting_the_rows() =>
        Prop.ForAll(GaussianGenerators.Parameters(1.0).ToArbitrary(), Gen.Choose(1, int.MaxValue).ToArbitrary(), (x, seed) =>
        {
            var perm = Permutation(x.Case.N, (ulong)seed);
            var X = x.Case.X;
            var Xp = Matrix<double>.Build.Dense(X.RowCount, X.ColumnCount, (i, j) => X[perm[i], j]);
            var a = GaussianMixture.LogL(x.Theta, x.Pi, X);
            var b = GaussianMixture.LogL(x.Theta, x.Pi, Xp);
            return Math.Abs(a - b) <= 1e-10 * Math.Max(1, Math.Abs(a));
        });

    [GaussianProperty]
    public Property EM_on_permuted_rows_from_permuted_responsibilities_gives_the_same_fit() =>
        Prop.ForAll(GaussianGenerators.Small.ToArbitrary(), GaussianGenerators.Covariance.ToArbitrary(), Gen.Choose(1, 4).ToArbitrary(), (c, type, K) =>
        {
            var options = Fixed;
            if (!Run(c.Data, type, K, c.Seed, 1e-6, options).TryGet(out var a, out _)) return true;
            var perm = Permutation(c.N, c.Seed + 1);
            var permuted = c.Data.PermuteRows(perm);
            return Run(permuted, type, K, c.Seed, 1e-6, options, W0 => Matrix<double>.Build.Dense(W0.RowCount, K, (i, k) => W0[perm[i], k])).TryGet(out var b, out _)
                && Close(a, b, 1e-8);
        });

    [GaussianProperty]
    public Property Affine_change_of_units_shifts_the_log_likelihood_by_minus_n_log_abs_det_A() =>
        Prop.ForAll((
            from c in GaussianGenerators.Small
            from type in GaussianGenerators.Covariance
            from K in Gen.Choose(1, 3)
            from entries in Gen.ArrayOf(GaussianGenerators.Between(-2, 2), 20)
            select (c, type, K, entries)).ToArbitrary(), x =>
        {
            var (c, type, K, entries) = x;
            int d = c.D, n = c.N;
            // full and tied stay closed under any invertible A; diag under diagonal A; spherical under s I
            var A = Matrix<double>.Build.Dense(d, d, (a, b) => type switch
            {
                CovarianceType.Full or CovarianceType.Tied => a == b ? 2.5 + entries[a * d + b] : entries[a * d + b] / 2,
                CovarianceType.Diag => a == b ? (entries[a] >= 0 ? 0.3 + entries[a] : entries[a] - 0.3) : 0.0,
                _ => a == b ? 0.3 + Math.Abs(entries[0]) : 0.0,
            });
            var shift = Enumerable.Range(0, d).Select(j => 10 * entries[19 - j]).ToArray();
            var X = c.X;
            var Y = X * A.Transpose() + Matrix<double>.Build.Dense(n, d, (i, j) => shift[j]);
            var logDet = Math.Log(Math.Abs(A.Determinant()));
            var fx = Run(c.Data, type, K, c.Seed, 0.0, Fixed);
            if (!fx.TryGet(out var a, out _)) return true.Label("the start failed");
            // without a ridge a nearly singular start may fail in one system of units only (rounding): skip it
            if (!Run(GaussianData.Of(Y).Value(), type, K, c.Seed, 0.0, Fixed).TryGet(out var b, out _))
                return true.Label("the start failed in new units");
            // the same start in new units: every iterate is the transformed iterate, so log L shifts by -n log|det A|
            var expected = a.Trace.Select(t => t - n * logDet).ToArray();
            if (b.Trace.Length != expected.Length) return false.Label("iteration counts differ");
            for (var t = 0; t < expected.Length; t++)
                if (Math.Abs(b.Trace[t] - expected[t]) > 1e-6 * Math.Max(1, Math.Abs(expected[t]))) return false.Label($"iteration {t + 1}: {b.Trace[t]} vs {expected[t]}");
            return true.Label("ok");
        });

    private static bool Close(EmFit<GaussianComponents> a, EmFit<GaussianComponents> b, double tol)
    {
        if (Math.Abs(a.LogLikelihood - b.LogLikelihood) > tol * Math.Max(1, Math.Abs(a.LogLikelihood))) return false;
        var ma = a.Mixture.Components.Means;
        var mb = b.Mixture.Components.Means;
        for (var j = 0; j < ma.Length; j++) if (Math.Abs(ma[j] - mb[j]) > 1e-6 * Math.Max(1, Math.Abs(ma[j]))) return false;
        return true;
    }

    private static int[] Permutation(int n, ulong seed)
    {
        var rng = Seeds.Generator(seed);
        var p = Enumerable.Range(0, n).ToArray();
        for (var i = n - 1; i > 0; i--) { var j = rng.Next(i + 1); (p[i], p[j]) = (p[j], p[i]); }
        return p;
    }
}

/// <summary>The adjusted Rand index of two partitions (Hubert and Arabie 1985; scikit-learn's adjusted_rand_score).</summary>
public static class AdjustedRand
{
    public static double Index(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        static double C2(double x) => x * (x - 1) / 2;
        var n = a.Count;
        var table = new Dictionary<(int, int), int>();
        for (var i = 0; i < n; i++) table[(a[i], b[i])] = table.GetValueOrDefault((a[i], b[i])) + 1;
        var sumCells = table.Values.Sum(v => C2(v));
        var sumA = a.GroupBy(x => x).Sum(g => C2(g.Count()));
        var sumB = b.GroupBy(x => x).Sum(g => C2(g.Count()));
        var expected = sumA * sumB / C2(n);
        var max = (sumA + sumB) / 2;
        return max == expected ? 1.0 : (sumCells - expected) / (max - expected);
    }
}
