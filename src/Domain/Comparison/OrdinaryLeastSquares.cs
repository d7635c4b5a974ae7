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
    public static Fin<OlsFit> Fit(Matrix<double> X, IReadOnlyList<double> y)
    {
        if (X.RowCount != y.Count) throw new ArgumentException($"X has {X.RowCount} rows but y has {y.Count}");
        var n = y.Count;
        var yv = Vector<double>.Build.DenseOfEnumerable(y);
        var beta = n == 0 ? null : WeightedLeastSquares.Solve(X, yv, Vector<double>.Build.Dense(n, 1.0));
        if (beta is null) return FinFail<OlsFit>(new SingularDesignError(1));
        var r = yv - X * beta;
        return new OlsFit(beta.ToImmutableArray(), Math.Sqrt(r.DotProduct(r) / n), n);
    }
}
