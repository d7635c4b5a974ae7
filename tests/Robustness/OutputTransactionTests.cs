using System.Diagnostics;
using System.Runtime.InteropServices;
using Mixtures.Shell.Output;
using Mixtures.Tests.Instructor;
using Xunit;

namespace Mixtures.Tests.Robustness;

/// <summary>Every command's outputs are one transaction: checked before the work, written all or none, never over an
/// input; a signal removes the temporaries and writes nothing.</summary>
public class OutputTransactionTests
{
    private static string Regression => Path.Combine(TestSupport.RepoRoot, "data", "regression.csv");
    private static string Customers => Path.Combine(TestSupport.RepoRoot, "data", "customers.tsv");
    private static string Sales => Path.Combine(TestSupport.RepoRoot, "data", "sales.csv");

    /// <summary>Every file under the folder with its bytes (to show nothing changed).</summary>
    private static Dictionary<string, string> Snapshot(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));

    private static void NoTemporaries(string dir) =>
        Assert.Empty(Directory.EnumerateFiles(dir, ".mx-*", SearchOption.AllDirectories));

    [Fact]
    public void Commit_writes_every_file_or_none_and_keeps_the_files_it_would_replace()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("a.txt"), "old a");
        Directory.CreateDirectory(dir.File("blocked.txt"));
        File.WriteAllText(dir.File("blocked.txt/inside"), "x");
        var before = Snapshot(dir.Path);
        var r = Outputs.Commit([PendingFile.Text(dir.File("a.txt"), "new a"), PendingFile.Text(dir.File("b.txt"), "new b"), PendingFile.Text(dir.File("blocked.txt"), "c")]);
        Assert.True(r.IsFail);
        Assert.Equal(before, Snapshot(dir.Path));
        NoTemporaries(dir.Path);

        var ok = Outputs.Commit([PendingFile.Text(dir.File("a.txt"), "new a"), PendingFile.Text(dir.File("b.txt"), "new b")]);
        Assert.True(ok.IsSucc);
        Assert.Equal("new a", File.ReadAllText(dir.File("a.txt")));
        Assert.Equal("new b", File.ReadAllText(dir.File("b.txt")));
        NoTemporaries(dir.Path);
    }

    [Fact]
    public void A_write_that_throws_midway_leaves_nothing()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("a.txt"), "old a");
        var r = Outputs.Commit([PendingFile.Text(dir.File("a.txt"), "new a"),
            new PendingFile(dir.File("b.txt"), s => { s.WriteByte(1); throw new IOException("disk full"); })]);
        Assert.True(r.IsFail);
        r.IfFail(e => Assert.Contains("disk full", e.Message));
        Assert.Equal("old a", File.ReadAllText(dir.File("a.txt")));
        Assert.False(File.Exists(dir.File("b.txt")));
        NoTemporaries(dir.Path);
    }

    [Fact]
    public void Commit_removes_the_folders_it_created_when_it_fails()
    {
        using var dir = new TempFolder();
        var plots = dir.File("plots");
        var r = Outputs.Commit([PendingFile.Text(Path.Combine(plots, "a.svg"), "a"), new PendingFile(Path.Combine(plots, "b.png"), _ => throw new IOException("no"))],
            folders: [plots]);
        Assert.True(r.IsFail);
        Assert.False(Directory.Exists(plots));
    }

    [Theory]
    [InlineData("regress", "--out")]
    [InlineData("regress", "--assignments")]
    [InlineData("regress", "--report")]
    [InlineData("cluster", "--out")]
    [InlineData("cluster", "--assignments")]
    [InlineData("sales", "--out")]
    [InlineData("compare", "--out")]
    public void An_output_naming_the_input_is_refused_and_the_input_is_unchanged(string command, string option)
    {
        using var dir = new TempFolder();
        var (source, args) = command switch
        {
            "regress" => (Regression, new[] { "--y", "y", "--x", "x1,x2", "--k", "1..2" }),
            "cluster" => (Customers, new[] { "--columns", "MntWines,MntFruits", "--k", "1..2" }),
            "compare" => (Path.Combine(TestSupport.RepoRoot, "data", "ltv.csv"), new[] { "--y", "ltv", "--x", "tenure_months", "--k", "1" }),
            _ => (Sales, new[] { "--k", "2" }),
        };
        var input = dir.File("in" + Path.GetExtension(source));
        File.Copy(source, input);
        var before = Snapshot(dir.Path);
        var r = MixturesCli.Run(dir.Path, [command, "in" + Path.GetExtension(source), .. args, option, "./" + Path.GetFileName(input)]);
        Assert.Equal(64, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains("is the input file", r.Stderr);
        Assert.Equal(before, Snapshot(dir.Path));
    }

    [Fact]
    public void Predict_refuses_to_write_over_its_data_or_its_model()
    {
        using var dir = new TempFolder();
        File.Copy(Regression, dir.File("r.csv"));
        Assert.Equal(0, MixturesCli.Run(dir.Path, "regress", "r.csv", "--y", "y", "--x", "x1,x2", "--k", "2", "--out", "model.json", "--quiet").ExitCode);
        var before = Snapshot(dir.Path);
        foreach (var target in new[] { "r.csv", "model.json" })
        {
            var r = MixturesCli.Run(dir.Path, "predict", "--model", "model.json", "r.csv", "--out", target);
            Assert.Equal(64, r.ExitCode);
            Assert.Contains("is the input file", r.Stderr);
        }
        Assert.Equal(before, Snapshot(dir.Path));
    }

    [Fact]
    public void Grade_refuses_to_write_over_a_submission()
    {
        using var dir = new TempFolder();
        File.Copy(Sales, dir.File("data.csv"));
        File.WriteAllText(dir.File("results.json"), "{\"models\": []}");
        var before = Snapshot(dir.Path);
        var r = MixturesCli.Run(dir.Path, "grade", "results.json", "--data", "data.csv", "--out", "results.json");
        Assert.Equal(64, r.ExitCode);
        Assert.Equal(before, Snapshot(dir.Path));
    }

    [Theory]
    [InlineData("regress")]
    [InlineData("cluster")]
    [InlineData("sales")]
    public void When_a_later_output_cannot_be_written_the_earlier_ones_are_not_written_or_replaced(string command)
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("out.json"), "the previous results");
        // a folder where one of the plot files must go: only the final rename can find out
        Directory.CreateDirectory(dir.File("plots/criteria.svg"));
        File.WriteAllText(dir.File("plots/criteria.svg/keep"), "x");
        var args = command switch
        {
            "regress" => new[] { "regress", Regression, "--y", "y", "--x", "x1,x2", "--k", "1..2", "--assignments", "a.csv" },
            "cluster" => new[] { "cluster", Customers, "--columns", "MntWines,MntFruits", "--k", "1..2", "--assignments", "a.csv" },
            _ => new[] { "sales", Sales, "--k", "2,3" },
        };
        var before = Snapshot(dir.Path);
        var r = MixturesCli.Run(dir.Path, [.. args, "--out", "out.json", "--plots", "plots", "--report", "report.html", "--quiet"]);
        Assert.Equal(74, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains("nothing written", r.Stderr);
        Assert.Equal(before, Snapshot(dir.Path));
        NoTemporaries(dir.Path);
    }

    [Fact]
    public void Simulate_writes_its_data_and_truth_together_or_not_at_all()
    {
        using var dir = new TempFolder();
        Directory.CreateDirectory(dir.File("s.truth.json"));
        var r = MixturesCli.Run(dir.Path, "simulate", "sales", "--stores", "20", "--weeks", "10", "--out", "s.csv", "--quiet");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.False(File.Exists(dir.File("s.csv")));
    }

    [Fact]
    public void A_class_list_is_written_for_every_student_or_for_none()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir.File("class.csv"), "student\n100001\n100002\n100003\n");
        Directory.CreateDirectory(dir.File("out/100003.csv"));
        File.WriteAllText(dir.File("out/100003.csv/keep"), "x");
        var before = Snapshot(dir.Path);
        var r = MixturesCli.Run(dir.Path, "simulate", "sales", "--class-list", "class.csv", "--out-dir", "out", "--stores", "12", "--weeks", "8", "--quiet");
        Assert.Equal(74, r.ExitCode);
        Assert.Equal(before, Snapshot(dir.Path));
        Assert.False(Directory.Exists(dir.File("out/truth")));
        NoTemporaries(dir.Path);
    }

    [Theory]
    [InlineData("regression", "--rows", "2147483647")]
    [InlineData("customers", "--rows", "2000000000")]
    [InlineData("sales", "--stores", "2000000000")]
    public void Absurd_simulate_sizes_are_refused_before_anything_is_allocated(string kind, string option, string value)
    {
        using var dir = new TempFolder();
        var args = kind == "sales"
            ? new[] { "simulate", "sales", option, value, "--weeks", "104", "--out", "x.csv" }
            : ["simulate", kind, option, value, "--out", "x.csv"];
        var r = MixturesCli.Run(dir.Path, args);
        Assert.Equal(64, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.Contains("at most", r.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public void A_long_output_name_is_written_because_temporary_names_are_short()
    {
        using var dir = new TempFolder();
        var name = new string('r', 245) + ".json";
        var r = MixturesCli.Run(dir.Path, "regress", Regression, "--y", "y", "--x", "x1,x2", "--k", "1", "--out", name, "--quiet");
        Assert.Equal(0, r.ExitCode);
        Assert.True(File.Exists(dir.File(name)));
    }

    [Fact]
    public void A_full_standard_output_is_one_line_and_exit_74()
    {
        if (!File.Exists("/dev/full")) return; // Linux only
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"exec dotnet \"{Path.Combine(AppContext.BaseDirectory, "mixtures.dll")}\" --help > /dev/full");
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(74, p.ExitCode);
        Assert.Equal("mixtures: error: cannot write to standard output (No space left on device)", stderr.Trim());
    }

    [Fact]
    public void Grade_does_not_follow_a_folder_link_loop()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempFolder();
        File.Copy(Sales, dir.File("data.csv"));
        Directory.CreateDirectory(dir.File("subs/a"));
        Assert.Equal(0, MixturesCli.Run(dir.Path, "sales", "data.csv", "--k", "2", "--out", "subs/a/results.json", "--quiet").ExitCode);
        Directory.CreateSymbolicLink(dir.File("subs/a/loop"), dir.File("subs"));
        var r = MixturesCli.Run(dir.Path, "grade", "subs", "--data", "data.csv", "--k", "2", "--out", "grades.csv", "--quiet");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("a/loop (a link; not followed)", r.Stderr);
        Assert.Equal(2, File.ReadAllLines(dir.File("grades.csv")).Length); // header + one submission
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    /// <summary>Starts the CLI, waits until <paramref name="ready"/> holds (polling), sends the signal and returns the exit code and stderr.</summary>
    private static (int Code, string Stderr) Interrupt(string dir, int signal, Func<bool> ready, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = dir, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mixtures.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        _ = p.StandardOutput.ReadToEndAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            while (!ready() && !p.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(1);
            Assert.False(p.HasExited, "the run ended before the moment to interrupt it");
            Assert.Equal(0, kill(p.Id, signal));
            Assert.True(p.WaitForExit(60_000), "the run did not stop within 60 s of the signal");
            return (p.ExitCode, stderr.Result);
        }
        finally
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
        }
    }

    private static string BigRegressionFile(string dir)
    {
        var path = Path.Combine(dir, "big.csv");
        var r = MixturesCli.Run(dir, "simulate", "regression", "--rows", "300000", "--out", "big.csv", "--quiet");
        Assert.Equal(0, r.ExitCode);
        return path;
    }

    [Theory]
    [InlineData(2, 130, "SIGINT")]
    [InlineData(15, 143, "SIGTERM")]
    public void A_signal_while_the_outputs_are_written_leaves_no_output_and_no_temporary(int signal, int code, string name)
    {
        if (!OperatingSystem.IsLinux()) return;
        using var dir = new TempFolder();
        BigRegressionFile(dir.Path);
        File.WriteAllText(dir.File("model.json"), "the previous model");
        var before = Snapshot(dir.Path);
        // the moment: a temporary output exists (the outputs are being written). A signal handled only after the
        // renames (microseconds) may find the run complete: then every output must be there and the exit 0. Each
        // try must be one of the two; at least one of a few tries must have been interrupted.
        var interrupted = 0;
        for (var attempt = 0; attempt < 5 && interrupted == 0; attempt++)
        {
            var (exit, stderr) = Interrupt(dir.Path, signal, () => Directory.EnumerateFiles(dir.Path, ".mx-*").Any(f => !f.Contains("probe")),
                "regress", "big.csv", "--y", "y", "--x", "x1,x2", "--k", "1", "--starts", "1", "--out", "model.json", "--assignments", "a.csv", "--quiet");
            NoTemporaries(dir.Path);
            if (exit == 0)
            {
                Assert.True(File.Exists(dir.File("a.csv")));
                Assert.NotEqual("the previous model", File.ReadAllText(dir.File("model.json")));
                File.Delete(dir.File("a.csv"));
                File.WriteAllText(dir.File("model.json"), "the previous model");
                continue;
            }
            Assert.Equal(code, exit);
            Assert.Equal($"mixtures: interrupted by {name}; nothing written", stderr.Trim());
            Assert.Equal(before, Snapshot(dir.Path));
            interrupted++;
        }
        Assert.Equal(1, interrupted);
    }

    [Fact]
    public void A_signal_during_the_fit_stops_it_and_writes_nothing()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var dir = new TempFolder();
        BigRegressionFile(dir.Path);
        var before = Snapshot(dir.Path);
        var started = Stopwatch.StartNew();
        var (exit, stderr) = Interrupt(dir.Path, 2, () => started.Elapsed > TimeSpan.FromSeconds(2.5),
            "regress", "big.csv", "--y", "y", "--x", "x1,x2", "--k", "1..6", "--starts", "200", "--screen", "0", "--out", "model.json");
        Assert.Equal(130, exit);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(before, Snapshot(dir.Path));
    }
}
