using LanguageExt;
using LanguageExt.Common;

namespace Mixtures.Domain.Regression;

/// <summary>Stable codes of the regression family's own expected failures (1100 range).</summary>
public static class RegressionErrorCodes
{
    /// <summary>Code of <see cref="SingularInformationError"/>.</summary>
    public const int SingularInformation = 1101;
}

/// <summary>The observed information matrix at a solution is not positive definite, so the
/// solution is not a strict local maximum (or a parameter is not identified) and has no standard errors.</summary>
public sealed record SingularInformationError(string Detail)
    : Expected($"the observed information matrix is not positive definite ({Detail}); no standard errors", RegressionErrorCodes.SingularInformation, Option<Error>.None);
