using System.Diagnostics;
using System.Globalization;
using Mixtures.Domain.Model;
using Spectre.Console;

namespace Mixtures.Shell.Output;

/// <summary>
/// The progress line of a long estimation on stderr: the K being fitted, the start, its iteration and log L, and the
/// time so far. Shown only when stderr is a terminal and <c>--quiet</c> is not given (or when
/// <see cref="ForceVariable"/> is 1, whatever stderr is), and cleared when the estimation ends; stdout and the
/// written files are the same with or without it.
/// </summary>
public static class ProgressDisplay
{
    /// <summary>Set to 1 to show progress even when stderr is redirected (<c>--quiet</c> still hides it).</summary>
    public const string ForceVariable = "MIXTURES_PROGRESS";

    /// <summary>How often the line is redrawn.</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(100);

    /// <summary>Whether progress is shown: never with <paramref name="quiet"/>; otherwise when stderr is a terminal,
    /// or when <paramref name="forced"/>.</summary>
    public static bool Shows(bool stderrRedirected, bool quiet, bool forced = false) => !quiet && (forced || !stderrRedirected);

    private static bool Forced => Environment.GetEnvironmentVariable(ForceVariable) == "1";

    /// <summary>Runs <paramref name="work"/> with a progress callback (null when progress is not shown) and returns its result.</summary>
    public static T Run<T>(bool quiet, Func<Action<EstimationProgress>?, T> work)
    {
        var forced = Forced;
        if (!Shows(Console.IsErrorRedirected, quiet, forced)) return work(null);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Ansi = forced ? AnsiSupport.Yes : AnsiSupport.Detect,
            Interactive = forced ? InteractionSupport.Yes : InteractionSupport.Detect,
        });
        EstimationProgress? latest = null;
        var clock = Stopwatch.StartNew();
        var result = default(T)!;
        console.Status().Spinner(Spinner.Known.Line).Start(Markup.Escape(Describe(null, TimeSpan.Zero)), ctx =>
        {
            var task = Task.Run(() => work(p => Volatile.Write(ref latest, p)));
            while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(Refresh))
                ctx.Status(Markup.Escape(Describe(Volatile.Read(ref latest), clock.Elapsed)));
            result = task.GetAwaiter().GetResult();
        });
        return result;
    }

    /// <summary>The progress line: "K = 3 of 6, start 4 of 12, iteration 120, log L -1234.56, 12 s".</summary>
    public static string Describe(EstimationProgress? p, TimeSpan elapsed)
    {
        var time = elapsed.TotalSeconds < 60
            ? $"{Math.Floor(elapsed.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s"
            : $"{(int)elapsed.TotalMinutes} min {elapsed.Seconds} s";
        if (p is null) return $"fitting, {time}";
        var k = p.LastK > 0 ? $"K = {p.K} of {p.LastK}" : $"K = {p.K}";
        var start = p.Starts > 0 ? $"start {p.Start} of {p.Starts}" : $"start {p.Start}";
        var ll = double.IsFinite(p.LogLikelihood) ? p.LogLikelihood.ToString("F2", CultureInfo.InvariantCulture) : p.LogLikelihood.ToString(CultureInfo.InvariantCulture);
        return $"fitting {k}, {start}, iteration {p.Iteration}, log L {ll}, {time}";
    }
}
