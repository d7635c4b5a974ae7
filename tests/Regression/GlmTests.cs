using System.Text.Json;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;

namespace Mixtures.Tests.Regression;

/// <summary>The GLM family's pieces: exact log-densities (against MathNet's PMFs), the IRLS M-step at K = 1 (against closed
/// forms and R's glm(), tests/reference/glm/glm_single.R), the data checks, and the analytic information against a
/// numerical Hessian of our own log L.</summary>
public class GlmTests
{
    internal static string Reference(string name) => Path.Combine(AppContext.BaseDirectory, "reference", "glm", name);

    private static readonly Lazy<JsonElement> Single = new(() => JsonDocument.Parse(File.ReadAllText(Reference("glm_single.json"))).RootElement);

    /// <summary>Named numeric columns of a reference CSV.</summary>
    internal static Dictionary<string, double[]> Csv(string name, params string[] columns)
    {
        var t = DataTableCsv.Read(Reference(name), new TableRequest(columns)).Value();
        return columns.ToDictionary(c => c, t.Column);
    }

    internal static Matrix<double> Design(params double[][] covariates) =>
        Matrix<double>.Build.Dense(covariates[0].Length, covariates.Length + 1, (i, j) => j == 0 ? 1.0 : covariates[j - 1][i]);

    /// <summary>The intercept-only design of n rows.</summary>
    internal static Matrix<double> Ones(int n) => Matrix<double>.Build.Dense(n, 1, 1.0);

    private static double[] Vector(JsonElement e) => e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(v => v.GetDouble()).ToArray() : [e.GetDouble()];

    [Theory]
    [InlineData(0.0, -3.0)]
    [InlineData(0.0, 2.5)]
    [InlineData(1.0, 0.0)]
    [InlineData(7.0, 1.9)]
    [InlineData(250.0, 5.5)]
    [InlineData(3.0, -20.0)]
    public void Poisson_log_density_is_MathNets_log_PMF(double y, double eta)
    {
        var ours = GlmFamily.RowLogDensity(GlmResponse.Poisson, y, 0, eta);
        var theirs = Poisson.PMFLn(Math.Exp(eta), (int)y);
        Assert.Equal(theirs, ours, 1e-12 * Math.Max(1, Math.Abs(theirs)));
    }

    [Theory]
    [InlineData(0.0, 1.0, -2.0)]
    [InlineData(1.0, 1.0, 0.7)]
    [InlineData(3.0, 10.0, 0.2)]
    [InlineData(10.0, 10.0, 3.0)]
    [InlineData(0.0, 20.0, -4.0)]
    [InlineData(17.0, 40.0, 3.0)]
    [InlineData(2.0, 40.0, -30.0)]
    public void Binomial_log_density_is_MathNets_log_PMF(double y, double n, double eta)
    {
        var ours = GlmFamily.RowLogDensity(GlmResponse.Binomial, y, n, eta);
        var p = 1.0 / (1.0 + Math.Exp(-eta));
        var theirs = Binomial.PMFLn(p, (int)n, (int)y);
        Assert.Equal(theirs, ours, 1e-10 * Math.Max(1, Math.Abs(theirs)));
    }

    [Fact]
    public void Binomial_log_density_far_in_the_tails_is_finite_and_exact()
    {
        // p = 1 / (1 + e^40): log p = -40 - log1p(e^-40), which 1 - p or log(p) from p would lose
        Assert.Equal(-40.0 - Math.Exp(-40.0), GlmFamily.RowLogDensity(GlmResponse.Binomial, 1, 1, -40), 1e-14);
        Assert.Equal(-Math.Exp(-40.0), GlmFamily.RowLogDensity(GlmResponse.Binomial, 1, 1, 40), 1e-30);
        Assert.Equal(-800.0, GlmFamily.RowLogDensity(GlmResponse.Binomial, 0, 1, 800), 1e-12);
    }

    [Fact]
    public void LogL_adds_the_log_factorials_so_it_is_the_exact_mixture_density()
    {
        var y = new double[] { 0, 3, 12, 1, 5 };
        var x = new double[] { -1, 0.5, 2, 0.1, 1.2 };
        var data = GlmData.Of(GlmResponse.Poisson, y, Design(x)).Value();
        var theta = GlmComponents.Of([0.2, 0.9], [1.5, -0.3]);
        var pi = MixingWeights.Of([0.3, 0.7]);
        var expected = 0.0;
        for (var i = 0; i < y.Length; i++)
            expected += Math.Log(0.3 * Poisson.PMF(Math.Exp(0.2 + 0.9 * x[i]), (int)y[i]) + 0.7 * Poisson.PMF(Math.Exp(1.5 - 0.3 * x[i]), (int)y[i]));
        Assert.Equal(expected, GlmRegression.LogL(theta, pi, data), 1e-12);
    }

    [Fact]
    public void Grouped_log_density_is_the_sum_over_the_rows_of_the_group()
    {
        var y = new double[] { 0, 3, 12, 1, 5, 2 };
        var x = new double[] { -1, 0.5, 2, 0.1, 1.2, 0.3 };
        var g = new[] { 7, 7, 9, 9, 9, 4 };
        var data = GlmData.Of(GlmResponse.Poisson, y, Design(x), group: g).Value();
        var theta = GlmComponents.Of([0.2, 0.9], [1.5, -0.3]);
        var L = GlmRegression.Family.LogDensityMatrix(data, theta);
        Assert.Equal(3, L.RowCount);
        for (var c = 0; c < 2; c++)
        {
            double Row(int i) => Poisson.PMFLn(Math.Exp(theta.Classes[c].Beta[0] + theta.Classes[c].Beta[1] * x[i]), (int)y[i]);
            Assert.Equal(Row(0) + Row(1), L[0, c], 1e-12);
            Assert.Equal(Row(2) + Row(3) + Row(4), L[1, c], 1e-12);
            Assert.Equal(Row(5), L[2, c], 1e-12);
        }
    }

    [Fact]
    public void Intercept_only_Poisson_M_step_is_the_log_of_the_weighted_mean()
    {
        var y = new double[] { 0, 3, 12, 1, 5, 2, 0, 7 };
        var w = new double[] { 0.1, 0.9, 0.5, 0.5, 1.0, 0.3, 0.0, 0.8 };
        var data = GlmData.Of(GlmResponse.Poisson, y, Ones(y.Length)).Value();
        var fit = GlmRegression.Family.Fit(data, w, 1).Value();
        var mean = y.Zip(w, (a, b) => a * b).Sum() / w.Sum();
        Assert.Equal(Math.Log(mean), fit.Classes[0].Beta[0], 1e-12);
    }

    [Fact]
    public void Intercept_only_Poisson_with_an_offset_is_log_sum_y_over_sum_exposure()
    {
        var y = new double[] { 0, 3, 12, 1, 5 };
        var t = new double[] { 1.5, 2, 10, 0.5, 4 };
        var data = GlmData.Of(GlmResponse.Poisson, y, Ones(y.Length), offset: t.Select(v => Math.Log(v)).ToArray()).Value();
        var fit = GlmRegression.Family.Fit(data, Enumerable.Repeat(1.0, 5).ToArray(), 1).Value();
        Assert.Equal(Math.Log(y.Sum() / t.Sum()), fit.Classes[0].Beta[0], 1e-12);
    }

    [Fact]
    public void Intercept_only_binomial_M_step_is_the_logit_of_the_pooled_proportion()
    {
        var y = new double[] { 0, 3, 10, 1, 5 };
        var n = new double[] { 4, 8, 10, 2, 9 };
        var w = new double[] { 0.2, 0.9, 0.5, 1.0, 0.3 };
        var data = GlmData.Of(GlmResponse.Binomial, y, Ones(y.Length), trials: n).Value();
        var fit = GlmRegression.Family.Fit(data, w, 1).Value();
        var prop = y.Zip(w, (a, b) => a * b).Sum() / n.Zip(w, (a, b) => a * b).Sum();
        Assert.Equal(Math.Log(prop / (1 - prop)), fit.Classes[0].Beta[0], 1e-12);
    }

    public static TheoryData<string> GlmCases => new() { "patent_poisson", "patent_poisson_offset", "patent_poisson_intercept", "simulated_poisson",
        "tribolium_binomial_intercept", "simulated_binomial_trials", "simulated_binomial_01" };

    /// <summary>The case's data as R's glm() saw it.</summary>
    internal static GlmData CaseData(string name)
    {
        switch (name)
        {
            case "patent_poisson" or "patent_poisson_offset" or "patent_poisson_intercept":
            {
                var d = Csv("patent.csv", "Patents", "lgRD", "RDS");
                var X = name == "patent_poisson_intercept" ? Ones(d["Patents"].Length) : Design(d["lgRD"]);
                return GlmData.Of(GlmResponse.Poisson, d["Patents"], X, name == "patent_poisson_offset" ? d["RDS"].Select(v => Math.Log(v)).ToArray() : null).Value();
            }
            case "simulated_poisson":
            {
                var d = Csv("simulated_poisson.csv", "y", "x");
                return GlmData.Of(GlmResponse.Poisson, d["y"], Design(d["x"])).Value();
            }
            case "tribolium_binomial_intercept":
            {
                var d = Csv("tribolium.csv", "Remaining", "Total");
                return GlmData.Of(GlmResponse.Binomial, d["Remaining"], Ones(d["Total"].Length), trials: d["Total"]).Value();
            }
            case "simulated_binomial_trials":
            {
                var d = Csv("simulated_binomial_trials.csv", "successes", "trials", "x");
                return GlmData.Of(GlmResponse.Binomial, d["successes"], Design(d["x"]), trials: d["trials"]).Value();
            }
            default:
            {
                var d = Csv("simulated_binomial_trials.csv", "successes", "trials", "x");
                var y01 = d["successes"].Zip(d["trials"], (s, t) => 2 * s > t ? 1.0 : 0.0).ToArray();
                return GlmData.Of(GlmResponse.Binomial, y01, Design(d["x"])).Value();
            }
        }
    }

    [Theory]
    [MemberData(nameof(GlmCases))]
    public void One_class_fit_is_Rs_glm_coefficients_log_likelihood_and_standard_errors(string name)
    {
        var r = Single.Value.GetProperty(name);
        var data = CaseData(name);
        var est = GlmRegression.Estimate(1, data, GlmSettings.Default).Value();
        var beta = est.Best.Mixture.Components.Classes[0].Beta;
        var expected = Vector(r.GetProperty("coefficients"));
        for (var j = 0; j < expected.Length; j++) Assert.Equal(expected[j], beta[j], 1e-8 * Math.Max(1, Math.Abs(expected[j])));
        Assert.Equal(r.GetProperty("loglik").GetDouble(), est.LogLikelihood, 1e-9 * Math.Abs(est.LogLikelihood));
        var se = GlmRegression.StandardErrors(est.Best.Mixture.Components, est.Best.Mixture.Weights, data).Value();
        var rse = Vector(r.GetProperty("se"));
        for (var j = 0; j < rse.Length; j++) Assert.Equal(rse[j], se.Beta[0][j].StdError, 1e-4 * rse[j]);   // glm evaluates its information one IRLS step behind
        Assert.Empty(se.Sigma);
        Assert.Equal(data.P, est.FreeParameters);
    }

    [Theory]
    [InlineData("simulated_poisson", 2)]
    [InlineData("patent_poisson", 3)]
    [InlineData("simulated_binomial_trials", 2)]
    [InlineData("tribolium_binomial_intercept", 2)]
    public void Information_matches_a_numerical_Hessian_of_our_own_log_L(string name, int K)
    {
        var data = CaseData(name);
        var est = GlmRegression.Estimate(K, data, GlmSettings.Default with { MinPrior = 0 }).Value();
        var m = est.Best.Mixture;
        var (g, I, ll) = GlmRegression.Family.Derivatives(data, m);
        Assert.Equal(est.LogLikelihood, ll, 1e-9 * Math.Abs(ll));
        Assert.True(g.Max(Math.Abs) < 1e-3, $"gradient at the optimum {g.Max(Math.Abs)}");
        double LogL(double[] psi) => GlmRegression.Family.Step(data, m, psi).Match(x => GlmRegression.LogL(x.Components, x.Weights, data), _ => double.NaN);
        var D = g.Length;
        for (var a = 0; a < D; a++)
        for (var b = 0; b < D; b++)
        {
            const double h = 1e-4;
            double F(double da, double db) { var psi = new double[D]; psi[a] += da; psi[b] += db; return LogL(psi); }
            var numeric = -(F(h, h) - F(h, -h) - F(-h, h) + F(-h, -h)) / (4 * h * h);
            Assert.Equal(numeric, I[a, b], 1e-4 * Math.Max(1, Math.Abs(I[a, a])));
        }
    }

    [Theory]
    [InlineData(-1.0, null, "negative")]
    [InlineData(2.5, null, "whole number")]
    public void Poisson_responses_must_be_counts(double y, double? _, string why)
    {
        var r = GlmData.Of(GlmResponse.Poisson, [1, y, 3], Design([0.0, 1.0, 2.0]));
        Assert.True(r.IsFail);
        r.IfFail(e => { Assert.Contains("row 2, column y", e.Message); Assert.Contains(why, e.Message); });
    }

    [Theory]
    [InlineData(4.0, 3.0, "column y")]
    [InlineData(1.5, 3.0, "column y")]
    [InlineData(1.0, 0.0, "column trials")]
    [InlineData(1.0, 2.5, "column trials")]
    public void Binomial_successes_must_lie_in_0_to_trials(double y, double n, string column)
    {
        var r = GlmData.Of(GlmResponse.Binomial, [1, y, 0], Design([0.0, 1.0, 2.0]), trials: [2, n, 4]);
        Assert.True(r.IsFail);
        r.IfFail(e => Assert.Contains($"row 2, {column}", e.Message));
        Assert.True(GlmData.Of(GlmResponse.Binomial, [1, 2, 0], Design([0.0, 1.0, 2.0])).IsFail);   // 0/1 without trials
    }

    [Fact]
    public void A_separated_binomial_class_fails_as_a_value_naming_separation()
    {
        // y = 1 exactly when x > 0: the logistic MLE does not exist
        var x = Enumerable.Range(0, 40).Select(i => i - 19.5).ToArray();
        var y = x.Select(v => v > 0 ? 1.0 : 0.0).ToArray();
        var data = GlmData.Of(GlmResponse.Binomial, y, Design(x)).Value();
        var r = GlmRegression.Family.Fit(data, Enumerable.Repeat(1.0, 40).ToArray(), 1);
        Assert.True(r.IsFail);
        r.IfFail(e => Assert.Contains("separation", e.Message));
    }

    [Fact]
    public void A_class_with_only_zero_counts_fails_as_a_value()
    {
        var data = GlmData.Of(GlmResponse.Poisson, [0, 0, 0, 0, 5, 6], Ones(6)).Value();
        var r = GlmRegression.Family.Fit(data, [1, 1, 1, 1, 0, 0], 1);
        Assert.True(r.IsFail);
    }

    [Fact]
    public void Free_parameters_count_no_variance()
    {
        var data = CaseData("simulated_poisson");
        var path = GlmRegression.Estimate([1, 2], data, GlmSettings.Default).Value();
        Assert.Equal([2, 5], path.Fits.Select(f => f.FreeParameters).ToArray());
        var two = path.Fits[1].Estimate!;
        Assert.Equal(-2 * two.LogLikelihood + 5 * Math.Log(1000), two.Bic, 1e-9);
    }
}
