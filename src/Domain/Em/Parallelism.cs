namespace Mixtures.Domain.Em;

/// <summary>
/// Where the parallelism of an EM run goes, and how many threads it may use. Loops over fixed chunks of rows run in
/// parallel on at most <see cref="Threads"/> threads, unless the run is one of several EM starts that
/// <see cref="Estimation"/> already runs side by side: then the chunks run in order on the start's own thread, which
/// avoids oversubscribing the cores and the synchronisation of a parallel loop in every step. Chunk boundaries and the
/// order of the reductions are the same either way, so results do not depend on the thread count.
/// </summary>
/// <remarks>
/// The limit is ambient and scoped (<see cref="WithThreads{T}"/>): the kernels' loops are several calls below the
/// options that set it, and an <see cref="AsyncLocal{T}"/> reaches every task and parallel-loop worker started
/// inside the scope (they inherit the execution context), while two scopes on different threads do not see each
/// other. Outside any scope the limit is <see cref="Environment.ProcessorCount"/>. With a limit of 1 every loop
/// runs on the calling thread, whatever <c>DOTNET_PROCESSOR_COUNT</c> says.
/// </remarks>
public static class Parallelism
{
    [ThreadStatic] private static bool sequential;
    private static readonly AsyncLocal<int> limit = new();

    /// <summary>The most threads a parallel loop of this scope uses (at least 1): the value of the innermost
    /// <see cref="WithThreads{T}"/>, else the processor count.</summary>
    public static int Threads => limit.Value > 0 ? limit.Value : Math.Max(1, Environment.ProcessorCount);

    /// <summary>Runs <paramref name="run"/> with every parallel loop inside it (chunk loops and starts side by side,
    /// on any thread it starts) limited to <paramref name="threads"/> threads (at least 1).</summary>
    public static T WithThreads<T>(int threads, Func<T> run)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        var previous = limit.Value;
        limit.Value = threads;
        try { return run(); }
        finally { limit.Value = previous; }
    }

    /// <summary>Options of a parallel loop that honours <see cref="Threads"/>.</summary>
    public static ParallelOptions Options => new() { MaxDegreeOfParallelism = Threads };

    /// <summary>Runs <paramref name="body"/> for every chunk index in [0, chunks).</summary>
    public static void ForChunks(int chunks, Action<int> body)
    {
        if (chunks <= 1 || sequential || Threads == 1)
        {
            for (var c = 0; c < chunks; c++) body(c);
            return;
        }
        Parallel.For(0, chunks, Options, body);
    }

    /// <summary>Runs <paramref name="run"/> with its chunk loops on the calling thread.</summary>
    public static T OnThisThread<T>(Func<T> run)
    {
        var previous = sequential;
        sequential = true;
        try { return run(); }
        finally { sequential = previous; }
    }
}
