using System.Collections.Immutable;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;
using Mixtures.Domain.Random;

namespace Mixtures.Domain.Simulate;

/// <summary>The true model behind a simulated sales file.</summary>
/// <param name="Theta">True (alpha, beta) per segment, ascending alpha.</param>
/// <param name="Pi">True segment probabilities.</param>
/// <param name="PriceLow">Prices are drawn uniformly on [PriceLow, PriceHigh].</param>
/// <param name="PriceHigh">See <paramref name="PriceLow"/>.</param>
public sealed record SalesTruth(Theta Theta, MixingWeights Pi, double PriceLow = 1.0, double PriceHigh = 3.0)
{
    /// <summary>Number of segments.</summary>
    public int K => Theta.K;
}

/// <summary>A simulated sales panel: weekly prices, the T x N sales and each store's true segment.</summary>
public sealed record SalesSample(ImmutableArray<double> Prices, Matrix<double> Sales, ImmutableArray<int> Segments, SalesTruth Truth, ulong Seed)
{
    /// <summary>Weeks simulated, T.</summary>
    public int Weeks => Prices.Length;
    /// <summary>Stores simulated, N.</summary>
    public int Stores => Sales.ColumnCount;
}

/// <summary>
/// Pure simulators of the sales model. Every draw comes from xoshiro256** streams derived from the
/// seed with SplitMix64 (stream 1: truth, 2: prices, 3: segments, 4: noise), so a seed gives the same
/// data on every machine.
/// </summary>
public static class SalesSimulator
{
    /// <summary>
    /// A random well-separated truth with K segments: alpha[c] = 2 + 1.5 c + U(-0.25, 0.25),
    /// beta[c] ~ U(-3, -0.5), pi ~ normalised U(1, 2) weights (so every pi_c &gt;= 1/(2K-1)).
    /// </summary>
    public static SalesTruth RandomTruth(int K, ulong seed)
    {
        if (K < 1) throw new ArgumentException("K must be at least 1");
        var rng = Seeds.Generator(Seeds.Derive(seed, 1));
        var segs = Enumerable.Range(0, K)
            .Select(c => new Segment(2.0 + 1.5 * c + (rng.NextDouble() - 0.5) * 0.5, -3.0 + 2.5 * rng.NextDouble()))
            .ToArray();
        var w = Enumerable.Range(0, K).Select(_ => 1.0 + rng.NextDouble()).ToArray();
        return new SalesTruth(Theta.Of(segs), MixingWeights.Normalised(w));
    }

    /// <summary>
    /// Simulates N stores over T weeks: p_t ~ U(PriceLow, PriceHigh); C_i ~ Categorical(pi);
    /// log S_it = alpha[C_i] + beta[C_i] log p_t + e_it with e_it ~ N(0, 1).
    /// </summary>
    public static SalesSample Simulate(SalesTruth truth, int stores, int weeks, ulong seed)
    {
        if (stores < 1 || weeks < 1) throw new ArgumentException("stores and weeks must be positive");
        var priceRng = Seeds.Generator(Seeds.Derive(seed, 2));
        var prices = Enumerable.Range(0, weeks)
            .Select(_ => Math.Round(truth.PriceLow + (truth.PriceHigh - truth.PriceLow) * priceRng.NextDouble(), 2))
            .Select(p => Math.Max(p, 0.01))
            .ToImmutableArray();
        var segRng = Seeds.Generator(Seeds.Derive(seed, 3));
        var cum = truth.Pi.Pi.Select((_, k) => truth.Pi.Pi.Take(k + 1).Sum()).ToArray();
        var segments = Enumerable.Range(0, stores).Select(_ =>
        {
            var u = segRng.NextDouble();
            var c = 0;
            while (c < cum.Length - 1 && u >= cum[c]) c++;
            return c;
        }).ToImmutableArray();
        var noise = Seeds.Generator(Seeds.Derive(seed, 4));
        var logp = prices.Select(Math.Log).ToArray();
        var sales = new double[weeks * stores];
        for (var i = 0; i < stores; i++)
        {
            var s = truth.Theta.Segments[segments[i]];
            for (var t = 0; t < weeks; t++)
                sales[i * weeks + t] = Math.Exp(s.Alpha + s.Beta * logp[t] + Normal.Sample(noise, 0.0, 1.0));
        }
        return new SalesSample(prices, Matrix<double>.Build.Dense(weeks, stores, sales), segments, truth, seed);
    }
}
