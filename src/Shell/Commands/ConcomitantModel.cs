using System.Collections.Immutable;
using System.Text.Json;
using Mixtures.Data;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;

namespace Mixtures.Shell.Commands;

/// <summary>The concomitant part of a saved model ("concomitant" in model.json of <c>regress</c> and <c>cluster</c>) as
/// <c>predict</c> needs it: the columns to read from the new file, their coding, the terms and gamma (K x q).</summary>
/// <param name="Coding">How the columns were coded (numeric, or categorical with the fit's levels and reference).</param>
/// <param name="Terms">The model's terms, "(Intercept)" first.</param>
/// <param name="Gamma">gamma, K x q row-major (row 1 zero).</param>
public sealed record ConcomitantModel(DesignCoding Coding, ImmutableArray<string> Terms, ImmutableArray<double> Gamma)
{
    /// <summary>The concomitant columns.</summary>
    public ImmutableArray<string> Columns => Coding.Columns;

    /// <summary>q, terms per class.</summary>
    public int Q => Terms.Length;

    /// <summary>The weights of the model with these coefficients (pi: the fit's mean priors).</summary>
    public MixingWeights Weights(IEnumerable<double> pi) => MixingWeights.WithCoefficients(MixingWeights.Normalised(pi).Pi, Gamma, Q);

    /// <summary>The concomitant design of the new file's units (see <see cref="ConcomitantColumns.Apply"/>).</summary>
    public LanguageExt.Fin<ConcomitantWeights> Design(DataTable table, IReadOnlyList<int>? groupIds = null, int? units = null, string? groupName = null) =>
        ConcomitantColumns.Apply(table, Coding, Terms, groupIds, units, groupName);

    /// <summary>The "concomitant" object of a model file with <paramref name="K"/> classes, or None when the model has none; every
    /// failure one line naming the file and the field.</summary>
    public static LanguageExt.Fin<LanguageExt.Option<ConcomitantModel>> Parse(string path, JsonElement root, int K)
    {
        LanguageExt.Fin<LanguageExt.Option<ConcomitantModel>> Bad(string what) => LanguageExt.Fin<LanguageExt.Option<ConcomitantModel>>.Fail(Failure.Data($"{path}: \"concomitant\": {what}"));
        var el = root;
        if (root.TryGetProperty("selected", out var sel) && sel.ValueKind == JsonValueKind.Object && sel.TryGetProperty("concomitant", out var inSel)) el = inSel;
        else if (root.TryGetProperty("concomitant", out var top)) el = top;
        else return LanguageExt.Fin<LanguageExt.Option<ConcomitantModel>>.Succ(LanguageExt.Option<ConcomitantModel>.None);
        if (el.ValueKind == JsonValueKind.Null) return LanguageExt.Fin<LanguageExt.Option<ConcomitantModel>>.Succ(LanguageExt.Option<ConcomitantModel>.None);
        if (el.ValueKind != JsonValueKind.Object) return Bad("must be an object");
        if (!el.TryGetProperty("terms", out var tEl) || tEl.ValueKind != JsonValueKind.Array || tEl.GetArrayLength() < 1 ||
            tEl.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
            return Bad("\"terms\" must list the term names, (Intercept) first");
        var terms = tEl.EnumerateArray().Select(t => t.GetString()!).ToImmutableArray();
        if (terms[0] != DesignCoding.InterceptName) return Bad($"the first term must be {DesignCoding.InterceptName}");
        var q = terms.Length;
        if (!el.TryGetProperty("gamma", out var gEl) || gEl.ValueKind != JsonValueKind.Array || gEl.GetArrayLength() != K ||
            gEl.EnumerateArray().Any(row => row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != q ||
                                            row.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var x) || !double.IsFinite(x))))
            return Bad($"\"gamma\" must be {K} rows of {q} finite numbers (one per term)");
        var gamma = gEl.EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => v.GetDouble())).ToImmutableArray();
        // the columns: as written, or (older files) the terms, which are the columns when every one is numeric
        var columns = terms.Skip(1).ToImmutableArray();
        if (el.TryGetProperty("columns", out var cEl) && cEl.ValueKind != JsonValueKind.Null)
        {
            if (cEl.ValueKind != JsonValueKind.Array || cEl.EnumerateArray().Any(c => c.ValueKind != JsonValueKind.String))
                return Bad("\"columns\" must list the concomitant column names");
            columns = cEl.EnumerateArray().Select(c => c.GetString()!).ToImmutableArray();
        }
        var categorical = new List<CategoricalCoding>();
        if (el.TryGetProperty("categorical", out var catEl) && catEl.ValueKind != JsonValueKind.Null)
        {
            if (catEl.ValueKind != JsonValueKind.Array) return Bad("\"categorical\" must be a list of codings");
            foreach (var e in catEl.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("column", out var colEl) || colEl.ValueKind != JsonValueKind.String ||
                    !e.TryGetProperty("levels", out var lvEl) || lvEl.ValueKind != JsonValueKind.Array || lvEl.EnumerateArray().Any(l => l.ValueKind != JsonValueKind.String))
                    return Bad("\"categorical\": every coding needs \"column\" (a name) and \"levels\" (texts)");
                string? reference = e.TryGetProperty("reference", out var refEl) && refEl.ValueKind == JsonValueKind.String ? refEl.GetString() : null;
                categorical.Add(new CategoricalCoding(colEl.GetString()!, lvEl.EnumerateArray().Select(l => l.GetString()!).ToImmutableArray(), reference));
            }
        }
        if (!DesignCoding.Create(columns, categorical, intercept: true, path).TryGet(out var coding, out var error)) return LanguageExt.Fin<LanguageExt.Option<ConcomitantModel>>.Fail(error);
        if (!coding.Coefficients.SequenceEqual(terms))
            return Bad($"\"terms\" ({string.Join(", ", terms)}) do not match the coding of its columns ({string.Join(", ", coding.Coefficients)})");
        return LanguageExt.Prelude.Some(new ConcomitantModel(coding, terms, gamma));
    }
}
