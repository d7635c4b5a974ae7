using System.Collections.Immutable;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Mixtures.Data;

/// <summary>
/// How the covariates are to be coded, from <c>--categorical</c> and <c>--reference</c>: the covariate columns to
/// code as categorical even though they hold numbers, and the chosen reference levels. (A covariate column none of
/// whose cells is a number is categorical without being named.)
/// </summary>
/// <param name="Categorical">Covariate columns read as text and coded as categorical whatever their cells.</param>
/// <param name="References">Reference levels by column name (names compared ignoring case).</param>
public sealed record CovariateOptions(ImmutableArray<string> Categorical, ImmutableDictionary<string, string> References)
{
    /// <summary>No forced categorical column, every reference the first level.</summary>
    public static CovariateOptions None { get; } = new([], ImmutableDictionary.Create<string, string>(StringComparer.OrdinalIgnoreCase));

    /// <summary>The options with the reference levels of <paramref name="columns"/> only (for the coding of one set of
    /// columns, e.g. the concomitant variables).</summary>
    public CovariateOptions For(IEnumerable<string> columns)
    {
        var keep = columns.ToList();
        return this with { References = References.Where(kv => keep.Contains(kv.Key, StringComparer.OrdinalIgnoreCase)).ToImmutableDictionary(References.KeyComparer) };
    }

    /// <summary>The options without the reference levels of <paramref name="columns"/> (for the coding of the other columns).</summary>
    public CovariateOptions Without(IEnumerable<string> columns)
    {
        var drop = columns.ToList();
        return this with { References = References.Where(kv => !drop.Contains(kv.Key, StringComparer.OrdinalIgnoreCase)).ToImmutableDictionary(References.KeyComparer) };
    }

    /// <summary>Whether <c>--categorical</c> names the column (ignoring case).</summary>
    public bool IsForced(string column) => Categorical.Contains(column, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Parses the values of <c>--categorical</c> (column names; the option may be repeated and each value may be a comma
    /// list) and <c>--reference</c> (<c>column=level</c>; repeated or a comma list, where a comma starts a new pair only
    /// when the text after it has an '=', so that a level may hold commas). Every <c>--categorical</c> column must be one
    /// of <paramref name="covariates"/>; a column may get one reference level. Whether a reference names a categorical
    /// column and one of its levels is checked with the data (<see cref="DesignCoding.Fit"/>).
    /// </summary>
    /// <param name="categorical">The --categorical values.</param>
    /// <param name="references">The --reference values.</param>
    /// <param name="covariates">The covariate columns (the --x list).</param>
    /// <param name="covariateOption">The option that lists the covariates, for messages.</param>
    public static Fin<CovariateOptions> Parse(IEnumerable<string>? categorical, IEnumerable<string>? references, IReadOnlyList<string> covariates,
        string covariateOption = "--x")
    {
        var problems = new List<string>();
        var forced = new List<string>();
        foreach (var name in (categorical ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)))
        {
            if (name.Length == 0) { problems.Add("--categorical: give column names (e.g. --categorical region,year)"); continue; }
            var column = covariates.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
            if (column is null) problems.Add($"--categorical: '{name}' is not one of the {covariateOption} columns ({string.Join(", ", covariates)})");
            else if (!forced.Contains(column, StringComparer.OrdinalIgnoreCase)) forced.Add(column);
        }
        var refs = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in Pairs(references ?? []))
        {
            var eq = pair.IndexOf('=');
            var col = eq < 0 ? "" : pair[..eq].Trim();
            var level = eq < 0 ? "" : pair[(eq + 1)..].Trim();
            if (col.Length == 0 || level.Length == 0)
            {
                problems.Add($"--reference: '{pair}' is not column=level (e.g. --reference region=south)");
                continue;
            }
            if (refs.TryGetValue(col, out var earlier))
            {
                if (earlier != level) problems.Add($"--reference: column {col} is given two reference levels ('{earlier}' and '{level}')");
                continue;
            }
            refs[col] = level;
        }
        return problems.Count > 0
            ? FinFail<CovariateOptions>(Failure.Usage(string.Join("; ", problems)))
            : new CovariateOptions(forced.ToImmutableArray(), refs.ToImmutable());
    }

    /// <summary>The column=level pairs of the --reference values: each value split at the commas that are followed by
    /// another pair (text with an '='); a piece without '=' belongs to the level before it.</summary>
    private static IEnumerable<string> Pairs(IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            var current = (string?)null;
            foreach (var piece in value.Split(','))
            {
                if (current is not null && !piece.Contains('=')) { current += "," + piece; continue; }
                if (current is not null) yield return current;
                current = piece;
            }
            if (current is not null) yield return current;
        }
    }
}
