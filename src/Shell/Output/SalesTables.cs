using System.Globalization;
using Mixtures.Domain.Model;
using Mixtures.Data;
using Spectre.Console;

namespace Mixtures.Shell.Output;

/// <summary>Console tables for <c>mixtures sales</c>.</summary>
public static class SalesTables
{
    private static string F(double v, string fmt = "F4") => v.ToString(fmt, CultureInfo.InvariantCulture);

    public static void Print(SalesInput input, IReadOnlyList<SalesEstimate> estimates, int selectedK, Mixtures.Domain.Em.EstimationSettings settings,
        IAnsiConsole? output = null, SalesConcomitant? concomitant = null, ObservationWeightsJson? weights = null)
    {
        var console = output ?? AnsiConsole.Console;
        console.MarkupLine($"[bold]{Markup.Escape(Path.GetFileName(input.File))}[/]: {input.Stores} stores x {input.Weeks} weeks (n = N T = {input.Stores * input.Weeks})");
        if (weights is not null)
            console.WriteLine($"store weights ({weights.Column}): log L = sum_i w_i log f(y_i); n for BIC = T x sum of the weights = {input.Weeks} x {ObservationWeightsJson.Number(weights.Sum)} = {ObservationWeightsJson.Number(weights.BicN)}" +
                              (weights.ZeroWeight > 0 ? $"; {weights.ZeroWeight} store(s) of weight 0 left out" : ""));
        console.WriteLine("model: log S_it = alpha[c] + beta[c] log p_t + e_it, e_it ~ N(0, 1); segments ordered by ascending alpha");
        console.WriteLine($"search: {SearchText.Algorithm(settings.Options)}; {SearchText.Starts(settings.Plan, Mixtures.Domain.SalesModel.Family.StartKinds, settings.Plan.ScreensFor(input.Stores))}; " +
                          $"seed {settings.Seed}; stop when max |W_new - W_old| < {settings.Options.Tolerance.ToString("G3", CultureInfo.InvariantCulture)} (at most {settings.Options.MaxIterations} EM steps)");
        foreach (var e in estimates)
        {
            var mark = e.K == selectedK ? " [green](selected: lowest BIC)[/]" : "";
            var t = new Table().Title($"K = {e.K}{mark}").AddColumns("segment", "alpha", "beta", "pi");
            for (var c = 0; c < e.K; c++)
                t.AddRow((c + 1).ToString(CultureInfo.InvariantCulture), F(e.Theta.Segments[c].Alpha), F(e.Theta.Segments[c].Beta), F(e.Pi.Pi[c]));
            TableLayout.Write(console, t);
            // Below the table rather than as its caption, which would wrap to the table's width.
            console.WriteLine($"  log L = {F(e.LogLikelihood)}  BIC = {F(e.Bic, "F2")}  AIC = {F(e.Aic, "F2")}  k = {e.FreeParameters}");
            console.WriteLine($"  iterations = {e.Best.Iterations}{(e.Best.Converged ? "" : " (not converged)")}  " +
                              $"starts at best = {SearchText.AtBest(e.StartsAtBest, e.Runs)}  best start: {e.WinningStart}" +
                              (e.Starts.Any(s => s.Failure is not null) ? $"  failed starts = {e.Starts.Count(s => s.Failure is not null)}" : ""));
        }
        var summary = new Table().Title("Model selection (lower is better)").AddColumns("K", "log L", "k", "BIC", "AIC", "iterations", "converged", "starts at best", "flags", "");
        foreach (var e in estimates)
            summary.AddRow(e.K.ToString(CultureInfo.InvariantCulture), F(e.LogLikelihood), e.FreeParameters.ToString(CultureInfo.InvariantCulture),
                F(e.Bic, "F2"), F(e.Aic, "F2"), e.Best.Iterations.ToString(CultureInfo.InvariantCulture), e.Best.Converged ? "yes" : "no",
                SearchText.AtBest(e.StartsAtBest, e.Runs), SearchText.Flags(e.Fragile, e.BelowPrevious), e.K == selectedK ? "[green]<- selected[/]" : "");
        TableLayout.Write(console, summary);
        SearchText.PrintNotes(console, estimates.Select(e => (e.K, e.StartsAtBest, e.Runs, e.Fragile, e.BelowPrevious)));
        if (concomitant is not null)
        {
            console.WriteLine($"store attributes from {concomitant.StoresFile}: segment probabilities depend on {string.Join(", ", concomitant.Attributes.Columns)} " +
                              $"(pi above: the mean prior; k = 2K + (K - 1) q, q = {concomitant.Model.Q})");
            concomitant.Inference.IfFail(e => console.MarkupLine($"[yellow]standard errors of gamma not available: {Markup.Escape(e.Message)}[/]"));
            ConcomitantOutput.PrintGamma(console, concomitant.Model.Names, concomitant.Weights, concomitant.Gamma, "segment",
                $"K = {selectedK}; SEs from the observed information (alpha, beta, gamma; sigma fixed at 1)");
            ConcomitantOutput.PrintMeans(console, concomitant.Means, selectedK, "segment");
        }
        console.MarkupLine($"selected K = [bold]{selectedK}[/] (lowest BIC = k ln(N T) - 2 log L)");
    }
}
