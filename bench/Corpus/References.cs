using System.Text.Json;
using Mixtures.Domain.Gaussian;

namespace Mixtures.Bench.Corpus;

/// <summary>A regression reference solution: classes by ascending intercept.</summary>
public sealed record RegressionSolution(double LogLik, double[] Pi, double[][] Beta, double[] Sigma);

/// <summary>A Gaussian reference solution: weights, K x d means and the covariances as the tool gave them.</summary>
public sealed record GaussianSolution(double LogLik, double[] Weights, double[][] Means, JsonElement Covariances, bool FullMatrices);

/// <summary>The R and Python reference fits committed under bench/corpus/reference (missing files give no references).</summary>
public sealed class ReferenceSet
{
    private readonly List<(string Dataset, string? Group, int K, string Tool, RegressionSolution Sol)> regression = new();
    private readonly List<(string Dataset, bool Std, string Cov, int K, string Tool, GaussianSolution Sol)> gaussian = new();

    public static ReferenceSet Load(string folder)
    {
        var set = new ReferenceSet();
        var reg = Path.Combine(folder, "regression.json");
        if (File.Exists(reg))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(reg));
            foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
            {
                var group = c.TryGetProperty("group", out var g) && g.ValueKind == JsonValueKind.String ? g.GetString() : null;
                foreach (var s in c.GetProperty("solutions").EnumerateArray())
                    set.regression.Add((c.GetProperty("dataset").GetString()!, group, c.GetProperty("K").GetInt32(), c.GetProperty("tool").GetString()!,
                        new RegressionSolution(s.GetProperty("logLik").GetDouble(), Doubles(s.GetProperty("pi")),
                            s.GetProperty("beta").EnumerateArray().Select(Doubles).ToArray(), Doubles(s.GetProperty("sigma")))));
            }
        }
        foreach (var (file, full) in new[] { ("gaussian_sklearn.json", false), ("gaussian_mclust.json", true) })
        {
            var path = Path.Combine(folder, file);
            if (!File.Exists(path)) continue;
            var doc = JsonDocument.Parse(File.ReadAllText(path));
            foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
            {
                var tool = c.GetProperty("tool").GetString()!;
                if (c.TryGetProperty("init", out var init) && init.ValueKind == JsonValueKind.String) tool += $" ({init.GetString()})";
                foreach (var s in c.GetProperty("solutions").EnumerateArray())
                {
                    var w = s.TryGetProperty("weights", out var ww) ? ww : s.GetProperty("pro");
                    var m = s.TryGetProperty("means", out var mm) ? mm : s.GetProperty("mean");
                    var cov = s.TryGetProperty("covariances", out var cc) ? cc : s.GetProperty("covariance");
                    set.gaussian.Add((c.GetProperty("dataset").GetString()!, c.GetProperty("standardized").GetBoolean(), c.GetProperty("covariance").GetString()!,
                        c.GetProperty("K").GetInt32(), tool,
                        new GaussianSolution(s.GetProperty("logLik").GetDouble(), Doubles(w), m.EnumerateArray().Select(Doubles).ToArray(), cov.Clone(), full)));
                }
            }
        }
        return set;
    }

    private static double[] Doubles(JsonElement e) => e.ValueKind == JsonValueKind.Array
        ? e.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().First().GetDouble() : v.GetDouble()).ToArray()
        : [e.GetDouble()];

    public IEnumerable<(string Tool, RegressionSolution Sol)> Regression(string dataset, string? group, int K) =>
        regression.Where(r => r.Dataset == dataset && r.Group == group && r.K == K && r.Sol.Beta.Length == K).Select(r => (r.Tool, r.Sol));

    public IEnumerable<(string Tool, GaussianSolution Sol)> Gaussian(string dataset, bool standardized, CovarianceType type, int K) =>
        gaussian.Where(r => r.Dataset == dataset && r.Std == standardized && r.K == K && r.Sol.Weights.Length == K
                            && (CovarianceTypes.Parse(r.Cov) == type)).Select(r => (r.Tool, r.Sol));
}

/// <summary>Reference covariances in our storage for a covariance type.</summary>
public static class GaussianReference
{
    private static double[] Flat(JsonElement e) => e.ValueKind == JsonValueKind.Array
        ? e.EnumerateArray().SelectMany(Flat).ToArray()
        : [e.GetDouble()];

    /// <summary>scikit-learn's shapes are ours (full K d d, tied d d, diag K d, spherical K); mclust's full K d d
    /// matrices are reduced to the type's parameters.</summary>
    public static double[] CovarianceIn(CovarianceType type, int K, int d, GaussianSolution s)
    {
        var f = Flat(s.Covariances);
        // the tools' matrices are symmetric up to rounding; ours must be exactly so
        if (type is CovarianceType.Full or CovarianceType.Tied || s.FullMatrices)
            for (var b = 0; b < f.Length / (d * d); b++)
            for (var r = 0; r < d; r++)
            for (var c = 0; c < r; c++)
            {
                var v = 0.5 * (f[b * d * d + r * d + c] + f[b * d * d + c * d + r]);
                f[b * d * d + r * d + c] = v;
                f[b * d * d + c * d + r] = v;
            }
        if (!s.FullMatrices) return f;
        return type switch
        {
            CovarianceType.Full => f,
            CovarianceType.Tied => f.Take(d * d).ToArray(),
            CovarianceType.Diag => Enumerable.Range(0, K).SelectMany(k => Enumerable.Range(0, d).Select(j => f[k * d * d + j * d + j])).ToArray(),
            CovarianceType.Spherical => Enumerable.Range(0, K).Select(k => Enumerable.Range(0, d).Average(j => f[k * d * d + j * d + j])).ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
    }
}
