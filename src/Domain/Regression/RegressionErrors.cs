using LanguageExt;
using LanguageExt.Common;

namespace Mixtures.Domain.Regression;

/// <summary>Stable codes of the regression family's own expected failures (1100 range).</summary>
public static class RegressionErrorCodes
{
    /// <summary>Code of <see cref="SingularInformationError"/>.</summary>
    public const int SingularInformation = 1101;

    /// <summary>Code of <see cref="SeparatedConcomitantsError"/>.</summary>
    public const int SeparatedConcomitants = 1102;
}

/// <summary>The observed information matrix at a solution is not positive definite, so the
/// solution is not a strict local maximum (or a parameter is not identified) and has no standard errors.</summary>
public sealed record SingularInformationError(string Detail)
    : Expected($"the observed information matrix is not positive definite ({Detail}); no standard errors", RegressionErrorCodes.SingularInformation, Option<Error>.None);

/// <summary>The concomitant variables separate the classes at the solution: gamma has no finite maximiser (see
/// <see cref="Mixtures.Domain.Em.ConcomitantWeights.Separates"/>), so the information gives no meaningful standard errors.</summary>
public sealed record SeparatedConcomitantsError(string Terms)
    : Expected($"the concomitant variables ({Terms}) separate the classes: gamma has no finite estimate (some prior probabilities " +
               "tend to 0, and log L to its supremum); no standard errors", RegressionErrorCodes.SeparatedConcomitants, Option<Error>.None);
