using System.Globalization;
using Mixtures.Domain.Model;
using Mixtures.Data;
using Mixtures.Shell.Output.Plots;
using Mixtures.Shell.Output.Reports;

namespace Mixtures.Shell.Output;

/// <summary>The HTML report of <c>mixtures sales</c>.</summary>
public static class SalesReport
{
    private static string F(double v, string fmt = "F4") => v.ToString(fmt, CultureInfo.InvariantCulture);
    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    public static ReportDocument Build(SalesInput input, SalesResults results, IReadOnlyList<SalesEstimate> estimates, IReadOnlyList<Chart> charts,
        SalesConcomitant? concomitant = null)
    {
        var sel = estimates.Single(e => e.K == results.SelectedK);
        var file = Path.GetFileName(input.File);
        var sizes = SegmentSizes(sel);
        var summary =
            $"The weekly sales of {input.Stores} stores over {input.Weeks} weeks ({file}) were explained by price with a store-segment model: " +
            $"each store belongs to one of K hidden segments, and each segment has its own demand curve log sales = alpha + beta log price. " +
            $"Models with K = {string.Join(", ", estimates.Select(e => I(e.K)))} segments were fitted; the lowest BIC selects K = {sel.K}, " +
            $"with segments of {string.Join(", ", sizes.Select(I))} stores.";
        var facts = new List<(string, string)>
        {
            ("data", $"{file}: {input.Stores} stores x {input.Weeks} weeks (n = N T = {input.Stores * input.Weeks} store-weeks)"),
            ("model", "log S_it = alpha[c] + beta[c] log p_t + e_it, e_it ~ N(0, 1); Pr[store in segment c] = pi_c"),
            ("selected", $"K = {sel.K} (lowest BIC = k ln(N T) - 2 log L)"),
            ("estimation", $"{SearchText.Algorithm(results.Settings.Algorithm)}; " +
                           $"{SearchText.Starts(new Mixtures.Domain.Em.StartPlan(results.Settings.Starts, results.Settings.ScreenIterations, results.Settings.Finalists), Mixtures.Domain.SalesModel.Family.StartKinds, results.Settings.ScreenIterations > 0)}; " +
                           $"seed {results.Settings.Seed}, stop when max |W_new - W_old| < {results.Settings.Tol.ToString("G", CultureInfo.InvariantCulture)}"),
        };
        var selection = new ReportTable("Model selection: one row per K (lower BIC and AIC are better)",
            ["K", "log L", "free parameters k", "BIC", "AIC", "EM iterations", "converged", "runs reaching the best", "notes"],
            estimates.Select(e => (IReadOnlyList<string>)[I(e.K), F(e.LogLikelihood), I(e.FreeParameters), F(e.Bic, "F2"), F(e.Aic, "F2"),
                I(e.Best.Iterations), e.Best.Converged ? "yes" : "no", $"{e.StartsAtBest} of {e.Runs}", SearchText.Note(e.Fragile, e.BelowPrevious)]).ToList(),
            new HashSet<int> { estimates.ToList().FindIndex(e => e.K == sel.K) });
        var sections = new List<ReportSection>
        {
            new("How many segments", [
                new ReportParagraph("BIC and AIC trade the fit (log-likelihood) against the number of parameters; the K with the lowest BIC is used. " +
                                    "A K whose EM did not converge, or that few starts reached, deserves caution."),
                selection,
                .. charts.Where(c => c.Name == "criteria").Select(c => new ReportFigure(c)),
            ]),
            new($"The {sel.K} segments", [
                new ReportParagraph("alpha is a segment's log sales at price 1; beta its price elasticity (the % change in sales for a 1% change in price). " +
                                    "pi is the share of stores expected in the segment; stores are counted in the segment they most likely belong to."),
                Parameters(sel, sizes),
                .. concomitant is null ? [] : new ReportBlock[]
                {
                    new ReportParagraph($"The segment probabilities depend on the store attributes {string.Join(", ", concomitant.Attributes.Columns)} (pi: the mean probability over the stores); " +
                                        "gamma's standard errors are from the observed information."),
                    ConcomitantOutput.GammaReport(concomitant.Model.Names, concomitant.Weights, concomitant.Gamma, "segment"),
                    ConcomitantOutput.MeansReport(concomitant.Means, sel.K, "segment"),
                },
                .. charts.Where(c => c.Name == "segments").Select(c => new ReportFigure(c)),
            ]),
            new("Every K fitted", estimates.Where(e => e.K != sel.K).Select(e => (ReportBlock)Parameters(e, SegmentSizes(e))).DefaultIfEmpty(
                new ReportParagraph("Only one K was fitted.")).ToList()),
            new("How this report was made", [
                new ReportList([
                    $"Input file: {file}. Prices and sales were logged.",
                    $"For each K: {SearchText.Starts(new Mixtures.Domain.Em.StartPlan(results.Settings.Starts, results.Settings.ScreenIterations, results.Settings.Finalists), Mixtures.Domain.SalesModel.Family.StartKinds, results.Settings.ScreenIterations > 0)}; the run with the highest log-likelihood was kept.",
                    "BIC = k ln(N T) - 2 log L with k = 3K - 1 free parameters (lower is better; mclust reports the opposite sign).",
                    $"Seed {results.Settings.Seed}: the same file and options give the same numbers.",
                ]),
            ]),
        };
        return new ReportDocument($"Store segments by price response: {file}", summary, facts, sections);
    }

    private static int[] SegmentSizes(SalesEstimate e)
    {
        var sizes = new int[e.K];
        for (var i = 0; i < e.Best.W.RowCount; i++)
        {
            var best = 0;
            for (var k = 1; k < e.K; k++) if (e.Best.W[i, k] > e.Best.W[i, best]) best = k;
            sizes[best]++;
        }
        return sizes;
    }

    private static ReportTable Parameters(SalesEstimate e, int[] sizes) =>
        new($"K = {e.K}: parameters per segment (log L = {F(e.LogLikelihood)}, BIC = {F(e.Bic, "F2")})",
            ["segment", "alpha", "beta (elasticity)", "pi", "stores (most likely)"],
            Enumerable.Range(0, e.K).Select(c => (IReadOnlyList<string>)[I(c + 1), F(e.Theta.Segments[c].Alpha), F(e.Theta.Segments[c].Beta), F(e.Pi.Pi[c]), I(sizes[c])]).ToList());
}
