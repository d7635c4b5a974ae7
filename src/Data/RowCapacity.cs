namespace Mixtures.Data;

/// <summary>
/// How many data rows a delimited file can hold at most: its lines after the header (a line break inside a
/// quoted field or a blank line only makes the true count smaller). The readers allocate their value arrays for
/// this many rows at once, so a large file's values are stored once rather than grown and copied.
/// </summary>
public static class RowCapacity
{
    /// <summary>Lines of the file after the first (a last line without a line break counts).</summary>
    public static int OfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var buffer = new byte[1 << 16];
        long breaks = 0;
        var last = (byte)'\n';
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            breaks += buffer.AsSpan(0, read).Count((byte)'\n');
            last = buffer[read - 1];
        }
        return Rows(breaks, last != '\n');
    }

    /// <summary>Lines of the text after the first.</summary>
    public static int OfText(string text) => Rows(text.AsSpan().Count('\n'), text.Length > 0 && text[^1] != '\n');

    private static int Rows(long breaks, bool unterminated) => (int)Math.Clamp(breaks + (unterminated ? 1 : 0) - 1, 0, int.MaxValue);
}
