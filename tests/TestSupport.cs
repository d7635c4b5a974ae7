using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Simulate;

namespace Mixtures.Tests;

/// <summary>Paths and small helpers shared by the tests.</summary>
public static class TestSupport
{
    /// <summary>The repository root (the folder holding Functional.sln).</summary>
    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Functional.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Functional.sln not found above the test folder");
    }

    /// <summary>A fresh empty temporary folder.</summary>
    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "mixtures-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    /// <summary>Log sales y (T x N) and design X (T x 2) of a simulated panel.</summary>
    public static (Matrix<double> y, Matrix<double> X, SalesSample sample) Panel(SalesTruth truth, int stores, int weeks, ulong seed)
    {
        var s = SalesSimulator.Simulate(truth, stores, weeks, seed);
        return (s.Sales.Map(Math.Log), SalesModel.Design(s.Prices), s);
    }

    /// <summary>Runs the mixtures CLI (the Shell build copied beside the tests) in a child process.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunCli(IEnumerable<string> args, string? workDir = null, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workDir ?? AppContext.BaseDirectory,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "mixtures.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr);
    }
}
