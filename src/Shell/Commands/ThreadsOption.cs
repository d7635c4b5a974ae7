using System.CommandLine;
using System.Globalization;
using Mixtures.Domain.Em;

namespace Mixtures.Shell.Commands;

/// <summary>
/// <c>--threads N</c>, on every command that fits or evaluates a model: the most threads its parallel loops use (the
/// loops over chunks of rows and the starts run side by side). The program reads it once, before the command runs,
/// and runs the command inside <see cref="Parallelism.WithThreads{T}"/>, so every loop below honours it.
/// </summary>
public static class ThreadsOption
{
    /// <summary>The option's name.</summary>
    public const string Name = "--threads";

    /// <summary>The most threads allowed (far above any core count; guards against a mistyped value).</summary>
    public const int Max = 1024;

    /// <summary>A fresh --threads option (each command owns its own instance).</summary>
    public static Option<int?> Create() => new(Name)
    {
        Description = $"Threads for the parallel loops (chunks of rows, starts side by side); default: every core ({Environment.ProcessorCount} here). " +
                      "Results are identical for any value.",
        HelpName = "N",
    };

    /// <summary>The thread count a parse asks for: the command's --threads value, else the processor count; a usage
    /// problem when the value is out of range.</summary>
    public static LanguageExt.Fin<int> Of(ParseResult parsed)
    {
        var option = parsed.CommandResult.Command.Options.OfType<Option<int?>>().FirstOrDefault(o => o.Name == Name);
        if (option is null || parsed.GetValue(option) is not { } n) return Parallelism.Threads;
        return n is >= 1 and <= Max
            ? n
            : LanguageExt.Prelude.FinFail<int>(Failure.Usage($"{Name} must be between 1 and {Max.ToString(CultureInfo.InvariantCulture)} (got {n.ToString(CultureInfo.InvariantCulture)})"));
    }
}
