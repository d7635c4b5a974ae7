using Mixtures.Domain.Model;
using Mixtures.Data;

namespace Mixtures.Shell.Output;

/// <summary>results.json of <c>mixtures sales</c> (schema in README.md); <paramref name="Kind"/> is "sales", which
/// <c>mixtures predict --model results.json</c> reads.</summary>
public sealed record SalesResults(string Kind, SalesResultsData Data, SalesResultsSettings Settings, IReadOnlyList<SalesResultsModel> Models, int SelectedK, string Criterion)
{
    /// <summary>The "kind" of a sales results file.</summary>
    public const string KindName = "sales";

    /// <summary>The store weights (<c>--stores FILE --weights COL</c>): column, sum and n in BIC (T times their sum); absent without weights.</summary>
    public ObservationWeightsJson? ObservationWeights { get; init; }

    /// <summary>The store-attribute file the weights came from (absent without <c>--stores</c>).</summary>
    public string? StoresFile { get; init; }

    /// <summary>The results with the store weights recorded (and BIC's n stated as T times their sum); unchanged without them.</summary>
    public SalesResults WithWeights(ObservationWeightsJson? weights, string? storesFile) =>
        weights is null ? this with { StoresFile = storesFile is null ? null : Path.GetFileName(storesFile) } : this with
        {
            ObservationWeights = weights,
            StoresFile = storesFile is null ? null : Path.GetFileName(storesFile),
            Criterion = $"lowest BIC = k ln(n) - 2 log L, k = 3K - 1, n = T x sum of the store weights = {ObservationWeightsJson.Number(weights.BicN)}",
        };

    /// <summary>The file's content; <paramref name="selected"/> is the K the estimation path selected.</summary>
    public static SalesResults From(SalesInput input, SalesResultsSettings settings, IReadOnlyList<SalesEstimate> estimates, int selected)
    {
        var models = estimates.Select(SalesResultsModel.From).ToList();
        return new SalesResults(KindName, new SalesResultsData(Path.GetFileName(input.File), input.Stores, input.Weeks), settings, models, selected,
            "lowest BIC = k ln(N T) - 2 log L, k = 3K - 1");
    }

    /// <summary>The file's content with store attributes as concomitant variables (the same as without when <paramref name="concomitant"/> is null):
    /// every K's gamma, the selected K's concomitant model with SEs and attribute means per segment, and k = 2K + (K - 1) q.</summary>
    public static SalesResults From(SalesInput input, SalesResultsSettings settings, IReadOnlyList<SalesEstimate> estimates, int selected, SalesConcomitant? concomitant)
    {
        var plain = From(input, settings, estimates, selected);
        if (concomitant is null) return plain;
        return plain with
        {
            Models = estimates.Select(e => SalesResultsModel.From(e) with
            {
                Gamma = Enumerable.Range(0, e.K).Select(k => Enumerable.Range(0, e.Pi.CoefficientCount).Select(j => e.Pi.Gamma(k, j)).ToArray()).ToArray(),
            }).ToList(),
            Criterion = $"lowest BIC = k ln(N T) - 2 log L, k = 2K + (K - 1) q (q = {concomitant.Model.Q} concomitant terms)",
            Concomitant = concomitant.Json(),
        };
    }

    /// <summary>With <c>--stores --concomitant</c>: the store attributes (absent otherwise); "pi" of each model is then the mean prior.</summary>
    public SalesConcomitantJson? Concomitant { get; init; }
}

public sealed record SalesResultsData(string File, int Stores, int Weeks);

/// <summary>How the estimates were searched: random starts, seed, stopping rule, the EM algorithm that ran
/// ("squarem" or "none" for plain EM) and the screening of starts.</summary>
public sealed record SalesResultsSettings(int Starts, ulong Seed, double Tol, int MaxIterations, string Algorithm, int ScreenIterations, int Finalists)
{
    /// <summary>The settings as applied to data with <paramref name="units"/> stores (screening or not).</summary>
    public static SalesResultsSettings From(Mixtures.Domain.Em.EstimationSettings s, int units) =>
        new(s.Plan.Starts, s.Seed, s.Options.Tolerance, s.Options.MaxIterations, s.Options.Algorithm,
            s.Plan.ScreensFor(units) ? s.Plan.ScreenIterations : 0, s.Plan.ScreensFor(units) ? s.Plan.Finalists : s.Plan.Starts);
}

public sealed record SalesResultsModel(
    [property: System.Text.Json.Serialization.JsonPropertyName("K")] int K, double[][] Theta, double[] Pi, double LogLikelihood, double Bic, double Aic, int FreeParameters,
    int Iterations, bool Converged, int StartsAtBest, int StartsRun, int StartsFailed, int StartsScreenedOut, string BestStart,
    bool Fragile, string? BelowPrevious, IReadOnlyList<SalesResultsStart> Starts)
{
    /// <summary>With store attributes: gamma (K x q, row 1 zero) of the multinomial logit Pr[segment k | z]; absent otherwise.</summary>
    public double[][]? Gamma { get; init; }

    public static SalesResultsModel From(SalesEstimate e) => new(
        e.K,
        e.Theta.Segments.Select(s => new[] { s.Alpha, s.Beta }).ToArray(),
        e.Pi.Pi.ToArray(),
        e.LogLikelihood, e.Bic, e.Aic, e.FreeParameters, e.Best.Iterations, e.Best.Converged,
        e.StartsAtBest, e.Runs, e.Starts.Count(s => s.Failure is not null), e.Starts.Count(s => s.ScreenedOut), e.WinningStart.ToString(),
        e.Fragile, e.BelowPrevious,
        e.Starts.Select(s => new SalesResultsStart(s.Start.ToString(), double.IsNaN(s.LogLikelihood) ? null : s.LogLikelihood, s.Iterations, s.Converged,
            s.ScreenedOut, s.Failure)).ToList());
}

/// <summary>One start's outcome (a screened-out start's log L and iterations are those of its screening run).</summary>
public sealed record SalesResultsStart(string Start, double? LogLikelihood, int Iterations, bool Converged, bool ScreenedOut, string? Failure)
{
}
