using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mixtures.Domain.Em;

/// <summary>
/// Per-thread scratch buffers whose used part starts on a 64-byte boundary (a cache line), so that no eight-value load
/// or store of a kernel's block buffer spans two lines. Managed arrays start wherever the allocator puts them (any
/// multiple of 8 bytes modulo 64), so the buffers are pinned (they never move) and a caller uses them from
/// <see cref="Skip"/> on. Contents are unspecified; a kernel writes every entry it later reads.
/// </summary>
internal static class AlignedScratch
{
    /// <summary>Doubles a buffer holds beyond the length asked for (the largest <see cref="Skip"/> is 7).</summary>
    internal const int Pad = 8;

    [ThreadStatic] private static double[]? spare;

    /// <summary>A pinned buffer of at least <paramref name="length"/> + <see cref="Pad"/> doubles: this thread's spare
    /// one if it is large enough, else a new one. Give it back with <see cref="Return"/>.</summary>
    internal static double[] Rent(int length)
    {
        var b = spare;
        if (b is not null && b.Length >= length + Pad)
        {
            spare = null;
            return b;
        }
        return GC.AllocateUninitializedArray<double>(length + Pad, pinned: true);
    }

    /// <summary>Keeps <paramref name="buffer"/> as this thread's spare (the larger of it and the one kept).</summary>
    internal static void Return(double[] buffer)
    {
        if (spare is null || spare.Length < buffer.Length) spare = buffer;
    }

    /// <summary>The first index of <paramref name="pinned"/> (a buffer of <see cref="Rent"/>) on a 64-byte boundary.</summary>
    internal static unsafe int Skip(double[] pinned)
    {
        var address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
        return (int)((64 - (address & 63)) & 63) / sizeof(double);
    }
}
