namespace Mixtures.Domain.Model;

/// <summary>How a start was made.</summary>
public enum StartKind
{
    /// <summary>Random responsibilities drawn from a generator seeded by (seed, K, index).</summary>
    Random,
    /// <summary>Deterministic: component <see cref="StartInfo.SplitComponent"/> of the best K-1 fit split in two.</summary>
    Split,
    /// <summary>Given by the caller (initial parameters or responsibilities).</summary>
    Given,
}

/// <summary>Identity of one start of a multi-start estimation.</summary>
/// <param name="Kind">Random, split or given.</param>
/// <param name="Index">Position in the list of starts (ties go to the lowest index).</param>
/// <param name="Seed">The derived seed of a random start (0 otherwise).</param>
/// <param name="SplitComponent">The split component of the K-1 solution (1-based), or 0.</param>
public sealed record StartInfo(StartKind Kind, int Index, ulong Seed = 0, int SplitComponent = 0)
{
    public override string ToString() => Kind switch
    {
        StartKind.Random => $"random #{Index + 1}",
        StartKind.Split => $"split of segment {SplitComponent}",
        _ => "given",
    };
}
