using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;

namespace Mixtures.Domain.Regression;

/// <summary>Who is in a class, by the most likely class of each unit (hard assignment).</summary>
/// <param name="Class">1-based class.</param>
/// <param name="Units">Units assigned (groups, or rows).</param>
/// <param name="Rows">Rows assigned.</param>
/// <param name="MeanY">Mean of y over the assigned rows (NaN when none).</param>
/// <param name="MeanCovariates">Mean of each covariate over the assigned rows (NaN when none).</param>
/// <param name="MeanPosterior">Mean posterior probability of the class among its assigned units.</param>
public sealed record ClassProfile(int Class, int Units, int Rows, double MeanY, ImmutableArray<double> MeanCovariates, double MeanPosterior)
{
    /// <summary>
    /// Profiles of the K classes: unit u goes to argmax_k W[u,k] (the lowest k on ties), and each of
    /// its rows counts for that class.
    /// </summary>
    /// <param name="W">Units x K responsibilities.</param>
    /// <param name="rowUnit">The unit of every row (null: row i is unit i).</param>
    /// <param name="y">The n responses.</param>
    /// <param name="covariates">n x m covariates (without the intercept).</param>
    public static ImmutableArray<ClassProfile> Of(Matrix<double> W, IReadOnlyList<int>? rowUnit, IReadOnlyList<double> y, Matrix<double> covariates)
    {
        var U = W.RowCount;
        var K = W.ColumnCount;
        var n = y.Count;
        var m = covariates.ColumnCount;
        var cls = new int[U];
        var units = new int[K];
        var post = new double[K];
        for (var u = 0; u < U; u++)
        {
            var best = 0;
            for (var k = 1; k < K; k++) if (W[u, k] > W[u, best]) best = k;
            cls[u] = best;
            units[best]++;
            post[best] += W[u, best];
        }
        var rows = new int[K];
        var sy = new double[K];
        var sx = new double[K, m];
        for (var i = 0; i < n; i++)
        {
            var c = cls[rowUnit is null ? i : rowUnit[i]];
            rows[c]++;
            sy[c] += y[i];
            for (var j = 0; j < m; j++) sx[c, j] += covariates[i, j];
        }
        return Enumerable.Range(0, K).Select(c => new ClassProfile(
            c + 1, units[c], rows[c],
            rows[c] > 0 ? sy[c] / rows[c] : double.NaN,
            Enumerable.Range(0, m).Select(j => rows[c] > 0 ? sx[c, j] / rows[c] : double.NaN).ToImmutableArray(),
            units[c] > 0 ? post[c] / units[c] : double.NaN)).ToImmutableArray();
    }
}
