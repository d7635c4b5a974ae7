using System.Collections.Immutable;
using MathNet.Numerics.Distributions;
using Mixtures.Domain.Random;

namespace Mixtures.Domain.Simulate;

/// <summary>A simulated customer file: one row per customer.</summary>
/// <param name="Tenure">Months as a customer, U(1, 36).</param>
/// <param name="Spend">Monthly spend, U(20, 200).</param>
/// <param name="Orders">Orders, Poisson(5) (drawn but not used by the value formula).</param>
/// <param name="Segment">Each customer's segment (index into <see cref="LifetimeValueSimulator.Segments"/>).</param>
/// <param name="Ltv">Lifetime value from the segment's formula plus noise.</param>
/// <param name="Seed">The seed used.</param>
public sealed record LifetimeValueSample(
    ImmutableArray<double> Tenure, ImmutableArray<double> Spend, ImmutableArray<int> Orders, ImmutableArray<int> Segment,
    ImmutableArray<double> Ltv, ulong Seed)
{
    /// <summary>Customers simulated.</summary>
    public int Rows => Ltv.Length;
}

/// <summary>
/// Pure simulator of the customer lifetime-value example with hidden segments: three segments with
/// different value formulas, one of them non-linear in tenure, so that one pooled linear regression
/// misfits the smaller segments. Draws come from xoshiro256** streams derived from the seed
/// (stream 1: segments, 2: tenure, 3: spend, 4: orders, 5: noise).
/// </summary>
public static class LifetimeValueSimulator
{
    /// <summary>Segment names, in index order.</summary>
    public static ImmutableArray<string> Segments { get; } = ["Standard", "Premium", "Enterprise"];

    /// <summary>Pr[segment] = 0.7, 0.2, 0.1.</summary>
    public static ImmutableArray<double> SegmentProbabilities { get; } = [0.7, 0.2, 0.1];

    /// <summary>Noise standard deviation per segment: 30, 50, 200.</summary>
    public static ImmutableArray<double> NoiseSd { get; } = [30.0, 50.0, 200.0];

    /// <summary>Customers in the bundled file (data/ltv.csv).</summary>
    public const int ExampleRows = 1000;

    /// <summary>Seed of the bundled file.</summary>
    public const ulong ExampleSeed = 42;

    /// <summary>
    /// E[LTV | segment, tenure t, spend s]:
    /// Standard 50 + 10 t + 2 s; Premium 200 + 5 t^1.5 + 3 s; Enterprise 1000 + 50 t + 10 s.
    /// </summary>
    public static double ExpectedLtv(int segment, double tenure, double spend) => segment switch
    {
        0 => 50 + 10 * tenure + 2 * spend,
        1 => 200 + 5 * Math.Pow(tenure, 1.5) + 3 * spend,
        2 => 1000 + 50 * tenure + 10 * spend,
        _ => throw new ArgumentOutOfRangeException(nameof(segment)),
    };

    /// <summary>
    /// Simulates n customers: segment ~ Categorical(0.7, 0.2, 0.1), tenure ~ U(1, 36), spend ~ U(20, 200),
    /// orders ~ Poisson(5), LTV = <see cref="ExpectedLtv"/> + N(0, sd_segment^2) with sd = 30, 50, 200.
    /// </summary>
    /// <remarks>The same distributions as the NumPy example (<c>np.random.choice</c>, <c>uniform</c>,
    /// <c>poisson</c>, <c>normal</c>), from another generator, so the numbers differ.</remarks>
    public static LifetimeValueSample Simulate(int n = ExampleRows, ulong seed = ExampleSeed)
    {
        if (n < 1) throw new ArgumentException("n must be positive");
        var segRng = Seeds.Generator(Seeds.Derive(seed, 1));
        var tenRng = Seeds.Generator(Seeds.Derive(seed, 2));
        var spendRng = Seeds.Generator(Seeds.Derive(seed, 3));
        var orderRng = Seeds.Generator(Seeds.Derive(seed, 4));
        var noiseRng = Seeds.Generator(Seeds.Derive(seed, 5));
        var segment = new int[n];
        var tenure = new double[n];
        var spend = new double[n];
        var orders = new int[n];
        var ltv = new double[n];
        for (var i = 0; i < n; i++)
        {
            var u = segRng.NextDouble();
            var s = 0;
            var acc = SegmentProbabilities[0];
            while (s < Segments.Length - 1 && u >= acc) acc += SegmentProbabilities[++s];
            segment[i] = s;
            tenure[i] = ContinuousUniform.Sample(tenRng, 1.0, 36.0);
            spend[i] = ContinuousUniform.Sample(spendRng, 20.0, 200.0);
            orders[i] = Poisson.Sample(orderRng, 5.0);
            ltv[i] = ExpectedLtv(s, tenure[i], spend[i]) + Normal.Sample(noiseRng, 0.0, NoiseSd[s]);
        }
        return new LifetimeValueSample(tenure.ToImmutableArray(), spend.ToImmutableArray(), orders.ToImmutableArray(),
            segment.ToImmutableArray(), ltv.ToImmutableArray(), seed);
    }
}
