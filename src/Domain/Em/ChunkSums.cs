namespace Mixtures.Domain.Em;

/// <summary>The fixed-order reduction of per-chunk partial sums that keeps every total independent of the thread count
/// (the chunks are summed in parallel, their partials added here in chunk order).</summary>
internal static class ChunkSums
{
    /// <summary>sums[j] += partial[c size + j] for c = 0, 1, ..., chunks - 1 in that order, j &lt; size.</summary>
    public static void AddInOrder(double[] partial, int chunks, int size, double[] sums)
    {
        for (var c = 0; c < chunks; c++)
            for (var j = 0; j < size; j++) sums[j] += partial[c * size + j];
    }
}
