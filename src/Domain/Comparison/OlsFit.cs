using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;

namespace Mixtures.Domain.Comparison;

/// <summary>An ordinary least-squares fit y = X beta + e.</summary>
/// <param name="Beta">Coefficients, one per column of X (intercept first when X has one).</param>
/// <param name="Sigma">ML residual standard deviation sqrt(RSS / n) (the K = 1 latent class regression's sigma).</param>
/// <param name="Rows">Rows fitted, n.</param>
public sealed record OlsFit(ImmutableArray<double> Beta, double Sigma, int Rows)
{
    /// <summary>x' beta for every row of X (m x p).</summary>
    public double[] Predict(Matrix<double> X)
    {
        if (X.ColumnCount != Beta.Length) throw new ArgumentException($"X has {X.ColumnCount} columns but the fit has {Beta.Length} coefficients");
        var r = new double[X.RowCount];
        for (var i = 0; i < r.Length; i++)
        for (var j = 0; j < Beta.Length; j++) r[i] += X[i, j] * Beta[j];
        return r;
    }

    /// <inheritdoc/>
    public bool Equals(OlsFit? o) => o is not null && Sigma.Equals(o.Sigma) && Rows == o.Rows && Beta.SequenceEqual(o.Beta);
    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Sigma, Rows, Beta.Length);
}
