using Mixtures.Domain.Em;

namespace Mixtures.Tests.Em;

/// <summary>The Hungarian method against brute force, and on K &gt; 9 where a greedy matching fails.</summary>
public class RelabelTests
{
    private static double Cost(double[,] c, int[] perm) => perm.Select((j, k) => c[k, j]).Sum();

    private static double BruteForceMin(double[,] c)
    {
        var K = c.GetLength(0);
        var best = double.PositiveInfinity;
        void Go(int k, bool[] used, double acc)
        {
            if (k == K) { best = Math.Min(best, acc); return; }
            for (var j = 0; j < K; j++)
                if (!used[j]) { used[j] = true; Go(k + 1, used, acc + c[k, j]); used[j] = false; }
        }
        Go(0, new bool[K], 0);
        return best;
    }

    [Fact]
    public void Matches_brute_force_on_random_costs_up_to_K_7()
    {
        var rng = new Random(20261201);
        for (var trial = 0; trial < 300; trial++)
        {
            var K = 1 + trial % 7;
            var c = new double[K, K];
            for (var a = 0; a < K; a++)
            for (var b = 0; b < K; b++)
                c[a, b] = trial % 3 == 0 ? rng.Next(0, 4) : rng.NextDouble() * 10 - 3; // ties and negative costs too
            var perm = Relabel.BestPermutation(c);
            Assert.Equal(Enumerable.Range(0, K), perm.Order());
            Assert.Equal(BruteForceMin(c), Cost(c, perm), 9);
        }
    }

    [Fact]
    public void Is_exact_beyond_K_9_where_greedy_matching_is_not()
    {
        // twelve components; rows 0 and 1 prefer column 0, but the optimum gives row 0 column 1
        const int K = 12;
        var c = new double[K, K];
        for (var a = 0; a < K; a++)
        for (var b = 0; b < K; b++)
            c[a, b] = a == b ? 0 : 50;
        c[0, 0] = 1; c[0, 1] = 2; c[1, 0] = 1; c[1, 1] = 100;
        var perm = Relabel.BestPermutation(c);
        Assert.Equal(1, perm[0]);
        Assert.Equal(0, perm[1]);
        Assert.Equal(3, Cost(c, perm));
    }
}
