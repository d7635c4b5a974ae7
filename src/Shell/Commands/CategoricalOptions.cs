using System.CommandLine;
using Mixtures.Data;

namespace Mixtures.Shell.Commands;

/// <summary>--categorical and --reference, shared by the commands that take covariates (<c>regress</c>, <c>compare</c>).</summary>
public static class CategoricalOptions
{
    /// <summary>--categorical: covariate (or concomitant) columns of numbers to code as categorical.</summary>
    public static Option<string[]> Categorical() => new("--categorical")
    {
        Description = "Columns of --x (and, for regress, of --concomitant) to code as categorical even though they hold numbers (e.g. a year or a code), comma-separated or repeated. " +
                      "A covariate none of whose cells is a number is categorical without it: each level but the reference becomes a 0/1 dummy named column + level (regionsouth), as in R.",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>--reference: the reference level of a categorical covariate.</summary>
    public static Option<string[]> Reference() => new("--reference")
    {
        Description = "Reference level of a categorical covariate, column=level (e.g. region=south), comma-separated or repeated; " +
                      $"default: the first level in ordinal order (numeric order for a column of numbers). At most {CategoricalCoding.MaxLevels} levels per column.",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The parsed options, checked against the covariate columns and the concomitant ones (the --concomitant list).</summary>
    public static LanguageExt.Fin<CovariateOptions> Parse(IReadOnlyList<string>? categorical, IReadOnlyList<string>? references, IReadOnlyList<string> covariates,
        string? concomitant = null)
    {
        var z = (concomitant ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return CovariateOptions.Parse(categorical, references, [.. covariates, .. z], z.Length == 0 ? "--x" : "--x and --concomitant");
    }
}
