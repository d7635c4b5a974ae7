using System.Collections.Immutable;
using System.Globalization;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Data;
using Mixtures.Shell.Output.Plots;
using Mixtures.Shell.Output.Reports;

namespace Mixtures.Shell.Output;

/// <summary>The HTML report of <c>mixtures regress</c>.</summary>
public static class RegressReport
{
    private static string F(double v, string fmt = "F4") => double.IsFinite(v) ? NumberText.Fixed(v, fmt) : "-";
    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    public static ReportDocument Build(RegressionInput input, RegressionSettings settings, EstimationPath<RegressionComponents> path, KEstimate<RegressionComponents> selected, SelectionCriterion criterion,
        LanguageExt.Fin<RegressionInference> inference, ImmutableArray<ClassProfile> profiles, IReadOnlyList<Chart> charts,
        IReadOnlyList<ReportBlock>? concomitant = null)
    {
        var cols = input.Columns;
        var file = Path.GetFileName(input.File);
        var crit = RegressionModelJson.CriterionName(criterion).ToUpperInvariant();
        var est = selected.Estimate!;
        var mix = est.Best.Mixture;
        var unit = cols.Group ?? "row";
        var summary =
            $"{cols.Y} was explained by {(cols.X.Length == 0 ? "a constant" : string.Join(", ", cols.X))} in {input.Rows} rows of {file} with a latent class regression: " +
            $"every {unit} belongs to one of K hidden classes, and each class has its own regression line and error spread. " +
            $"K = {string.Join(", ", path.Fits.Select(f => I(f.K)))} were fitted; the lowest {crit} selects K = {selected.K}, with classes of " +
            $"{string.Join(", ", profiles.Select(p => I(cols.Group is null ? p.Rows : p.Units)))} {unit}s.";
        var facts = new List<(string, string)>
        {
            ("data", $"{file}: {input.Rows} rows" + (cols.Group is null ? "" : $" in {input.Units} groups of {cols.Group}")),
            ("model", $"{cols.Y} = x'beta_c + e, x = ({string.Join(", ", input.Coefficients.Select(c => c == "(Intercept)" ? "1" : c))}), e ~ N(0, sigma_c^2)"),
            ("selected", $"K = {selected.K} (lowest {crit}, lower is better)"),
            ("estimation", $"{SearchText.Algorithm(settings.EmOptions)}; {SearchText.Starts(settings.Estimation.Plan, LatentClassRegression.Family(settings.Variance).StartKinds, path.Screened)}; seed {settings.Seed}"),
        };
        facts.InsertRange(2, RegressionTables.CodingLines(input.Coding).Select(l => ("coding", l)));
        var selection = SelectionTable(path, selected);
        RegressionInference? inf = inference.TryGet(out var ok, out _) ? ok : null;
        var coefRows = CoefficientRows(est.K, input.Coefficients, (c, j) => mix.Components.Classes[c].Beta[j], inf);
        var coefficients = new ReportTable($"Coefficients per class, K = {est.K}" + (inf is null ? " (standard errors not available)" : " (standard errors from the observed information; 95% Wald intervals)"),
            ["class", "term", "estimate", "SE", "95% interval"], coefRows);
        var sizes = new ReportTable("Class weights, error spread and profiles (each " + unit + " assigned to its most likely class)",
            ["class", "pi", "sigma", cols.Group is null ? "rows" : "groups", $"mean {cols.Y}", .. input.Coding.Names.Select(x => $"mean {x}"), "mean posterior"],
            profiles.Select(p => (IReadOnlyList<string>)[I(p.Class), F(mix.Weights.Pi[p.Class - 1]), F(mix.Components.Classes[p.Class - 1].Sigma),
                I(cols.Group is null ? p.Rows : p.Units), F(p.MeanY), .. p.MeanCovariates.Select(m => F(m)), F(p.MeanPosterior)]).ToList());
        var sections = new List<ReportSection>
        {
            new("How many classes", [
                new ReportParagraph("BIC, AIC and ICL trade the fit (log-likelihood) against the number of parameters; lower is better. " +
                                    $"K was chosen by the lowest {crit}. A K where every start degenerated has no admissible solution."),
                selection,
                .. charts.Where(c => c.Name == "criteria").Select(c => new ReportFigure(c)),
            ]),
            new($"The {est.K} classes", [
                new ReportParagraph("Each class has its own intercept and slopes: the estimate is the change in " + cols.Y + " for a unit change in the term, within that class. " +
                                    "pi is a class's share of the " + unit + "s; sigma the spread of " + cols.Y + " around the class's line. " +
                                    "The mean posterior says how clearly the " + unit + "s of a class belong to it (1 = no doubt)."),
                coefficients,
                sizes,
                .. concomitant ?? [],
                .. charts.Where(c => c.Name == "classes").Select(c => new ReportFigure(c)),
            ]),
            new("Convergence", [
                new ReportParagraph($"EM raises the log-likelihood at every iteration (SQUAREM's extrapolations are kept only when they do too); the best of {est.Runs} runs taken to convergence for K = {est.K} was {est.Best.Start}."),
                .. charts.Where(c => c.Name == "loglik-trace").Select(c => new ReportFigure(c)),
            ]),
            new("How this report was made", [
                new ReportList([
                    $"Input file: {file}; response {cols.Y}, covariates {(cols.X.Length == 0 ? "none" : string.Join(", ", cols.X))}" + (cols.Intercept ? " and an intercept." : ", no intercept.") +
                    (cols.Group is null ? "" : $" All rows of one {cols.Group} share a class."),
                    $"For each K: {SearchText.Starts(settings.Estimation.Plan, LatentClassRegression.Family(settings.Variance).StartKinds, path.Screened)}; a start is abandoned when a class weight falls below {settings.MinPrior.ToString("G3", CultureInfo.InvariantCulture)} or a class collapses.",
                    $"BIC = -2 log L + k ln n with k = K p + variances + {(concomitant is null ? "K - 1" : "(K - 1) q")} and n = rows (mclust reports the opposite sign).",
                    $"Seed {settings.Seed}: the same file and options give the same numbers.",
                ]),
            ]),
        };
        return new ReportDocument($"Latent class regression of {cols.Y}: {file}", summary, facts, sections);
    }

    /// <summary>The report of a Poisson or binomial mixture: the same sections as for a linear regression, without sigma.</summary>
    public static ReportDocument BuildGlm(GlmInput glm, GlmSettings settings, EstimationPath<GlmComponents> path, KEstimate<GlmComponents> selected, SelectionCriterion criterion,
        LanguageExt.Fin<RegressionInference> inference, ImmutableArray<ClassProfile> profiles, IReadOnlyList<Chart> charts,
        IReadOnlyList<ReportBlock>? concomitant = null)
    {
        var input = glm.Regression;
        var cols = input.Columns;
        var file = Path.GetFileName(input.File);
        var crit = RegressionModelJson.CriterionName(criterion).ToUpperInvariant();
        var est = selected.Estimate!;
        var mix = est.Best.Mixture;
        var unit = cols.Group ?? "row";
        var family = glm.Glm.Response.Name();
        var summary =
            $"{cols.Y} was explained by {(cols.X.Length == 0 ? "a constant" : string.Join(", ", cols.X))} in {input.Rows} rows of {file} with a mixture of {family} regressions: " +
            $"every {unit} belongs to one of K hidden classes, and each class has its own {(glm.Glm.Response == GlmResponse.Poisson ? "log-linear model of the mean count" : "logistic model of the success probability")}. " +
            $"K = {string.Join(", ", path.Fits.Select(f => I(f.K)))} were fitted; the lowest {crit} selects K = {selected.K}, with classes of " +
            $"{string.Join(", ", profiles.Select(p => I(cols.Group is null ? p.Rows : p.Units)))} {unit}s.";
        var facts = new List<(string, string)>
        {
            ("data", $"{file}: {input.Rows} rows" + (cols.Group is null ? "" : $" in {input.Units} groups of {cols.Group}")),
            ("model", RegressionTables.GlmModelText(glm)),
            ("selected", $"K = {selected.K} (lowest {crit}, lower is better)"),
            ("estimation", $"{SearchText.Algorithm(settings.EmOptions)}; {SearchText.Starts(settings.Estimation.Plan, GlmFamily.Instance.StartKinds, path.Screened)}; seed {settings.Seed}; M-step: weighted IRLS"),
        };
        facts.InsertRange(2, RegressionTables.CodingLines(input.Coding).Select(l => ("coding", l)));
        var selection = SelectionTable(path, selected);
        RegressionInference? inf = inference.TryGet(out var ok, out _) ? ok : null;
        var coefRows = CoefficientRows(est.K, input.Coefficients, (c, j) => mix.Components.Classes[c].Beta[j], inf);
        var coefficients = new ReportTable($"Coefficients per class on the {glm.Glm.Response.Link()} scale, K = {est.K}" + (inf is null ? " (standard errors not available)" : " (standard errors from the observed information; 95% Wald intervals)"),
            ["class", "term", "estimate", "SE", "95% interval"], coefRows);
        var sizes = new ReportTable("Class weights and profiles (each " + unit + " assigned to its most likely class)",
            ["class", "pi", cols.Group is null ? "rows" : "groups", $"mean {cols.Y}", .. input.Coding.Names.Select(x => $"mean {x}"), "mean posterior"],
            profiles.Select(p => (IReadOnlyList<string>)[I(p.Class), F(mix.Weights.Pi[p.Class - 1]),
                I(cols.Group is null ? p.Rows : p.Units), F(p.MeanY), .. p.MeanCovariates.Select(m => F(m)), F(p.MeanPosterior)]).ToList());
        var sections = new List<ReportSection>
        {
            new("How many classes", [
                new ReportParagraph("BIC, AIC and ICL trade the fit (log-likelihood) against the number of parameters; lower is better. " +
                                    $"K was chosen by the lowest {crit}. A K where every start degenerated has no admissible solution."),
                selection,
                .. charts.Where(c => c.Name == "criteria").Select(c => new ReportFigure(c)),
            ]),
            new($"The {est.K} classes", [
                new ReportParagraph("Each class has its own coefficients on the " + glm.Glm.Response.Link() + " scale: " +
                                    (glm.Glm.Response == GlmResponse.Poisson ? "exp(estimate) is the factor by which the mean count changes" : "exp(estimate) is the factor by which the odds of success change") +
                                    " for a unit change in the term, within that class. pi is a class's share of the " + unit + "s. " +
                                    "The mean posterior says how clearly the " + unit + "s of a class belong to it (1 = no doubt)."),
                coefficients,
                sizes,
                .. concomitant ?? [],
                .. charts.Where(c => c.Name == "classes").Select(c => new ReportFigure(c)),
            ]),
            new("Convergence", [
                new ReportParagraph($"EM raises the log-likelihood at every iteration (SQUAREM's extrapolations are kept only when they do too); the best of {est.Runs} runs taken to convergence for K = {est.K} was {est.Best.Start}."),
                .. charts.Where(c => c.Name == "loglik-trace").Select(c => new ReportFigure(c)),
            ]),
            new("How this report was made", [
                new ReportList([
                    $"Input file: {file}; response {cols.Y}, covariates {(cols.X.Length == 0 ? "none" : string.Join(", ", cols.X))}" + (cols.Intercept ? " and an intercept." : ", no intercept.") +
                    (glm.Glm.Offset is null ? "" : $" Offset {glm.Glm.Offset}.") + (glm.Glm.Trials is null ? "" : $" Trials {glm.Glm.Trials}.") +
                    (cols.Group is null ? "" : $" All rows of one {cols.Group} share a class."),
                    $"For each K: {SearchText.Starts(settings.Estimation.Plan, GlmFamily.Instance.StartKinds, path.Screened)}; a start is abandoned when a class weight falls below {settings.MinPrior.ToString("G3", CultureInfo.InvariantCulture)} or a class's GLM has no maximum.",
                    $"log L includes the constants (log y! or log C(n, y)); BIC = -2 log L + k ln n with k = K p + {(concomitant is null ? "K - 1" : "(K - 1) q")} (no variance parameter) and n = rows.",
                    $"Seed {settings.Seed}: the same file and options give the same numbers.",
                ]),
            ]),
        };
        return new ReportDocument($"Mixture of {family} regressions of {cols.Y}: {file}", summary, facts, sections);
    }

    /// <summary>The model-selection table of a regression path: one row per K, the selected K's row marked.</summary>
    private static ReportTable SelectionTable<TC>(EstimationPath<TC> path, KEstimate<TC> selected) =>
        new($"Model selection: one row per K ({ObservationWeightsJson.SampleSizeText(path.Observations, path.WeightedObservations, null)}; lower is better)",
            ["K", "log L", "free parameters k", "BIC", "AIC", "ICL", "EM iterations", "converged", "runs reaching the best", "notes"],
            path.Fits.Select(f => f.Estimate is not { } e
                ? (IReadOnlyList<string>)[I(f.K), "-", I(f.FreeParameters), "-", "-", "-", "-", "-", "-", "no admissible solution: " + f.Failure]
                : [I(f.K), F(e.LogLikelihood), I(f.FreeParameters), F(e.Bic, "F2"), F(e.Aic, "F2"), F(e.Icl, "F2"), I(e.Best.Iterations),
                    e.Best.Converged ? "yes" : "no", $"{e.StartsAtBest} of {e.Runs}", SearchText.Note(e.Fragile, f.BelowPrevious)]).ToList(),
            new HashSet<int> { path.Fits.IndexOf(selected) });

    /// <summary>The coefficient table's rows: per class and term the estimate <paramref name="beta"/>(class, term), and
    /// its standard error and 95% interval where <paramref name="inference"/> has them.</summary>
    private static List<IReadOnlyList<string>> CoefficientRows(int K, IReadOnlyList<string> terms, Func<int, int, double> beta, RegressionInference? inference)
    {
        var rows = new List<IReadOnlyList<string>>();
        for (var c = 0; c < K; c++)
        for (var j = 0; j < terms.Count; j++)
        {
            var b = inference?.Beta[c][j];
            rows.Add([j == 0 ? $"class {c + 1}" : "", terms[j], F(beta(c, j)),
                b is null ? "-" : F(b.StdError), b is null ? "-" : $"{F(b.Lower)} to {F(b.Upper)}"]);
        }
        return rows;
    }
}
