using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Fits;

/// <summary>
/// The data of a latent class regression: responses y (n), the design X (n x p, intercept column included when
/// wanted) and optionally a group per row (rows of a group share one latent class: flexmix's <c>y ~ x | id</c>).
/// Make it with <see cref="Of(double[], double[,], int[], bool)"/> from covariates, which adds the intercept.
/// </summary>
/// <param name="Y">The responses.</param>
/// <param name="Design">The n x p design.</param>
/// <param name="Group">A label per row, or empty when every row is its own unit.</param>
public sealed record RegressionRows(ImmutableArray<double> Y, Matrix<double> Design, ImmutableArray<int> Group)
{
    /// <summary>n, the rows.</summary>
    public int Rows => Y.Length;

    /// <summary>Whether rows are grouped.</summary>
    public bool Grouped => !Group.IsDefaultOrEmpty;

    /// <summary>The validated sufficient statistics the estimation works on.</summary>
    public RegressionData Data => RegressionData.FromRows(Y, Design, Grouped ? Group : null);

    /// <summary>
    /// Rows from plain arrays: y (n), the covariates (n x m, a row per observation) and optional group labels;
    /// the design is [1, covariates] unless <paramref name="intercept"/> is false. Fails, naming the row and column
    /// (1-based), when a value is not finite or the lengths disagree.
    /// </summary>
    public static Fin<RegressionRows> Of(double[] y, double[,] covariates, int[]? group = null, bool intercept = true) =>
        Of(y, PlainArrays.ToMatrix(covariates), group, intercept);

    /// <summary>Rows from y and jagged covariates (one inner array per row); see the rectangular overload.</summary>
    public static Fin<RegressionRows> Of(double[] y, double[][] covariates, int[]? group = null, bool intercept = true) =>
        PlainArrays.ToMatrix(covariates).Bind(X => Of(y, X, group, intercept));

    /// <summary>Rows from y and a covariate matrix; see the rectangular overload.</summary>
    public static Fin<RegressionRows> Of(IReadOnlyList<double> y, Matrix<double> covariates, IReadOnlyList<int>? group = null, bool intercept = true)
    {
        if (y.Count != covariates.RowCount)
            return FinFail<RegressionRows>(new InvalidDataError($"y has {y.Count} values but the covariates have {covariates.RowCount} rows"));
        if (group is not null && group.Count != y.Count)
            return FinFail<RegressionRows>(new InvalidDataError($"{group.Count} group labels for {y.Count} rows"));
        if (!intercept && covariates.ColumnCount == 0)
            return FinFail<RegressionRows>(new InvalidDataError("no covariates and no intercept"));
        for (var i = 0; i < y.Count; i++)
        {
            if (!double.IsFinite(y[i])) return FinFail<RegressionRows>(new RowValueError(i, "y", $"{y[i]} is not a finite number"));
            for (var j = 0; j < covariates.ColumnCount; j++)
                if (!double.IsFinite(covariates[i, j]))
                    return FinFail<RegressionRows>(new RowValueError(i, $"x{j + 1}", $"{covariates[i, j]} is not a finite number"));
        }
        var design = LatentClassRegression.Design(covariates, intercept);
        return new RegressionRows([.. y], design, group is null ? [] : [.. group]);
    }
}
