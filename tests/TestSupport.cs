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
    /// <summary>A family's fused step with W_prev the same buffer as W equals the step with two buffers bit for bit (log L,
    /// max |W - W_prev|, the statistics and W), and the change is not trivially 0.</summary>
    public static void OneBufferStepEqualsTwo<TD, TC>(Mixtures.Domain.Em.IFusedFamily<TD, TC> family, TD data, TC components, double[] logPi,
        int n, int K, double[] prev)
    {
        Assert.True(family.FusedInPlace(data, K));
        var w = new double[n * K];
        var stats = new double[family.FusedStatistics(data, K)];
        var ll = family.FusedStep(data, components, logPi, n, K, w, prev, out var change, stats);
        var one = (double[])prev.Clone();
        var statsOne = new double[stats.Length];
        var llOne = family.FusedStep(data, components, logPi, n, K, one, one, out var changeOne, statsOne);
        Assert.Equal(BitConverter.DoubleToInt64Bits(ll), BitConverter.DoubleToInt64Bits(llOne));
        Assert.Equal(BitConverter.DoubleToInt64Bits(change), BitConverter.DoubleToInt64Bits(changeOne));
        Assert.True(change > 0.01);
        Assert.Equal(stats.Select(BitConverter.DoubleToInt64Bits), statsOne.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(w.Select(BitConverter.DoubleToInt64Bits), one.Select(BitConverter.DoubleToInt64Bits));
    }
}
