using System.CommandLine;
using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Mixtures.Shell;

/// <summary>Shared command-line helpers: list parsing and the failure-to-exit-code funnel.</summary>
public static class Cli
{
    /// <summary>Parses "2,3,4", "1..5" or a mix ("1..3,6") into distinct ascending K values.</summary>
    public static Fin<int[]> ParseKs(string text, string option = "--k")
    {
        var ks = new List<int>();
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var range = raw.Split("..");
            if (range.Length == 2 && int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out var a)
                                  && int.TryParse(range[1], NumberStyles.None, CultureInfo.InvariantCulture, out var b) && a <= b)
                ks.AddRange(Enumerable.Range(a, b - a + 1));
            else if (range.Length == 1 && int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var k))
                ks.Add(k);
            else
                return FinFail<int[]>(Failure.Usage($"{option}: '{raw}' is not a K value or range (use e.g. 2,3,4 or 1..5)"));
        }
        if (ks.Count == 0) return FinFail<int[]>(Failure.Usage($"{option}: no K given"));
        if (ks.Any(k => k < 1)) return FinFail<int[]>(Failure.Usage($"{option}: K must be at least 1"));
        if (ks.Any(k => k > 50)) return FinFail<int[]>(Failure.Usage($"{option}: K above 50 is not supported"));
        return ks.Distinct().Order().ToArray();
    }

    /// <summary>Prints a failure as one line on stderr and returns its exit code.</summary>
    public static int Report(LanguageExt.Common.Error e)
    {
        Console.Error.WriteLine($"mixtures: error: {Failure.OneLine(e.Message)}");
        return Failure.ExitCodeOf(e);
    }

    /// <summary>Runs a command body, turning failures into one line and an exit code: a SIGINT or SIGTERM
    /// (cancellation) removes the temporary files and exits 130 or 143; a full or closed standard output exits 74.</summary>
    public static int Run(Func<Fin<int>> body)
    {
        try
        {
            return body().Match(Succ: code => code, Fail: Report);
        }
        catch (OperationCanceledException) when (Interruption.Token.IsCancellationRequested)
        {
            return Interrupted();
        }
        catch (AggregateException e) when (Interruption.Token.IsCancellationRequested && e.Flatten().InnerExceptions.All(x => x is OperationCanceledException))
        {
            return Interrupted();
        }
        catch (OutOfMemoryException)
        {
            Console.Error.WriteLine("mixtures: error: out of memory");
            return ExitCodes.Internal;
        }
        catch (IOException e)
        {
            // files are written through Outputs, which returns failures as values: this is standard output
            return StdoutFailed(e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Bug(e);
        }
    }

    /// <summary>An exception that escaped a command is a bug: one line naming it, exit 70, temporaries removed.</summary>
    public static int Bug(Exception e)
    {
        Output.Outputs.RemoveTemporaries();
        var inner = e is AggregateException a ? a.Flatten().InnerExceptions[0] : e;
        try { Console.Error.WriteLine($"mixtures: internal error (a bug; please report it with the command): {inner.GetType().Name}: {Failure.OneLine(inner.Message)}"); }
        catch (IOException) { }
        return ExitCodes.Internal;
    }

    /// <summary>The one line and exit code of a run stopped by a signal; nothing is left behind.</summary>
    public static int Interrupted()
    {
        Output.Outputs.RemoveTemporaries();
        try { Console.Error.WriteLine($"mixtures: interrupted by {Interruption.Name}; nothing written"); } catch (IOException) { }
        return Interruption.ExitCode;
    }

    /// <summary>Standard output could not be written (a full disk, a closed pipe): one line on stderr, exit 74.</summary>
    public static int StdoutFailed(IOException e)
    {
        Output.Outputs.RemoveTemporaries();
        try { Console.Error.WriteLine($"mixtures: error: cannot write to standard output ({e.Message})"); } catch (IOException) { }
        return ExitCodes.IoError;
    }

    /// <summary>Collects usage problems (every bad option at once) into one failure.</summary>
    public static Fin<Unit> Check(params (bool Ok, string Problem)[] checks)
    {
        var problems = checks.Where(c => !c.Ok).Select(c => c.Problem).ToList();
        return problems.Count == 0 ? unit : FinFail<Unit>(Failure.Usage(string.Join("; ", problems)));
    }
}
