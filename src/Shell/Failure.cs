using LanguageExt;
using LanguageExt.Common;
using Mixtures.Domain.Model;

namespace Mixtures.Shell;

/// <summary>A failure the shell reports as one line and an exit code (the code is the sysexits value).</summary>
public sealed record Failure(string Text, int ExitCode) : Expected(Text, ExitCode, Option<Error>.None)
{
    public static Failure Usage(string text) => new(text, ExitCodes.Usage);
    public static Failure Data(string text) => new(text, ExitCodes.DataError);
    public static Failure NoInput(string text) => new(text, ExitCodes.NoInput);
    public static Failure Io(string text) => new(text, ExitCodes.IoError);

    /// <summary>The one place mapping any error to an exit code.</summary>
    public static int ExitCodeOf(Error e) => e switch
    {
        Failure f => f.ExitCode,
        Expected x when x.Code >= ErrorCodes.EmptyComponent && x.Code < 2000 => ExitCodes.DataError,
        Expected => ExitCodes.DataError,
        _ => ExitCodes.Internal,
    };
}
