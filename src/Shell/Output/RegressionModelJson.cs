using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Data;

namespace Mixtures.Shell.Output;

/// <summary>
/// model.json of <c>mixtures regress</c> (schema in README.md): everything needed to reproduce the
/// fit (file, columns, settings, seed) and to predict (columns, coefficients, sigmas, weights).
/// <c>mixtures predict</c> dispatches on <see cref="Kind"/>.
/// </summary>
public sealed record RegressionModelJson(
    string Kind,
    int FormatVersion,
    string Model,
    string? Family,
    string? Link,
    RegressionModelData Data,
    string Y,
    ImmutableArray<string> X,
    bool Intercept,
    ImmutableArray<string> Coefficients,
    string? Group,
    string? Offset,
    string? Trials,
    string? Variance,
    double? FixedVariance,
    RegressionModelSettings Settings,
    RegressionModelConventions Conventions,
    [property: JsonPropertyName("selectedK")] int SelectedK,
    RegressionSelectedModel Selected,
    IReadOnlyList<RegressionModelSummary> Models)
{
    /// <summary>The value of "kind" for this model type.</summary>
    public const string KindName = "regression";

    /// <summary>The current format version.</summary>
    public const int Version = 1;

    /// <summary>The coding of each categorical covariate of "x" (levels, reference, dummy names), absent when every
    /// covariate is numeric; <c>predict</c> codes new data the same way.</summary>
    public IReadOnlyList<CategoricalCodingJson>? Categorical { get; init; }

    /// <summary>The observation weights (<c>--weights</c>): column, sum and n in BIC; absent without weights.</summary>
    public ObservationWeightsJson? ObservationWeights { get; init; }

    /// <summary>How a streaming fit (<c>regress --stream</c>) ran: block rows, passes, the sample's start and the trace of
    /// log L; absent for an in-memory fit.</summary>
    public ClusterStreamingJson? Streaming { get; init; }

    /// <summary>The model with its observation weights recorded, and n in BIC stated as their sum (unchanged without weights).</summary>
    public RegressionModelJson WithWeights(ObservationWeightsJson? weights) =>
        weights is null ? this : this with
        {
            ObservationWeights = weights,
            Conventions = Conventions with { N = $"n = sum of the observation weights ({weights.Column}) over the rows = {ObservationWeightsJson.Number(weights.BicN)} ({Data.Rows} rows)" },
        };

    public static RegressionModelJson From(RegressionInput input, RegressionSettings settings, EstimationPath<RegressionComponents> path, KEstimate<RegressionComponents> selected, SelectionCriterion criterion,
        LanguageExt.Fin<RegressionInference> inference, ImmutableArray<ClassProfile> profiles, IReadOnlyList<int> ks, ConcomitantWeights? concomitant = null)
    {
        var s = settings;
        var est = selected.Estimate!;
        var comps = est.Best.Mixture.Components;
        var pi = est.Best.Mixture.Weights;
        var names = input.Coefficients;
        RegressionInference? inf = null;
        string? unavailable = null;
        inference.Match(Succ: i => inf = i, Fail: e => unavailable = e.Message);
        var classes = Enumerable.Range(0, est.K).Select(c => new RegressionModelClass(
            c + 1,
            pi.Pi[c],
            comps.Classes[c].Sigma,
            comps.Classes[c].Beta.ToArray(),
            inf is null ? null : names.Select((nm, j) => RegressionCoefficientJson.From(nm, inf.Beta[c][j])).ToList(),
            inf is null ? null : IntervalJson.From(inf.Pi[c]),
            inf is null || inf.Sigma.Length == 0 ? null : IntervalJson.From(inf.Sigma[s.Variance.Kind == VarianceKind.PerClass ? c : 0]))).ToList();
        var selectedJson = new RegressionSelectedModel(
            est.K, est.LogLikelihood, est.Bic, est.Aic, est.Icl, est.FreeParameters, classes,
            inf?.Logit.Select((l, j) => RegressionCoefficientJson.From($"log(pi_{j + 2}/pi_1)", l)).ToList(),
            inf?.LogSigma.Select((l, j) => RegressionCoefficientJson.From(inf.LogSigma.Length == 1 ? "log(sigma)" : $"log(sigma_{j + 1})", l)).ToList(),
            unavailable,
            profiles.Select(p => new RegressionProfileJson(p.Class, p.Units, p.Rows, Finite(p.MeanY),
                p.MeanCovariates.Select(Finite).ToArray(), Finite(p.MeanPosterior))).ToList(),
            concomitant is null ? null : ConcomitantJson.From(concomitant, pi, inf));
        return new RegressionModelJson(
            KindName, Version,
            "y_i = x_i' beta_c + e_i, e_i ~ N(0, sigma_c^2), Pr[class c] = pi_c" + (input.Columns.Group is null ? "" : $"; all rows of one {input.Columns.Group} share a class"),
            null, null,
            new RegressionModelData(Path.GetFileName(input.File), input.Rows, input.Units, input.Table.DroppedRows, input.Table.SeparatorName),
            input.Columns.Y, input.Columns.X, input.Columns.Intercept, names, input.Columns.Group, null, null,
            s.Variance.Kind switch { VarianceKind.PerClass => "per-class", VarianceKind.Common => "common", _ => "fixed" },
            s.Variance.Kind == VarianceKind.Fixed ? s.Variance.FixedVariance : null,
            new RegressionModelSettings(ks.ToArray(), s.Starts, s.Seed, s.Tolerance, s.MaxIterations, s.MinPrior, CriterionName(criterion),
                s.EmOptions.Algorithm, path.Screened ? s.ScreenIterations : 0, path.Screened ? s.Finalists : s.Starts),
            RegressionModelConventions.Standard,
            est.K, selectedJson,
            path.Fits.Select(f => RegressionModelSummary.From(f)).ToList()) { Categorical = CategoricalCodingJson.Of(input.Coding) };
    }

    /// <summary>model.json of a Poisson or binomial mixture: the same schema with "family", "link", "offset" and "trials",
    /// and no "variance" or "sigma".</summary>
    public static RegressionModelJson FromGlm(GlmInput glm, GlmSettings settings, EstimationPath<GlmComponents> path, KEstimate<GlmComponents> selected,
        SelectionCriterion criterion, LanguageExt.Fin<RegressionInference> inference, ImmutableArray<ClassProfile> profiles, IReadOnlyList<int> ks,
        ConcomitantWeights? concomitant = null)
    {
        var input = glm.Regression;
        var s = settings;
        var est = selected.Estimate!;
        var comps = est.Best.Mixture.Components;
        var pi = est.Best.Mixture.Weights;
        var names = input.Coefficients;
        RegressionInference? inf = null;
        string? unavailable = null;
        inference.Match(Succ: i => inf = i, Fail: e => unavailable = e.Message);
        var classes = Enumerable.Range(0, est.K).Select(c => new RegressionModelClass(
            c + 1, pi.Pi[c], null, comps.Classes[c].Beta.ToArray(),
            inf is null ? null : names.Select((nm, j) => RegressionCoefficientJson.From(nm, inf.Beta[c][j])).ToList(),
            inf is null ? null : IntervalJson.From(inf.Pi[c]), null)).ToList();
        var selectedJson = new RegressionSelectedModel(
            est.K, est.LogLikelihood, est.Bic, est.Aic, est.Icl, est.FreeParameters, classes,
            inf?.Logit.Select((l, j) => RegressionCoefficientJson.From($"log(pi_{j + 2}/pi_1)", l)).ToList(),
            null, unavailable,
            profiles.Select(p => new RegressionProfileJson(p.Class, p.Units, p.Rows, Finite(p.MeanY),
                p.MeanCovariates.Select(Finite).ToArray(), Finite(p.MeanPosterior))).ToList(),
            concomitant is null ? null : ConcomitantJson.From(concomitant, pi, inf));
        var response = glm.Glm.Response;
        var model = response == GlmResponse.Poisson
            ? "y_i ~ Poisson(mu_ic), log mu_ic = x_i' beta_c" + (glm.Glm.Offset is null ? "" : $" + {glm.Glm.Offset}_i")
            : $"y_i ~ Binomial({glm.Glm.Trials ?? "1"}, p_ic), logit p_ic = x_i' beta_c";
        model += concomitant is null ? ", Pr[class c] = pi_c" : ", Pr[class c | z] = softmax_c(z' gamma_c)";
        return new RegressionModelJson(
            KindName, Version,
            model + (input.Columns.Group is null ? "" : $"; all rows of one {input.Columns.Group} share a class"),
            response.Name(), response.Link(),
            new RegressionModelData(Path.GetFileName(input.File), input.Rows, input.Units, input.Table.DroppedRows, input.Table.SeparatorName),
            input.Columns.Y, input.Columns.X, input.Columns.Intercept, names, input.Columns.Group, glm.Glm.Offset, glm.Glm.Trials,
            null, null,
            new RegressionModelSettings(ks.ToArray(), s.Starts, s.Seed, s.Tolerance, s.MaxIterations, s.MinPrior, CriterionName(criterion),
                s.EmOptions.Algorithm, path.Screened ? s.ScreenIterations : 0, path.Screened ? s.Finalists : s.Starts),
            RegressionModelConventions.Glm,
            est.K, selectedJson,
            path.Fits.Select(f => RegressionModelSummary.From(f)).ToList()) { Categorical = CategoricalCodingJson.Of(input.Coding) };
    }

    /// <summary>The model with its concomitant columns and the coding of its categorical concomitant variables in
    /// <c>selected.concomitant</c>, and each profile's concomitant means (unchanged without concomitant variables).</summary>
    public RegressionModelJson WithConcomitant(Concomitant concomitant, ImmutableArray<Mixtures.Domain.Model.ConcomitantMean> means)
    {
        if (concomitant.Model is null || Selected.Concomitant is null) return this;
        var coded = WithConcomitantCoding(concomitant.Coding);
        return coded with
        {
            Selected = coded.Selected with
            {
                Concomitant = coded.Selected.Concomitant! with { Columns = concomitant.Columns },
                Profiles = coded.Selected.Profiles.Select((p, c) => p with { ConcomitantMeans = ConcomitantOutput.MeansJson(means, c) }).ToList(),
            },
        };
    }

    /// <summary>The model with the coding of its categorical concomitant variables in <c>selected.concomitant.categorical</c>
    /// (unchanged without concomitant variables or when they are all numeric).</summary>
    public RegressionModelJson WithConcomitantCoding(Mixtures.Data.DesignCoding? coding) =>
        coding is null || !coding.HasCategorical || Selected.Concomitant is null
            ? this
            : this with { Selected = Selected with { Concomitant = Selected.Concomitant with { Categorical = CategoricalCodingJson.Of(coding) } } };

    public static string CriterionName(SelectionCriterion c) => c switch
    {
        SelectionCriterion.Bic => "bic",
        SelectionCriterion.Aic => "aic",
        SelectionCriterion.Icl => "icl",
        _ => c.ToString().ToLowerInvariant(),
    };

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}

/// <summary>A categorical covariate's treatment coding: its levels in coding order, the reference level (absent when
/// every level has a dummy: the first categorical column of a design without intercept) and the dummies' names.</summary>
public sealed record CategoricalCodingJson(string Column, IReadOnlyList<string> Levels, string? Reference, IReadOnlyList<string> Dummies)
{
    /// <summary>The categorical columns of a coding, or null when there are none.</summary>
    public static IReadOnlyList<CategoricalCodingJson>? Of(Mixtures.Data.DesignCoding coding) =>
        coding.HasCategorical ? coding.Categorical.Select(c => new CategoricalCodingJson(c.Column, c.Levels, c.Reference, c.Names)).ToList() : null;
}

public sealed record RegressionModelData(string File, int Rows, int Units, int DroppedRows, string Separator);

/// <summary>How the fit was searched; <see cref="Algorithm"/> says which EM ran ("squarem" or "none" for plain EM).</summary>
public sealed record RegressionModelSettings(int[] Ks, int Starts, ulong Seed, double Tol, int MaxIterations, double MinPrior, string Criterion,
    string Algorithm, int ScreenIterations, int Finalists);

/// <summary>Conventions that differ between tools, stated in the file.</summary>
public sealed record RegressionModelConventions(string Criteria, string N, string FreeParameters, string Stop, string Degenerate, string Order, string StandardErrors)
{
    public static RegressionModelConventions Standard { get; } = new(
        "BIC = -2 log L + k ln n, AIC = -2 log L + 2k, ICL = BIC - 2 sum_u log max_c W[u,c]; lower is better (flexmix's sign; mclust's is the opposite)",
        "n = rows of the data file (also with --group)",
        "k = K p + (K per-class, 1 common or 0 fixed variances) + (K - 1) weights",
        "EM stops when max |W_new - W_old| < tol; log L is evaluated at the final parameters",
        "a start is abandoned when a class weight falls below minPrior, a class empties, its variance collapses (< 1e-6 of the pooled residual variance, an sd below 1/1000 of the pooled residual sd) or its weighted design is singular; a K whose every start is abandoned has no solution",
        "classes in ascending order of their coefficients (intercept first)",
        "observed information of the incomplete-data log-likelihood (analytic Hessian) in (beta, log sigma, log(pi_c/pi_1)), as flexmix::refit; sigma and pi by the delta method");

    /// <summary>The conventions of a Poisson or binomial mixture (no dispersion parameter).</summary>
    public static RegressionModelConventions Glm { get; } = new(
        Standard.Criteria,
        Standard.N,
        "k = K p + (K - 1) weights (no variance parameter)",
        Standard.Stop,
        "a start is abandoned when a class weight falls below minPrior, a class empties, its weighted design is singular or its GLM has no maximum (separation, counts all 0 along a direction of the design: weighted IRLS does not converge); a K whose every start is abandoned has no solution",
        Standard.Order,
        "observed information of the incomplete-data log-likelihood (analytic Hessian) in (beta, log(pi_c/pi_1)), as flexmix::refit; pi by the delta method");
}

public sealed record RegressionModelClass(
    int Class, double Pi, double? Sigma, double[] Beta,
    IReadOnlyList<RegressionCoefficientJson>? Coefficients, IntervalJson? PiInterval, IntervalJson? SigmaInterval);

/// <summary>A coefficient with SE, z, p and 95% interval (flexmix's refit table).</summary>
public sealed record RegressionCoefficientJson(string Name, double Estimate, double Se, double Z, double P, double Lower, double Upper)
{
    public static RegressionCoefficientJson From(string name, ParameterEstimate e) =>
        new(name, e.Estimate, e.StdError, e.Z, e.PValue, e.Lower, e.Upper);
}

/// <summary>An estimate's SE and 95% interval.</summary>
public sealed record IntervalJson(double Se, double Lower, double Upper)
{
    public static IntervalJson From(ParameterEstimate e) => new(e.StdError, e.Lower, e.Upper);
}

public sealed record RegressionProfileJson(int Class, int Units, int Rows, double? MeanY, double?[] MeanX, double? MeanPosterior)
{
    /// <summary>The posterior-weighted mean of each concomitant variable (a level: its share) in the class; absent without concomitants.</summary>
    public IReadOnlyList<ConcomitantMeanJson>? ConcomitantMeans { get; init; }
}

public sealed record RegressionSelectedModel(
    [property: JsonPropertyName("K")] int K, double LogLikelihood, double Bic, double Aic, double Icl, int FreeParameters,
    IReadOnlyList<RegressionModelClass> Classes,
    IReadOnlyList<RegressionCoefficientJson>? Logits,
    IReadOnlyList<RegressionCoefficientJson>? LogSigma,
    string? StandardErrorsUnavailable,
    IReadOnlyList<RegressionProfileJson> Profiles,
    ConcomitantJson? Concomitant = null);

/// <summary>The concomitant model of a fit: Pr[class k | z] = softmax_k(z' gamma_k), gamma_1 = 0; gamma[k][j] for the
/// terms in <see cref="Terms"/> (the intercept first).</summary>
public sealed record ConcomitantJson(string Model, IReadOnlyList<string> Terms, IReadOnlyList<double[]> Gamma,
    IReadOnlyList<IReadOnlyList<RegressionCoefficientJson>>? Coefficients)
{
    /// <summary>The coding of each categorical concomitant variable (levels, reference, dummies), absent when all are numeric.</summary>
    public IReadOnlyList<CategoricalCodingJson>? Categorical { get; init; }

    /// <summary>The concomitant columns as named in the data file, in order (what <c>predict</c> reads from a new file).</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>What the SEs in <see cref="Coefficients"/> are when they are not from the full observed information (cluster), or
    /// why there are none.</summary>
    public string? StandardErrors { get; init; }

    /// <summary>The model's terms, the weights' gamma and, when standard errors are available, gamma_2..gamma_K with their SEs.</summary>
    public static ConcomitantJson From(ConcomitantWeights model, Mixtures.Domain.Model.MixingWeights w, RegressionInference? inf) =>
        From(model, w, inf is null ? default : inf.Gamma);

    /// <summary>The model's terms, the weights' gamma and gamma_2..gamma_K with SEs when <paramref name="gamma"/> has them.</summary>
    public static ConcomitantJson From(ConcomitantWeights model, Mixtures.Domain.Model.MixingWeights w, ImmutableArray<ImmutableArray<ParameterEstimate>> gamma,
        string unit = "class") =>
        new($"Pr[{unit} k | z] = exp(z' gamma_k) / sum_c exp(z' gamma_c), gamma_1 = 0", model.Names,
            Enumerable.Range(0, w.K).Select(k => Enumerable.Range(0, w.CoefficientCount).Select(j => w.Gamma(k, j)).ToArray()).ToList(),
            gamma.IsDefaultOrEmpty ? null
                : gamma.Select(row => (IReadOnlyList<RegressionCoefficientJson>)row.Select((g, j) => RegressionCoefficientJson.From(model.Names[j], g)).ToList()).ToList());
}

/// <summary>One K of the path: criteria, iterations, starts, and the parameters.</summary>
public sealed record RegressionModelSummary(
    [property: JsonPropertyName("K")] int K, int FreeParameters, double? LogLikelihood, double? Bic, double? Aic, double? Icl,
    int? Iterations, bool? Converged, int StartsRun, int StartsAtBest, int StartsFailed, int StartsScreenedOut, string? BestStart,
    bool Fragile, string? BelowPrevious, string? Failure,
    IReadOnlyList<string>? StartFailures, IReadOnlyList<RegressionModelClass>? Classes)
{
    public static RegressionModelSummary From(KEstimate<RegressionComponents> f) =>
        From(f, (m, c) => new RegressionModelClass(c + 1, m.Weights.Pi[c], m.Components.Classes[c].Sigma, m.Components.Classes[c].Beta.ToArray(), null, null, null));

    /// <summary>One K of a GLM mixture's path (classes without sigma).</summary>
    public static RegressionModelSummary From(KEstimate<GlmComponents> f) =>
        From(f, (m, c) => new RegressionModelClass(c + 1, m.Weights.Pi[c], null, m.Components.Classes[c].Beta.ToArray(), null, null, null));

    private static RegressionModelSummary From<TC>(KEstimate<TC> f, Func<Mixture<TC>, int, RegressionModelClass> cls)
    {
        if (f.Estimate is not { } e)
            return new(f.K, f.FreeParameters, null, null, null, null, null, null, 0, 0, 0, 0, null, false, null, f.Failure, null, null);
        var m = e.Best.Mixture;
        return new(f.K, f.FreeParameters, e.LogLikelihood, e.Bic, e.Aic, e.Icl, e.Best.Iterations, e.Best.Converged,
            e.Runs, e.StartsAtBest, e.FailedStarts, e.ScreenedOut, e.Best.Start.ToString(), e.Fragile, f.BelowPrevious, null,
            e.Starts.Where(s => s.Failure is not null).Select(s => $"{s.Start}: {s.Failure}").ToList() is { Count: > 0 } l ? l : null,
            Enumerable.Range(0, e.K).Select(c => cls(m, c)).ToList());
    }
}
