using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Comparison;

/// <summary>Ordinary least squares through the same Cholesky path as the latent class M-step.</summary>
public static class OrdinaryLeastSquares
{
    /// <summary>
    /// beta = argmin_b sum_i (y_i - x_i' b)^2, solved from X'X beta = X'y by Cholesky
    /// (<see cref="WeightedLeastSquares.Solve"/> with every weight 1, the solver of the mixture
    /// M-step); sigma^2 = RSS / n. Fails when X'X is singular (collinear columns, or fewer rows
    /// than coefficients).
    /// </summary>
    /// <remarks>R: <c>lm(y ~ x)</c> (whose sigma divides by n - p instead); scikit-learn:
    /// <c>LinearRegression().fit(X, y)</c>.</remarks>
    /// <remarks>Columns and y beyond 2^±256 in magnitude are solved in units of a power of two (exact, see
    /// <see cref="RegressionData.UnitRange"/>), so data around 1e300 or 1e-300 fit as data around 1 do.</remarks>
    public static Fin<OlsFit> Fit(Matrix<double> X, IReadOnlyList<double> y)
    {
        if (X.RowCount != y.Count) throw new ArgumentException($"X has {X.RowCount} rows but y has {y.Count}");
        var n = y.Count;
        var ex = Enumerable.Range(0, X.ColumnCount).Select(j => n == 0 ? 0 : RegressionData.UnitExponent(X.Column(j).AbsoluteMaximum())).ToArray();
        var ey = n == 0 ? 0 : RegressionData.UnitExponent(y.Max(Math.Abs));
        if (ey != 0 || ex.Any(e => e != 0))
            return from f in Fit(Matrix<double>.Build.Dense(X.RowCount, X.ColumnCount, (i, j) => Math.ScaleB(X[i, j], -ex[j])), y.Select(v => Math.ScaleB(v, -ey)).ToArray())
                   select new OlsFit(f.Beta.Select((b, j) => Math.ScaleB(b, ey - ex[j])).ToImmutableArray(), Math.ScaleB(f.Sigma, ey), f.Rows);
        var yv = Vector<double>.Build.DenseOfEnumerable(y);
        var beta = n == 0 ? null : WeightedLeastSquares.Solve(X, yv, Vector<double>.Build.Dense(n, 1.0));
        if (beta is null) return FinFail<OlsFit>(new SingularDesignError(1));
        var r = yv - X * beta;
        return new OlsFit(beta.ToImmutableArray(), Math.Sqrt(r.DotProduct(r) / n), n);
    }
}
