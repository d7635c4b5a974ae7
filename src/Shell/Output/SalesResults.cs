using Mixtures.Domain.Model;
using Mixtures.Shell.Input;

namespace Mixtures.Shell.Output;

/// <summary>results.json of <c>mixtures sales</c> (schema in README.md).</summary>
public sealed record SalesResults(SalesResultsData Data, SalesResultsSettings Settings, IReadOnlyList<SalesResultsModel> Models, int SelectedK, string Criterion)
{
    public static SalesResults From(SalesInput input, SalesResultsSettings settings, IReadOnlyList<SalesEstimate> estimates)
    {
        var models = estimates.Select(SalesResultsModel.From).ToList();
        var selected = models[Mixtures.Domain.Em.Selection.ArgMin(models.Select(m => m.Bic).ToList())].K;
        return new SalesResults(new SalesResultsData(Path.GetFileName(input.File), input.Stores, input.Weeks), settings, models, selected,
            "lowest BIC = k ln(N T) - 2 log L, k = 3K - 1");
    }
}

public sealed record SalesResultsData(string File, int Stores, int Weeks);

public sealed record SalesResultsSettings(int Starts, ulong Seed, double Tol, int MaxIterations);

public sealed record SalesResultsModel(
    [property: System.Text.Json.Serialization.JsonPropertyName("K")] int K, double[][] Theta, double[] Pi, double LogLikelihood, double Bic, double Aic, int FreeParameters,
    int Iterations, bool Converged, int StartsAtBest, int StartsRun, int StartsFailed, string BestStart,
    IReadOnlyList<SalesResultsStart> Starts)
{
    public static SalesResultsModel From(SalesEstimate e) => new(
        e.K,
        e.Theta.Segments.Select(s => new[] { s.Alpha, s.Beta }).ToArray(),
        e.Pi.Pi.ToArray(),
        e.LogLikelihood, e.Bic, e.Aic, e.FreeParameters, e.Best.Iterations, e.Best.Converged,
        e.StartsAtBest, e.Starts.Length, e.Starts.Count(s => s.Failure is not null), e.WinningStart.ToString(),
        e.Starts.Select(s => new SalesResultsStart(s.Start.ToString(), double.IsNaN(s.LogLikelihood) ? null : s.LogLikelihood, s.Iterations, s.Converged, s.Failure)).ToList());
}

/// <summary>One start's outcome.</summary>
public sealed record SalesResultsStart(string Start, double? LogLikelihood, int Iterations, bool Converged, string? Failure)
{
}
