using System.Text.Json.Serialization;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Data;

namespace Mixtures.Shell.Output;

/// <summary>
/// model.json of <c>mixtures cluster</c> (kind "gaussian-mixture", formatVersion 1, as the regression model.json): everything <c>mixtures predict</c>
/// needs (columns, scaler, covariance type, weights, means, covariances in scikit-learn's shapes, on
/// the scale the model was fitted on) plus the K table, the profiles and the confidence summary.
/// </summary>
public sealed record ClusterModelJson(
    string Kind,
    int FormatVersion,
    IReadOnlyList<string> Columns,
    string Covariance,
    string MclustModel,
    double RegCovar,
    ClusterScalerJson? Scaler,
    [property: JsonPropertyName("K")] int K,
    double[] Weights,
    double[][] Means,
    object Covariances,
    double[][] MeansOriginalUnits,
    double LogLikelihood,
    double Bic,
    double Aic,
    int FreeParameters,
    int Observations,
    string Criterion,
    string StopRule,
    string DegenerateRule,
    ClusterDataJson Data,
    ClusterSettingsJson Settings,
    IReadOnlyList<ClusterKJson> Selection,
    IReadOnlyList<ClusterProfileJson> Profiles,
    ConfidenceSummary Confidence)
{
    public const string KindName = "gaussian-mixture";

    /// <summary>With <c>--concomitant</c>: the concomitant model (terms, gamma, its coding and columns, SEs conditional on the
    /// component parameters); absent otherwise. "weights" are then the mean priors over the rows.</summary>
    public ConcomitantJson? Concomitant { get; init; }

    /// <summary>The model with its concomitant part and each profile's concomitant means (unchanged without concomitants).</summary>
    public ClusterModelJson WithConcomitant(Concomitant concomitant, GaussianEstimate est,
        LanguageExt.Fin<System.Collections.Immutable.ImmutableArray<System.Collections.Immutable.ImmutableArray<Mixtures.Domain.Regression.ParameterEstimate>>> gamma,
        System.Collections.Immutable.ImmutableArray<ConcomitantMean> means, bool fullGamma = false)
    {
        if (concomitant.Model is not { } z) return this;
        var json = ConcomitantJson.From(z, est.Model.Weights, gamma.IfFail([]), "cluster") with
        {
            Categorical = concomitant.Coding is { } coding ? CategoricalCodingJson.Of(coding) : null,
            Columns = concomitant.Columns,
            StandardErrors = gamma.Match(Succ: g => g.IsEmpty ? null : ConcomitantOutput.GammaNote(fullGamma), Fail: e => "not available: " + e.Message),
        };
        return this with
        {
            Concomitant = json,
            Profiles = Profiles.Select((p, c) => p with { ConcomitantMeans = ConcomitantOutput.MeansJson(means, c) }).ToList(),
        };
    }

    /// <summary>The observation weights (<c>--weights</c>): column, sum and n in BIC (their sum); the profiles are then
    /// weighted. Absent without weights.</summary>
    public ObservationWeightsJson? ObservationWeights { get; init; }

    /// <summary>For a streaming fit (<c>--stream</c>), how it was made; null otherwise.</summary>
    public ClusterStreamingJson? Streaming { get; init; }

    public static ClusterModelJson From(DataTable table, GaussianEstimate est, IReadOnlyList<ClusterProfile> profiles, ConfidenceSummary confidence)
    {
        var m = est.Model;
        var c = m.Components;
        var d = c.D;
        var s = est.Settings;
        var selected = est.SelectedResult;
        var means = Enumerable.Range(0, c.K).Select(k => c.Means.Skip(k * d).Take(d).ToArray()).ToArray();
        object cov = c.Type switch
        {
            CovarianceType.Full => Enumerable.Range(0, c.K).Select(k => Rows(c.Covariances.Skip(k * d * d).Take(d * d).ToArray(), d)).ToArray(),
            CovarianceType.Tied => Rows(c.Covariances.ToArray(), d),
            CovarianceType.Diag => Rows(c.Covariances.ToArray(), d),
            CovarianceType.Spherical => c.Covariances.ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(est)),
        };
        return new ClusterModelJson(
            KindName, 1, m.Columns, c.Type.Name(), c.Type.MclustName(), m.RegCovar,
            m.Scaler is null ? null : new ClusterScalerJson(m.Scaler.Mean.ToArray(), m.Scaler.Scale.ToArray()),
            c.K, m.Weights.Pi.ToArray(), means, cov,
            means.Select(mu => m.Scaler?.MeanToOriginal(mu) ?? mu).ToArray(),
            selected.LogLikelihood, selected.Bic, selected.Aic, selected.Estimate!.FreeParameters, est.Observations,
            ClusterText.Criterion(s.Standardize, s.Select, est.Concomitant?.Q ?? 0), ClusterText.StopRule(s), ClusterText.DegenerateRule(s),
            new ClusterDataJson(Path.GetFileName(table.File), table.SeparatorName, table.Rows, table.DroppedRows),
            new ClusterSettingsJson(string.Join(",", est.Path.Select(p => p.K)), s.Covariance.Name(), s.Starts, s.Seed, s.Standardize, s.RegCovar, s.Tolerance,
                s.MaxIterations, ClusterText.InitOption(s.Init), s.AllowDegenerate, s.EmOptions.Algorithm,
                est.Estimation.Screened ? s.ScreenIterations : 0, est.Estimation.Screened ? s.Finalists : s.Starts,
                s.Select == Mixtures.Domain.Em.SelectionCriterion.Bic ? null : RegressionModelJson.CriterionName(s.Select)),
            est.Path.Select(p => ClusterKJson.From(p, est.SelectedK, s.Select == Mixtures.Domain.Em.SelectionCriterion.Icl)).ToList(),
            profiles.Select(p => new ClusterProfileJson(p.Cluster, p.Size, p.Fraction, p.Means.Select(Nullable).ToArray(),
                p.ShareOfTotal.Select(Nullable).ToArray(), Nullable(p.MeanConfidence), p.Weight)).ToList(),
            confidence);
    }

    private static double[][] Rows(double[] flat, int d) => Enumerable.Range(0, flat.Length / d).Select(r => flat.Skip(r * d).Take(d).ToArray()).ToArray();

    internal static double? Nullable(double v) => double.IsFinite(v) ? v : null;
}

/// <summary>How a streaming fit (<c>cluster --stream</c>) was made: rows per block, passes over the data, the sample the start
/// was fitted on and its log L, the log L of every streaming iteration, and the rules in words.</summary>
public sealed record ClusterStreamingJson(int ChunkRows, int Passes, int SampleRows, double SampleLogLikelihood, double[] Trace, string Note);

public sealed record ClusterScalerJson(double[] Mean, double[] Scale);

public sealed record ClusterDataJson(string File, string Separator, int Rows, int DroppedRows);

/// <summary>How the fit was searched; <see cref="Algorithm"/> says which EM ran ("squarem" or "none" for plain EM).</summary>
public sealed record ClusterSettingsJson(string Ks, string Covariance, int Starts, ulong Seed, bool Standardize, double RegCovar, double Tol, int MaxIterations,
    string Init, bool AllowDegenerate, string Algorithm, int ScreenIterations, int Finalists, string? Select = null);

/// <summary>One row of the K table.</summary>
public sealed record ClusterKJson(
    [property: JsonPropertyName("K")] int K, double? LogLikelihood, double? Bic, double? Aic, int? FreeParameters, int? Iterations, bool? Converged,
    bool Degenerate, IReadOnlyList<string> Collapsed, int? StartsAtBest, int? StartsRun, int? DegenerateStarts, int? FailedStarts, int? StartsScreenedOut,
    bool Fragile, string? BelowPrevious, bool Selected, string? Failure, double? Icl = null)
{
    /// <summary>The row of K; ICL is written only when it chose K (<paramref name="withIcl"/>).</summary>
    public static ClusterKJson From(KEstimate<GaussianComponents> r, int selectedK, bool withIcl = false) => r.Estimate is { } e
        ? new ClusterKJson(r.K, e.LogLikelihood, e.Bic, e.Aic, e.FreeParameters, e.Best.Iterations, e.Best.Converged, r.HasProblems,
            r.Problems.ToList(), e.StartsAtBest, e.Runs, r.RejectedStarts, e.FailedStarts, e.ScreenedOut, e.Fragile, r.BelowPrevious, r.K == selectedK, null,
            withIcl ? e.Icl : null)
        : new ClusterKJson(r.K, null, null, null, null, null, null, false, [], null, null, null, null, null, false, null, false, r.Failure);
}

/// <summary>A cluster's size, means (original units), shares of the column totals and mean confidence.</summary>
/// <summary>A cluster's profile; with observation weights <see cref="Weight"/> is the sum of its rows' weights and the
/// fraction, means, shares and mean confidence are weighted (absent without weights).</summary>
public sealed record ClusterProfileJson(int Cluster, int Size, double Fraction, double?[] Means, double?[] ShareOfTotal, double? MeanConfidence, double? Weight = null)
{
    /// <summary>The posterior-weighted mean of each concomitant variable (a level: its share) in the cluster; absent without concomitants.</summary>
    public IReadOnlyList<ConcomitantMeanJson>? ConcomitantMeans { get; init; }
}

/// <summary>Conventions stated in output and help text.</summary>
public static class ClusterText
{
    /// <summary>The start kinds in words.</summary>
    public static string InitName(GaussianInit init) => init switch
    {
        GaussianInit.Portfolio => "k-means++, uniform, Dirichlet and partition",
        GaussianInit.KMeans => "k-means++",
        _ => "random",
    };

    /// <summary>The --init value.</summary>
    public static string InitOption(GaussianInit init) => init switch
    {
        GaussianInit.Portfolio => "portfolio",
        GaussianInit.KMeans => "kmeans",
        _ => "random",
    };

    public static string Criterion(bool standardized, Mixtures.Domain.Em.SelectionCriterion select = Mixtures.Domain.Em.SelectionCriterion.Bic, int concomitantTerms = 0) =>
        "BIC = -2 log L + k ln n, AIC = -2 log L + 2k, " +
        (select == Mixtures.Domain.Em.SelectionCriterion.Icl ? "ICL = BIC - 2 sum_i log max_k W[i,k], " : "") +
        "lower is better (scikit-learn's sign; mclust reports 2 log L - k ln n, higher is better); " +
        "k = covariance parameters + K d means + " +
        (concomitantTerms > 0 ? $"(K - 1) q concomitant coefficients (q = {concomitantTerms})" : "K - 1 weights") +
        "; log L on the data as fitted" + (standardized ? " (standardized)" : "");

    public static string StopRule(GaussianSettings s) =>
        $"EM stops when |log L_t - log L_(t-1)| / n < {s.Tolerance.ToString("G", System.Globalization.CultureInfo.InvariantCulture)} " +
        $"(scikit-learn's tol, change of the mean log-likelihood per row) or after {s.MaxIterations} iterations";

    public static string DegenerateRule(GaussianSettings s) =>
        $"a component is degenerate when an eigenvalue of its covariance is at most {Degeneracy.Factor} x reg-covar " +
        $"(= {Degeneracy.Threshold(s.RegCovar).ToString("G3", System.Globalization.CultureInfo.InvariantCulture)}); " +
        (s.AllowDegenerate ? "degenerate fits were allowed in the choice of start and K" : "degenerate fits were excluded from the choice of start and K");
}
