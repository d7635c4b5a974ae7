using System.Globalization;
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Simulate;
using Mixtures.Shell;
using Mixtures.Shell.Commands;
using Mixtures.Data;
using Mixtures.Shell.Output;

namespace Mixtures.Tests.Instructor;

/// <summary>A small simulated sales file (40 stores x 12 weeks, K = 3) shared by the spec tests.</summary>
public sealed class SpecData : IDisposable
{
    public TempFolder Dir { get; } = new();
    public string File => Dir.File("sales.csv");
    public SalesInput Input { get; }
    public Matrix<double> Y => Input.LogSales;
    public Matrix<double> X => SalesModel.Design(Input.Prices);

    public SpecData()
    {
        var sample = SalesSimulator.Simulate(SalesSimulator.RandomTruth(3, 11), 40, 12, 11);
        using (var s = System.IO.File.Create(File)) SalesCsvWriter.Write(s, sample);
        Input = SalesCsv.Read(File).Value();
    }

    public void Dispose() => Dir.Dispose();
}

public class SpecCommandTests(SpecData d) : IClassFixture<SpecData>
{
    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    private static string ThetaJson(Theta t) => "[" + string.Join(",", t.Segments.Select(s => $"[{R(s.Alpha)},{R(s.Beta)}]")) + "]";
    private static string PiJson(MixingWeights p) => "[" + string.Join(",", p.Pi.Select(R)) + "]";

    private static readonly Theta Theta3 = Theta.Of((2.1, -1.3), (3.4, -0.9), (5.2, -2.4));
    private static readonly MixingWeights Pi3 = MixingWeights.Of([0.2, 0.3, 0.5]);

    private static JsonElement Eval(SpecCommand.Settings s)
    {
        Assert.True(SpecCommand.Evaluate(s).TryGet(out var json, out var e), e?.Message);
        return JsonDocument.Parse(json).RootElement;
    }

    private static double[] Doubles(JsonElement a) => a.EnumerateArray().Select(x => x.GetDouble()).ToArray();
    private static double[][] Rows(JsonElement a) => a.EnumerateArray().Select(Doubles).ToArray();

    [Fact]
    public void LogL_prints_the_domain_value_to_the_last_bit()
    {
        var r = Eval(new("logl", d.File, ThetaJson(Theta3), PiJson(Pi3)));
        Assert.Equal("LogL", r.GetProperty("function").GetString());
        Assert.Equal(SalesModel.LogL(Theta3, Pi3, d.Y, d.X), r.GetProperty("logL").GetDouble());
    }

    [Fact]
    public void Theta_as_a_flat_vector_means_the_same_as_pairs()
    {
        var flat = "[" + string.Join(",", Theta3.ToVector().Select(R)) + "]";
        var a = Eval(new("LogL", d.File, flat, PiJson(Pi3))).GetProperty("logL").GetDouble();
        Assert.Equal(SalesModel.LogL(Theta3, Pi3, d.Y, d.X), a);
    }

    [Fact]
    public void EStep_prints_W_row_per_store()
    {
        var r = Eval(new("EStep", d.File, ThetaJson(Theta3), PiJson(Pi3)));
        var W = Rows(r.GetProperty("W"));
        var expected = SalesModel.EStep(Theta3, Pi3, d.Y, d.X);
        Assert.Equal(40, W.Length);
        for (var i = 0; i < 40; i++)
        for (var k = 0; k < 3; k++) Assert.Equal(expected[i, k], W[i][k]);
    }

    [Fact]
    public void MStep_reads_W_and_prints_the_domain_update()
    {
        var W = SalesModel.EStep(Theta3, Pi3, d.Y, d.X);
        var path = d.Dir.File("w.csv");
        File.WriteAllLines(path, new[] { "w1,w2,w3" }.Concat(Enumerable.Range(0, 40).Select(i => string.Join(",", W.Row(i).Select(R)))));
        var r = Eval(new("MStep", d.File, Weights: path));
        var (theta, pi) = SalesModel.MStep(d.Y, d.X, W).Value();
        Assert.Equal(theta.Segments.Select(s => new[] { s.Alpha, s.Beta }), Rows(r.GetProperty("theta")));
        Assert.Equal(pi.Pi, Doubles(r.GetProperty("pi")));
    }

    [Fact]
    public void EM_from_a_seed_and_Estimate_match_the_domain()
    {
        var em = Eval(new("EM", d.File, K: 3, Seed: 4, Tol: 1e-9));
        var fit = SalesModel.EM(3, d.Y, d.X, new EmOptions(1e-9), 4).Value();
        Assert.Equal(fit.LogLikelihood, em.GetProperty("logL").GetDouble());
        Assert.Equal(fit.Iterations, em.GetProperty("iterations").GetInt32());
        Assert.Equal(fit.Trace, Doubles(em.GetProperty("trace")));
        var est = Eval(new("Estimate", d.File, K: 3, Starts: 3, Seed: 2));
        var e = SalesModel.Estimate(3, d.Y, d.X, 3, 2).Value();
        Assert.Equal(e.LogLikelihood, est.GetProperty("logL").GetDouble());
        Assert.Equal(e.Bic, est.GetProperty("bic").GetDouble());
        Assert.Equal(e.Theta.Segments.Select(s => new[] { s.Alpha, s.Beta }), Rows(est.GetProperty("theta")));
    }

    [Fact]
    public void EM_from_given_parameters_starts_at_their_E_step()
    {
        var em = Eval(new("EM", d.File, ThetaJson(Theta3), PiJson(Pi3), MaxIter: 1));
        var (theta, pi) = SalesModel.MStep(d.Y, d.X, SalesModel.EStep(Theta3, Pi3, d.Y, d.X)).Value();
        Assert.Equal(1, em.GetProperty("iterations").GetInt32());
        Assert.Equal(SalesModel.LogL(theta, pi, d.Y, d.X), em.GetProperty("logL").GetDouble(), 9);
    }

    // A 2-store, 3-week file small enough to do by hand: prices 1, 2, 4 (x = 0, ln 2, 2 ln 2).
    private const string Tiny = "Price,Store1,Store2\n1,1,20\n2,0.5,8\n4,0.25,5\n";

    private static double LogPhi(double r) => -0.5 * Math.Log(2 * Math.PI) - 0.5 * r * r;

    [Fact]
    public void LogL_and_EStep_match_hand_computed_values()
    {
        using var dir = new TempFolder();
        var file = dir.File("tiny.csv");
        File.WriteAllText(file, Tiny);
        double[] x = [0, Math.Log(2), Math.Log(4)];
        double[][] y = [[Math.Log(1), Math.Log(0.5), Math.Log(0.25)], [Math.Log(20), Math.Log(8), Math.Log(5)]];
        double[][] theta = [[0.1, -1.0], [3.0, -0.5]];
        double[] pi = [0.6, 0.4];
        // f_ik = prod_t phi(y_it - a_k - b_k x_t); L = sum_i log sum_k pi_k f_ik; W_ik = pi_k f_ik / sum_k pi_k f_ik
        var f = y.Select(yi => theta.Select(th => Math.Exp(Enumerable.Range(0, 3).Sum(t => LogPhi(yi[t] - th[0] - th[1] * x[t])))).ToArray()).ToArray();
        var logL = f.Sum(fi => Math.Log(pi[0] * fi[0] + pi[1] * fi[1]));
        var r = Eval(new("LogL", file, "[[0.1,-1],[3,-0.5]]", "[0.6,0.4]"));
        Assert.Equal(logL, r.GetProperty("logL").GetDouble(), 10);
        var W = Rows(Eval(new("EStep", file, "[0.1,-1,3,-0.5]", "[0.6,0.4]")).GetProperty("W"));
        for (var i = 0; i < 2; i++)
        for (var k = 0; k < 2; k++)
            Assert.Equal(pi[k] * f[i][k] / (pi[0] * f[i][0] + pi[1] * f[i][1]), W[i][k], 12);
    }

    [Fact]
    public void MStep_with_hard_weights_is_per_store_least_squares()
    {
        using var dir = new TempFolder();
        var file = dir.File("tiny.csv");
        File.WriteAllText(file, Tiny);
        File.WriteAllText(dir.File("w.csv"), "1,0\n0,1\n");
        var r = Eval(new("MStep", file, Weights: dir.File("w.csv")));
        double[] x = [0, Math.Log(2), Math.Log(4)];
        double[][] y = [[0, Math.Log(0.5), Math.Log(0.25)], [Math.Log(20), Math.Log(8), Math.Log(5)]];
        var theta = Rows(r.GetProperty("theta"));
        for (var i = 0; i < 2; i++)
        {
            // simple regression: beta = sum (x - xbar)(y - ybar) / sum (x - xbar)^2, alpha = ybar - beta xbar
            var xb = x.Average(); var yb = y[i].Average();
            var beta = Enumerable.Range(0, 3).Sum(t => (x[t] - xb) * (y[i][t] - yb)) / x.Sum(v => (v - xb) * (v - xb));
            Assert.Equal(yb - beta * xb, theta[i][0], 12);
            Assert.Equal(beta, theta[i][1], 12);
        }
        Assert.Equal([0.5, 0.5], Doubles(r.GetProperty("pi")));
    }

    [Theory]
    [InlineData("LogL", "[[2,-1],[3,-1]]", "[0.5,0.4]", "--pi: the weights sum to 0.9, not 1 (within 1e-6)")]
    [InlineData("LogL", "[[2,-1],[3,-1]", "[0.5,0.5]", "--theta: not valid JSON")]
    [InlineData("LogL", "[2,-1,3]", "[0.5,0.5]", "--theta: a flat theta has 2K numbers (alpha1, beta1, ..., alphaK, betaK); found 3")]
    [InlineData("LogL", "[[2,-1,0],[3,-1]]", "[0.5,0.5]", "--theta: segment 1 has 3 number(s); each segment is a pair [alpha, beta]")]
    [InlineData("EStep", "[[2,-1],[3,-1]]", "[0.2,0.3,0.5]", "--theta has 2 segment(s) but --pi has 3 weight(s)")]
    [InlineData("EStep", "[[2,-1]]", "[1]x", "--pi: not valid JSON")]
    [InlineData("LogL", "[[2,-1]]", null, "LogL needs --theta and --pi")]
    public void Bad_parameters_are_usage_errors(string f, string? theta, string? pi, string message)
    {
        Assert.False(SpecCommand.Evaluate(new(f, d.File, theta, pi)).TryGet(out _, out var e));
        Assert.StartsWith(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(ExitCodes.Usage, Failure.ExitCodeOf(e));
    }

    [Theory]
    [InlineData("0.5,0.5\n0.5,0.5\n", "w.csv: 2 row(s) of weights but the data has 40 stores (one row per store, in the order of the store columns)")]
    [InlineData("0.5,0.5\n0.5\n", "w.csv: row 2: 1 field(s), but row 1 has 2 (one column per segment)")]
    [InlineData("a,b\n0.5,x\n", "w.csv: row 2, column 2: 'x' is not a non-negative finite number")]
    [InlineData("0.5,0.4\n", "w.csv: row 1: the weights sum to 0.9, not 1 (each row is one store's segment probabilities)")]
    public void Bad_weights_files_are_data_errors_naming_row_and_column(string text, string message)
    {
        Assert.False(SpecInputs.ParseWeightsText(text, "w.csv", 40).TryGet(out _, out var e));
        Assert.Equal(message, e.Message);
        Assert.Equal(ExitCodes.DataError, Failure.ExitCodeOf(e));
    }

    [Theory]
    [InlineData(66, "LogL", "missing.csv", "--theta", "[[2,-1]]", "--pi", "[1]")]
    [InlineData(64, "LogL", "sales.csv", "--theta", "{\"a\": 1}", "--pi", "[1]")]
    [InlineData(64, "LogL", "sales.csv", "--theta", "[[2,-1],[3,-1],[4]]", "--pi", "[0.2,0.3,0.5]")]
    [InlineData(64, "EStep", "sales.csv", "--theta", "[[2,-1],[3,-1]]", "--pi", "[0.7,0.7]")]
    [InlineData(65, "MStep", "sales.csv", "--weights", "bad_w.csv")]
    [InlineData(66, "MStep", "sales.csv", "--weights", "nowhere.csv")]
    [InlineData(64, "Variance", "sales.csv")]
    [InlineData(64, "MStep", "sales.csv", "--weights", "bad_w.csv", "--k", "2")]
    public void Bad_inputs_end_with_one_line_and_a_non_zero_exit(int code, params string[] args)
    {
        File.WriteAllText(d.Dir.File("bad_w.csv"), "0.5,0.5\n0.5,0.5\n");
        var r = MixturesCli.Run(d.Dir.Path, ["spec", .. args]);
        Assert.Equal(code, r.ExitCode);
        Assert.Single(r.ErrorLines);
        Assert.StartsWith("mixtures: error: ", r.ErrorLines[0]);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void The_command_line_prints_round_trip_doubles()
    {
        var r = MixturesCli.Run(d.Dir.Path, "spec", "LogL", "sales.csv", "--theta", ThetaJson(Theta3), "--pi", PiJson(Pi3));
        Assert.Equal(0, r.ExitCode);
        var logL = JsonDocument.Parse(r.Stdout).RootElement.GetProperty("logL").GetDouble();
        Assert.Equal(SalesModel.LogL(Theta3, Pi3, d.Y, d.X), logL);
    }
}
