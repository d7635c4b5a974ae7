namespace Mixtures.Domain.Em;

/// <summary>Matching of component labels between two fits (label switching).</summary>
public static class Relabel
{
    /// <summary>
    /// The permutation perm minimising sum_k cost[k, perm[k]]: component k of the first fit is
    /// matched with component perm[k] of the second. Exhaustive for K &lt;= 9, greedy beyond.
    /// </summary>
    public static int[] BestPermutation(double[,] cost)
    {
        var K = cost.GetLength(0);
        if (cost.GetLength(1) != K) throw new ArgumentException("cost must be square");
        if (K > 9) return Greedy(cost);
        var best = Enumerable.Range(0, K).ToArray();
        var bestCost = double.PositiveInfinity;
        var current = new int[K];
        var used = new bool[K];
        void Recurse(int k, double acc)
        {
            if (acc >= bestCost) return;
            if (k == K) { bestCost = acc; best = (int[])current.Clone(); return; }
            for (var j = 0; j < K; j++)
            {
                if (used[j]) continue;
                used[j] = true; current[k] = j;
                Recurse(k + 1, acc + cost[k, j]);
                used[j] = false;
            }
        }
        Recurse(0, 0.0);
        return best;
    }

    private static int[] Greedy(double[,] cost)
    {
        var K = cost.GetLength(0);
        var perm = new int[K];
        var used = new bool[K];
        for (var k = 0; k < K; k++)
        {
            var bj = -1;
            for (var j = 0; j < K; j++)
                if (!used[j] && (bj < 0 || cost[k, j] < cost[k, bj])) bj = j;
            perm[k] = bj; used[bj] = true;
        }
        return perm;
    }
}
