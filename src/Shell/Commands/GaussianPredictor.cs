using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Data;
using Mixtures.Shell.Output;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Commands;

/// <summary>
/// <c>predict</c> for "kind": "gaussian-mixture" models (written by <c>mixtures cluster</c>): reads the
/// model's columns from the new file, standardizes them with the stored scaler when there is one, and
/// writes per row the most probable cluster, its probability and all K posterior probabilities
/// (<c>row,cluster,probability,p1..pK</c>, the format of <c>cluster --assignments</c>). On the rows the
/// model was fitted on, the output equals the fit's assignments byte for byte.
/// </summary>
public static class GaussianPredictor
{
    public const string Kind = ClusterModelJson.KindName;

    public static LanguageExt.Fin<int> Run(PredictCommand.Request r) =>
        from plain in Parse(r.ModelPath, r.Model)
        from parsed in ConcomitantModel.Parse(r.ModelPath, r.Model, plain.K)
        let concomitant = parsed.MatchUnsafe(c => c, () => null)
        let model = concomitant is null ? plain : plain with { Weights = concomitant.Weights(plain.Weights.Pi) }
        from read in DataTableCsv.Read(r.File, Request(model, concomitant, r))
        // a model with concomitant variables: each row's prior from its own concomitant values
        from design in concomitant is null ? LanguageExt.Fin<LanguageExt.Option<ConcomitantWeights>>.Succ(None) : concomitant.Design(read).Map(Some)
        let z = design.MatchUnsafe(w => w, () => null)
        let table = read.NumericColumns.Length == model.Columns.Length ? read
            : read with { NumericColumns = read.NumericColumns[..model.Columns.Length], Values = read.Values.SubMatrix(0, read.Rows, 0, model.Columns.Length) }
        from posterior in PredictCommand.InFile(r.File, table, model.Posterior(table.Values, z))
        let assigned = Profiles.Assign(posterior.W)
        from _ in PredictCommand.Emit(r, s => AssignmentsCsv.Write(s, table.Lines, assigned.Labels, posterior.W))
        select Done(r, table, model, assigned.Labels);

    /// <summary>The model's columns as numbers and, with concomitant variables, theirs too (numeric ones as numbers, categorical
    /// ones as text), so that a missing column is an error naming it and --drop-missing drops a row missing any of them.</summary>
    private static TableRequest Request(GaussianModel model, ConcomitantModel? concomitant, PredictCommand.Request r)
    {
        if (concomitant is null) return new TableRequest(model.Columns, Separator: r.Separator, DropMissing: r.DropMissing, Numbers: r.Numbers);
        var extra = concomitant.Columns.Where(c => !model.Columns.Contains(c, StringComparer.OrdinalIgnoreCase));
        var numeric = extra.Where(c => !concomitant.Coding.IsCategorical(c));
        var text = concomitant.Columns.Where(concomitant.Coding.IsCategorical).ToList();
        return new TableRequest([.. model.Columns, .. numeric], text.Count == 0 ? null : text, Separator: r.Separator, DropMissing: r.DropMissing, Numbers: r.Numbers);
    }

    private static int Done(PredictCommand.Request r, DataTable table, GaussianModel model, IReadOnlyList<int> labels)
    {
        if (r.Out is not null && !r.Quiet)
        {
            var sizes = Enumerable.Range(0, model.K).Select(k => $"{k + 1}: {labels.Count(l => l == k)}");
            Console.WriteLine($"cluster labels for {table.Rows} row(s) written to {r.Out} (sizes {string.Join(", ", sizes)})" +
                              (table.DroppedRows > 0 ? $"; {table.DroppedRows} row(s) with missing values dropped" : ""));
        }
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Reads and checks every field of a gaussian-mixture model.json that prediction uses, each failure one
    /// line naming the file and the field: the columns (distinct names), the covariance type, K (when
    /// given) against the weights, the weights (finite, non-negative, summing to 1 within 1e-8), the means
    /// (finite), the covariances (finite, the type's shape, symmetric, positive definite), regCovar (finite,
    /// non-negative) and the scaler (finite means; scales positive, finite and normal doubles, at least
    /// 2.2E-308, since a subnormal scale cannot standardize anything).
    /// </summary>
    public static LanguageExt.Fin<GaussianModel> Parse(string path, JsonElement root)
    {
        LanguageExt.Fin<GaussianModel> Bad(string what) => LanguageExt.Fin<GaussianModel>.Fail(Failure.Data($"{path}: {what}"));
        if (!root.TryGetProperty("columns", out var colEl) || colEl.ValueKind != JsonValueKind.Array || colEl.GetArrayLength() == 0 ||
            colEl.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(e.GetString())))
            return Bad("missing \"columns\" (the names of the clustered columns)");
        var columns = colEl.EnumerateArray().Select(e => e.GetString()!).ToImmutableArray();
        if (columns.GroupBy(c => c, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } dup)
            return Bad($"\"columns\" names '{dup.Key}' twice");
        var d = columns.Length;
        if (!root.TryGetProperty("covariance", out var covName) || covName.ValueKind != JsonValueKind.String || CovarianceTypes.Parse(covName.GetString()!) is not { } type)
            return Bad("\"covariance\" must be full, tied, diag or spherical");
        if (!root.TryGetProperty("weights", out var wEl) || wEl.ValueKind != JsonValueKind.Array || wEl.GetArrayLength() == 0)
            return Bad("\"weights\" must be a non-empty array of numbers");
        if (NotFinite(wEl, "weights") is { } badW) return Bad(badW);
        var weights = Numbers(wEl)!;
        var K = weights.Length;
        if (root.TryGetProperty("K", out var kEl) && (kEl.ValueKind != JsonValueKind.Number || !kEl.TryGetInt32(out var kValue) || kValue != K))
            return Bad($"\"K\" is {kEl.GetRawText()} but \"weights\" has {K} entries");
        if (weights.Select((w, k) => (w, k)).FirstOrDefault(t => !(t.w >= 0), (w: 0.0, k: -1)) is { k: >= 0 } neg)
            return Bad($"\"weights\"[{neg.k}] is {G(neg.w)}: weights must be non-negative");
        if (Math.Abs(weights.Sum() - 1) > 1e-8)
            return Bad($"\"weights\" must sum to 1 (they sum to {weights.Sum().ToString("G17", CultureInfo.InvariantCulture)})");
        if (!root.TryGetProperty("means", out var mEl)) return Bad("missing \"means\"");
        if (NotFinite(mEl, "means") is { } badM) return Bad(badM);
        if (Table(mEl, K, d) is not { } means)
            return Bad($"\"means\" must be {K} rows of {d} numbers (one per column: {string.Join(", ", columns)})");
        if (!root.TryGetProperty("covariances", out var cEl)) return Bad("missing \"covariances\"");
        if (NotFinite(cEl, "covariances") is { } badC) return Bad(badC);
        double[]? cov = type switch
        {
            CovarianceType.Full => cEl.ValueKind == JsonValueKind.Array && cEl.GetArrayLength() == K
                ? cEl.EnumerateArray().Select(e => Table(e, d, d)).ToArray() is var blocks && blocks.All(b => b is not null) ? blocks.SelectMany(b => b!).ToArray() : null
                : null,
            CovarianceType.Tied => Table(cEl, d, d),
            CovarianceType.Diag => Table(cEl, K, d),
            CovarianceType.Spherical => Numbers(cEl) is { } v && v.Length == K ? v : null,
            _ => null,
        };
        if (cov is null)
            return Bad($"\"covariances\" must have the {type.Name()} shape for K = {K}, d = {d} " + type switch
            {
                CovarianceType.Full => $"({K} matrices of {d} x {d})",
                CovarianceType.Tied => $"(one {d} x {d} matrix)",
                CovarianceType.Diag => $"({K} rows of {d} variances)",
                _ => $"({K} variances)",
            });
        if (type is CovarianceType.Full or CovarianceType.Tied)
            for (var b = 0; b < cov.Length / (d * d); b++)
            for (var i = 0; i < d; i++)
            for (var j = 0; j < i; j++)
                if (cov[b * d * d + i * d + j] != cov[b * d * d + j * d + i])
                    return Bad($"\"covariances\"{(type == CovarianceType.Full ? $"[{b}]" : "")} is not symmetric (entries [{i}][{j}] and [{j}][{i}] differ)");
        Scaler? scaler = null;
        if (root.TryGetProperty("scaler", out var sEl) && sEl.ValueKind != JsonValueKind.Null)
        {
            if (sEl.ValueKind != JsonValueKind.Object || !sEl.TryGetProperty("mean", out var sm) || !sEl.TryGetProperty("scale", out var ss))
                return Bad($"\"scaler\" must hold \"mean\" and \"scale\", {d} numbers each (or be null)");
            if (NotFinite(sm, "scaler.mean") is { } badSm) return Bad(badSm);
            if (NotFinite(ss, "scaler.scale") is { } badSs) return Bad(badSs);
            if (Numbers(sm) is not { } mean || mean.Length != d) return Bad($"\"scaler.mean\" must hold {d} numbers, one per column");
            if (Numbers(ss) is not { } scale || scale.Length != d) return Bad($"\"scaler.scale\" must hold {d} numbers, one per column");
            for (var j = 0; j < d; j++)
                if (!(scale[j] >= GaussianData.SmallestNormal))
                    return Bad($"\"scaler.scale\"[{j}] is {G(scale[j])}: a scale must be positive and a normal double (at least 2.2E-308)");
            scaler = new Scaler(mean.ToImmutableArray(), scale.ToImmutableArray());
        }
        var reg = GaussianFamily.DefaultRegCovar;
        if (root.TryGetProperty("regCovar", out var rEl) && rEl.ValueKind != JsonValueKind.Null)
        {
            if (rEl.ValueKind != JsonValueKind.Number || !rEl.TryGetDouble(out reg) || !double.IsFinite(reg) || !(reg >= 0))
                return Bad($"\"regCovar\" is {rEl.GetRawText()}: it must be a finite non-negative number");
        }
        return GaussianComponents.Create(type, K, d, means, cov, columns).Match(
            Succ: c => LanguageExt.Fin<GaussianModel>.Succ(new GaussianModel(c, MixingWeights.Of(weights), scaler, columns, reg)),
            Fail: e => e is NotPositiveDefiniteError pd
                ? Bad(type == CovarianceType.Tied
                    ? "\"covariances\" is not positive definite (it has no Cholesky factor)"
                    : $"\"covariances\"[{pd.Component - 1}] is not positive definite (it has no Cholesky factor)")
                : Bad(e.Message));
    }

    private static string G(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>Null, or which number below <paramref name="e"/> is not a finite double (e.g. 1e400), by its JSON path.</summary>
    private static string? NotFinite(JsonElement e, string field)
    {
        string? Walk(JsonElement x, string at)
        {
            switch (x.ValueKind)
            {
                case JsonValueKind.Number:
                    return x.TryGetDouble(out var v) && double.IsFinite(v) ? null : $"\"{field}\"{at} is {x.GetRawText()}, not a finite double";
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var y in x.EnumerateArray())
                        if (Walk(y, $"{at}[{i++}]") is { } bad) return bad;
                    return null;
                default:
                    return null;
            }
        }
        return Walk(e, "");
    }

    private static double[]? Numbers(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array && e.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var x) && double.IsFinite(x))
            ? e.EnumerateArray().Select(v => v.GetDouble()).ToArray()
            : null;

    /// <summary>rows x cols numbers, flattened row-major, or null.</summary>
    private static double[]? Table(JsonElement e, int rows, int cols)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != rows) return null;
        var flat = new List<double>(rows * cols);
        foreach (var r in e.EnumerateArray())
        {
            if (Numbers(r) is not { } v || v.Length != cols) return null;
            flat.AddRange(v);
        }
        return flat.ToArray();
    }
}
