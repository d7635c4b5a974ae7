using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using Mixtures.Domain;
using Mixtures.Domain.Regression;
using Mixtures.Domain.Simulate;

namespace Mixtures.PropertyTests.Regression;

/// <summary>A generated latent class regression data set with the truth it was simulated from.</summary>
public sealed record RegressionCase(RegressionTruth Truth, int Rows, int RowsPerGroup, ulong Seed, VarianceModel Variance)
{
    private RegressionSample? sample;
    private RegressionData? data;
    public RegressionSample Sample => sample ??= RegressionSimulator.Simulate(Truth, Rows, Seed, RowsPerGroup);
    public RegressionData Data => data ??= LatentClassRegression.Data(Sample.Y, Sample.Design, RowsPerGroup > 1 ? Sample.Groups : null);
    public int K => Truth.K;

    public override string ToString() =>
        $"n = {Rows}, rows per group = {RowsPerGroup}, seed = {Seed}, variance = {Variance}, K = {K}, " +
        "beta = [" + string.Join("; ", Truth.Classes.Classes.Select(c => string.Join(", ", c.Beta.Select(b => b.ToString("G4"))))) + "], " +
        "sigma = [" + string.Join(", ", Truth.Classes.Classes.Select(c => c.Sigma.ToString("G4"))) + "], " + Truth.Pi;
}

/// <summary>Generators: every double comes from a mapped integer (never NaN or infinities).</summary>
public static class RegressionGenerators
{
    /// <summary>A double in [lo, hi] on a grid of 1/1000 of the range.</summary>
    public static Gen<double> Between(double lo, double hi) =>
        Gen.Choose(0, 1000).Select(i => lo + (hi - lo) * i / 1000.0);

    /// <summary>
    /// K classes with p coefficients (intercept first): intercepts at least <paramref name="gap"/> apart
    /// (so classes are told apart by their level), slopes in [-2, 2], sigma in [0.5, 1.5] (equal when
    /// <paramref name="equalSigma"/>), weights from integers 1..3 (so every pi_c >= 1/(3K-2)).
    /// </summary>
    public static Gen<RegressionTruth> Truth(int minK, int maxK, int maxP, double gap, bool equalSigma = false) =>
        from K in Gen.Choose(minK, maxK)
        from p in Gen.Choose(1, maxP)
        from start in Between(-3, 3)
        from jitter in Gen.ArrayOf(Between(0, 0.5), K)
        from slopes in Gen.ArrayOf(Between(-2, 2), K * (p - 1))
        from sigmas in Gen.ArrayOf(Between(0.5, 1.5), K)
        from raw in Gen.ArrayOf(Gen.Choose(1, 3), K)
        select RegressionTruth.Of(
            Enumerable.Range(0, K).Select(c => new[] { start + gap * c + jitter[c] }.Concat(slopes.Skip(c * (p - 1)).Take(p - 1)).ToArray()).ToArray(),
            Enumerable.Range(0, K).Select(c => equalSigma ? sigmas[0] : sigmas[c]).ToArray(),
            raw.Select(r => (double)r).ToArray());

    public static Gen<VarianceModel> Variance =>
        Gen.Elements(VarianceModel.PerClass, VarianceModel.Common, VarianceModel.Fixed(1.0));

    /// <summary>Small data sets: K 1..4, p 1..3, 20..150 rows, one in three grouped (2..5 rows a group).</summary>
    public static Gen<RegressionCase> Small =>
        from truth in Truth(1, 4, 3, 1.5)
        from n in Gen.Choose(20, 150)
        from grouped in Gen.Choose(0, 2)
        from perGroup in Gen.Choose(2, 5)
        from seed in Gen.Choose(1, int.MaxValue)
        from variance in Variance
        select new RegressionCase(truth, Math.Max(n, 4 * truth.K * truth.P), grouped == 0 ? perGroup : 1, (ulong)seed, variance);

    /// <summary>Parameters near or far from a case's truth (far: naive densities underflow).</summary>
    public static Gen<(RegressionCase Case, RegressionComponents Theta, Domain.Model.MixingWeights Pi)> Parameters(double scale) =>
        from c in Small
        from shifts in Gen.ArrayOf(Between(-scale, scale), c.K)
        from sigmaScale in Gen.ArrayOf(Between(0.2, 3), c.K)
        from raw in Gen.ArrayOf(Gen.Choose(1, 100), c.K)
        select (c,
            new RegressionComponents(c.Truth.Classes.Classes.Select((cls, k) =>
                new RegressionClass(cls.Beta.Select((b, j) => j == 0 ? b + shifts[k] : b - shifts[k] / 10).ToImmutableArray(), cls.Sigma * sigmaScale[k]))
                .ToImmutableArray()),
            Domain.Model.MixingWeights.Normalised(raw.Select(r => (double)r)));
}
