using MathNet.Numerics.Random;

namespace Mixtures.Domain.Random;

/// <summary>
/// Seeds and generators with a specified algorithm, so the same seed gives the same stream on any
/// machine and .NET version: SplitMix64 to derive independent seeds, xoshiro256** to generate.
/// </summary>
public static class Seeds
{
    /// <summary>One SplitMix64 step (Steele, Lea and Flood 2014): a bijective 64-bit mix.</summary>
    public static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The seed of sub-stream (a, b) of a master seed: Mix(Mix(Mix(seed) ^ a) ^ b).</summary>
    public static ulong Derive(ulong seed, ulong a, ulong b = 0) => Mix(Mix(Mix(seed) ^ a) ^ b);

    /// <summary>
    /// A xoshiro256** generator (MathNet.Numerics) seeded from a 64-bit seed. MathNet's constructor takes an
    /// <c>int</c> seed, which it expands to the 256-bit state itself, so only the low 31 bits of Mix(seed) reach
    /// the generator: two different derived seeds give the same stream with probability 2^-31 per pair (for the
    /// hundreds of starts of one run, about 1e-5 for any collision), and every stream is reproducible from the
    /// seed. Seeding the whole state would change every seeded result and reference fixture, so it is kept.
    /// </summary>
    public static System.Random Generator(ulong seed) =>
        new Xoshiro256StarStar((int)(Mix(seed) & 0x7FFFFFFF), threadSafe: false);
}
