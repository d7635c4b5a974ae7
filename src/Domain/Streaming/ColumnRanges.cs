using LanguageExt;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Streaming;

/// <summary>The first pass of both streaming fits (<see cref="GaussianStream"/>, <see cref="RegressionStream"/>): the number
/// of rows and each column's smallest and largest value, failing at the first value that is not a finite number (its
/// 1-based row and its column named).</summary>
internal sealed record ColumnRanges(long N, double[] Lo, double[] Hi)
{
    /// <summary>The largest magnitude of column j.</summary>
    public double MaxAbs(int j) => Math.Max(Math.Abs(Lo[j]), Math.Abs(Hi[j]));

    /// <summary>Reads every block once.</summary>
    public static Fin<ColumnRanges> Of(IRowBlocks source, CancellationToken cancel)
    {
        var d = source.Columns;
        var lo = new double[d];
        var hi = new double[d];
        System.Array.Fill(lo, double.PositiveInfinity);
        System.Array.Fill(hi, double.NegativeInfinity);
        var n = 0L;
        foreach (var block in source.Blocks())
        {
            cancel.ThrowIfCancellationRequested();
            var x = block.Values.Span;
            var r = block.Rows;
            for (var j = 0; j < d; j++)
            {
                var col = x.Slice(j * r, r);
                for (var i = 0; i < r; i++)
                {
                    var v = col[i];
                    if (!double.IsFinite(v))
                        return FinFail<ColumnRanges>(new InvalidDataError($"row {n + i + 1}, column {source.ColumnNames[j]}: {v} is not a finite number"));
                    if (v < lo[j]) lo[j] = v;
                    if (v > hi[j]) hi[j] = v;
                }
            }
            n += r;
        }
        return new ColumnRanges(n, lo, hi);
    }
}
