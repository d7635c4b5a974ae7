using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Model;
using Mixtures.Domain.Simulate;

namespace Mixtures.PropertyTests.Sales;

/// <summary>A generated sales panel with the truth it was simulated from.</summary>
public sealed record SalesCase(SalesTruth Truth, int Stores, int Weeks, ulong Seed)
{
    private SalesSample? sample;
    public SalesSample Sample => sample ??= SalesSimulator.Simulate(Truth, Stores, Weeks, Seed);
    public Matrix<double> Y => Sample.Sales.Map(Math.Log);
    public Matrix<double> X => SalesModel.Design(Sample.Prices);
    public override string ToString() =>
        $"N = {Stores}, T = {Weeks}, seed = {Seed}, {Truth.Theta}, {Truth.Pi}";
}

/// <summary>Generators: doubles come from mapped integers (never NaN or infinities).</summary>
public static class SalesGenerators
{
    /// <summary>A double in [lo, hi] on a grid of 1/1000 of the range.</summary>
    public static Gen<double> Between(double lo, double hi) =>
        Gen.Choose(0, 1000).Select(i => lo + (hi - lo) * i / 1000.0);

    /// <summary>K segments with alphas at least <paramref name="gap"/> apart, betas in [-3, 0], weights >= 0.1.</summary>
    public static Gen<SalesTruth> Truth(int minK, int maxK, double gap) =>
        from K in Gen.Choose(minK, maxK)
        from start in Between(0, 3)
        from jitter in Gen.ArrayOf(Between(0, 0.5), K)
        from betas in Gen.ArrayOf(Between(-3, 0), K)
        from raw in Gen.ArrayOf(Gen.Choose(1, 3), K)
        select new SalesTruth(
            Theta.Of(Enumerable.Range(0, K).Select(c => new Segment(start + gap * c + jitter[c], betas[c]))),
            MixingWeights.Normalised(raw.Select(r => (double)r)));

    public static Gen<SalesCase> Case(int minK, int maxK, double gap, int minStores, int maxStores, int minWeeks, int maxWeeks) =>
        from truth in Truth(minK, maxK, gap)
        from n in Gen.Choose(minStores, maxStores)
        from t in Gen.Choose(minWeeks, maxWeeks)
        from seed in Gen.Choose(1, int.MaxValue)
        select new SalesCase(truth, Math.Max(n, truth.K), t, (ulong)seed);

    /// <summary>Small panels for properties of single iterations.</summary>
    public static Arbitrary<SalesCase> Small() => Case(1, 4, 0.8, 8, 40, 4, 15).ToArbitrary();
}
