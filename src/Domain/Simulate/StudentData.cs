using System.Globalization;
using LanguageExt;
using Mixtures.Domain.Model;
using Mixtures.Domain.Random;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Simulate;

/// <summary>A student number: 1 to 18 decimal digits. Its value (leading zeros ignored) determines the data.</summary>
/// <param name="Text">The number as written (kept for file names).</param>
/// <param name="Value">Its numeric value.</param>
public sealed record StudentNumber(string Text, ulong Value)
{
    /// <summary>Most digits accepted (every 18-digit number fits in 64 bits).</summary>
    public const int MaxDigits = 18;

    /// <summary>Parses "609948"; fails on anything but 1 to 18 ASCII digits (surrounding spaces ignored).</summary>
    public static Fin<StudentNumber> Parse(string? text)
    {
        var t = (text ?? "").Trim();
        if (t.Length == 0) return FinFail<StudentNumber>(new InvalidDataError("the student number is empty"));
        if (t.Length > MaxDigits || !t.All(char.IsAsciiDigit))
            return FinFail<StudentNumber>(new InvalidDataError($"'{t}' is not a student number (1 to {MaxDigits} digits 0-9)"));
        return new StudentNumber(t, ulong.Parse(t, NumberStyles.None, CultureInfo.InvariantCulture));
    }

    /// <inheritdoc/>
    public override string ToString() => Text;
}

/// <summary>
/// Per-student data sets for the sales assignment: every random choice (the true K, the segment
/// parameters, the prices, each store's segment and the noise) is derived from the student number,
/// so a number always gives the same data, on any machine.
/// </summary>
/// <remarks>
/// The master seed is seed(s) = Derive(s, 0x53747564656E74) (the tag spells "Student", so student s
/// and <c>--seed s</c> give different data); the true K, unless given, is 2 + (Mix(Derive(seed, 5)) mod 3),
/// integer arithmetic only; the truth and the panel are <see cref="SalesSimulator.RandomTruth"/> and
/// <see cref="SalesSimulator.Simulate"/> with that seed (xoshiro256** streams 1 to 4).
/// Draws, prices, segments and the truth use only integer and IEEE arithmetic and are bit-identical
/// everywhere; the sales go through Math.Log/Math.Exp (the normal draws and exp of log sales), which
/// may differ in the last bit between C runtimes, far below the 10 significant digits written to file.
/// </remarks>
public static class StudentData
{
    /// <summary>"Student" in ASCII: separates student seeds from plain <c>--seed</c> values.</summary>
    public const ulong Tag = 0x53747564656E74UL;

    /// <summary>Smallest true K drawn for a student.</summary>
    public const int MinK = 2;

    /// <summary>Largest true K drawn for a student.</summary>
    public const int MaxK = 4;

    /// <summary>The master seed of a student's data: Derive(number, <see cref="Tag"/>).</summary>
    public static ulong SeedOf(StudentNumber student) => Seeds.Derive(student.Value, Tag);

    /// <summary>The true number of segments drawn for a seed: 2 + (Mix(Derive(seed, 5)) mod 3), in 2..4.</summary>
    public static int DrawK(ulong seed) => MinK + (int)(Seeds.Mix(Seeds.Derive(seed, 5)) % (ulong)(MaxK - MinK + 1));

    /// <summary>The true number of segments of a student's data (in 2..4).</summary>
    public static int TrueK(StudentNumber student) => DrawK(SeedOf(student));

    /// <summary>
    /// A student's data set: N stores over T weeks with K true segments (drawn from the number when
    /// <paramref name="K"/> is null). The sample's <c>Seed</c> is the derived master seed.
    /// </summary>
    public static SalesSample Simulate(StudentNumber student, int stores = 300, int weeks = 52, int? K = null)
    {
        var seed = SeedOf(student);
        var k = K ?? DrawK(seed);
        return SalesSimulator.Simulate(SalesSimulator.RandomTruth(k, seed), stores, weeks, seed);
    }
}
