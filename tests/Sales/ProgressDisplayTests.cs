using Mixtures.Domain.Model;
using Mixtures.Shell.Output;

namespace Mixtures.Tests.Sales;

/// <summary>The progress line on stderr: when it is shown, what it says, and that it changes nothing else.</summary>
public class ProgressDisplayTests
{
    [Theory]
    [InlineData(false, false, false, true)]   // a terminal: shown
    [InlineData(true, false, false, false)]   // redirected: not shown
    [InlineData(false, true, false, false)]   // --quiet: not shown
    [InlineData(true, true, false, false)]
    [InlineData(true, false, true, true)]     // MIXTURES_PROGRESS=1: shown even when redirected
    [InlineData(true, true, true, false)]     // but never with --quiet
    public void Progress_is_shown_on_a_terminal_without_quiet(bool stderrRedirected, bool quiet, bool forced, bool shown) =>
        Assert.Equal(shown, ProgressDisplay.Shows(stderrRedirected, quiet, forced));

    [Fact]
    public void Progress_line_names_K_start_iteration_log_L_and_elapsed_time()
    {
        Assert.Equal("fitting K = 3 of 6, start 4 of 12, iteration 120, log L -1234.57, 12 s",
            ProgressDisplay.Describe(new EstimationProgress(3, 4, 120, -1234.567, 12, 6), TimeSpan.FromSeconds(12.7)));
        Assert.Equal("fitting, 2 min 16 s", ProgressDisplay.Describe(null, TimeSpan.FromSeconds(136)));
    }

    private static string Data(string name) => Path.Combine(TestSupport.RepoRoot, "data", name);

    public static TheoryData<string, string[]> Commands() => new()
    {
        { "sales", ["sales", Data("sales.csv"), "--k", "1..4", "--out", "{out}"] },
        { "regress", ["regress", Data("regression.csv"), "--y", "y", "--x", "x1,x2", "--k", "1..3", "--starts", "4", "--out", "{out}"] },
        { "cluster", ["cluster", Data("customers.tsv"), "--columns", "MntWines,MntFruits,MntMeatProducts,MntFishProducts,MntSweetProducts,MntGoldProds",
            "--standardize", "--k", "1..3", "--starts", "3", "--out", "{out}"] },
        { "compare", ["compare", Data("regression.csv"), "--y", "y", "--x", "x1,x2", "--k", "auto", "--out", "{out}"] },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Redirected_stderr_gets_no_progress_and_stdout_and_files_are_the_same_with_it_forced(string name, string[] args)
    {
        using var t = new Mixtures.Tests.Instructor.TempFolder();
        string[] Args(string file) => args.Select(a => a == "{out}" ? Path.Combine(t.Path, file) : a).ToArray();
        var (c1, out1, err1) = TestSupport.RunCli(Args("plain.json"));
        var (c2, out2, err2) = TestSupport.RunCli(Args("forced.json"), env: new Dictionary<string, string> { [ProgressDisplay.ForceVariable] = "1" });
        var (c3, _, err3) = TestSupport.RunCli([.. Args("quiet.json"), "--quiet"], env: new Dictionary<string, string> { [ProgressDisplay.ForceVariable] = "1" });
        Assert.True(c1 == 0, err1);
        Assert.True(c2 == 0, err2);
        Assert.True(c3 == 0, err3);
        // the tests' stderr is a pipe: nothing on it, and nothing with --quiet even when forced
        Assert.Equal("", err1);
        Assert.Equal("", err3);
        // forced, the progress display goes to stderr only
        Assert.Contains("fitting", err2);
        Assert.DoesNotContain("fitting", out2);
        Assert.Equal(out1.Replace("plain.json", "forced.json"), out2);
        Assert.Equal(File.ReadAllBytes(Path.Combine(t.Path, "plain.json")), File.ReadAllBytes(Path.Combine(t.Path, "forced.json")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(t.Path, "plain.json")), File.ReadAllBytes(Path.Combine(t.Path, "quiet.json")));
        _ = name;
    }
}
