using Mixtures.Domain.Model;

namespace Mixtures.Domain.Em;

/// <summary>
/// The progress reports of one EM run: its first iteration, then at most one every <see cref="IntervalMilliseconds"/>,
/// and its last. Only reads the run's state, so a run is the same with or without it; none exists when
/// <see cref="EmOptions.Progress"/> is null.
/// </summary>
internal sealed class ProgressTicker(Action<EstimationProgress> report, int K, StartInfo start)
{
    /// <summary>The least time between two reports of one run.</summary>
    public const long IntervalMilliseconds = 100;

    private long last;
    private bool any;

    /// <summary>The ticker of a run, or null when nobody listens.</summary>
    public static ProgressTicker? For(EmOptions options, int K, StartInfo start) =>
        options.Progress is { } report ? new ProgressTicker(report, K, start) : null;

    /// <summary>Reports <paramref name="iteration"/> when it is the first, the last (<paramref name="final"/>) or due.</summary>
    public void Tick(int iteration, double logLikelihood, bool final = false)
    {
        var now = Environment.TickCount64;
        if (any && !final && now - last < IntervalMilliseconds) return;
        any = true;
        last = now;
        report(new EstimationProgress(K, start.Index + 1, iteration, logLikelihood));
    }
}
