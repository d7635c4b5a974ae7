using System.CommandLine;
using Mixtures.Shell;
using Mixtures.Shell.Commands;

if (Console.IsOutputRedirected) Spectre.Console.AnsiConsole.Profile.Width = 160;

var root = new RootCommand("mixtures: finite mixture models fitted by EM (store-sales segments, latent class regression, Gaussian mixtures).");
root.Subcommands.Add(SalesCommand.Build());
root.Subcommands.Add(SimulateCommand.Build());
root.Subcommands.Add(RegressCommand.Build());
root.Subcommands.Add(PredictCommand.Build());
root.Subcommands.Add(SpecCommand.Build());
root.Subcommands.Add(GradeCommand.Build());
root.Subcommands.Add(ClusterCommand.Build());
root.Subcommands.Add(CompareCommand.Build());

var signals = Interruption.Install();
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var e in parsed.Errors) Console.Error.WriteLine($"mixtures: error: {e.Message}");
    Console.Error.WriteLine("run 'mixtures --help' for usage");
    return ExitCodes.Usage;
}
var threads = ThreadsOption.Of(parsed);
if (threads.IsFail) return threads.Match(Succ: _ => 0, Fail: Cli.Report);
try
{
    // --threads: every parallel loop of the command (ours and MathNet's) uses at most this many threads
    var n = threads.Match(Succ: t => t, Fail: _ => 1);
    MathNet.Numerics.Control.MaxDegreeOfParallelism = n;
    var code = Mixtures.Domain.Em.Parallelism.WithThreads(n,
        () => parsed.Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false }));
    Console.Out.Flush();
    GC.KeepAlive(signals);
    return code;
}
catch (IOException e)
{
    return Cli.StdoutFailed(e);
}
catch (OperationCanceledException) when (Interruption.Token.IsCancellationRequested)
{
    return Cli.Interrupted();
}
catch (Exception e)
{
    return Cli.Bug(e);
}
