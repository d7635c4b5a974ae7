namespace Mixtures.Data;

/// <summary>Process exit codes (BSD sysexits).</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;
    /// <summary>Bad command line.</summary>
    public const int Usage = 64;
    /// <summary>Bad input data.</summary>
    public const int DataError = 65;
    /// <summary>Input file missing or unreadable.</summary>
    public const int NoInput = 66;
    /// <summary>A bug.</summary>
    public const int Internal = 70;
    /// <summary>Output could not be written.</summary>
    public const int IoError = 74;
    /// <summary>Stopped by SIGINT (Ctrl+C): 128 + 2.</summary>
    public const int Interrupted = 130;
    /// <summary>Stopped by SIGTERM: 128 + 15.</summary>
    public const int Terminated = 143;
}
