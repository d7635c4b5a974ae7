using System.Numerics;
using LanguageExt;
using Mixtures.Domain;
using Parquet;
using Parquet.Schema;
using static LanguageExt.Prelude;

namespace Mixtures.Data;

/// <summary>
/// Parquet input of the streaming commands: the chosen columns of a Parquet file, read once (row group by row group, with
/// Parquet.Net) into the Arrow column cache of <see cref="ColumnCache"/>. A column may be any numeric Parquet type (float64,
/// float32, the signed and unsigned integers, decimal), each value converted to the nearest double (exact for float32 and
/// integers up to 2^53); a null or a value that is not finite is a missing value: an error naming the file, row (the 1-based
/// row of the file) and column, or a dropped row with <c>--drop-missing</c>. The cache's line column holds each row's
/// number, which the assignments report as <c>row</c>. A failing read leaves no cache file behind.
/// </summary>
public static class ParquetInput
{
    /// <summary>Whether a file name is a Parquet file's (<c>.parquet</c>, <c>.parq</c>, <c>.pq</c>).</summary>
    public static bool IsParquet(string file) => Path.GetExtension(file).ToLowerInvariant() is ".parquet" or ".parq" or ".pq";

    /// <summary>
    /// Reads <paramref name="columns"/> of <paramref name="parquet"/> into the cache at <paramref name="cachePath"/> (through a
    /// temporary file renamed at the end: on a failure nothing is written). <paramref name="cancel"/> is observed once per row
    /// group and per batch.
    /// </summary>
    public static Fin<ColumnCacheInfo> ToCache(string parquet, IReadOnlyList<string> columns, string cachePath, bool dropMissing = false,
        int batchRows = ColumnCache.DefaultBatchRows, CancellationToken cancel = default)
    {
        if (!File.Exists(parquet)) return FinFail<ColumnCacheInfo>(Failure.NoInput($"{parquet}: file not found"));
        if (new FileInfo(parquet).Length == 0) return FinFail<ColumnCacheInfo>(Failure.Data($"{parquet}: the file is empty"));
        return ColumnCache.Commit(cachePath, tmp => Write(parquet, columns, tmp, dropMissing, batchRows, cancel));
    }

    /// <summary>A column's values of one row group as doubles, NaN where the value is null.</summary>
    private delegate double[] ColumnReader(ParquetRowGroupReader group, int rows);

    private static ColumnReader? ReaderOf(DataField field)
    {
        var t = field.ClrType;
        if (t == typeof(double)) return Read<double>(field);
        if (t == typeof(float)) return Read<float>(field);
        if (t == typeof(int)) return Read<int>(field);
        if (t == typeof(long)) return Read<long>(field);
        if (t == typeof(short)) return Read<short>(field);
        if (t == typeof(sbyte)) return Read<sbyte>(field);
        if (t == typeof(byte)) return Read<byte>(field);
        if (t == typeof(ushort)) return Read<ushort>(field);
        if (t == typeof(uint)) return Read<uint>(field);
        if (t == typeof(ulong)) return Read<ulong>(field);
        if (t == typeof(decimal)) return Read<decimal>(field);
        return null;
    }

    private static ColumnReader Read<T>(DataField field) where T : struct, INumberBase<T> => (group, rows) =>
    {
        var values = new double[rows];
        if (field.IsNullable)
        {
            var raw = new T?[rows];
            group.ReadAsync<T>(field, raw).GetAwaiter().GetResult();
            for (var i = 0; i < rows; i++) values[i] = raw[i] is { } v ? double.CreateTruncating(v) : double.NaN;
        }
        else
        {
            var raw = new T[rows];
            group.ReadAsync<T>(field, raw).GetAwaiter().GetResult();
            for (var i = 0; i < rows; i++) values[i] = double.CreateTruncating(raw[i]);
        }
        return values;
    };

    private static Fin<ColumnCacheInfo> Write(string file, IReadOnlyList<string> wanted, string tmp, bool dropMissing, int batchRows, CancellationToken cancel)
    {
        ParquetReader reader;
        try { reader = ParquetReader.CreateAsync(file, cancellationToken: cancel).GetAwaiter().GetResult(); }
        catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException and not IOException)
        {
            return FinFail<ColumnCacheInfo>(Failure.Data($"{file}: not a readable Parquet file ({e.Message})"));
        }
        try { return Write(reader, file, wanted, tmp, dropMissing, batchRows, cancel); }
        finally { reader.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
    }

    private static Fin<ColumnCacheInfo> Write(ParquetReader reader, string file, IReadOnlyList<string> wanted, string tmp, bool dropMissing, int batchRows,
        CancellationToken cancel)
    {
        var fields = reader.Schema.GetDataFields();
        var names = fields.Select(f => f.Name).ToArray();
        if (!ColumnCache.ColumnIndices(file, names, wanted).TryGet(out var idx, out var unknown)) return FinFail<ColumnCacheInfo>(unknown);
        var d = wanted.Count;
        var readers = new ColumnReader[d];
        for (var j = 0; j < d; j++)
        {
            var f = fields[idx[j]];
            if (f.IsArray || f.MaxRepetitionLevel > 0)
                return FinFail<ColumnCacheInfo>(Failure.Data($"{file}: column {f.Name} is a list (repeated), not one number per row"));
            if (ReaderOf(f) is not { } r)
                return FinFail<ColumnCacheInfo>(Failure.Data($"{file}: column {f.Name} holds {Describe(f.ClrType)}, not numbers"));
            readers[j] = r;
        }
        var n = 0L;
        var dropped = 0;
        var rowBase = 0L;
        var values = new double[d];
        using var writer = new CacheWriter(tmp, wanted, file, batchRows, cancel);
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            cancel.ThrowIfCancellationRequested();
            using var group = reader.OpenRowGroupReader(g);
            var rows = checked((int)group.RowCount);
            var cols = new double[d][];
            for (var j = 0; j < d; j++) cols[j] = readers[j](group, rows);
            for (var i = 0; i < rows; i++)
            {
                var row = rowBase + i + 1;
                string? problem = null;
                for (var j = 0; j < d && problem is null; j++)
                {
                    var v = cols[j][i];
                    if (double.IsNaN(v)) problem = $"row {row}, column {wanted[j]}: missing value (null or NaN)";
                    else if (!double.IsFinite(v)) problem = $"row {row}, column {wanted[j]}: {v} is not a finite number";
                }
                if (problem is not null)
                {
                    if (dropMissing) { dropped++; continue; }
                    return FinFail<ColumnCacheInfo>(Failure.Data($"{file}: {problem} (use --drop-missing to drop such rows)"));
                }
                if (row > int.MaxValue) return FinFail<ColumnCacheInfo>(Failure.Data($"{file}: more than {int.MaxValue} rows are not supported"));
                for (var j = 0; j < d; j++) values[j] = cols[j][i];
                writer.Add((int)row, values);
                n++;
                if (n > System.Array.MaxLength) return FinFail<ColumnCacheInfo>(Failure.Data($"{file}: more than {System.Array.MaxLength} rows are not supported"));
            }
            rowBase += rows;
        }
        if (n == 0)
            return FinFail<ColumnCacheInfo>(Failure.Data(dropped > 0
                ? $"{file}: every row has a missing value in the chosen columns ({dropped} dropped)"
                : $"{file}: no rows"));
        writer.Finish();
        return new ColumnCacheInfo(tmp, (int)n, [.. wanted], file, "parquet", dropped);
    }

    private static string Describe(Type t) =>
        t == typeof(ReadOnlyMemory<char>) || t == typeof(string) ? "text" : t == typeof(bool) ? "true/false values" : t.Name;
}
