using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;

namespace Mixtures.Domain.Gaussian;

/// <summary>A component whose covariance collapsed onto the ridge in some direction.</summary>
/// <param name="Component">1-based component number; 0 for the shared covariance of a tied model.</param>
/// <param name="Eigenvalue">The smallest eigenvalue of its covariance (ridge included).</param>
/// <param name="Columns">The columns it collapsed on (see <see cref="Degeneracy.CollapsedColumns"/>).</param>
public sealed record DegenerateComponent(int Component, double Eigenvalue, ImmutableArray<string> Columns)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{(Component == 0 ? "shared covariance" : $"cluster {Component}")} collapsed on {string.Join(", ", Columns)} (eigenvalue {Eigenvalue.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)})";
}

/// <summary>
/// The stated rule for degenerate Gaussian components. With many exact ties in a column (customers who
/// spend exactly 0), a component can sit on the tied rows with zero variance in that column; only the
/// ridge reg-covar keeps its covariance invertible, and its likelihood is an artifact of the ridge.
/// A component is degenerate when an eigenvalue of its covariance (ridge included) is at most
/// <see cref="Factor"/> x reg-covar. scikit-learn returns such fits silently; mclust reports them as
/// singular (NA BIC).
/// </summary>
public static class Degeneracy
{
    /// <summary>An eigenvalue within this factor of reg-covar marks a collapse: lambda &lt;= 10 reg-covar.</summary>
    public const double Factor = 10.0;

    /// <summary>A column is named when its squared projection on the collapsed eigenvectors is at least this share of the largest one.</summary>
    public const double NameShare = 0.5;

    /// <summary>The eigenvalue threshold Factor x reg-covar.</summary>
    public static double Threshold(double regCovar) => Factor * regCovar;

    /// <summary>
    /// Every degenerate component of a fit: those with lambda_min(Sigma_k) &lt;= 10 reg-covar
    /// (for diag and spherical the eigenvalues are the variances). Empty when reg-covar is 0.
    /// </summary>
    public static ImmutableArray<DegenerateComponent> Find(GaussianComponents c, double regCovar, IReadOnlyList<string> columns)
    {
        var threshold = Threshold(regCovar);
        var found = ImmutableArray.CreateBuilder<DegenerateComponent>();
        if (!(threshold > 0)) return found.ToImmutable();
        var d = c.D;
        switch (c.Type)
        {
            case CovarianceType.Full:
            case CovarianceType.Tied:
            {
                var blocks = c.Type == CovarianceType.Full ? c.K : 1;
                for (var b = 0; b < blocks; b++)
                {
                    var S = c.Covariance(b);
                    var evd = S.Evd(Symmetricity.Symmetric);
                    var min = evd.EigenValues.Min(z => z.Real);
                    if (min <= threshold)
                        found.Add(new DegenerateComponent(c.Type == CovarianceType.Full ? b + 1 : 0, min,
                            CollapsedColumns(S, threshold).Select(j => columns[j]).ToImmutableArray()));
                }
                break;
            }
            case CovarianceType.Diag:
                for (var k = 0; k < c.K; k++)
                {
                    var v = Enumerable.Range(0, d).Select(j => c.Covariances[k * d + j]).ToArray();
                    var min = v.Min();
                    if (min <= threshold)
                        found.Add(new DegenerateComponent(k + 1, min, Enumerable.Range(0, d).Where(j => v[j] <= threshold).Select(j => columns[j]).ToImmutableArray()));
                }
                break;
            case CovarianceType.Spherical:
                for (var k = 0; k < c.K; k++)
                    if (c.Covariances[k] <= threshold)
                        found.Add(new DegenerateComponent(k + 1, c.Covariances[k], columns.ToImmutableArray()));
                break;
            default: throw new ArgumentOutOfRangeException(nameof(c));
        }
        return found.ToImmutable();
    }

    /// <summary>
    /// The columns a covariance S collapsed on: with V the eigenvectors whose eigenvalues are at most
    /// <paramref name="threshold"/> (or the smallest one when none is), column j is named when
    /// sum_{v in V} v_j^2 (the squared length of axis j projected on span V) is at least half the largest
    /// such value. An axis-aligned collapse names its column; a collapse along x_a = x_b names both.
    /// </summary>
    public static int[] CollapsedColumns(Matrix<double> S, double threshold)
    {
        var d = S.RowCount;
        var evd = S.Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Select(z => z.Real).ToArray();
        var small = Enumerable.Range(0, d).Where(a => values[a] <= threshold).ToList();
        if (small.Count == 0) small.Add(Enumerable.Range(0, d).MinBy(a => values[a]));
        var proj = new double[d];
        foreach (var a in small)
            for (var j = 0; j < d; j++) proj[j] += evd.EigenVectors[j, a] * evd.EigenVectors[j, a];
        var max = proj.Max();
        return Enumerable.Range(0, d).Where(j => proj[j] >= NameShare * max).ToArray();
    }

    /// <summary>Column names joined for a message.</summary>
    public static string Describe(IEnumerable<int> columns, IReadOnlyList<string> names) => string.Join(", ", columns.Select(j => names[j]));
}
