using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;

namespace Mixtures.Domain.Multivariate;

/// <summary>The leading principal components of a data matrix.</summary>
/// <param name="Scores">n x q projections of the centred rows on the components.</param>
/// <param name="Loadings">d x q unit vectors (columns); the largest-magnitude entry of each is positive.</param>
/// <param name="Variance">Variance along each component, s_j^2 / (n - 1).</param>
/// <param name="ExplainedRatio">Each component's share of the total variance.</param>
/// <param name="Mean">Column means subtracted before projecting.</param>
/// <param name="Scale">Column divisors applied after centring (all 1 unless standardized).</param>
public sealed record PrincipalComponents(Matrix<double> Scores, Matrix<double> Loadings, ImmutableArray<double> Variance,
    ImmutableArray<double> ExplainedRatio, ImmutableArray<double> Mean, ImmutableArray<double> Scale)
{
    /// <summary>
    /// PCA by the singular value decomposition of the centred data: X - 1 mean' = U S V', loadings V[:, 1..q],
    /// scores (X - 1 mean') V[:, 1..q], variance s_j^2 / (n - 1); q = min(components, d, n). Each
    /// loading's sign is fixed so that its largest-magnitude entry is positive (a deterministic choice; any
    /// sign is a valid PCA). With <paramref name="standardize"/>, each centred column is first divided by its
    /// population standard deviation sqrt((1/n) sum (x - mean)^2) (a constant column by 1), i.e. PCA of the
    /// correlation matrix.
    /// </summary>
    /// <remarks>R: <c>prcomp(X)</c> (<c>$x</c>, <c>$rotation</c>, <c>$sdev^2</c>); scikit-learn:
    /// <c>PCA(n_components=q).fit(X)</c> (<c>transform</c>, <c>components_.T</c>, <c>explained_variance_</c>),
    /// which fixes signs by another rule.</remarks>
    public static PrincipalComponents Of(Matrix<double> X, int components = 2, bool standardize = false)
    {
        var n = X.RowCount;
        var d = X.ColumnCount;
        if (n < 1 || d < 1) throw new ArgumentException("PCA needs at least one row and one column");
        var mean = Enumerable.Range(0, d).Select(j => X.Column(j).Sum() / n).ToArray();
        var scale = Enumerable.Range(0, d).Select(j =>
        {
            if (!standardize) return 1.0;
            var sd = Math.Sqrt(X.Column(j).Sum(v => (v - mean[j]) * (v - mean[j])) / n);
            if (!double.IsFinite(sd) || sd < 1e-150)
            {
                // squares beyond the double range: the sum in units of the largest deviation (exact power of two)
                var e = Math.ILogB(X.Column(j).Select(v => Math.Abs(v - mean[j])).Max());
                if (e is int.MinValue or int.MaxValue) return 1.0;
                sd = Math.ScaleB(Math.Sqrt(X.Column(j).Sum(v => Math.ScaleB(v - mean[j], -e) * Math.ScaleB(v - mean[j], -e)) / n), e);
            }
            return sd > 0 ? sd : 1.0;
        }).ToArray();
        var Xc = Matrix<double>.Build.Dense(n, d, (i, j) => (X[i, j] - mean[j]) / scale[j]);
        var q = Math.Min(components, Math.Min(d, n));
        // The SVD squares its input (norms, rotations): data near the limits of the double range are
        // decomposed in units of a power of two (exact), the scores and variances mapped back.
        var largest = Xc.Enumerate().Select(Math.Abs).Max();
        var unit = largest > 0 && double.IsFinite(largest) && Math.Abs(Math.ILogB(largest)) > 256 ? Math.ILogB(largest) : 0;
        if (unit != 0) Xc = Xc.Map(v => Math.ScaleB(v, -unit));
        var svd = Xc.Svd(computeVectors: true);
        var V = svd.VT.Transpose().SubMatrix(0, d, 0, q);
        for (var c = 0; c < q; c++)
        {
            var col = V.Column(c);
            var big = col.AbsoluteMaximumIndex();
            if (col[big] < 0) V.SetColumn(c, -col);
        }
        var s = svd.S;
        var total = s.Sum(v => v * v);
        var denom = Math.Max(1, n - 1);
        var variance = Enumerable.Range(0, q).Select(c => Math.ScaleB(s[c] * s[c] / denom, 2 * unit)).ToImmutableArray();
        var ratio = Enumerable.Range(0, q).Select(c => total > 0 ? s[c] * s[c] / total : 0.0).ToImmutableArray();
        var scores = Xc * V;
        if (unit != 0) scores = scores.Map(v => Math.ScaleB(v, unit));
        return new PrincipalComponents(scores, V, variance, ratio, mean.ToImmutableArray(), scale.ToImmutableArray());
    }
}
