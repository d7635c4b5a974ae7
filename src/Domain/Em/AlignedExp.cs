using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Mixtures.Domain.Em;

/// <summary>
/// TensorPrimitives.Exp in place, called at the stack alignment under which it runs fast. Its vector loop keeps values
/// in stack slots whose alignment follows the caller's stack pointer, which differs from process to process (stack
/// randomisation) and between threads: measured here, the same call takes about 6 ns per 8 values with bit 4 of the
/// stack address (in <see cref="AtParity"/>) at one value and 23 ns at the other, so that one run of the E-step took
/// 2.5x as long as the next (bench/README.md, "The E-step and the stack's alignment").
/// </summary>
/// <remarks>
/// Which value is fast depends on the runtime's compiled code (its tier and version), so it is measured as the program
/// runs: two calls in every <see cref="Period"/> are timed, one at each value, each value's clock ticks per exponential
/// kept as a moving average, and the other calls made at the value with the lower average. The results are the same bit
/// for bit at either value (the same instructions; only where the spilled values sit differs), so the choice changes the
/// time and never a result.
/// </remarks>
internal static unsafe class AlignedExp
{
    /// <summary>Calls per two timed ones.</summary>
    internal const int Period = 256;

    /// <summary>This thread's calls: a count of its own, as one shared by the threads (an atomic increment per call)
    /// moved its cache line between the cores at every call (5.7% of the sales panel's samples on two threads).</summary>
    [ThreadStatic]
    private static long calls;
    private static double rate0, rate1;
    private static int chosen;

    /// <summary>exp of every value of <paramref name="s"/>, in place.</summary>
    internal static void Exp(Span<double> s)
    {
        var c = ++calls;
        if ((c & (Period - 1)) >= 2 || s.Length == 0)
        {
            At(s, Volatile.Read(ref chosen));
            return;
        }
        var parity = (int)(c & 1);
        var t0 = Stopwatch.GetTimestamp();
        At(s, parity);
        var rate = (double)(Stopwatch.GetTimestamp() - t0) / s.Length;
        // a moving average of each parity's ticks per value (a race between threads loses a sample, nothing else)
        if (parity == 0) rate0 = rate0 == 0 ? rate : 0.75 * rate0 + 0.25 * rate;
        else rate1 = rate1 == 0 ? rate : 0.75 * rate1 + 0.25 * rate;
        // written only when it changes, so that the line the other threads read stays in their caches
        var choice = rate0 <= rate1 ? 0 : 1;
        if (rate0 > 0 && rate1 > 0 && choice != Volatile.Read(ref chosen)) Volatile.Write(ref chosen, choice);
    }

    /// <summary>The parity the untimed calls take now (bit 4 of the stack address in <see cref="AtParity"/>).</summary>
    internal static int Chosen => Volatile.Read(ref chosen);

    /// <summary>exp at stack parity <paramref name="parity"/>: directly, or below a pad of 16 or of 32 bytes, one of which
    /// gives that parity (the two differ by 16 bytes).</summary>
    internal static void At(Span<double> s, int parity)
    {
        if (AtParity(s, parity) || Padded(s, parity, 16) || Padded(s, parity, 32)) return;
        TensorPrimitives.Exp(s, s);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool AtParity(Span<double> s, int parity)
    {
        byte probe = 0;
        if ((int)(((nint)(&probe) >> 4) & 1) != parity) return false;
        TensorPrimitives.Exp(s, s);
        return true;
    }

    /// <summary><see cref="AtParity"/> below <paramref name="size"/> bytes of stack (a multiple of 16).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool Padded(Span<double> s, int parity, int size)
    {
        var pad = stackalloc byte[size];
        pad[0] = 1;
        return AtParity(s, parity) && pad[0] == 1;
    }
}
