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

    /// <summary>sum_r a[r] in a fixed order whatever the alignment and the thread count (Vector&lt;double&gt; lanes from
    /// index 0, so the same on every machine with the same Vector&lt;double&gt; width: four lanes on x64 with AVX2):
    /// four accumulators over groups of four vectors while they last (so that the additions do not wait on each other),
    /// added as (s0 + s1) + (s2 + s3), then the remaining vectors into that, its lanes summed, then the scalar rest. The
    /// column sums of W everywhere (pi's sums in <see cref="Model.MixingWeights"/>, n_k in the Gaussian moments and fused
    /// sweep), so that all of them agree bit for bit.</summary>
    public static double FixedSum(ReadOnlySpan<double> a)
    {
        System.Numerics.Vector<double> s0 = default, s1 = default, s2 = default, s3 = default;
        var r = FixedSumGroups(a, ref s0, ref s1, ref s2, ref s3);
        return FixedSumRest(s0, s1, s2, s3, a, r);
    }

    /// <summary><see cref="FixedSum"/>'s groups of four vectors over <paramref name="a"/>, added to its four accumulators;
    /// returns the index where they stopped. Fed the consecutive pieces of a longer span in order, each a multiple of
    /// four vectors long but the last, it leaves the accumulators that <see cref="FixedSum"/> over the whole span has at
    /// that index (the same additions in the same order), so <see cref="FixedSumRest"/> on the last piece finishes the
    /// whole span's sum bit for bit.</summary>
    internal static int FixedSumGroups(ReadOnlySpan<double> a, ref System.Numerics.Vector<double> s0, ref System.Numerics.Vector<double> s1,
        ref System.Numerics.Vector<double> s2, ref System.Numerics.Vector<double> s3)
    {
        var w = System.Numerics.Vector<double>.Count;
        // the sums in locals through the loop: through the references the JIT stored and reloaded them at every step
        var (t0, t1, t2, t3) = (s0, s1, s2, s3);
        var r = 0;
        for (; r + 4 * w <= a.Length; r += 4 * w)
        {
            t0 += new System.Numerics.Vector<double>(a.Slice(r, w));
            t1 += new System.Numerics.Vector<double>(a.Slice(r + w, w));
            t2 += new System.Numerics.Vector<double>(a.Slice(r + 2 * w, w));
            t3 += new System.Numerics.Vector<double>(a.Slice(r + 3 * w, w));
        }
        (s0, s1, s2, s3) = (t0, t1, t2, t3);
        return r;
    }

    /// <summary>The end of <see cref="FixedSum"/> from index <paramref name="r"/> (where its groups of four vectors
    /// stopped), with its four accumulators so far: for a kernel that forms them itself while it has the values in
    /// registers (<see cref="Regression.RegressionSweep"/>), the same sum bit for bit.</summary>
    internal static double FixedSumRest(System.Numerics.Vector<double> s0, System.Numerics.Vector<double> s1, System.Numerics.Vector<double> s2,
        System.Numerics.Vector<double> s3, ReadOnlySpan<double> a, int r)
    {
        var w = System.Numerics.Vector<double>.Count;
        var s = (s0 + s1) + (s2 + s3);
        for (; r + w <= a.Length; r += w) s += new System.Numerics.Vector<double>(a.Slice(r, w));
        var t = System.Numerics.Vector.Sum(s);
        for (; r < a.Length; r++) t += a[r];
        return t;
    }
}
