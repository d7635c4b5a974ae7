using System.Collections.Immutable;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Memory;
using Apache.Arrow.Types;
using CsvHelper;
using LanguageExt;
using Mixtures.Domain;
using Mixtures.Domain.Streaming;
using static LanguageExt.Prelude;

namespace Mixtures.Data;

/// <summary>What a column cache holds: its file, rows, columns and where they came from.</summary>
/// <param name="Path">The cache file (an Arrow IPC file).</param>
/// <param name="Rows">The data rows.</param>
/// <param name="Columns">The numeric columns, in the order asked for.</param>
/// <param name="Source">The file the rows were read from (the cache itself when it was given).</param>
/// <param name="Separator">The CSV separator's name, or "arrow".</param>
/// <param name="DroppedRows">Rows left out by --drop-missing.</param>
public sealed record ColumnCacheInfo(string Path, int Rows, ImmutableArray<string> Columns, string Source, string Separator, int DroppedRows);

/// <summary>
/// The columnar cache of streaming EM: the chosen numeric columns of a delimited file, read once, as an Apache Arrow IPC
/// file (one float64 column per variable and an int32 column <see cref="LineColumn"/> with each row's line in the CSV
/// file, a record batch per block of rows). The CSV rules are <see cref="DataTableCsv"/>'s (invariant culture, or a
/// decimal comma; one-line errors naming the file, row and column); a failing read leaves no cache file behind.
/// </summary>
public static class ColumnCache
{
    /// <summary>The cache's column of CSV line numbers (1 = the header).</summary>
    public const string LineColumn = "__line";

    /// <summary>Rows per record batch of a cache written from CSV.</summary>
    public const int DefaultBatchRows = 256 * 4096;

    /// <summary>
    /// Reads <paramref name="csv"/> once, block by block, and writes the requested columns to <paramref name="cachePath"/>
    /// (through a temporary file renamed at the end: on a failure nothing is written). <paramref name="cancel"/> is observed
    /// once per row (a SIGINT stops a long read; the temporary file is removed).
    /// </summary>
    public static Fin<ColumnCacheInfo> FromCsv(string csv, IReadOnlyList<string> columns, string cachePath, char? separator = null, NumberCells? numbers = null,
        bool dropMissing = false, int batchRows = DefaultBatchRows, CancellationToken cancel = default)
    {
        if (!File.Exists(csv)) return FinFail<ColumnCacheInfo>(Failure.NoInput($"{csv}: file not found"));
        if (new FileInfo(csv).Length == 0) return FinFail<ColumnCacheInfo>(Failure.Data($"{csv}: the file is empty"));
        return Commit(cachePath, tmp =>
        {
            using var reader = CsvReader.FromFile(csv, DataTableCsv.Options(separator));
            return Write(reader, csv, columns, tmp, numbers ?? NumberCells.Point, dropMissing, batchRows, cancel);
        });
    }

    /// <summary>Runs <paramref name="write"/> on a temporary file beside <paramref name="cachePath"/> and renames it to
    /// the cache when the write succeeds; on a failure, an IO error or an exception the temporary file is removed and no
    /// cache is written. IO errors become one-line failures naming the cache.</summary>
    internal static Fin<ColumnCacheInfo> Commit(string cachePath, Func<string, Fin<ColumnCacheInfo>> write)
    {
        var tmp = cachePath + $".tmp-{Environment.ProcessId}";
        try
        {
            var result = write(tmp);
            if (result.IsFail) { TryDelete(tmp); return result; }
            File.Move(tmp, cachePath, overwrite: true);
            return result.Map(i => i with { Path = cachePath });
        }
        catch (IOException e) { TryDelete(tmp); return FinFail<ColumnCacheInfo>(Failure.Io($"{cachePath}: cannot write the cache ({e.Message})")); }
        catch (UnauthorizedAccessException e) { TryDelete(tmp); return FinFail<ColumnCacheInfo>(Failure.Io($"{cachePath}: cannot write the cache ({e.Message})")); }
        catch { TryDelete(tmp); throw; }
    }

    /// <summary>The index in <paramref name="available"/> of each wanted column (an exact match first, then one that differs
    /// only in case), or a usage failure naming the unknown columns and listing the available ones.</summary>
    internal static Fin<int[]> ColumnIndices(string file, IReadOnlyList<string> available, IReadOnlyList<string> wanted)
    {
        int Index(string name)
        {
            for (var j = 0; j < available.Count; j++) if (available[j] == name) return j;
            for (var j = 0; j < available.Count; j++) if (string.Equals(available[j], name, StringComparison.OrdinalIgnoreCase)) return j;
            return -1;
        }
        var unknown = wanted.Where(c => Index(c) < 0).ToList();
        if (unknown.Count > 0)
            return FinFail<int[]>(Failure.Usage(
                $"{file}: no column named {string.Join(", ", unknown.Select(u => $"'{u}'"))}; available columns: {string.Join(", ", available)}"));
        return wanted.Select(Index).ToArray();
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    internal static Schema SchemaOf(IReadOnlyList<string> columns, string source)
    {
        var b = new Schema.Builder().Field(f => f.Name(LineColumn).DataType(Int32Type.Default).Nullable(false));
        foreach (var c in columns) b = b.Field(f => f.Name(c).DataType(DoubleType.Default).Nullable(false));
        return b.Metadata("mixtures.source", System.IO.Path.GetFileName(source)).Build();
    }

    private static Fin<ColumnCacheInfo> Write(CsvReader reader, string file, IReadOnlyList<string> wanted, string tmp, NumberCells numbers, bool dropMissing, int batchRows,
        CancellationToken cancel)
    {
        var header = (reader.Headers ?? []).Select(h => h.Trim()).ToArray();
        if (header.Length == 0 || header.All(string.IsNullOrEmpty)) return FinFail<ColumnCacheInfo>(Failure.Data($"{file}: the file is empty"));
        var separator = reader.Separator;
        if (numbers.SeparatorProblem(separator) is { } sepProblem) return FinFail<ColumnCacheInfo>(Failure.Usage($"{file}: {sepProblem}"));
        if (DataTableCsv.DuplicateColumn(header) is { } duplicate) return FinFail<ColumnCacheInfo>(Failure.Data($"{file}: row 1: {duplicate}"));
        if (!ColumnIndices(file, header, wanted).TryGet(out var idx, out var unknown)) return FinFail<ColumnCacheInfo>(unknown);
        var d = wanted.Count;
        var row = new double[d];
        var n = 0L;
        var dropped = 0;
        using var writer = new CacheWriter(tmp, wanted, file, batchRows, cancel);
        while (reader.Read())
        {
            cancel.ThrowIfCancellationRequested();
            var line = (int)reader.LineNumber;
            if (reader.FieldCount != header.Length)
                return FinFail<ColumnCacheInfo>(Failure.Data(DataTableCsv.UnclosedQuote(reader)
                    ? $"{file}: row {line}: a quote opened in this row is never closed"
                    : $"{file}: row {line}: {reader.FieldCount} fields, but the header has {header.Length} (separator: {DataTable.NameOf(separator)})"));
            string? problem = null;
            for (var j = 0; j < d && problem is null; j++)
            {
                var f = idx[j];
                if (reader.IsEmpty(f)) problem = $"row {line}, column {wanted[j]}: missing value";
                else if (!numbers.TryFinite(reader.GetSpan(f), out var v, out var why))
                {
                    // a number written with the other decimal separator is a format error, never a row to drop
                    if (why.Separator) return FinFail<ColumnCacheInfo>(Failure.Data($"{file}: row {line}, column {wanted[j]}: {why}"));
                    problem = $"row {line}, column {wanted[j]}: {why}";
                }
                else row[j] = v;
            }
            if (problem is not null)
            {
                if (dropMissing) { dropped++; continue; }
                return FinFail<ColumnCacheInfo>(Failure.Data($"{file}: {problem} (use --drop-missing to drop such rows)"));
            }
            writer.Add(line, row);
            n++;
            if (n > System.Array.MaxLength) return FinFail<ColumnCacheInfo>(Failure.Data($"{file}: more than {System.Array.MaxLength} rows are not supported"));
        }
        if (n == 0)
            return FinFail<ColumnCacheInfo>(Failure.Data(dropped > 0
                ? $"{file}: every row has a missing or non-numeric value in the chosen columns ({dropped} dropped)"
                : $"{file}: no data rows after the header"));
        writer.Finish();
        return new ColumnCacheInfo(tmp, (int)n, [.. wanted], file, DataTable.NameOf(separator), dropped);
    }

    /// <summary>
    /// Opens an Arrow IPC file (a cache, or a file of the user's) for reading the named float64 columns in blocks of
    /// <paramref name="blockRows"/> rows (a multiple of <see cref="GaussianStream.BlockMultiple"/>), whatever its record
    /// batches' sizes.
    /// </summary>
    public static Fin<ArrowBlocks> Open(string path, IReadOnlyList<string> columns, int blockRows)
    {
        if (blockRows < 1 || blockRows % GaussianStream.BlockMultiple != 0) throw new ArgumentException($"blocks of {blockRows} rows: not a multiple of {GaussianStream.BlockMultiple}");
        if (!File.Exists(path)) return FinFail<ArrowBlocks>(Failure.NoInput($"{path}: file not found"));
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new ArrowFileReader(stream);
            var schema = reader.Schema;
            var names = schema.FieldsList.Select(f => f.Name).ToArray();
            int Index(string name)
            {
                var j = System.Array.IndexOf(names, name);
                return j >= 0 ? j : System.Array.FindIndex(names, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
            }
            var unknown = columns.Where(c => Index(c) < 0).ToList();
            if (unknown.Count > 0)
                return FinFail<ArrowBlocks>(Failure.Usage(
                    $"{path}: no column named {string.Join(", ", unknown.Select(u => $"'{u}'"))}; available columns: {string.Join(", ", names.Where(x => x != LineColumn))}"));
            var idx = columns.Select(Index).ToArray();
            foreach (var j in idx)
                if (schema.FieldsList[j].DataType is not DoubleType)
                    return FinFail<ArrowBlocks>(Failure.Data($"{path}: column {names[j]} is {schema.FieldsList[j].DataType.Name}, not float64 (double)"));
            var rows = 0L;
            var count = reader.RecordBatchCountAsync().AsTask().GetAwaiter().GetResult();
            for (var b = 0; b < count; b++)
            {
                using var batch = reader.ReadRecordBatchAsync(b, default).AsTask().GetAwaiter().GetResult();
                foreach (var j in idx)
                    if (batch.Column(j).NullCount > 0)
                        return FinFail<ArrowBlocks>(Failure.Data($"{path}: column {names[j]} has missing values (record batch {b + 1})"));
                rows += batch.Length;
            }
            if (rows == 0) return FinFail<ArrowBlocks>(Failure.Data($"{path}: no rows"));
            if (rows > System.Array.MaxLength) return FinFail<ArrowBlocks>(Failure.Data($"{path}: more than {System.Array.MaxLength} rows are not supported"));
            return new ArrowBlocks(path, [.. columns.Select(c => names[Index(c)])], idx, Index(LineColumn) is var l && l >= 0 && schema.FieldsList[l].DataType is Int32Type ? l : -1,
                (int)rows, blockRows);
        }
        catch (IOException e) { return FinFail<ArrowBlocks>(Failure.NoInput($"{path}: cannot read the file ({e.Message})")); }
        catch (InvalidDataException e) { return FinFail<ArrowBlocks>(Failure.Data($"{path}: not an Arrow IPC file ({e.Message})")); }
        catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
        {
            // the reader's exceptions for a file that is not Arrow (or is truncated) vary with the damage
            return FinFail<ArrowBlocks>(Failure.Data($"{path}: not a readable Arrow IPC file ({e.GetType().Name}: {e.Message})"));
        }
    }
}

/// <summary>
/// The blocks of an Arrow IPC file's chosen columns, in row order, re-cut from its record batches into blocks of
/// <see cref="BlockRows"/> rows (the last shorter) in one reused column-major buffer.
/// </summary>
public sealed class ArrowBlocks : IRowBlocks
{
    private readonly string path;
    private readonly int[] columnIndex;
    private readonly int lineIndex;

    internal ArrowBlocks(string path, ImmutableArray<string> names, int[] columnIndex, int lineIndex, int rows, int blockRows)
    {
        this.path = path; ColumnNames = names; this.columnIndex = columnIndex; this.lineIndex = lineIndex; Rows = rows; BlockRows = blockRows;
    }

    /// <inheritdoc/>
    public int Columns => columnIndex.Length;
    /// <inheritdoc/>
    public ImmutableArray<string> ColumnNames { get; }
    /// <summary>The rows of the file.</summary>
    public int Rows { get; }
    /// <summary>Rows per block.</summary>
    public int BlockRows { get; }
    /// <summary>Whether the file has the cache's CSV line column (else a row's number is its 1-based index).</summary>
    public bool HasLines => lineIndex >= 0;

    /// <inheritdoc/>
    public IEnumerable<RowBlock> Blocks() => Read(false).Select(b => b.Block);

    /// <summary>The blocks with each row's CSV line (or 1-based row index) beside them.</summary>
    public IEnumerable<(RowBlock Block, int[] Lines)> BlocksWithLines() => Read(true);

    private IEnumerable<(RowBlock Block, int[] Lines)> Read(bool withLines)
    {
        var d = Columns;
        var buffer = new double[(long)BlockRows * d];
        var lines = withLines ? new int[BlockRows] : [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        using var reader = new ArrowFileReader(stream, new ReusedBuffers());
        var count = reader.RecordBatchCountAsync().AsTask().GetAwaiter().GetResult();
        // rows are gathered as one column-major block of BlockRows rows: row i of column j at j * BlockRows + i; the last,
        // shorter block is restrided to its own row count before it is handed over
        var fill = 0;
        var rowIndex = 0;
        for (var b = 0; b < count; b++)
        {
            using var batch = reader.ReadRecordBatchAsync(b, default).AsTask().GetAwaiter().GetResult();
            var len = batch.Length;
            var at = 0;
            while (at < len)
            {
                var take = Math.Min(len - at, BlockRows - fill);
                for (var j = 0; j < d; j++)
                    ((DoubleArray)batch.Column(columnIndex[j])).Values.Slice(at, take).CopyTo(buffer.AsSpan(j * BlockRows + fill, take));
                if (withLines)
                {
                    if (lineIndex >= 0) ((Int32Array)batch.Column(lineIndex)).Values.Slice(at, take).CopyTo(lines.AsSpan(fill, take));
                    else for (var i = 0; i < take; i++) lines[fill + i] = rowIndex + i + 1;
                }
                fill += take;
                at += take;
                rowIndex += take;
                if (fill == BlockRows)
                {
                    yield return (new RowBlock(BlockRows, buffer), lines);
                    fill = 0;
                }
            }
        }
        if (fill > 0)
        {
            for (var j = 1; j < d; j++) System.Array.Copy(buffer, j * BlockRows, buffer, j * fill, fill);
            yield return (new RowBlock(fill, buffer), withLines ? lines[..fill] : lines);
        }
    }

    /// <summary>
    /// Every m-th row from the first, m = max(1, floor(n / <paramref name="target"/>)), at most <paramref name="target"/> rows:
    /// a deterministic sample spread over the whole file (column-major, rows x d).
    /// </summary>
    public (int Rows, double[] Values) Sample(int target)
    {
        var m = Math.Max(1, Rows / Math.Max(1, target));
        var rows = Math.Min(target, (Rows + m - 1) / m);
        var d = Columns;
        var x = new double[(long)rows * d];
        var global = 0L;
        var taken = 0;
        foreach (var block in Blocks())
        {
            var v = block.Values.Span;
            var r = block.Rows;
            for (var i = (int)((m - global % m) % m); i < r && taken < rows; i += m, taken++)
                for (var j = 0; j < d; j++) x[(long)j * rows + taken] = v[j * r + i];
            global += r;
            if (taken == rows) break;
        }
        return (rows, x);
    }
}

/// <summary>
/// Arrow buffers of one enumeration from managed arrays that come back when their record batch is disposed and serve the
/// next batch of the same size: a pass over the cache then reads every batch into the same few arrays, instead of
/// mapping (and faulting in) fresh native memory for each.
/// </summary>
internal sealed class ReusedBuffers() : MemoryAllocator(DefaultAlignment)
{
    private readonly Dictionary<int, Stack<byte[]>> free = [];

    protected override System.Buffers.IMemoryOwner<byte> AllocateInternal(int length, out int bytesAllocated)
    {
        byte[]? a = null;
        lock (free)
            if (free.TryGetValue(length, out var stack) && stack.Count > 0) a = stack.Pop();
        a ??= new byte[length];
        bytesAllocated = length;
        return new Lease(this, a);
    }

    private void Return(byte[] a)
    {
        lock (free)
        {
            if (!free.TryGetValue(a.Length, out var stack)) free[a.Length] = stack = new Stack<byte[]>();
            stack.Push(a);
        }
    }

    private sealed class Lease(ReusedBuffers owner, byte[] array) : System.Buffers.IMemoryOwner<byte>
    {
        private byte[]? array = array;
        public Memory<byte> Memory => array ?? throw new ObjectDisposedException(nameof(Lease));
        public void Dispose()
        {
            if (array is { } a) { array = null; owner.Return(a); }
        }
    }
}

/// <summary>Writes rows to a new column cache file (<see cref="ColumnCache"/>'s layout): each row's line number and values
/// are buffered and written as a record batch of <c>batchRows</c> rows; <see cref="Finish"/> writes the last batch and the
/// file's end. One instance belongs to one write and its thread.</summary>
internal sealed class CacheWriter : IDisposable
{
    private readonly FileStream stream;
    private readonly ArrowFileWriter writer;
    private readonly Schema schema;
    private readonly double[][] values;
    private readonly int[] lines;
    private readonly CancellationToken cancel;
    private int inBatch;

    public CacheWriter(string path, IReadOnlyList<string> columns, string source, int batchRows, CancellationToken cancel)
    {
        schema = ColumnCache.SchemaOf(columns, source);
        values = new double[columns.Count][];
        for (var j = 0; j < values.Length; j++) values[j] = new double[batchRows];
        lines = new int[batchRows];
        this.cancel = cancel;
        stream = File.Create(path);
        writer = new ArrowFileWriter(stream, schema);
    }

    /// <summary>Adds a row: its line (or 1-based row) number and one value per column.</summary>
    public void Add(int line, ReadOnlySpan<double> row)
    {
        for (var j = 0; j < values.Length; j++) values[j][inBatch] = row[j];
        lines[inBatch] = line;
        if (++inBatch == lines.Length) Flush();
    }

    /// <summary>Writes the buffered rows and the end of the file.</summary>
    public void Finish()
    {
        Flush();
        writer.WriteEnd();
    }

    private void Flush()
    {
        if (inBatch == 0) return;
        cancel.ThrowIfCancellationRequested();
        var arrays = new List<IArrowArray> { new Int32Array.Builder().AppendRange(lines.AsSpan(0, inBatch).ToArray()).Build() };
        for (var j = 0; j < values.Length; j++) arrays.Add(new DoubleArray.Builder().Append(values[j].AsSpan(0, inBatch)).Build());
        using var batch = new RecordBatch(schema, arrays, inBatch);
        writer.WriteRecordBatch(batch);
        inBatch = 0;
    }

    public void Dispose()
    {
        writer.Dispose();
        stream.Dispose();
    }
}
