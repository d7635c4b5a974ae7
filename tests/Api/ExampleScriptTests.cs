using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Mixtures.Tests.Api;

/// <summary>Every file-based script in examples/ runs with <c>dotnet run</c> as README shows and prints what it says it
/// computes. The scripts build the library projects in their own configuration ("Examples") so they never touch the
/// bin and obj folders of a test run's build; xunit runs the cases of one class one after another.</summary>
public class ExampleScriptTests
{
    private static string[] Names() =>
        [.. Directory.GetFiles(Path.Combine(TestSupport.RepoRoot, "examples"), "*.cs").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> Scripts() => new(Names());

    [Fact]
    public void There_is_a_script_per_family()
    {
        var names = Names();
        foreach (var family in new[] { "sales.cs", "regression.cs", "gaussian.cs" }) Assert.Contains(family, names);
    }

    private static (int Code, string Out, string Err) Run(string script)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = TestSupport.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "run", "-c", "Examples", Path.Combine("examples", script) }) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(10))) { p.Kill(true); throw new TimeoutException($"{script} ran for 10 minutes"); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private static double Number(string text, string pattern) =>
        double.Parse(Regex.Match(text, pattern).Groups[1].Value, CultureInfo.InvariantCulture);

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_runs_and_prints_its_results(string script)
    {
        var (code, output, err) = Run(script);
        Assert.True(code == 0, $"{script} exited with {code}: {err}{output}");
        switch (script)
        {
            case "sales.cs":
                // the stores' scores add up to log L, and the fit's own sample is mostly put back in its segments
                Assert.Contains("selected K = 3", output);
                Assert.Equal(Number(output, @"log L = (-?[\d.]+)\)"), Number(output, @"sum of store scores = (-?[\d.]+)"));
                Assert.True(Number(output, @"own segment: (\d+) of 1000") > 900);
                break;
            case "regression.cs":
                Assert.Contains("same log L: True", output);
                Assert.Matches(@"class 3: pi = [\d.]+, beta = \[", output);
                break;
            case "gaussian.cs":
                Assert.Contains("<- selected", output);
                Assert.Matches(@"new customer: cluster \d \(P = [\d.]+\), log density -[\d.]+", output);
                break;
            case "glm.cs":
                // flexmix's optimum on its patent data (tests/reference/glm/patent_poisson_k3.json)
                Assert.Contains("selected K = 3, log L = -203.5332", output);
                Assert.Matches(@"class 3: pi = 0\.1831, beta = \[1\.977\d, 0\.668\d\]", output);
                break;
            case "spec.cs":
                Assert.Matches(@"Estimate: logL = -22541\.47", output);
                break;
            case "student.cs":
                Assert.Matches(@"K = 4: logL = ", output);
                break;
            default:
                Assert.False(string.IsNullOrWhiteSpace(output), $"{script} printed nothing");
                break;
        }
    }
}
