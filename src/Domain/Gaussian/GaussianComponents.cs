using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Gaussian;

/// <summary>
/// The K components N(mu_k, Sigma_k) of a Gaussian mixture in d dimensions, with the Cholesky factor
/// of every covariance (Sigma = L L', L lower triangular) computed once at construction: densities are
/// evaluated through L by forward substitution, never through an inverse.
/// </summary>
/// <remarks>
/// Storage of <see cref="Covariances"/> follows scikit-learn's <c>covariances_</c> shapes, flattened
/// row-major: full K x d x d, tied d x d, diag K x d (variances), spherical K (variances).
/// </remarks>
public sealed class GaussianComponents
{
    /// <summary>Covariance structure.</summary>
    public CovarianceType Type { get; }
    /// <summary>Number of components K.</summary>
    public int K { get; }
    /// <summary>Dimension d.</summary>
    public int D { get; }
    /// <summary>Means, K x d row-major: mu_k[j] at <c>k * d + j</c>.</summary>
    public ImmutableArray<double> Means { get; }
    /// <summary>Covariance parameters in the type's own shape (see remarks).</summary>
    public ImmutableArray<double> Covariances { get; }

    internal readonly double[] mu;      // K * d
    internal readonly double[] factor;  // full: K*d*d lower L_k; tied: d*d; diag: K*d sd; spherical: K sd
    internal readonly double[] logDet;  // K: log |Sigma_k|

    private GaussianComponents(CovarianceType type, int K, int d, double[] means, double[] covariances, double[] factor, double[] logDet)
    {
        Type = type; this.K = K; D = d;
        mu = means; this.factor = factor; this.logDet = logDet;
        Means = means.ToImmutableArray();
        Covariances = covariances.ToImmutableArray();
    }

    /// <summary>Number of covariance values stored for K components of dimension d in this type's shape.</summary>
    public static int CovarianceLength(CovarianceType type, int K, int d) => type switch
    {
        CovarianceType.Full => K * d * d,
        CovarianceType.Tied => d * d,
        CovarianceType.Diag => K * d,
        CovarianceType.Spherical => K,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>
    /// Components from means (K x d row-major) and covariances in the type's shape. Fails with
    /// <see cref="NotPositiveDefiniteError"/> when a covariance has no Cholesky factor; throws on
    /// wrong lengths, non-finite values or an asymmetric matrix (programming errors).
    /// </summary>
    public static Fin<GaussianComponents> Create(CovarianceType type, int K, int d, IReadOnlyList<double> means, IReadOnlyList<double> covariances, IReadOnlyList<string>? columns = null)
    {
        if (K < 1 || d < 1) throw new ArgumentException("K and d must be positive");
        if (means.Count != K * d) throw new ArgumentException($"{means.Count} means for K = {K}, d = {d}");
        var len = CovarianceLength(type, K, d);
        if (covariances.Count != len) throw new ArgumentException($"{covariances.Count} covariance values for a {type.Name()} model with K = {K}, d = {d} (expected {len})");
        var m = means.ToArray();
        var c = covariances.ToArray();
        if (m.Any(v => !double.IsFinite(v)) || c.Any(v => !double.IsFinite(v))) throw new ArgumentException("means and covariances must be finite");
        var names = columns ?? Enumerable.Range(1, d).Select(j => $"x{j}").ToArray();
        var logDet = new double[K];
        double[] factor;
        switch (type)
        {
            case CovarianceType.Full:
            case CovarianceType.Tied:
            {
                var blocks = type == CovarianceType.Full ? K : 1;
                factor = new double[blocks * d * d];
                for (var b = 0; b < blocks; b++)
                {
                    var S = Matrix<double>.Build.Dense(d, d, (r, s) => c[b * d * d + r * d + s]);
                    for (var r = 0; r < d; r++)
                    for (var s = 0; s < r; s++)
                        if (S[r, s] != S[s, r]) throw new ArgumentException($"covariance {b + 1} is not symmetric");
                    var L = TryCholesky(S);
                    if (L is null) return FinFail<GaussianComponents>(new NotPositiveDefiniteError(b + 1, Degeneracy.Describe(Degeneracy.CollapsedColumns(S, 0.0), names)));
                    var ld = 0.0;
                    for (var r = 0; r < d; r++)
                    {
                        for (var s = 0; s <= r; s++) factor[b * d * d + r * d + s] = L[r, s];
                        ld += 2.0 * Math.Log(L[r, r]);
                    }
                    if (type == CovarianceType.Full) logDet[b] = ld;
                    else for (var k = 0; k < K; k++) logDet[k] = ld;
                }
                break;
            }
            case CovarianceType.Diag:
                factor = new double[K * d];
                for (var k = 0; k < K; k++)
                {
                    var ld = 0.0;
                    for (var j = 0; j < d; j++)
                    {
                        var v = c[k * d + j];
                        if (!(v > 0)) return FinFail<GaussianComponents>(new NotPositiveDefiniteError(k + 1, names[j]));
                        factor[k * d + j] = Math.Sqrt(v);
                        ld += Math.Log(v);
                    }
                    logDet[k] = ld;
                }
                break;
            case CovarianceType.Spherical:
                factor = new double[K];
                for (var k = 0; k < K; k++)
                {
                    var v = c[k];
                    if (!(v > 0)) return FinFail<GaussianComponents>(new NotPositiveDefiniteError(k + 1, "every column"));
                    factor[k] = Math.Sqrt(v);
                    logDet[k] = d * Math.Log(v);
                }
                break;
            default: throw new ArgumentOutOfRangeException(nameof(type));
        }
        return new GaussianComponents(type, K, d, m, c, factor, logDet);
    }

    /// <summary>The lower Cholesky factor, or null when MathNet finds the matrix not positive
    /// definite (it throws; this is the one place that turns the throw into a value) or a pivot is not positive.</summary>
    private static Matrix<double>? TryCholesky(Matrix<double> S)
    {
        try
        {
            var L = S.Cholesky().Factor;
            for (var r = 0; r < S.RowCount; r++)
                if (!(L[r, r] > 0) || !double.IsFinite(L[r, r])) return null;
            return L;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>mu_k as a vector (0-based k).</summary>
    public Vector<double> Mean(int k) => Vector<double>.Build.Dense(D, j => mu[k * D + j]);

    /// <summary>Sigma_k as a full d x d matrix whatever the type (0-based k).</summary>
    public Matrix<double> Covariance(int k) => Type switch
    {
        CovarianceType.Full => Matrix<double>.Build.Dense(D, D, (r, s) => Covariances[k * D * D + r * D + s]),
        CovarianceType.Tied => Matrix<double>.Build.Dense(D, D, (r, s) => Covariances[r * D + s]),
        CovarianceType.Diag => Matrix<double>.Build.Dense(D, D, (r, s) => r == s ? Covariances[k * D + r] : 0.0),
        CovarianceType.Spherical => Matrix<double>.Build.Dense(D, D, (r, s) => r == s ? Covariances[k] : 0.0),
        _ => throw new ArgumentOutOfRangeException(nameof(Type)),
    };

    /// <summary>log |Sigma_k| = 2 sum_j log L_k[j,j] (0-based k).</summary>
    public double LogDeterminant(int k) => logDet[k];

    /// <summary>Components reordered so that new k is old order[k] (a tied covariance stays as it is).</summary>
    public GaussianComponents Reorder(int[] order)
    {
        var m = new double[K * D];
        for (var k = 0; k < K; k++) System.Array.Copy(mu, order[k] * D, m, k * D, D);
        var per = Type switch
        {
            CovarianceType.Full => D * D,
            CovarianceType.Diag => D,
            CovarianceType.Spherical => 1,
            CovarianceType.Tied => 0,
            _ => throw new ArgumentOutOfRangeException(nameof(Type)),
        };
        var c = Covariances.ToArray();
        var f = (double[])factor.Clone();
        if (per > 0)
            for (var k = 0; k < K; k++)
            {
                for (var t = 0; t < per; t++) { c[k * per + t] = Covariances[order[k] * per + t]; f[k * per + t] = factor[order[k] * per + t]; }
            }
        var ld = order.Select(o => logDet[o]).ToArray();
        return new GaussianComponents(Type, K, D, m, c, f, ld);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{K} {Type.Name()} ({Type.MclustName()}) components in {D} dimensions, means [{string.Join("; ", Enumerable.Range(0, K).Select(k => string.Join(", ", Enumerable.Range(0, D).Select(j => mu[k * D + j].ToString("G6", System.Globalization.CultureInfo.InvariantCulture)))))}]";
}
