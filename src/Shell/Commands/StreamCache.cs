using System.Diagnostics;
using System.Globalization;
using LanguageExt;
using Mixtures.Data;
using Mixtures.Domain.Streaming;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Commands;

/// <summary>
/// What the streaming commands (<c>cluster --stream</c>, <c>regress --stream</c>) share: the columnar cache a CSV or Parquet file
/// is read into once (an Arrow IPC file; an <c>.arrow</c> input is read directly), kept as <c>--cache</c> only when the whole run succeeds,
/// and the progress line of each pass.
/// </summary>
internal static class StreamCache
{
    /// <summary>Whether the input is an Arrow IPC file (read directly, no cache).</summary>
    public static bool IsArrow(string file) =>
        Path.GetExtension(file).ToLowerInvariant() is ".arrow" or ".feather" or ".ipc";

    /// <summary>
    /// Reads <paramref name="columns"/> of <paramref name="file"/> into the cache (or opens the Arrow input) as blocks of
    /// <paramref name="chunkRows"/> rows and runs <paramref name="fit"/> on them. The cache is built under a name of its own
    /// and becomes <paramref name="keep"/> only when the fit succeeds (a failing run leaves no file); without it the cache is a
    /// temporary file, removed at the end.
    /// </summary>
    public static Fin<int> Run(string file, IReadOnlyList<string> columns, string? keep, char? separator, NumberCells numbers, bool dropMissing, int chunkRows,
        Stopwatch clock, Action<string> say, Func<ColumnCacheInfo, ArrowBlocks, Fin<int>> fit)
    {
        var arrow = IsArrow(file);
        var temporary = !arrow;
        var cachePath = arrow ? file
            : keep is not null ? $"{keep}.partial-{Environment.ProcessId}"
            : Path.Combine(Path.GetTempPath(), $"mixtures-cache-{Environment.ProcessId}-{Guid.NewGuid():N}.arrow");
        try
        {
            Fin<ColumnCacheInfo> cache;
            if (arrow) cache = new ColumnCacheInfo(file, 0, [.. columns], file, "arrow", 0);
            else
            {
                cache = ParquetInput.IsParquet(file)
                    ? ParquetInput.ToCache(file, columns, cachePath, dropMissing, cancel: Interruption.Token)
                    : ColumnCache.FromCsv(file, columns, cachePath, separator, numbers, dropMissing, cancel: Interruption.Token);
                cache.IfSucc(c => say($"cache: {c.Rows:N0} rows x {c.Columns.Length} columns read into {keep ?? "a temporary cache"} in {clock.Elapsed.TotalSeconds:F1} s"));
            }
            var result =
                from info in cache
                from blocks in ColumnCache.Open(cachePath, columns, chunkRows)
                from code in fit(info with { Rows = blocks.Rows }, blocks)
                select code;
            if (result.IsSucc && !arrow && keep is { } target)
            {
                try { File.Move(cachePath, target, overwrite: true); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                { return FinFail<int>(Failure.Io($"--cache {target}: cannot write ({e.Message.TrimEnd('.')})")); }
            }
            return result;
        }
        finally
        {
            if (temporary && File.Exists(cachePath)) { try { File.Delete(cachePath); } catch (IOException) { } }
        }
    }

    /// <summary>The options that only make sense with --stream (--chunk-rows, --cache, --sample-rows), named when given
    /// without it; null when none is.</summary>
    public static string? WithoutStream(int? chunkRows, string? cache, int? sampleRows)
    {
        var given = new List<string>();
        if (chunkRows is not null) given.Add("--chunk-rows");
        if (cache is not null) given.Add("--cache");
        if (sampleRows is not null) given.Add("--sample-rows");
        return given.Count == 0 ? null : $"{string.Join(", ", given)} {(given.Count == 1 ? "applies" : "apply")} only with --stream";
    }

    /// <summary>Which rows the start's sample takes: "every row" or "every m-th row (m = ...)", m = floor(n / sample rows).</summary>
    public static string EveryMth(int rows, int sampleRows)
    {
        var m = Math.Max(1, rows / sampleRows);
        return m == 1 ? "every row" : $"every m-th row, m = {m:N0}";
    }

    /// <summary>The progress reporter of a streaming fit: one line per pass with what it did (<paramref name="describe"/>), its
    /// rows, log L when computed, its time and the total.</summary>
    public static Action<StreamPass> Progress(Stopwatch clock, Action<string> say, Func<StreamPass, string> describe)
    {
        var last = clock.Elapsed;
        return p =>
        {
            var now = clock.Elapsed;
            var ll = double.IsNaN(p.LogLikelihood) ? "" : $", log L {p.LogLikelihood.ToString("R", CultureInfo.InvariantCulture)}";
            say($"pass {p.Pass} ({describe(p)}): {p.Rows:N0} rows{ll}, {(now - last).TotalSeconds:F2} s (total {now.TotalSeconds:F1} s)");
            last = now;
        };
    }
}
