using LanguageExt;
using LanguageExt.Common;
using Mixtures.Domain.Model;

namespace Mixtures.Data;

/// <summary>A failure the shell reports as one line and an exit code (the code is the sysexits value).</summary>
public sealed record Failure(string Text, int ExitCode) : Expected(Text, ExitCode, Option<Error>.None)
{
    /// <summary>A failure for a bad command line or option (exit code 64); the text is made one line.</summary>
    public static Failure Usage(string text) => new(OneLine(text), ExitCodes.Usage);
    /// <summary>A failure for bad input data (65); the text is made one line.</summary>
    public static Failure Data(string text) => new(OneLine(text), ExitCodes.DataError);
    /// <summary>A failure for an input file missing or unreadable (66); the text is made one line.</summary>
    public static Failure NoInput(string text) => new(OneLine(text), ExitCodes.NoInput);
    /// <summary>A failure for an output that could not be written (74); the text is made one line.</summary>
    public static Failure Io(string text) => new(OneLine(text), ExitCodes.IoError);

    /// <summary>The text with line breaks, tabs and other control characters (which may come from a file's cells)
    /// written as escapes, so that every message is one line.</summary>
    public static string OneLine(string text)
    {
        if (!text.Any(char.IsControl)) return text;
        var b = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
            b.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return b.ToString();
    }

    /// <summary>The one place mapping any error to an exit code.</summary>
    public static int ExitCodeOf(Error e) => e switch
    {
        Failure f => f.ExitCode,
        Expected x when x.Code >= ErrorCodes.EmptyComponent && x.Code < 2000 => ExitCodes.DataError,
        Expected => ExitCodes.DataError,
        _ => ExitCodes.Internal,
    };
}
