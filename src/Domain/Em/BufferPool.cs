using System.Collections.Concurrent;

namespace Mixtures.Domain.Em;

/// <summary>
/// The n x K buffers of one estimation. A run borrows its buffers here (the starting responsibilities, which it
/// overwrites, and any scratch) and gives them back when it ends, so an estimation allocates as many buffers as runs
/// go on at the same time rather than one or two per start and K, and memory stays at the data and those buffers.
/// Every buffer holds n Kmax values (the largest K of the estimation); a run with K components uses the first n K,
/// and every step writes the entries it later reads, so what a buffer held before never reaches a result.
/// Thread-safe; the buffers are local to the estimation that made the pool.
/// </summary>
internal sealed class BufferPool(int length)
{
    private readonly ConcurrentBag<double[]> free = [];

    /// <summary>Values per buffer (n Kmax).</summary>
    public int Length { get; } = length;

    /// <summary>A buffer of <see cref="Length"/> values with unspecified contents.</summary>
    public double[] Rent() => free.TryTake(out var b) ? b : new double[Length];

    /// <summary>Gives a buffer back (buffers of another length are left to the garbage collector).</summary>
    public void Return(double[] buffer)
    {
        if (buffer.Length == Length) free.Add(buffer);
    }

    /// <summary>A pool for runs of n units and at most <paramref name="maxK"/> components.</summary>
    public static BufferPool For(int n, int maxK) => new(checked(n * maxK));
}
