using System.Globalization;
using System.Text;
using System.Text.Json;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Tests.Instructor;

namespace Mixtures.Tests.Gaussian;

/// <summary><c>cluster --concomitant</c>: a Gaussian mixture whose weights are a multinomial logit of concomitant variables.</summary>
public class ClusterConcomitantTests
{
    /// <summary>n points around (0, 2) or (3, 0); z ~ N(0, 1), a binary b and a tier; logit Pr[cluster 2] = 0.3 + 1.5 z + 0.8 [gold].</summary>
    private static (Matrix<double> X, double[] z, double[] b, string[] tier) Simulate(int n, ulong seed)
    {
        var rng = Mixtures.Domain.Random.Seeds.Generator(seed);
        var X = Matrix<double>.Build.Dense(n, 2);
        var z = new double[n];
        var b = new double[n];
        var tier = new string[n];
        string[] tiers = ["bronze", "gold", "silver"];
        for (var i = 0; i < n; i++)
        {
            z[i] = Normal.Sample(rng, 0, 1);
            tier[i] = tiers[rng.Next(3)];
            b[i] = rng.NextDouble() < 0.5 ? 1 : 0;
            var second = rng.NextDouble() < 1 / (1 + Math.Exp(-(0.3 + 1.5 * z[i] + (tier[i] == "gold" ? 0.8 : 0) + 1.2 * b[i])));
            X[i, 0] = (second ? 3 : 0) + Normal.Sample(rng, 0, 1);
            X[i, 1] = (second ? 0 : 2) + Normal.Sample(rng, 0, 1);
        }
        return (X, z, b, tier);
    }

    private static string Write(TempFolder dir, int n, ulong seed, Func<int, string, string>? edit = null)
    {
        var (X, z, b, tier) = Simulate(n, seed);
        var s = new StringBuilder("a,b,z,bin,tier\n");
        for (var i = 0; i < n; i++)
        {
            var line = string.Create(CultureInfo.InvariantCulture, $"{X[i, 0]:R},{X[i, 1]:R},{z[i]:R},{b[i]:R},{tier[i]}");
            s.Append(edit is null ? line : edit(i, line)).Append('\n');
        }
        File.WriteAllText(dir.File("c.csv"), s.ToString());
        return dir.File("c.csv");
    }

    private static GaussianData Data(Matrix<double> X) => GaussianData.Of(X).Match(d => d, e => throw new InvalidOperationException(e.Message));

    private static ConcomitantWeights Binary(double[] b) => ConcomitantWeights.WithIntercept(Matrix<double>.Build.Dense(b.Length, 1, b), ["bin"]);

    private static readonly GaussianSettings Tight = new(Starts: 3, Seed: 7, Tolerance: 1e-13, MaxIterations: 5000);

    [Fact]
    public void With_a_saturated_binary_concomitant_the_fitted_prior_per_level_equals_the_mean_posterior_of_that_level()
    {
        var (X, _, b, _) = Simulate(800, 3);
        var est = GaussianMixture.Estimate([2], Data(X), Tight, Binary(b)).Match(e => e, e => throw new InvalidOperationException(e.Message));
        var W = est.Responsibilities;
        var w = est.Model.Weights;
        Assert.True(w.HasCoefficients);
        for (var level = 0; level <= 1; level++)
        {
            var rows = Enumerable.Range(0, b.Length).Where(i => b[i] == level).ToArray();
            var prior = ConcomitantWeights.Prior(w, [1.0, level]);
            for (var k = 0; k < 2; k++)
                Assert.Equal(rows.Average(i => W[i, k]), prior[k], 1e-6);
        }
        // and the concomitant means per cluster (posterior-weighted) are the prior-weighted ones (the M-step's moment condition)
        var means = ConcomitantProfile.Of(W.ToColumnMajorArray(), W.RowCount, 2, [new ConcomitantVariable.Numeric("bin", [.. b])]);
        var logP = Binary(b).LogPrior(w, b.Length);
        for (var k = 0; k < 2; k++)
        {
            var pk = Enumerable.Range(0, b.Length).Select(i => Math.Exp(logP[k * b.Length + i])).ToArray();
            Assert.Equal(pk.Zip(b, (p, v) => p * v).Sum() / pk.Sum(), means[0].ByClass[k], 1e-6);
        }
    }

    [Fact]
    public void K_1_with_concomitants_is_the_plain_model_and_an_intercept_only_concomitant_is_constant_weights()
    {
        var (X, _, b, _) = Simulate(500, 5);
        var data = Data(X);
        var plain1 = GaussianMixture.Estimate([1], data, Tight).Match(e => e, e => throw new InvalidOperationException(e.Message));
        var con1 = GaussianMixture.Estimate([1], data, Tight, Binary(b)).Match(e => e, e => throw new InvalidOperationException(e.Message));
        Assert.Equal(plain1.SelectedResult.LogLikelihood, con1.SelectedResult.LogLikelihood, 1e-10);
        Assert.Equal(plain1.SelectedResult.FreeParameters, con1.SelectedResult.FreeParameters);

        // at the constant fit's parameters, an intercept-only concomitant model with gamma_k = log(pi_k / pi_1) has the same log L
        var plain = GaussianMixture.Estimate([2], data, Tight).Match(e => e, e => throw new InvalidOperationException(e.Message));
        var (theta, pi) = (plain.Model.Components, plain.Model.Weights);
        var ones = new ConcomitantWeights(Matrix<double>.Build.Dense(X.RowCount, 1, 1.0), ["(Intercept)"]);
        var asGamma = MixingWeights.WithCoefficients(pi.Pi, [.. pi.Pi.Select(p => Math.Log(p / pi.Pi[0]))], 1);
        var llPlain = GaussianMixture.EStepResolved(theta, pi, data).LogLikelihood;
        var llOnes = GaussianMixture.EStepResolved(theta, asGamma, data, ones).LogLikelihood;
        Assert.Equal(llPlain, llOnes, Math.Abs(llPlain) * 1e-10);
        // its M-step gives the column means of W, the constant weights' M-step
        var W = plain.Responsibilities;
        var fitted = ones.Fit(W.ToColumnMajorArray(), W.RowCount, 2).Match(m => m, e => throw new InvalidOperationException(e.Message));
        var means = MixingWeights.FromColumnMeans(W);
        for (var k = 0; k < 2; k++) Assert.Equal(means.Pi[k], fitted.Pi[k], 1e-10);
        // and the fit with it reaches the constant fit's optimum
        var con = GaussianMixture.Estimate([2], data, Tight, ones).Match(e => e, e => throw new InvalidOperationException(e.Message));
        Assert.Equal(plain.SelectedResult.LogLikelihood, con.SelectedResult.LogLikelihood, Math.Abs(llPlain) * 1e-9);
        Assert.Equal(plain.SelectedResult.FreeParameters, con.SelectedResult.FreeParameters);
    }

    [Fact]
    public void The_conditional_information_of_gamma_is_minus_the_numerical_Hessian_of_log_L_in_gamma_at_fixed_components()
    {
        var (X, z, b, _) = Simulate(600, 9);
        var data = Data(X);
        var model = ConcomitantWeights.WithIntercept(Matrix<double>.Build.DenseOfColumnArrays(z, b), ["z", "bin"]);
        var est = GaussianMixture.Estimate([2], data, Tight, model).Match(e => e, e => throw new InvalidOperationException(e.Message));
        var theta = est.Model.Components;
        var w = est.Model.Weights;
        var q = model.Q;
        double LogL(double[] g)
        {
            var gamma = new double[2 * q];
            g.CopyTo(gamma, q);
            return GaussianMixture.EStepResolved(theta, MixingWeights.WithCoefficients(w.Pi, gamma, q), data, model).LogLikelihood;
        }
        var g0 = Enumerable.Range(0, q).Select(j => w.Gamma(1, j)).ToArray();
        const double h = 1e-4;
        var W = est.Responsibilities;
        var info = ConcomitantInference.ConditionalInformation(model, w, W.ToColumnMajorArray(), W.RowCount, 2);
        for (var a = 0; a < q; a++)
        for (var c = 0; c < q; c++)
        {
            double At(double da, double dc) { var g = (double[])g0.Clone(); g[a] += da; g[c] += dc; return LogL(g); }
            var hess = (At(h, h) - At(h, -h) - At(-h, h) + At(-h, -h)) / (4 * h * h);
            Assert.Equal(-hess, info[a, c], Math.Max(1e-3, 1e-4 * Math.Abs(info[a, c])));
        }
        var se = est.ConditionalGamma().Match(g => g, e => throw new InvalidOperationException(e.Message));
        var cov = info.Inverse();
        for (var j = 0; j < q; j++) Assert.Equal(Math.Sqrt(cov[j, j]), se[0][j].StdError, 1e-9);
    }

    [Fact]
    public void Cluster_with_numeric_and_text_concomitants_writes_gamma_means_and_predict_reproduces_the_assignments()
    {
        using var dir = new TempFolder();
        var file = Write(dir, 600, 11);
        var r = MixturesCli.Run(dir.Path, "cluster", file, "--columns", "a,b", "--k", "1..3", "--concomitant", "z,tier", "--out", "m.json", "--assignments", "a.csv");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Concomitant model", r.Stdout);
        Assert.Contains("full observed information", r.Stdout);
        Assert.Contains("tier = gold", r.Stdout);
        var root = JsonDocument.Parse(File.ReadAllText(dir.File("m.json"))).RootElement;
        Assert.Equal(2, root.GetProperty("K").GetInt32());
        var con = root.GetProperty("concomitant");
        Assert.Equal(["(Intercept)", "z", "tiergold", "tiersilver"], con.GetProperty("terms").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(["z", "tier"], con.GetProperty("columns").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains("full observed information", con.GetProperty("standardErrors").GetString());
        // k = full covariances 2 x 3 + means 2 x 2 + (K - 1) q = 4
        Assert.Equal(6 + 4 + 4, root.GetProperty("freeParameters").GetInt32());
        Assert.Contains("(K - 1) q concomitant coefficients", root.GetProperty("criterion").GetString());
        var gamma = con.GetProperty("gamma")[1].EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var se = con.GetProperty("coefficients")[0].EnumerateArray().Select(c => c.GetProperty("se").GetDouble()).ToArray();
        Assert.InRange(Math.Abs(gamma[1] - 1.5), 0, 5 * se[1] + 0.2);   // the slope of z (full observed-information SEs)
        var profile = root.GetProperty("profiles")[0].GetProperty("concomitantMeans");
        Assert.Equal(4, profile.GetArrayLength());   // z, and three levels of tier
        Assert.Equal("gold", profile[2].GetProperty("level").GetString());
        var shares = Enumerable.Range(1, 3).Sum(j => profile[j].GetProperty("mean").GetDouble());
        Assert.Equal(1.0, shares, 1e-12);

        var p = MixturesCli.Run(dir.Path, "predict", "--model", "m.json", file, "--out", "p.csv");
        Assert.True(p.ExitCode == 0, p.Stderr);
        Assert.Equal(File.ReadAllText(dir.File("a.csv")), File.ReadAllText(dir.File("p.csv")));
    }

    [Fact]
    public void A_concomitant_that_is_also_a_clustered_column_is_allowed_and_drop_missing_drops_rows_missing_a_concomitant()
    {
        using var dir = new TempFolder();
        var file = Write(dir, 300, 13, (i, line) => i == 4 ? string.Join(",", line.Split(',').Select((c, j) => j == 2 ? "" : c)) : line);
        var bad = MixturesCli.Run(dir.Path, "cluster", file, "--columns", "a,b", "--k", "2", "--concomitant", "z", "--out", "m.json");
        Assert.Equal(65, bad.ExitCode);
        var line = Assert.Single(bad.ErrorLines);
        Assert.Contains("row 6", line);
        Assert.Contains("z", line);
        Assert.False(File.Exists(dir.File("m.json")));

        // z clustered and concomitant at once (a clustered column that separates the clusters would make the logit separate)
        var ok = MixturesCli.Run(dir.Path, "cluster", file, "--columns", "a,b,z", "--k", "2", "--concomitant", "z,tier", "--drop-missing", "--out", "m.json");
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        var root = JsonDocument.Parse(File.ReadAllText(dir.File("m.json"))).RootElement;
        Assert.Equal(299, root.GetProperty("data").GetProperty("rows").GetInt32());
        Assert.Equal(1, root.GetProperty("data").GetProperty("droppedRows").GetInt32());
        Assert.Equal(["a", "b", "z"], root.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["(Intercept)", "z", "tiergold", "tiersilver"], root.GetProperty("concomitant").GetProperty("terms").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public void Missing_concomitant_columns_and_unseen_levels_are_one_line_errors_and_nothing_is_written()
    {
        using var dir = new TempFolder();
        var file = Write(dir, 300, 17);
        var missing = MixturesCli.Run(dir.Path, "cluster", file, "--columns", "a,b", "--k", "2", "--concomitant", "region", "--out", "m.json");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("region", Assert.Single(missing.ErrorLines));
        Assert.False(File.Exists(dir.File("m.json")));

        Assert.Equal(0, MixturesCli.Run(dir.Path, "cluster", file, "--columns", "a,b", "--k", "2", "--concomitant", "tier", "--out", "m.json", "--quiet").ExitCode);
        File.WriteAllText(dir.File("new.csv"), "a,b\n1,2\n");
        var noColumn = MixturesCli.Run(dir.Path, "predict", "--model", "m.json", dir.File("new.csv"), "--out", "p.csv");
        Assert.NotEqual(0, noColumn.ExitCode);
        Assert.Contains("tier", Assert.Single(noColumn.ErrorLines));
        File.WriteAllText(dir.File("new.csv"), "a,b,tier\n1,2,gold\n0,1,platinum\n");
        var level = MixturesCli.Run(dir.Path, "predict", "--model", "m.json", dir.File("new.csv"), "--out", "p.csv");
        Assert.Equal(65, level.ExitCode);
        var line = Assert.Single(level.ErrorLines);
        Assert.Contains("row 3, column tier", line);
        Assert.Contains("platinum", line);
        Assert.False(File.Exists(dir.File("p.csv")));
    }

    [Fact]
    public void Without_concomitants_the_model_file_has_no_concomitant_fields()
    {
        using var dir = new TempFolder();
        var file = Write(dir, 200, 19);
        Assert.Equal(0, MixturesCli.Run(dir.Path, "cluster", file, "--columns", "a,b", "--k", "2", "--out", "m.json", "--quiet").ExitCode);
        var text = File.ReadAllText(dir.File("m.json"));
        Assert.DoesNotContain("concomitant", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("K - 1 weights", text);
    }
}
