using Mixtures.Domain.Simulate;

namespace Mixtures.Shell.Output;

/// <summary>The truth saved beside a simulated sales file.</summary>
public sealed record SalesTruthJson(string Model, ulong Seed, int Stores, int Weeks, int K, double[][] Theta, double[] Pi,
    double PriceLow, double PriceHigh, int[] SegmentOfStore, string? Student = null)
{
    public static SalesTruthJson From(SalesSample s, string? student = null) => new(
        "log S_it = alpha[c] + beta[c] log p_t + e_it, e_it ~ N(0,1)", s.Seed, s.Stores, s.Weeks, s.Truth.K,
        s.Truth.Theta.Segments.Select(x => new[] { x.Alpha, x.Beta }).ToArray(), s.Truth.Pi.Pi.ToArray(),
        s.Truth.PriceLow, s.Truth.PriceHigh, s.Segments.Select(c => c + 1).ToArray(), student);

    /// <summary>"data.csv" -> "data.truth.json".</summary>
    public static string PathFor(string csvPath) =>
        Path.Combine(Path.GetDirectoryName(csvPath) ?? "", Path.GetFileNameWithoutExtension(csvPath) + ".truth.json");
}
