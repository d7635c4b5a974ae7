using System.Collections.Immutable;
using System.Globalization;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using Mixtures.Data;
using Spectre.Console;

namespace Mixtures.Shell.Output;

/// <summary>Console tables for <c>mixtures regress</c>.</summary>
public static class RegressionTables
{
    private static string F(double v, string fmt = "F4") => NumberText.Fixed(v, fmt);
    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
    private static string P(double p) => p < 1e-4 ? "<1e-4" : F(p, "F4");

    public static void Print(RegressionInput input, RegressionSettings settings, EstimationPath<RegressionComponents> path, KEstimate<RegressionComponents> selected, SelectionCriterion criterion,
        LanguageExt.Fin<RegressionInference> inference, ImmutableArray<ClassProfile> profiles, IAnsiConsole? output = null, ConcomitantWeights? concomitant = null,
        ImmutableArray<ConcomitantMean> concomitantMeans = default)
    {
        var console = output ?? AnsiConsole.Console;
        var cols = input.Columns;
        var s = settings;
        console.MarkupLine($"[bold]{Markup.Escape(Path.GetFileName(input.File))}[/]: {input.Rows} rows" +
                           (cols.Group is null ? "" : $" in {input.Units} groups of {Markup.Escape(cols.Group)}") +
                           $" ({input.Table.SeparatorName}-separated)" +
                           (input.Table.DroppedRows > 0 ? $", {input.Table.DroppedRows} row(s) with missing or non-numeric values dropped" : ""));
        console.WriteLine($"model: {cols.Y} = x'beta_c + e, x = ({string.Join(", ", input.Coefficients.Select(c => c == "(Intercept)" ? "1" : c))}), " +
                          $"e ~ N(0, sigma_c^2) with {Describe(s.Variance)}" + (cols.Group is null ? "" : $"; all rows of one {cols.Group} share a class"));
        foreach (var line in CodingLines(input.Coding)) console.WriteLine(line);
        console.WriteLine($"search: {SearchText.Algorithm(s.EmOptions)}; {SearchText.Starts(s.Estimation.Plan, LatentClassRegression.Family(s.Variance).StartKinds, path.Screened)}; seed {s.Seed}; " +
                          $"stop when max|W_new - W_old| < {s.Tolerance.ToString("G3", CultureInfo.InvariantCulture)} " +
                          $"(at most {s.MaxIterations} EM steps); min prior {s.MinPrior.ToString("G3", CultureInfo.InvariantCulture)}" + (s.MinPrior > 0 ? " (starts with a smaller class weight are abandoned)" : " (disabled)"));

        var crit = RegressionModelJson.CriterionName(criterion).ToUpperInvariant();
        Selection(console, path, selected, crit);

        var est = selected.Estimate!;
        var m = est.Best.Mixture;
        var inf = Coefficients(console, input.Coefficients, est.K, (c, j) => m.Components.Classes[c].Beta[j], inference);

        var sp = new Table().Title("Class sizes and error scales").AddColumns("class", "pi", "SE", "95% CI", "sigma", "SE", "95% CI");
        for (var c = 0; c < est.K; c++)
        {
            var pc = m.Weights.Pi[c];
            var sg = m.Components.Classes[c].Sigma;
            ParameterEstimate? pe = inf?.Pi[c];
            ParameterEstimate? se = inf is null || inf.Sigma.Length == 0 ? null : inf.Sigma[s.Variance.Kind == VarianceKind.PerClass ? c : 0];
            sp.AddRow(I(c + 1), F(pc), pe is null ? "-" : F(pe.StdError), pe is null ? "-" : $"[[{F(pe.Lower)}, {F(pe.Upper)}]]",
                F(sg), se is null ? (s.Variance.Kind == VarianceKind.Fixed ? "fixed" : "-") : F(se.StdError),
                se is null ? "-" : $"[[{F(se.Lower)}, {F(se.Upper)}]]");
        }
        TableLayout.Write(console, sp);
        ConcomitantTable(console, m.Weights, concomitant, inf);

        Profiles(console, input, profiles);
        if (concomitant is not null) ConcomitantOutput.PrintMeans(console, concomitantMeans, est.K);
        console.MarkupLine($"selected K = [bold]{est.K}[/] (lowest {crit}; BIC = -2 log L + k ln n with k = K p + variances + {WeightParameters(concomitant)})" +
                           (est.FailedStarts > 0 ? $"; {est.FailedStarts} start(s) abandoned as degenerate" : ""));
    }

    /// <summary>The model-selection table of any family's path, and its notes.</summary>
    public static void Selection<TC>(IAnsiConsole console, EstimationPath<TC> path, KEstimate<TC> selected, string crit)
    {
        var summary = new Table().Title($"Model selection (lower is better; {ObservationWeightsJson.SampleSizeText(path.Observations, path.WeightedObservations, null)})")
            .AddColumns("K", "log L", "k", "BIC", "AIC", "ICL", "iterations", "converged", "starts at best", "failed starts", "flags", "");
        foreach (var f in path.Fits)
        {
            if (f.Estimate is not { } e)
            {
                summary.AddRow(I(f.K), "-", I(f.FreeParameters), "-", "-", "-", "-", "-", "-", "all", "", $"[yellow]no admissible solution: {Markup.Escape(f.Failure ?? "")}[/]");
                continue;
            }
            summary.AddRow(I(f.K), F(e.LogLikelihood), I(f.FreeParameters), F(e.Bic, "F2"), F(e.Aic, "F2"), F(e.Icl, "F2"),
                I(e.Best.Iterations), e.Best.Converged ? "yes" : "[yellow]no[/]", SearchText.AtBest(e.StartsAtBest, e.Runs), I(e.FailedStarts),
                SearchText.Flags(e.Fragile, f.BelowPrevious), f.K == selected.K ? $"[green]<- selected (lowest {crit})[/]" : "");
        }
        TableLayout.Write(console, summary);
        SearchText.PrintNotes(console, path.Fits.Where(f => f.Ok).Select(f => (f.K, f.Estimate!.StartsAtBest, f.Estimate.Runs, f.Estimate.Fragile, f.BelowPrevious)));
    }

    /// <summary>The coefficient table (with SEs when the inference is available); returns the inference or null.</summary>
    public static RegressionInference? Coefficients(IAnsiConsole console, IReadOnlyList<string> names, int K, Func<int, int, double> beta, LanguageExt.Fin<RegressionInference> inference)
    {
        RegressionInference? inf = inference.TryGet(out var ok, out _) ? ok : null;
        if (inf is null)
        {
            inference.IfFail(e => console.MarkupLine($"[yellow]standard errors not available: {Markup.Escape(e.Message)}[/]"));
            var plain = new Table().Title($"Coefficients, K = {K}").AddColumns("class", "term", "estimate");
            for (var c = 0; c < K; c++)
            for (var j = 0; j < names.Count; j++)
                plain.AddRow(j == 0 ? I(c + 1) : "", Markup.Escape(names[j]), F(beta(c, j)));
            TableLayout.Write(console, plain);
        }
        else
        {
            var coef = new Table().Title($"Coefficients, K = {K} (SE from the observed information; 95% Wald intervals)")
                .AddColumns("class", "term", "estimate", "SE", "z", "Pr(>|z|)", "95% CI");
            for (var c = 0; c < K; c++)
            for (var j = 0; j < names.Count; j++)
            {
                var b = inf.Beta[c][j];
                coef.AddRow(j == 0 ? I(c + 1) : "", Markup.Escape(names[j]), F(b.Estimate), F(b.StdError), F(b.Z, "F2"), P(b.PValue),
                    $"[[{F(b.Lower)}, {F(b.Upper)}]]");
            }
            TableLayout.Write(console, coef);
        }
        return inf;
    }

    /// <summary>The class profiles table.</summary>
    public static void Profiles(IAnsiConsole console, RegressionInput input, ImmutableArray<ClassProfile> profiles)
    {
        var cols = input.Columns;
        var prof = new Table().Title("Class profiles (each " + Markup.Escape(cols.Group ?? "row") + " assigned to its most likely class)")
            .AddColumns(["class", cols.Group is null ? "rows" : "groups", .. cols.Group is null ? Array.Empty<string>() : ["rows"], "share",
                Markup.Escape($"mean {cols.Y}"), .. input.Coding.Names.Select(x => Markup.Escape($"mean {x}")), "mean posterior"]);
        foreach (var p in profiles)
        {
            var units = cols.Group is null ? p.Rows : p.Units;
            string M(double v) => double.IsFinite(v) ? F(v) : "-";
            prof.AddRow([I(p.Class), I(units), .. cols.Group is null ? Array.Empty<string>() : [I(p.Rows)], F(units / (double)input.Units, "F3"),
                M(p.MeanY), .. p.MeanCovariates.Select(M), M(p.MeanPosterior)]);
        }
        TableLayout.Write(console, prof);
    }

    /// <summary>The tables of a Poisson or binomial mixture: as for a linear regression, with the class weights alone (no sigma).</summary>
    public static void PrintGlm(GlmInput glm, GlmSettings settings, EstimationPath<GlmComponents> path, KEstimate<GlmComponents> selected, SelectionCriterion criterion,
        LanguageExt.Fin<RegressionInference> inference, ImmutableArray<ClassProfile> profiles, ConcomitantWeights? concomitant = null,
        ImmutableArray<ConcomitantMean> concomitantMeans = default, IAnsiConsole? output = null)
    {
        var console = output ?? AnsiConsole.Console;
        var input = glm.Regression;
        var cols = input.Columns;
        var s = settings;
        console.MarkupLine($"[bold]{Markup.Escape(Path.GetFileName(input.File))}[/]: {input.Rows} rows" +
                           (cols.Group is null ? "" : $" in {input.Units} groups of {Markup.Escape(cols.Group)}") +
                           $" ({input.Table.SeparatorName}-separated)" +
                           (input.Table.DroppedRows > 0 ? $", {input.Table.DroppedRows} row(s) with missing or non-numeric values dropped" : ""));
        console.WriteLine("model: " + GlmModelText(glm) + (cols.Group is null ? "" : $"; all rows of one {cols.Group} share a class"));
        foreach (var line in CodingLines(input.Coding)) console.WriteLine(line);
        console.WriteLine($"search: {SearchText.Algorithm(s.EmOptions)}; {SearchText.Starts(s.Estimation.Plan, GlmFamily.Instance.StartKinds, path.Screened)}; seed {s.Seed}; " +
                          $"stop when max|W_new - W_old| < {s.Tolerance.ToString("G3", CultureInfo.InvariantCulture)} " +
                          $"(at most {s.MaxIterations} EM steps; M-step: weighted IRLS); min prior {s.MinPrior.ToString("G3", CultureInfo.InvariantCulture)}" + (s.MinPrior > 0 ? " (starts with a smaller class weight are abandoned)" : " (disabled)"));
        var crit = RegressionModelJson.CriterionName(criterion).ToUpperInvariant();
        Selection(console, path, selected, crit);
        var est = selected.Estimate!;
        var m = est.Best.Mixture;
        var inf = Coefficients(console, input.Coefficients, est.K, (c, j) => m.Components.Classes[c].Beta[j], inference);
        var sp = new Table().Title("Class sizes").AddColumns("class", "pi", "SE", "95% CI");
        for (var c = 0; c < est.K; c++)
        {
            ParameterEstimate? pe = inf?.Pi[c];
            sp.AddRow(I(c + 1), F(m.Weights.Pi[c]), pe is null ? "-" : F(pe.StdError), pe is null ? "-" : $"[[{F(pe.Lower)}, {F(pe.Upper)}]]");
        }
        TableLayout.Write(console, sp);
        ConcomitantTable(console, m.Weights, concomitant, inf);
        Profiles(console, input, profiles);
        if (concomitant is not null) ConcomitantOutput.PrintMeans(console, concomitantMeans, est.K);
        console.MarkupLine($"selected K = [bold]{est.K}[/] (lowest {crit}; BIC = -2 log L + k ln n with k = K p + {WeightParameters(concomitant)}, no variance parameter)" +
                           (est.FailedStarts > 0 ? $"; {est.FailedStarts} start(s) abandoned as degenerate" : ""));
    }

    /// <summary>The concomitant model's gamma table (with SEs when the inference has them); nothing with constant weights.</summary>
    public static void ConcomitantTable(IAnsiConsole console, MixingWeights weights, ConcomitantWeights? concomitant, RegressionInference? inf)
    {
        if (concomitant is null || !weights.HasCoefficients) return;
        var gt = new Table().Title(Markup.Escape("Concomitant model: Pr[class k | z] = softmax_k(z'gamma_k), gamma_1 = 0 (pi above: the mean prior)"))
            .AddColumns("class", "term", "gamma", "SE", "z", "Pr(>|z|)", "95% CI");
        for (var c = 1; c < weights.K; c++)
        for (var j = 0; j < weights.CoefficientCount; j++)
        {
            var g = inf is not null && !inf.Gamma.IsDefaultOrEmpty ? inf.Gamma[c - 1][j] : null;
            gt.AddRow(j == 0 ? I(c + 1) : "", Markup.Escape(concomitant.Names[j]), F(weights.Gamma(c, j)),
                g is null ? "-" : F(g.StdError), g is null ? "-" : F(g.Z, "F2"), g is null ? "-" : P(g.PValue), g is null ? "-" : $"[[{F(g.Lower)}, {F(g.Upper)}]]");
        }
        TableLayout.Write(console, gt);
    }

    /// <summary>The weights' share of k in BIC: "K - 1" (constant weights) or "(K - 1) q" with q's value.</summary>
    private static string WeightParameters(ConcomitantWeights? concomitant) =>
        concomitant is null ? "K - 1" : $"(K - 1) q, q = {concomitant.Q} concomitant terms";

    /// <summary>One line per categorical covariate: its levels, the reference and the dummies (none when every covariate is numeric).</summary>
    public static IEnumerable<string> CodingLines(DesignCoding coding) =>
        coding.Categorical.Select(c => $"categorical {c.Column}: levels {c.LevelList}; " +
                                       (c.Reference is null ? "a dummy for every level (no intercept)" : $"reference {c.Reference}") +
                                       $" (dummies {string.Join(", ", c.Names)})");

    /// <summary>"y ~ Poisson(mu_c), log mu_c = x'beta_c + offset, x = (1, x1)" and the binomial equivalent.</summary>
    public static string GlmModelText(GlmInput glm)
    {
        var cols = glm.Regression.Columns;
        var x = $"x = ({string.Join(", ", glm.Regression.Coefficients.Select(c => c == "(Intercept)" ? "1" : c))})";
        return glm.Glm.Response == GlmResponse.Poisson
            ? $"{cols.Y} ~ Poisson(mu_c), log mu_c = x'beta_c{(glm.Glm.Offset is null ? "" : " + " + glm.Glm.Offset)}, {x} (no dispersion parameter)"
            : $"{cols.Y} ~ Binomial({glm.Glm.Trials ?? "1"}, p_c), logit p_c = x'beta_c, {x} (no dispersion parameter)";
    }

    private static string Describe(VarianceModel v) => v.Kind switch
    {
        VarianceKind.PerClass => "one sigma per class",
        VarianceKind.Common => "one sigma common to all classes",
        _ => $"sigma^2 fixed at {v.FixedVariance.ToString("G6", CultureInfo.InvariantCulture)}",
    };
}
