using System.Globalization;
using System.Text.Json;
using Mixtures.Domain;
using Mixtures.Domain.Model;
using Mixtures.Data;
using Mixtures.Shell.Output;
using static LanguageExt.Prelude;

namespace Mixtures.Shell.Commands;

/// <summary>
/// <c>predict</c> for "kind": "sales" files (the results.json of <c>mixtures sales</c>): the segments of new
/// stores from their sales. The new file is a sales file like the fitted one (wide <c>Price,Store1,...</c> or
/// long <c>store,week,price,sales</c>); each store's posterior under the selected K is the spec's E-step,
/// W[i,c] = pi_c prod_t phi(log S_it - alpha_c - beta_c log p_t) / sum_k (...), written as
/// <c>store,resp_1..resp_K,segment,probability</c> (the format of <c>sales --assignments</c>). On the fitted
/// file itself the output equals <c>sales --assignments</c> byte for byte.
/// </summary>
public static class SalesPredictor
{
    public const string Kind = SalesResults.KindName;

    public static LanguageExt.Fin<int> Run(PredictCommand.Request r) =>
        from model in Parse(r.ModelPath, r.Model)
        from input in SalesCsv.Read(r.File, r.Separator, r.Numbers ?? NumberCells.Point)
        let W = SalesModel.EStep(model.Theta, model.Pi, input.LogSales, SalesModel.Design(input.Prices))
        from _ in PredictCommand.Emit(r, s => SalesAssignmentsCsv.Write(s, input.StoreNames, W))
        select Done(r, input, model.Theta.K, W);

    private static int Done(PredictCommand.Request r, SalesInput input, int K, MathNet.Numerics.LinearAlgebra.Matrix<double> W)
    {
        if (r.Out is not null && !r.Quiet)
        {
            var labels = Enumerable.Range(0, W.RowCount).Select(i => Enumerable.Range(0, K).MaxBy(k => W[i, k])).ToList();
            var sizes = Enumerable.Range(0, K).Select(k => $"{k + 1}: {labels.Count(l => l == k)}");
            Console.WriteLine($"segments (K = {K}) for {input.Stores} store(s) written to {r.Out} (sizes {string.Join(", ", sizes)})");
        }
        return ExitCodes.Ok;
    }

    /// <summary>
    /// The selected model of a sales results file: "selectedK" and the model with that "K" in "models", its
    /// "theta" (K pairs [alpha, beta], finite) and "pi" (K non-negative weights summing to 1 within 1e-8);
    /// each failure one line naming the file and the field.
    /// </summary>
    public static LanguageExt.Fin<(Theta Theta, MixingWeights Pi)> Parse(string path, JsonElement root)
    {
        LanguageExt.Fin<(Theta, MixingWeights)> Bad(string what) => LanguageExt.Fin<(Theta, MixingWeights)>.Fail(Failure.Data($"{path}: {what}"));
        if (root.TryGetProperty("concomitant", out var con) && con.ValueKind != JsonValueKind.Null)
            return Bad("the model has store attributes as concomitant variables (sales --stores --concomitant); predict for sales models does not take store attributes yet, so its segment probabilities would be wrong");
        if (!root.TryGetProperty("selectedK", out var kEl) || kEl.ValueKind != JsonValueKind.Number || !kEl.TryGetInt32(out var K) || K < 1)
            return Bad("\"selectedK\" must be a positive whole number");
        if (!root.TryGetProperty("models", out var models) || models.ValueKind != JsonValueKind.Array)
            return Bad("missing \"models\" (the fits per K)");
        var m = models.EnumerateArray().FirstOrDefault(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("K", out var k) && k.ValueKind == JsonValueKind.Number && k.TryGetInt32(out var kv) && kv == K);
        if (m.ValueKind != JsonValueKind.Object) return Bad($"no model with \"K\": {K} (the selectedK) in \"models\"");
        if (!m.TryGetProperty("theta", out var th) || th.ValueKind != JsonValueKind.Array || th.GetArrayLength() != K ||
            th.EnumerateArray().Any(p => p.ValueKind != JsonValueKind.Array || p.GetArrayLength() != 2 || p.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number || !double.IsFinite(v.GetDouble()))))
            return Bad($"K = {K}: \"theta\" must be {K} pairs [alpha, beta] of finite numbers");
        if (!m.TryGetProperty("pi", out var piEl) || piEl.ValueKind != JsonValueKind.Array || piEl.GetArrayLength() != K ||
            piEl.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number || !double.IsFinite(v.GetDouble()) || v.GetDouble() < 0))
            return Bad($"K = {K}: \"pi\" must be {K} non-negative finite weights");
        var pi = piEl.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        if (Math.Abs(pi.Sum() - 1) > 1e-8) return Bad($"K = {K}: the weights in \"pi\" sum to {pi.Sum().ToString("R", CultureInfo.InvariantCulture)}, not 1");
        var theta = Theta.Of(th.EnumerateArray().Select(p => (p[0].GetDouble(), p[1].GetDouble())).ToArray());
        return (theta, MixingWeights.Of(pi));
    }
}
