using System.Collections.Immutable;

namespace Mixtures.Data;

/// <summary>
/// The treatment coding of one categorical covariate (R's <c>contr.treatment</c>): every level except the
/// reference becomes a 0/1 dummy column named as R names it, the column name followed by the level
/// (<c>region</c> with levels north, south, west and reference north: <c>regionsouth</c>, <c>regionwest</c>).
/// A row of the reference level has every dummy 0, so each dummy's coefficient is the difference from the
/// reference level.
/// </summary>
/// <param name="Column">The column's name.</param>
/// <param name="Levels">Every level (the distinct trimmed cell texts) in coding order: see <see cref="Order"/>.</param>
/// <param name="Reference">The level without a dummy, or null when every level has one: without an intercept
/// the first categorical covariate is coded with a dummy per level, as R's <c>model.matrix(~ 0 + f)</c> does.</param>
public sealed record CategoricalCoding(string Column, ImmutableArray<string> Levels, string? Reference)
{
    /// <summary>The most levels a categorical covariate may have (each but one costs a coefficient per class;
    /// a column with more distinct values is more likely an identifier or a column of numbers with typos).</summary>
    public const int MaxLevels = 50;

    /// <summary>The levels that get a dummy, in coding order: every level but the reference.</summary>
    public ImmutableArray<string> Coded => Reference is null ? Levels : Levels.Remove(Reference);

    /// <summary>The dummies' names, R's: the column name followed by the level (<c>regionsouth</c>).</summary>
    public ImmutableArray<string> Names => Coded.Select(level => Column + level).ToImmutableArray();

    /// <summary>Whether the level was seen when the coding was made (levels are compared as text, ordinally).</summary>
    public bool Knows(string level) => Levels.Contains(level, StringComparer.Ordinal);

    /// <summary>The dummy a cell sets to 1: its index in <see cref="Coded"/>, -1 for the reference level, and
    /// -2 for a level the coding does not know.</summary>
    public int DummyOf(string level)
    {
        var j = Coded.IndexOf(level);
        return j >= 0 ? j : string.Equals(level, Reference, StringComparison.Ordinal) ? -1 : -2;
    }

    /// <summary>The levels as listed in messages: <c>north, south, west</c>.</summary>
    public string LevelList => string.Join(", ", Levels);

    /// <summary>
    /// The coding order of a column's levels: ordinal (culture-invariant, character by character: upper case before
    /// lower case, as R sorts in the C locale). When every level is a number (a column of numbers made categorical),
    /// by numeric value instead, as R's <c>factor()</c> orders a numeric vector (2, 9, 10 rather than 10, 2, 9);
    /// equal numbers written differently (2.5 and 2.50) are different levels, ordered ordinally.
    /// </summary>
    /// <param name="levels">The distinct levels.</param>
    /// <param name="numbers">How numbers are written in the file (the decimal point by default).</param>
    public static ImmutableArray<string> Order(IEnumerable<string> levels, NumberCells? numbers = null)
    {
        var format = numbers ?? NumberCells.Point;
        var distinct = levels.Distinct(StringComparer.Ordinal).ToList();
        var values = new double[distinct.Count];
        var numeric = distinct.Count > 0;
        for (var i = 0; i < distinct.Count && numeric; i++)
            numeric = format.TryParse(distinct[i].AsSpan(), out values[i]) && double.IsFinite(values[i]);
        return numeric
            ? distinct.Select((l, i) => (l, v: values[i])).OrderBy(t => t.v).ThenBy(t => t.l, StringComparer.Ordinal).Select(t => t.l).ToImmutableArray()
            : distinct.Order(StringComparer.Ordinal).ToImmutableArray();
    }
}
