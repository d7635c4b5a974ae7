using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Shell.Input;
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
        from model in Parse(r.ModelPath, r.Model)
        from table in DataTableCsv.Read(r.File, new TableRequest(model.Columns, Separator: r.Separator, DropMissing: r.DropMissing, Numbers: r.Numbers))
        from posterior in ClusterCommand.InFile(r.File, model.Posterior(table.Values))
        let assigned = Profiles.Assign(posterior.W)
        from _ in r.Out is null
            ? Stdout(s => AssignmentsCsv.Write(s, table.Lines, assigned.Labels, posterior.W))
            : Outputs.Commit([new PendingFile(r.Out, s => AssignmentsCsv.Write(s, table.Lines, assigned.Labels, posterior.W))], [r.File, r.ModelPath])
        select Done(r, table, model, assigned.Labels);

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

    private static LanguageExt.Fin<LanguageExt.Unit> Stdout(Action<Stream> write)
    {
        using var s = Console.OpenStandardOutput();
        write(s);
        return unit;
    }

    /// <summary>Reads and checks the fields of a gaussian-mixture model.json that prediction needs.</summary>
    public static LanguageExt.Fin<GaussianModel> Parse(string path, JsonElement root)
    {
        LanguageExt.Fin<GaussianModel> Bad(string what) => LanguageExt.Fin<GaussianModel>.Fail(Failure.Data($"{path}: {what}"));
        if (!root.TryGetProperty("columns", out var colEl) || colEl.ValueKind != JsonValueKind.Array || colEl.GetArrayLength() == 0 ||
            colEl.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(e.GetString())))
            return Bad("missing \"columns\" (the names of the clustered columns)");
        var columns = colEl.EnumerateArray().Select(e => e.GetString()!).ToImmutableArray();
        var d = columns.Length;
        if (!root.TryGetProperty("covariance", out var covName) || covName.ValueKind != JsonValueKind.String || CovarianceTypes.Parse(covName.GetString()!) is not { } type)
            return Bad("\"covariance\" must be full, tied, diag or spherical");
        if (!root.TryGetProperty("weights", out var wEl) || Numbers(wEl) is not { Length: > 0 } weights)
            return Bad("\"weights\" must be a non-empty array of numbers");
        var K = weights.Length;
        if (weights.Any(w => !(w >= 0) || !double.IsFinite(w)) || Math.Abs(weights.Sum() - 1) > 1e-8)
            return Bad($"\"weights\" must be non-negative and sum to 1 (they sum to {weights.Sum().ToString("G17", CultureInfo.InvariantCulture)})");
        if (!root.TryGetProperty("means", out var mEl) || Table(mEl, K, d) is not { } means)
            return Bad($"\"means\" must be {K} rows of {d} numbers (one per column: {string.Join(", ", columns)})");
        if (!root.TryGetProperty("covariances", out var cEl)) return Bad("missing \"covariances\"");
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
                if (cov[b * d * d + i * d + j] != cov[b * d * d + j * d + i]) return Bad($"covariance {b + 1} is not symmetric");
        Scaler? scaler = null;
        if (root.TryGetProperty("scaler", out var sEl) && sEl.ValueKind != JsonValueKind.Null)
        {
            if (sEl.ValueKind != JsonValueKind.Object || !sEl.TryGetProperty("mean", out var sm) || !sEl.TryGetProperty("scale", out var ss) ||
                Numbers(sm) is not { } mean || Numbers(ss) is not { } scale || mean.Length != d || scale.Length != d || scale.Any(x => !(x > 0)))
                return Bad($"\"scaler\" must hold \"mean\" and positive \"scale\", {d} numbers each");
            scaler = new Scaler(mean.ToImmutableArray(), scale.ToImmutableArray());
        }
        var reg = root.TryGetProperty("regCovar", out var rEl) && rEl.ValueKind == JsonValueKind.Number ? rEl.GetDouble() : GaussianFamily.DefaultRegCovar;
        return GaussianComponents.Create(type, K, d, means, cov, columns).Match(
            Succ: c => LanguageExt.Fin<GaussianModel>.Succ(new GaussianModel(c, MixingWeights.Of(weights), scaler, columns, reg)),
            Fail: e => Bad(e.Message));
    }

    private static double[]? Numbers(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array && e.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Number && double.IsFinite(v.GetDouble()))
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
