using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Mixtures.Domain.Regression;

/// <summary>Least squares through a Cholesky factor of the (weighted) cross-product matrix.</summary>
public static class WeightedLeastSquares
{
    /// <summary>
    /// The Cholesky factor of a symmetric matrix, or null when it is not numerically positive
    /// definite (MathNet throws; this is the one place that turns the throw into a value). A matrix
    /// whose smallest pivot is below 1e-12 times its largest diagonal entry counts as singular.
    /// </summary>
    public static Cholesky<double>? TryCholesky(Matrix<double> A)
    {
        var maxDiag = 0.0;
        for (var i = 0; i < A.RowCount; i++) maxDiag = Math.Max(maxDiag, Math.Abs(A[i, i]));
        if (!(maxDiag > 0) || !double.IsFinite(maxDiag)) return null;
        try
        {
            var c = A.Cholesky();
            var L = c.Factor;
            for (var i = 0; i < A.RowCount; i++)
                if (!(L[i, i] * L[i, i] > 1e-12 * maxDiag)) return null;
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
