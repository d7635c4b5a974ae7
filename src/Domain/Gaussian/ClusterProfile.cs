using System.Collections.Immutable;
using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra;

namespace Mixtures.Domain.Gaussian;

/// <summary>One cluster of a hard assignment, in the original units of the data.</summary>
/// <param name="Cluster">1-based cluster number (the component's canonical position).</param>
/// <param name="Size">Rows whose most probable component is this one.</param>
/// <param name="Fraction">Size / n.</param>
/// <param name="Means">Mean of each column over the cluster's rows (NaN for an empty cluster).</param>
/// <param name="ShareOfTotal">Per column, the cluster's rows' sum over the column total (NaN when the total is 0).</param>
/// <param name="MeanConfidence">Mean of max_k W[i,k] over the cluster's rows (NaN when empty).</param>
/// <param name="Weight">With observation weights, the sum of the weights of the cluster's rows (and then <paramref name="Fraction"/>,
/// the means, the shares and the mean confidence are weighted by them); null without weights.</param>
public sealed record ClusterProfile(int Cluster, int Size, double Fraction, ImmutableArray<double> Means, ImmutableArray<double> ShareOfTotal, double MeanConfidence,
    double? Weight = null);

/// <summary>Summary of the assignment confidences c_i = max_k W[i,k].</summary>
/// <param name="Mean">Mean of c_i.</param>
/// <param name="Median">Median of c_i (mean of the two middle values for even n).</param>
/// <param name="Min">Smallest c_i.</param>
/// <param name="FractionAbove">Share of rows with c_i &gt; <paramref name="Threshold"/>.</param>
/// <param name="Threshold">The threshold, 0.8 by default.</param>
public sealed record ConfidenceSummary(double Mean, double Median, double Min, double FractionAbove, double Threshold);

/// <summary>Hard assignments, cluster profiles and confidence from responsibilities.</summary>
public static class Profiles
{
    /// <summary>The default confidence threshold of <see cref="ConfidenceSummary.FractionAbove"/>.</summary>
    public const double DefaultThreshold = 0.8;

    /// <summary>label_i = argmax_k W[i,k] (0-based; lowest k on ties) and c_i = max_k W[i,k].</summary>
    /// <remarks>scikit-learn's <c>predict</c> (argmax of <c>predict_proba</c>); mclust's <c>map()</c>.</remarks>
    public static (ImmutableArray<int> Labels, ImmutableArray<double> Confidence) Assign(Matrix<double> W) =>
        Assign(W.AsColumnMajorArray() ?? W.ToColumnMajorArray(), W.RowCount, W.ColumnCount);

    /// <summary><see cref="Assign(Matrix{double})"/> on the first n K entries of a column-major buffer (W[i,k] at k n + i).</summary>
    public static (ImmutableArray<int> Labels, ImmutableArray<double> Confidence) Assign(double[] a, int n, int K)
    {
        var labels = new int[n];
        var conf = new double[n];
        for (var i = 0; i < n; i++)
        {
            var best = 0;
            for (var k = 1; k < K; k++) if (a[k * n + i] > a[best * n + i]) best = k;
            labels[i] = best;
            conf[i] = a[best * n + i];
        }
        // the arrays are new and not kept here: handed over without a copy
        return (ImmutableCollectionsMarshal.AsImmutableArray(labels), ImmutableCollectionsMarshal.AsImmutableArray(conf));
    }

    /// <summary>Per cluster: size, mean of every column of <paramref name="X"/> (original units) over its
    /// rows, its share of every column total, and its mean confidence.</summary>
    public static ImmutableArray<ClusterProfile> Of(Matrix<double> X, IReadOnlyList<int> labels, IReadOnlyList<double> confidence, int K) =>
        Of(X, labels, confidence, K, null);

    /// <summary>The profiles with observation weights w_i (null: none): the cluster's weight sum_i w_i over its rows, its
    /// fraction of the total weight, weighted means, shares of the weighted column totals and weighted mean confidence
    /// (for whole-number weights the profiles of the replicated rows).</summary>
    public static ImmutableArray<ClusterProfile> Of(Matrix<double> X, IReadOnlyList<int> labels, IReadOnlyList<double> confidence, int K,
        Model.ObservationWeights? weights)
    {
        if (weights is null) return Unweighted(X, labels, confidence, K);
        var n = X.RowCount;
        var d = X.ColumnCount;
        var size = new int[K];
        var wk = new double[K];
        var sums = new double[K, d];
        var conf = new double[K];
        var totals = new double[d];
        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            var k = labels[i];
            var w = weights[i];
            size[k]++;
            wk[k] += w;
            total += w;
            conf[k] += w * confidence[i];
            for (var j = 0; j < d; j++) { sums[k, j] += w * X[i, j]; totals[j] += w * X[i, j]; }
        }
        return Enumerable.Range(0, K).Select(k => new ClusterProfile(
            k + 1, size[k], wk[k] / total,
            Enumerable.Range(0, d).Select(j => wk[k] > 0 ? sums[k, j] / wk[k] : double.NaN).ToImmutableArray(),
            Enumerable.Range(0, d).Select(j => totals[j] != 0 ? sums[k, j] / totals[j] : double.NaN).ToImmutableArray(),
            wk[k] > 0 ? conf[k] / wk[k] : double.NaN, wk[k])).ToImmutableArray();
    }

    private static ImmutableArray<ClusterProfile> Unweighted(Matrix<double> X, IReadOnlyList<int> labels, IReadOnlyList<double> confidence, int K)
    {
        var n = X.RowCount;
        var d = X.ColumnCount;
        var size = new int[K];
        var sums = new double[K, d];
        var conf = new double[K];
        var totals = new double[d];
        for (var i = 0; i < n; i++)
        {
            var k = labels[i];
            size[k]++;
            conf[k] += confidence[i];
            for (var j = 0; j < d; j++) { sums[k, j] += X[i, j]; totals[j] += X[i, j]; }
        }
        return Enumerable.Range(0, K).Select(k => new ClusterProfile(
            k + 1, size[k], (double)size[k] / n,
            Enumerable.Range(0, d).Select(j => size[k] > 0 ? sums[k, j] / size[k] : double.NaN).ToImmutableArray(),
            Enumerable.Range(0, d).Select(j => totals[j] != 0 ? sums[k, j] / totals[j] : double.NaN).ToImmutableArray(),
            size[k] > 0 ? conf[k] / size[k] : double.NaN)).ToImmutableArray();
    }

    /// <summary>Mean, median, minimum of the confidences and the share above the threshold.</summary>
    public static ConfidenceSummary Summarize(IReadOnlyList<double> confidence, double threshold = DefaultThreshold)
    {
        var sorted = confidence.ToArray();
        System.Array.Sort(sorted);
        var n = sorted.Length;
        if (n == 0) return new ConfidenceSummary(double.NaN, double.NaN, double.NaN, double.NaN, threshold);
        var median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new ConfidenceSummary(sorted.Average(), median, sorted[0], sorted.Count(c => c > threshold) / (double)n, threshold);
    }
}
