using LanguageExt;
using LanguageExt.Common;

namespace Mixtures.Domain.Model;

/// <summary>Stable error codes of the domain (expected failures, carried as values).</summary>
public static class ErrorCodes
{
    /// <summary>Code of <see cref="EmptyComponentError"/>.</summary>
    public const int EmptyComponent = 1001;
    /// <summary>Code of <see cref="SingularDesignError"/>.</summary>
    public const int SingularDesign = 1002;
    /// <summary>Code of <see cref="CollapsedVarianceError"/>.</summary>
    public const int CollapsedVariance = 1003;
    /// <summary>Code of <see cref="AllStartsFailedError"/>.</summary>
    public const int AllStartsFailed = 1004;
    /// <summary>Code of <see cref="InvalidDataError"/>.</summary>
    public const int InvalidData = 1005;
    /// <summary>Code of <see cref="SmallPriorError"/>.</summary>
    public const int SmallPrior = 1006;
    /// <summary>Code of <see cref="NotPositiveDefiniteError"/>.</summary>
    public const int NotPositiveDefinite = 1101;
    /// <summary>Code of <see cref="CovarianceOverflowError"/>.</summary>
    public const int CovarianceOverflow = 1102;
    /// <summary>Code of <see cref="RowValueError"/>.</summary>
    public const int RowValue = 1201;
}

/// <summary>A component with (numerically) no weight: its parameters are not estimable.</summary>
public sealed record EmptyComponentError(int Component, double Weight)
    : Expected($"component {Component} is empty (total responsibility {Weight:G3})", ErrorCodes.EmptyComponent, Option<Error>.None);

/// <summary>A weighted least-squares problem whose cross-product matrix is not positive definite.</summary>
public sealed record SingularDesignError(int Component)
    : Expected($"the weighted design of component {Component} is singular (collinear or too few effective rows)", ErrorCodes.SingularDesign, Option<Error>.None);

/// <summary>A component whose variance collapsed toward zero (likelihood unbounded).</summary>
public sealed record CollapsedVarianceError(int Component, double Variance)
    : Expected($"the variance of component {Component} collapsed to {Variance:G3}", ErrorCodes.CollapsedVariance, Option<Error>.None);

/// <summary>A component whose mixing weight fell below the minimum prior.</summary>
public sealed record SmallPriorError(int Component, double Weight, double MinPrior)
    : Expected($"the weight of component {Component} fell to {Weight:G3}, below the minimum {MinPrior:G3}", ErrorCodes.SmallPrior, Option<Error>.None);

/// <summary>Every start of a multi-start estimation failed.</summary>
public sealed record AllStartsFailedError(int K, string FirstReason)
    : Expected($"all starts failed for K = {K}: {FirstReason}", ErrorCodes.AllStartsFailed, Option<Error>.None);

/// <summary>Data that cannot support the requested model (e.g. fewer units than K).</summary>
public sealed record InvalidDataError(string Reason)
    : Expected(Reason, ErrorCodes.InvalidData, Option<Error>.None);

/// <summary>A Gaussian component whose covariance (ridge included) is not numerically positive definite.</summary>
public sealed record NotPositiveDefiniteError(int Component, string Columns)
    : Expected($"the covariance of component {Component} is not positive definite (collapsed on {Columns}); increase the ridge reg-covar or use fewer components",
        ErrorCodes.NotPositiveDefinite, Option<Error>.None);

/// <summary>A Gaussian component whose covariance in the data's units is beyond the largest double
/// (0 for the shared covariance of a tied model).</summary>
public sealed record CovarianceOverflowError(int Component)
    : Expected($"the {(Component == 0 ? "shared covariance" : $"covariance of component {Component}")} overflows (a variance above 1.8E+308 in the data's units); rescale the columns or standardize",
        ErrorCodes.CovarianceOverflow, Option<Error>.None);

/// <summary>A value of one row and column that the computation cannot use; <see cref="Row"/> is 0-based,
/// so the shell can name the file line instead.</summary>
public sealed record RowValueError(int Row, string Column, string Reason)
    : Expected($"row {Row + 1}, column {Column}: {Reason}", ErrorCodes.RowValue, Option<Error>.None);
