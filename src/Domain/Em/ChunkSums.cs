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

    /// <summary>An E-step sweep's result from its chunks: <paramref name="start"/> plus the chunks' log L added in chunk
    /// order (returned), and the largest of the chunks' max |W - Wprev| into <paramref name="maxChange"/>. The one order
    /// every E-step path (the generic E-step and the families' fused sweeps) totals its chunks in.</summary>
    public static double LogLikelihood(double start, double[] logL, double[] change, out double maxChange)
    {
        var ll = start;
        foreach (var v in logL) ll += v;
        maxChange = 0.0;
        foreach (var v in change) maxChange = Math.Max(maxChange, v);
        return ll;
    }
}
