using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Mixtures.Domain.Regression;

/// <summary>Least squares through a Cholesky factor of the (weighted) cross-product matrix.</summary>
public static class WeightedLeastSquares
{
    /// <summary>
    /// The Cholesky factor of a symmetric matrix, or null when it is not numerically positive
    /// definite (MathNet throws; this is the one place that turns the throw into a value). A matrix
    /// counts as singular when a pivot L_ii^2 is at most 1e-12 of its own diagonal entry A_ii, i.e. when
    /// the (uncentred) squared multiple correlation of variable i with the ones before it is within
    /// 1e-12 of 1. The test is relative to each variable's own scale, so multiplying a column of the
    /// design by any constant (1e-300 or 1e300) does not change it; a test against the largest diagonal
    /// entry would call a design singular whose columns merely have different units.
    /// </summary>
    public static Cholesky<double>? TryCholesky(Matrix<double> A)
    {
        for (var i = 0; i < A.RowCount; i++)
            if (!(A[i, i] > 0) || !double.IsFinite(A[i, i])) return null;
        try
        {
            var c = A.Cholesky();
            var L = c.Factor;
            for (var i = 0; i < A.RowCount; i++)
                if (!(L[i, i] * L[i, i] > 1e-12 * A[i, i]) || !double.IsFinite(L[i, i])) return null;
            return c;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>beta = argmin sum_i w_i (y_i - x_i'beta)^2, solved from (X'WX) beta = X'Wy by Cholesky;
    /// null when X'WX is singular.</summary>
    public static Vector<double>? Solve(Matrix<double> X, Vector<double> y, Vector<double> w)
    {
        var Xw = X.Clone();
        for (var i = 0; i < X.RowCount; i++) Xw.SetRow(i, X.Row(i) * w[i]);
        var chol = TryCholesky(Xw.TransposeThisAndMultiply(X));
        return chol?.Solve(Xw.TransposeThisAndMultiply(y));
    }
}
