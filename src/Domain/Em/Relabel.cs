namespace Mixtures.Domain.Em;

/// <summary>Matching of component labels between two fits (label switching).</summary>
public static class Relabel
{
    /// <summary>
    /// The permutation perm minimising sum_k cost[k, perm[k]]: component k of the first fit is
    /// matched with component perm[k] of the second. Exact for every K: the Hungarian method
    /// (Kuhn 1955, Munkres 1957) with row and column potentials, O(K^3). The costs must be finite.
    /// </summary>
    /// <remarks>scipy.optimize.linear_sum_assignment solves the same problem; R: clue::solve_LSAP.</remarks>
    public static int[] BestPermutation(double[,] cost)
    {
        var K = cost.GetLength(0);
        if (cost.GetLength(1) != K) throw new ArgumentException("cost must be square");
        if (K == 0) return [];
        // 1-based arrays; column 0 is the virtual start column of each augmenting path
        var u = new double[K + 1];
        var v = new double[K + 1];
        var rowOf = new int[K + 1];   // rowOf[j]: the row matched with column j (0: none)
        var way = new int[K + 1];
        var minv = new double[K + 1];
        var used = new bool[K + 1];
        for (var i = 1; i <= K; i++)
        {
            rowOf[0] = i;
            var j0 = 0;
            Array.Fill(minv, double.PositiveInfinity);
            Array.Fill(used, false);
            do
            {
                used[j0] = true;
                var i0 = rowOf[j0];
                var delta = double.PositiveInfinity;
                var j1 = 0;
                for (var j = 1; j <= K; j++)
                {
                    if (used[j]) continue;
                    var reduced = cost[i0 - 1, j - 1] - u[i0] - v[j];
                    if (reduced < minv[j]) { minv[j] = reduced; way[j] = j0; }
                    if (minv[j] < delta) { delta = minv[j]; j1 = j; }
                }
                for (var j = 0; j <= K; j++)
                {
                    if (used[j]) { u[rowOf[j]] += delta; v[j] -= delta; }
                    else minv[j] -= delta;
                }
                j0 = j1;
            } while (rowOf[j0] != 0);
            do
            {
                var j1 = way[j0];
                rowOf[j0] = rowOf[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        var perm = new int[K];
        for (var j = 1; j <= K; j++) perm[rowOf[j] - 1] = j - 1;
        return perm;
    }
}
