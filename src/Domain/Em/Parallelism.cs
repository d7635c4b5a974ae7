namespace Mixtures.Domain.Em;

/// <summary>
/// Where the parallelism of an EM run goes. Loops over fixed chunks of rows run in parallel, unless
/// the run is one of several EM starts that <see cref="Estimation"/> already runs side by side on all
/// cores: then the chunks run in order on the start's own thread, which avoids oversubscribing the
/// cores and the synchronisation of a parallel loop in every step. Chunk boundaries and the order of
/// the reductions are the same either way, so results do not change.
/// </summary>
public static class Parallelism
{
    [ThreadStatic] private static bool sequential;

    /// <summary>Runs <paramref name="body"/> for every chunk index in [0, chunks).</summary>
    public static void ForChunks(int chunks, Action<int> body)
    {
        if (chunks <= 1 || sequential)
        {
            for (var c = 0; c < chunks; c++) body(c);
            return;
        }
        Parallel.For(0, chunks, body);
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
