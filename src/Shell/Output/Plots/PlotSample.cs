using System.Globalization;
using Mixtures.Domain.Random;

namespace Mixtures.Shell.Output.Plots;

/// <summary>
/// Keeps every plot small whatever the size of the data: a scatter plot draws at most <see cref="MaxMarkers"/>
/// points (an SVG marker is about 100 bytes, so a plot stays near 0.5 MB). Above that it draws a fixed
/// pseudo-random subset of the points, chosen from the point indices alone: the same data give the same
/// subset and byte-identical files, on any machine and with any number of threads.
/// </summary>
public static class PlotSample
{
    /// <summary>The most points a scatter plot draws.</summary>
    public const int MaxMarkers = 5000;

    /// <summary>Salt of the subset's hash (any constant; changing it changes every sampled plot).</summary>
    private const ulong Salt = 0x706C6F7473UL; // "plots"

    /// <summary>
    /// The indices drawn out of <paramref name="n"/> points, ascending: all of them when n &lt;= max, else
    /// the max indices i with the smallest SplitMix64 hash of (salt, i) (a uniform sample without
    /// replacement that, unlike every m-th point, cannot line up with a periodic order of the rows).
    /// </summary>
    public static int[] Indices(int n, int max = MaxMarkers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var all = Enumerable.Range(0, n).ToArray();
        if (n <= max) return all;
        var keys = new ulong[n];
        for (var i = 0; i < n; i++) keys[i] = Seeds.Mix(Salt ^ (ulong)i);
        Array.Sort(keys, all);
        var chosen = all[..max];
        Array.Sort(chosen);
        return chosen;
    }

    /// <summary>Evenly spaced indices out of <paramref name="n"/> ordered points (a curve), the first and the last
    /// always among them: all of them when n &lt;= max.</summary>
    public static int[] Spaced(int n, int max = MaxMarkers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 2);
        if (n <= max) return Enumerable.Range(0, n).ToArray();
        return Enumerable.Range(0, max).Select(i => (int)((long)i * (n - 1) / (max - 1))).ToArray();
    }

    /// <summary>"5,000 of 100,000 stores shown".</summary>
    public static string Shown(int shown, int total, string unit) => $"{Count(shown)} of {Count(total)} {unit} shown";

    /// <summary>A count with thousands separators (10,000).</summary>
    public static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The sentence a caption gets when the points were sampled.</summary>
    public static string Caption(int shown, int total, string unit) =>
        $" Only {Count(shown)} of the {Count(total)} {unit} are drawn (a fixed pseudo-random subset, the same for the same data) so that the files stay small; the legend counts all of them.";
}
