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

    /// <summary>
    /// Every column of <paramref name="Y"/> regressed on the same design <paramref name="X"/>: column c of the
    /// result is beta_c = argmin_b sum_t (Y[t,c] - x_t' b)^2, all solved from one Cholesky factor of X'X
    /// (B = (X'X)^-1 X'Y, the factor computed once by <see cref="WeightedLeastSquares.TryCholesky"/>, the test
    /// of <see cref="Fit"/>), so m regressions on n rows and p columns cost O(n p m) rather than m
    /// factorisations. Each column agrees with <see cref="Fit"/> on that column. Fails when X'X is singular.
    /// </summary>
    /// <param name="X">The shared design, n x p (e.g. the sales design [1, log p_t]).</param>
    /// <param name="Y">The responses, n x m, one regression per column (e.g. log S_it, T x N: each store's own line).</param>
    /// <returns>The p x m coefficients; column c belongs to column c of <paramref name="Y"/>.</returns>
    /// <remarks>R: <c>coef(lm(Y ~ x))</c> with a matrix response; NumPy: <c>np.linalg.lstsq(X, Y)</c>. Columns of X and of Y
    /// beyond 2^±256 in magnitude are solved in units of a power of two, as in <see cref="Fit"/>.</remarks>
    public static Fin<Matrix<double>> FitColumns(Matrix<double> X, Matrix<double> Y)
    {
        if (X.RowCount != Y.RowCount) throw new ArgumentException($"X has {X.RowCount} rows but Y has {Y.RowCount}");
        var n = X.RowCount;
        if (n == 0) return FinFail<Matrix<double>>(new SingularDesignError(1));
        var ex = Enumerable.Range(0, X.ColumnCount).Select(j => RegressionData.UnitExponent(X.Column(j).AbsoluteMaximum())).ToArray();
        var ey = Enumerable.Range(0, Y.ColumnCount).Select(c => RegressionData.UnitExponent(Y.Column(c).AbsoluteMaximum())).ToArray();
        var scaled = ex.Any(e => e != 0) || ey.Any(e => e != 0);
        var Xs = ex.All(e => e == 0) ? X : Matrix<double>.Build.Dense(n, X.ColumnCount, (t, j) => Math.ScaleB(X[t, j], -ex[j]));
        var Ys = ey.All(e => e == 0) ? Y : Matrix<double>.Build.Dense(n, Y.ColumnCount, (t, c) => Math.ScaleB(Y[t, c], -ey[c]));
        var chol = WeightedLeastSquares.TryCholesky(Xs.TransposeThisAndMultiply(Xs));
        if (chol is null) return FinFail<Matrix<double>>(new SingularDesignError(1));
        var B = chol.Solve(Xs.TransposeThisAndMultiply(Ys));
        if (scaled) B.MapIndexedInplace((j, c, b) => Math.ScaleB(b, ey[c] - ex[j]));
        return B;
    }
}
