using System.Runtime.InteropServices;

namespace Mixtures.Shell;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM as a cancellation: the first signal cancels <see cref="Token"/>, which the
/// estimation loops observe (it travels to the Domain inside <c>EmOptions</c>); the command then removes its
/// temporary files, writes nothing, prints one line and exits 130 (SIGINT) or 143 (SIGTERM). The process is
/// not killed by the signal itself, so no half-written output can remain.
/// </summary>
public static class Interruption
{
    private static readonly CancellationTokenSource Source = new();
    private static int signal;

    /// <summary>Cancelled when a SIGINT or SIGTERM arrived.</summary>
    public static CancellationToken Token => Source.Token;

    /// <summary>The exit code for the signal that arrived: 130 for SIGINT, 143 for SIGTERM (128 + the signal number).</summary>
    public static int ExitCode => Volatile.Read(ref signal) == 15 ? ExitCodes.Terminated : ExitCodes.Interrupted;

    /// <summary>The signal's name, for the one line printed.</summary>
    public static string Name => Volatile.Read(ref signal) == 15 ? "SIGTERM" : "SIGINT";

    /// <summary>Installs the handlers; keep the returned registrations alive for the whole run.</summary>
    public static IDisposable[] Install() =>
    [
        PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Raise(c, 2)),
        PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Raise(c, 15)),
    ];

    /// <summary>Cancels as if the signal had arrived (tests).</summary>
    public static void Raise(int number)
    {
        Interlocked.CompareExchange(ref signal, number, 0);
        Source.Cancel();
    }

    private static void Raise(PosixSignalContext context, int number)
    {
        context.Cancel = true;
        Raise(number);
    }
}
