using System.Globalization;
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;

namespace Mixtures.Tests.Gaussian;

/// <summary>
/// Against tests/reference/gaussian_sklearn.json, produced offline by gaussian_sklearn.py with
/// scikit-learn's GaussianMixture (n_init = 20, tol = 1e-10) on tests/reference/gaussian_data.csv.
/// </summary>
public class SklearnReferenceTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "reference");

    private static Matrix<double> Data()
    {
        var lines = File.ReadAllLines(Path.Combine(Folder, "gaussian_data.csv")).Skip(1).Where(l => l.Length > 0).ToArray();
        return Matrix<double>.Build.DenseOfRowArrays(lines.Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()));
    }

    public static TheoryData<string, int, double, int, double, double> Cases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "gaussian_sklearn.json")));
        var data = new TheoryData<string, int, double, int, double, double>();
        foreach (var r in doc.RootElement.GetProperty("results").EnumerateArray())
            data.Add(r.GetProperty("covariance").GetString()!, r.GetProperty("K").GetInt32(), r.GetProperty("logLikelihood").GetDouble(),
                r.GetProperty("freeParameters").GetInt32(), r.GetProperty("bic").GetDouble(), r.GetProperty("aic").GetDouble());
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Best_log_likelihood_is_at_least_sklearns_and_criteria_use_the_same_parameter_count(
        string covariance, int K, double skLogL, int skParameters, double skBic, double skAic)
    {
        var X = Data();
        var n = X.RowCount;
        var type = CovarianceTypes.Parse(covariance)!.Value;
        var settings = new GaussianSettings(type, Starts: 10, Seed: 1, Tolerance: 1e-10, MaxIterations: 5000, AllowDegenerate: true);
        var est = GaussianMixture.Estimate([K], X, settings).Value();
        var result = est.Path.Single();
        Assert.True(result.LogLikelihood >= skLogL - 1e-6 * n, $"{covariance} K = {K}: ours {result.LogLikelihood}, scikit-learn {skLogL}");
        Assert.Equal(skParameters, result.Estimate!.FreeParameters);
        Assert.Equal(skParameters, type.FreeParameters(K, 3));
        // same convention: evaluated at scikit-learn's log-likelihood, our criteria reproduce its numbers
        Assert.Equal(skBic, Selection.Bic(skLogL, skParameters, n), 1e-8);
        Assert.Equal(skAic, Selection.Aic(skLogL, skParameters), 1e-8);
    }
}
