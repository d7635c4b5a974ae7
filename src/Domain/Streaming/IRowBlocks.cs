using System.Collections.Immutable;

namespace Mixtures.Domain.Streaming;

/// <summary>
/// A data set read as consecutive blocks of rows, in the same order every time it is enumerated (a file too large
/// for memory, read one block at a time): what streaming EM (<see cref="GaussianStream"/>) takes instead of the
/// data themselves, so that the Domain never touches a file.
/// </summary>
/// <remarks>Every block but the last has a multiple of <see cref="GaussianStream.BlockMultiple"/> rows: the
/// in-memory kernels sum in chunks of that many rows, so blocks cut at those boundaries give the same sums bit for bit.</remarks>
public interface IRowBlocks
{
    /// <summary>The number of columns d of every row.</summary>
    int Columns { get; }

    /// <summary>The names of the d columns.</summary>
    ImmutableArray<string> ColumnNames { get; }

    /// <summary>The blocks in row order, from the first row each time it is called. A block is valid until the enumeration
    /// moves on (a source may reuse one buffer for every block).</summary>
    IEnumerable<RowBlock> Blocks();
}

/// <summary>A block of <paramref name="Rows"/> rows: value (i, j) at <c>Values[j * Rows + i]</c> (column-major), in the first
/// Rows x d entries of <paramref name="Values"/>. Every value must be finite.</summary>
/// <param name="Rows">The rows in the block, at least 1.</param>
/// <param name="Values">The values, column-major; read only.</param>
public readonly record struct RowBlock(int Rows, ReadOnlyMemory<double> Values);

/// <summary>Where a streaming fit is: sent once per pass over the data, when the pass is done.</summary>
/// <param name="Pass">1-based number of the pass.</param>
/// <param name="Iteration">The EM iteration whose parameters the pass used (0: the start).</param>
/// <param name="Kind">What the pass computed.</param>
/// <param name="Rows">The rows read.</param>
/// <param name="LogLikelihood">log L at the pass's parameters (NaN for passes that do not compute it).</param>
public sealed record StreamPass(int Pass, int Iteration, StreamPassKind Kind, long Rows, double LogLikelihood);

/// <summary>The kinds of pass of streaming EM.</summary>
public enum StreamPassKind
{
    /// <summary>Row count and each column's range (for the columns' units).</summary>
    Ranges,
    /// <summary>An iteration's one pass: E-step, log L and the next M-step's sums about the current means (n_k, sum W (x - mu),
    /// the scatter about mu, sum W): the next means, covariances and weights.</summary>
    Moments,
    /// <summary>Rare: E-step again and the scatter about the new means, when a mean moved too far for the one-pass
    /// correction (see <see cref="GaussianStream"/>).</summary>
    Scatter,
    /// <summary>The final E-step: each row's cluster and posterior.</summary>
    Assign,
    /// <summary>Regression: X'X, X'y and y'y, for the reference fit b0.</summary>
    CrossProducts,
    /// <summary>Regression: the fused sweep (E-step, log L and the M-step's sums of the next iteration).</summary>
    Sweep,
}

/// <summary>The checks every pass of a streaming fit makes on its source.</summary>
internal static class RowBlockChecks
{
    /// <summary>The blocks of <paramref name="source"/> in order, cancellation observed before each, each checked to have
    /// rows and every block but the last a multiple of <paramref name="multiple"/> rows (the kernels' chunk: a source that
    /// breaks this is a programming error, thrown).</summary>
    public static IEnumerable<RowBlock> Checked(this IRowBlocks source, int multiple, CancellationToken cancel)
    {
        var previous = multiple;
        foreach (var block in source.Blocks())
        {
            cancel.ThrowIfCancellationRequested();
            if (block.Rows < 1) throw new ArgumentException("a block has no rows");
            if (previous % multiple != 0) throw new ArgumentException($"a block of {previous} rows (not a multiple of {multiple}) is followed by another");
            previous = block.Rows;
            yield return block;
        }
    }
}
