using System.Reflection;
using System.Text.RegularExpressions;

namespace Mixtures.Shell.Output.Reports;

/// <summary>
/// What made a report: the tool's version and the command line that was run. No clock time and no path of the
/// executable, so the same command on the same input gives a byte-identical report.
/// </summary>
/// <param name="Version">The version <c>mixtures --version</c> prints (the assembly's informational version).</param>
/// <param name="CommandLine">The command as typed, shell-quoted (null when the report was built from code rather than the command line).</param>
public sealed partial record ReportProvenance(string Version, string? CommandLine)
{
    /// <summary>The informational version of the mixtures assembly, which <c>mixtures --version</c> prints.</summary>
    public static string ToolVersion { get; } =
        typeof(ReportProvenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ReportProvenance).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>The provenance of a run with these arguments (those after the program name; null when unknown).</summary>
    public static ReportProvenance Of(IReadOnlyList<string>? args) => new(ToolVersion, args is null ? null : Command(args));

    /// <summary>The arguments of this process after the program's own path: what the user typed after <c>mixtures</c>
    /// (System.CommandLine's tokens would have split <c>--k=2,3</c> and expanded response files).</summary>
    public static IReadOnlyList<string> ProcessArguments() => Environment.GetCommandLineArgs().Skip(1).ToArray();

    /// <summary>"mixtures" and the arguments, each quoted for a POSIX shell where needed.</summary>
    public static string Command(IEnumerable<string> args) => string.Join(" ", args.Select(Quote).Prepend("mixtures"));

    /// <summary>An argument as a POSIX shell reads it back: as it is when it holds only safe characters, else in single
    /// quotes (a quote inside as '\'').</summary>
    public static string Quote(string arg) =>
        arg.Length > 0 && Safe().IsMatch(arg) ? arg : "'" + arg.Replace("'", "'\\''") + "'";

    [GeneratedRegex(@"^[A-Za-z0-9_@%+=:,./-]+$")]
    private static partial Regex Safe();
}
