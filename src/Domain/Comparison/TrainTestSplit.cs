using System.Collections.Immutable;
using LanguageExt;
using Mixtures.Domain.Model;
using Mixtures.Domain.Random;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Comparison;

/// <summary>A partition of the rows 0..n-1 into training and test rows, each list ascending.</summary>
public sealed record TrainTestSplit(ImmutableArray<int> Train, ImmutableArray<int> Test)
{
    /// <summary>Sub-stream of the master seed used for the split (the fits use their own streams).</summary>
    public const ulong Stream = 0x5911;

    /// <summary>
    /// Test rows for n rows and fraction f: ceil(f n) (scikit-learn's <c>train_test_split</c> rule);
    /// f n is rounded to 9 decimals first so that 0.3 * 1000 gives 300, not 301.
    /// </summary>
    public static int TestCount(int n, double fraction) => (int)Math.Ceiling(Math.Round(fraction * n, 9));

    /// <summary>
    /// A seeded random split with <see cref="TestCount"/> test rows. With strata (one label 0..S-1 per
    /// row), stratum s gets floor(f n_s) test rows and the remaining test rows go to the strata with the
    /// largest remainders f n_s - floor(f n_s) (lowest label on ties), so each stratum's test share is
    /// f within one row; without strata all rows form one stratum. Within stratum s the rows are put in
    /// a random order by a Fisher-Yates shuffle from xoshiro256** seeded with Derive(seed, Stream, s), and
    /// the first ones are the test rows.
    /// </summary>
    /// <remarks>scikit-learn: <c>train_test_split(..., test_size=f, stratify=labels, random_state=seed)</c>
    /// (same counts rule; a different generator, so different rows).</remarks>
    public static Fin<TrainTestSplit> Draw(int n, double testFraction, ulong seed, IReadOnlyList<int>? strata = null)
    {
        if (!(testFraction > 0 && testFraction < 1))
            return FinFail<TrainTestSplit>(new InvalidDataError($"the test fraction must be between 0 and 1 (got {testFraction})"));
        if (strata is not null && strata.Count != n) throw new ArgumentException($"{strata.Count} stratum labels for {n} rows");
        var nTest = TestCount(n, testFraction);
        if (nTest < 1 || nTest >= n)
            return FinFail<TrainTestSplit>(new InvalidDataError(
                $"{n} row(s) with test fraction {testFraction} leave {nTest} test and {n - nTest} training row(s); both must be at least 1"));
        var S = strata is null ? 1 : strata.Max() + 1;
        var members = new List<int>[S];
        for (var s = 0; s < S; s++) members[s] = [];
        for (var i = 0; i < n; i++) members[strata is null ? 0 : strata[i]].Add(i);

        var take = new int[S];
        var remainder = new double[S];
        for (var s = 0; s < S; s++)
        {
            var ideal = testFraction * members[s].Count;
            take[s] = (int)Math.Floor(Math.Round(ideal, 9));
            remainder[s] = ideal - take[s];
        }
        var left = nTest - take.Sum();
        foreach (var s in Enumerable.Range(0, S).OrderByDescending(s => remainder[s]).ThenBy(s => s))
        {
            if (left <= 0) break;
            if (take[s] < members[s].Count) { take[s]++; left--; }
        }

        var test = new List<int>(nTest);
        var train = new List<int>(n - nTest);
        for (var s = 0; s < S; s++)
        {
            var rows = members[s].ToArray();
            var rng = Seeds.Generator(Seeds.Derive(seed, Stream, (ulong)s));
            for (var i = rows.Length - 1; i > 0; i--)
            {
                var j = rng.Next(i + 1);
                (rows[i], rows[j]) = (rows[j], rows[i]);
            }
            test.AddRange(rows.Take(take[s]));
            train.AddRange(rows.Skip(take[s]));
        }
        test.Sort();
        train.Sort();
        return new TrainTestSplit(train.ToImmutableArray(), test.ToImmutableArray());
    }
}
