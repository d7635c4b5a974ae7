using System.Text.Json.Serialization;
using Mixtures.Domain.Comparison;
using Mixtures.Domain.Regression;
using Mixtures.Data;

namespace Mixtures.Shell.Output;

/// <summary>compare.json of <c>mixtures compare</c> (schema in README.md).</summary>
public sealed record CompareResults(
    CompareResultsData Data, CompareResultsSettings Settings, CompareResultsSplit Split, IReadOnlyList<CompareResultsSegment> Segments,
    CompareResultsFits Fits, IReadOnlyList<CompareResultsScore> Scores, string BestHeldOut, string Reported)
{
    /// <summary>Why the mixture expectation is the latent-class prediction that is reported.</summary>
    public const string ReportedRule =
        "latent-class is the mixture expectation sum_c pi_c x'beta_c: with no concomitant variables Pr[class c | x] = pi_c, so this is E[y | x], " +
        "the squared-error-optimal forecast from x. latent-class-most-likely predicts every row with the class of largest pi_c, the most likely " +
        "class given x alone. latent-class-posterior-assigned uses the class most likely given x AND the test row's own y: it needs the answer " +
        "it predicts, so it is an in-sample diagnostic of how well the classes separate, not a held-out score.";

    /// <summary>The coding of each categorical covariate (levels, reference, dummy names), absent when every covariate is numeric.</summary>
    public IReadOnlyList<CategoricalCodingJson>? Categorical { get; init; }

    public static CompareResults From(CompareInput input, string kText, ComparisonSettings settings, ComparisonResult r)
    {
        var data = input.Data;
        var lines = input.Table.Lines;
        var segments = r.Segments.Select(s => new CompareResultsSegment(s.Name, s.TrainRows, s.TestRows, s.Fit is null ? "pooled" : "own", s.Fallback)).ToList();
        var fits = new CompareResultsFits(
            input.Coefficients,
            Ols(r.Pooled, null),
            data.Segment is null ? null : r.Segments.Select(s => s.Fit is null ? new CompareResultsOls(s.Name, null, null, s.TrainRows, s.Fallback) : Ols(s.Fit, s.Name)).ToList(),
            LatentClass(r));
        var scores = r.Scores.Select(s => new CompareResultsScore(
            s.Model.Name(), s.Model.Description(), !s.InSampleDiagnostic, Metrics(s.Overall, null),
            data.Segment is null ? null : s.BySegment.Select((m, j) => m is null ? new CompareResultsMetrics(data.SegmentNames[j], 0, null, null, null) : Metrics(m, data.SegmentNames[j])).ToList()))
            .ToList();
        var best = r.Scores.Where(s => !s.InSampleDiagnostic).MinBy(s => s.Overall.Mae)!.Model.Name();
        return new CompareResults(
            new CompareResultsData(Path.GetFileName(input.File), data.Rows, input.Columns.Y, input.Columns.X, input.Columns.Segment),
            new CompareResultsSettings(settings.TestFraction, settings.Seed, kText, r.LatentClass.Fits.Select(f => f.K).ToList(), settings.Starts, "per-class",
                data.Segment is not null),
            new CompareResultsSplit(r.Split.Train.Length, r.Split.Test.Length,
                "ceil(testFraction * rows) test rows, drawn per known segment in proportion to its size (stratified) when --segment is given; " +
                "xoshiro256** Fisher-Yates shuffle seeded from --seed",
                r.Split.Test.Select(i => lines[i]).ToList()),
            segments, fits, scores, best, ReportedRule) { Categorical = CategoricalCodingJson.Of(input.Coding) };
    }

    private static CompareResultsOls Ols(OlsFit f, string? segment) => new(segment, f.Beta.ToArray(), f.Sigma, f.Rows, null);

    private static CompareResultsMetrics Metrics(PredictionMetrics m, string? segment) => new(segment, m.Rows, m.Mae, m.Rmse, m.R2);

    private static CompareResultsLatentClass LatentClass(ComparisonResult r)
    {
        var best = r.Selected.Estimate!.Best;
        return new CompareResultsLatentClass(
            r.Selected.K,
            r.LatentClass.Fits.Length > 1 ? "lowest BIC = -2 log L + k ln n_train" : "given (--k)",
            r.LatentClass.Fits.Select(f => new CompareResultsSelection(f.K, f.Estimate?.LogLikelihood, f.Estimate?.Bic, f.Estimate?.Aic, f.FreeParameters,
                f.Estimate?.Best.Iterations, f.Estimate?.Best.Converged, f.Failure)).ToList(),
            best.Mixture.Components.Classes.Select((c, k) => new CompareResultsClass(k + 1, best.Mixture.Weights.Pi[k], c.Beta.ToArray(), c.Sigma)).ToList(),
            r.MostLikelyClass + 1);
    }
}

public sealed record CompareResultsData(string File, int Rows, string Y, IReadOnlyList<string> X, string? Segment);

public sealed record CompareResultsSettings(double TestFraction, ulong Seed, string K, IReadOnlyList<int> KTried, int Starts, string Variance, bool Stratified);

public sealed record CompareResultsSplit(int TrainRows, int TestRows, string Rule, IReadOnlyList<int> TestLines);

/// <summary>A known segment: its rows and whether it got its own OLS (<c>own</c>) or fell back to the pooled one.</summary>
public sealed record CompareResultsSegment(string Name, int TrainRows, int TestRows, string Model, string? Fallback);

public sealed record CompareResultsFits(
    IReadOnlyList<string> CoefficientNames, CompareResultsOls Pooled, IReadOnlyList<CompareResultsOls>? PerSegment, CompareResultsLatentClass LatentClass);

/// <summary>An OLS fit: beta (intercept first), ML sigma, rows; for a segment without its own fit, beta and sigma are absent and fallback says why.</summary>
public sealed record CompareResultsOls(string? Segment, double[]? Beta, double? Sigma, int Rows, string? Fallback);

public sealed record CompareResultsLatentClass(
    [property: JsonPropertyName("K")] int K, string Criterion, IReadOnlyList<CompareResultsSelection> Selection,
    IReadOnlyList<CompareResultsClass> Classes, int MostLikelyClass);

public sealed record CompareResultsSelection(
    [property: JsonPropertyName("K")] int K, double? LogLikelihood, double? Bic, double? Aic, int FreeParameters, int? Iterations, bool? Converged, string? Failure);

public sealed record CompareResultsClass(int Class, double Pi, double[] Beta, double Sigma);

/// <summary>A predictor's accuracy; <c>heldOut</c> is false for the in-sample diagnostic.</summary>
public sealed record CompareResultsScore(string Model, string Description, bool HeldOut, CompareResultsMetrics Overall, IReadOnlyList<CompareResultsMetrics>? BySegment);

/// <summary>MAE, RMSE, R^2 over some test rows (R^2 null when their y are all equal; all null for a segment without test rows).</summary>
public sealed record CompareResultsMetrics(string? Segment, int Rows, double? Mae, double? Rmse, double? R2);
