using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Fits;

/// <summary>Plain C# arrays as the matrices the library computes with (copied, so the caller's array may change afterwards).</summary>
public static class PlainArrays
{
    /// <summary>A rectangular array <c>a[i, j]</c> as the n x d matrix with rows i.</summary>
    public static Matrix<double> ToMatrix(double[,] a) => Matrix<double>.Build.DenseOfArray(a);

    /// <summary>A jagged array (one inner array per row) as an n x d matrix; fails when it is empty, a row is null
    /// or the rows differ in length, naming the first such row (1-based).</summary>
    public static Fin<Matrix<double>> ToMatrix(double[][] rows)
    {
        if (rows is null || rows.Length == 0) return FinFail<Matrix<double>>(new InvalidDataError("no rows"));
        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i] is null) return FinFail<Matrix<double>>(new InvalidDataError($"row {i + 1} is null"));
            if (rows[i].Length != rows[0].Length)
                return FinFail<Matrix<double>>(new InvalidDataError($"row {i + 1} has {rows[i].Length} values but row 1 has {rows[0].Length}"));
        }
        return Matrix<double>.Build.DenseOfRowArrays(rows);
    }

    /// <summary>A matrix as a rectangular array <c>a[i, j]</c>.</summary>
    public static double[,] ToArray(Matrix<double> m) => m.ToArray();
}
