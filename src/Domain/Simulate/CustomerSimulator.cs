using System.Collections.Immutable;
using MathNet.Numerics.Distributions;
using Mixtures.Domain.Random;

namespace Mixtures.Domain.Simulate;

/// <summary>A spending segment of the simulated customer base.</summary>
/// <param name="Name">Label of the segment.</param>
/// <param name="Weight">Share of customers.</param>
/// <param name="LogMean">Per category, the mean of log(1 + spending) of a buyer.</param>
/// <param name="LogSd">Standard deviation of log(1 + spending) of a buyer.</param>
/// <param name="Zero">Per category, the probability of spending exactly 0.</param>
/// <param name="Income">Mean yearly income.</param>
/// <param name="Narrow">Probability of a "narrow buyer" who buys no fruits, fish or sweets at all (joint zeros).</param>
public sealed record CustomerSegment(string Name, double Weight, ImmutableArray<double> LogMean, double LogSd, ImmutableArray<double> Zero, double Income, double Narrow = 0.0);

/// <summary>One simulated customer.</summary>
public sealed record Customer(int Id, int YearBirth, double? Income, int Kidhome, int Recency, ImmutableArray<int> Spending, int Segment);

/// <summary>A simulated customer file with its true segments.</summary>
public sealed record CustomerSample(ImmutableArray<string> Categories, ImmutableArray<CustomerSegment> Segments, ImmutableArray<Customer> Customers, ulong Seed);

/// <summary>
/// Simulated customer spending in the shape of the retail "marketing campaign" data behind customer
/// segmentation exercises: six product categories (MntWines, MntFruits, MntMeatProducts, MntFishProducts,
/// MntSweetProducts, MntGoldProds), whole currency units with many exact zeros (a sixth to a fifth of
/// customers buy nothing in fruits, fish or sweets, mostly "narrow buyers" who skip all three), plus
/// columns not used for clustering (Year_Birth, Income with a few missing values, Kidhome, Recency).
/// Customers come from six segments; a buyer's spending in a category is
/// round(exp(N(LogMean, LogSd)) - 1), floored at 0; a non-buyer spends exactly 0.
/// Draws come from xoshiro256** streams derived from the seed (1: segments, 2: spending, 3: other columns).
/// </summary>
public static class CustomerSimulator
{
    /// <summary>The six spending columns, in the order of the generated file.</summary>
    public static readonly ImmutableArray<string> Categories =
        ["MntWines", "MntFruits", "MntMeatProducts", "MntFishProducts", "MntSweetProducts", "MntGoldProds"];

    /// <summary>The six segments: low engagement, narrow buyers (wine, meat and gold only), occasional,
    /// wine lovers, meat and fish, premium all-round.</summary>
    public static ImmutableArray<CustomerSegment> DefaultSegments { get; } =
    [
        new("low engagement", 0.36, [2.8, 1.6, 2.5, 1.8, 1.6, 2.0], 0.6, [0.02, 0.15, 0.01, 0.15, 0.17, 0.06], 32000, Narrow: 0.10),
        new("narrow buyers", 0.10, [4.6, 0.0, 4.2, 0.0, 0.0, 3.0], 0.5, [0.0, 1.0, 0.0, 1.0, 1.0, 0.03], 45000, Narrow: 1.0),
        new("occasional", 0.22, [5.2, 2.4, 4.3, 2.7, 2.4, 3.3], 0.5, [0.0, 0.04, 0.0, 0.04, 0.05, 0.02], 52000, Narrow: 0.03),
        new("wine lovers", 0.12, [6.5, 2.9, 5.0, 3.2, 2.9, 3.8], 0.35, [0.0, 0.05, 0.0, 0.06, 0.06, 0.0], 68000),
        new("meat and fish", 0.11, [5.6, 3.5, 6.1, 4.5, 3.3, 3.9], 0.35, [0.0, 0.02, 0.0, 0.01, 0.03, 0.0], 71000),
        new("premium", 0.09, [6.8, 4.0, 6.5, 4.7, 4.0, 4.4], 0.3, [0.0, 0.0, 0.0, 0.0, 0.0, 0.0], 82000),
    ];

    /// <summary>n customers from the given (or default) segments; about 1% have a missing income.</summary>
    public static CustomerSample Simulate(int n, ulong seed, IReadOnlyList<CustomerSegment>? segments = null)
    {
        if (n < 1) throw new ArgumentException("n must be positive");
        var segs = (segments ?? DefaultSegments).ToImmutableArray();
        if (segs.Any(s => s.LogMean.Length != Categories.Length || s.Zero.Length != Categories.Length))
            throw new ArgumentException($"every segment needs {Categories.Length} categories");
        var total = segs.Sum(s => s.Weight);
        var cum = segs.Select((_, k) => segs.Take(k + 1).Sum(s => s.Weight) / total).ToArray();
        var segRng = Seeds.Generator(Seeds.Derive(seed, 1));
        var spendRng = Seeds.Generator(Seeds.Derive(seed, 2));
        var otherRng = Seeds.Generator(Seeds.Derive(seed, 3));
        var customers = ImmutableArray.CreateBuilder<Customer>(n);
        for (var i = 0; i < n; i++)
        {
            var u = segRng.NextDouble();
            var k = 0;
            while (k < cum.Length - 1 && u >= cum[k]) k++;
            var s = segs[k];
            var spend = ImmutableArray.CreateBuilder<int>(Categories.Length);
            var narrow = spendRng.NextDouble() < s.Narrow;
            for (var c = 0; c < Categories.Length; c++)
            {
                var zero = spendRng.NextDouble() < s.Zero[c] || (narrow && c is 1 or 3 or 4);
                var v = Math.Exp(s.LogMean[c] + s.LogSd * Normal.Sample(spendRng, 0, 1)) - 1;
                spend.Add(zero ? 0 : (int)Math.Max(0, Math.Round(v)));
            }
            var year = 1945 + (int)(otherRng.NextDouble() * 55);
            var income = Math.Round(Math.Max(5000, s.Income + 12000 * Normal.Sample(otherRng, 0, 1)));
            var missing = otherRng.NextDouble() < 0.011;
            var kids = otherRng.NextDouble() < (k == 0 ? 0.6 : 0.25) ? 1 : 0;
            var recency = (int)(otherRng.NextDouble() * 100);
            customers.Add(new Customer(5000 + i, year, missing ? null : income, kids, recency, spend.MoveToImmutable(), k));
        }
        return new CustomerSample(Categories, segs, customers.MoveToImmutable(), seed);
    }
}
