using System.Globalization;
using Mixtures.Domain.Comparison;
using Mixtures.Data;
using Mixtures.Shell.Output.Plots;
using Mixtures.Shell.Output.Reports;

namespace Mixtures.Shell.Output;

/// <summary>The HTML report of <c>mixtures compare</c>.</summary>
public static class CompareReport
{
    private static string F(double v) => NumberText.Fixed(v, "F2");

    public static ReportDocument Build(CompareInput input, CompareResults json, ComparisonResult r, IReadOnlyList<Chart> charts)
    {
        var file = Path.GetFileName(input.File);
        var y = input.Columns.Y;
        var pooled = r.Score(ComparedModel.Pooled).Overall;
        var latent = r.Score(ComparedModel.LatentClassExpectation).Overall;
        var hasSeg = input.Data.Segment is not null;
        var summary =
            $"How well can {y} be predicted from {string.Join(", ", input.Columns.X)}? Three approaches were fitted on {r.Split.Train.Length} randomly chosen rows of {file} " +
            $"and judged on the other {r.Split.Test.Length} rows, which they never saw: one regression for everybody (pooled), " +
            (hasSeg ? $"one regression per known {input.Columns.Segment} (per-segment), " : "") +
            $"and a latent class regression that looks for K = {r.Selected.K} hidden groups with their own regression lines without being told any segment. " +
            $"Held-out mean absolute error: pooled {F(pooled.Mae)}" +
            (hasSeg ? $", per-segment {F(r.Score(ComparedModel.PerSegment).Overall.Mae)}" : "") +
            $", latent class {F(latent.Mae)}. The lowest is {json.BestHeldOut}.";
        var facts = new List<(string, string)>
        {
            ("data", $"{file}: {input.Data.Rows} rows"),
            ("predicted", y),
            ("from", string.Join(", ", input.Columns.X) + " (with an intercept)"),
            ("known segment", input.Columns.Segment ?? "none given"),
            ("split", $"{r.Split.Train.Length} training / {r.Split.Test.Length} test rows, test fraction {json.Settings.TestFraction.ToString(CultureInfo.InvariantCulture)}, seed {json.Settings.Seed}" +
                      (hasSeg ? ", stratified by segment" : "")),
            ("latent classes", $"K = {r.Selected.K} ({(r.LatentClass.Fits.Length > 1 ? "lowest BIC among K = " + string.Join(", ", r.LatentClass.Fits.Select(f => f.K)) : "given")})"),
        };
        var sections = new List<ReportSection>
        {
            new("Accuracy on the held-out rows", [
                new ReportParagraph("MAE is the average size of a prediction error, in the units of " + y + "; RMSE weighs large errors more; " +
                                    "R^2 is the share of the test rows' variance explained (1 is perfect, 0 is no better than their mean). " +
                                    "Per-segment rows show how each model does for each known segment: a model can look good overall and still fail a small segment."),
                CompareTables.Accuracy(input, r),
                .. charts.Where(c => c.Name == "mae-by-segment").Select(c => new ReportFigure(c)),
            ]),
            new("Which latent-class prediction is reported", [
                new ReportParagraph(CompareResults.ReportedRule),
            ]),
        };
        if (hasSeg)
            sections.Add(new("Known segments", [CompareTables.Segments(r)]));
        sections.Add(new("The fitted models", [
            new ReportParagraph("Each row is one regression line: the intercept, one slope per covariate, and the residual standard deviation sigma. " +
                                "Latent classes are numbered by the fitting procedure; pi is a class's share of the rows."),
            CompareTables.Coefficients(input, r),
        ]));
        sections.Add(new("How many latent classes", [
            new ReportParagraph("The latent class regression was fitted on the training rows for each K; BIC (lower is better) balances fit against the number of parameters."),
            CompareTables.Selection(r),
            .. charts.Where(c => c.Name == "criteria").Select(c => new ReportFigure(c)),
        ]));
        sections.Add(new("How this report was made", [
            new ReportList([
                $"Input: {file}, columns {y} (response), {string.Join(", ", input.Columns.X)} (covariates)" + (hasSeg ? $", {input.Columns.Segment} (known segment)." : "."),
                "Split: " + json.Split.Rule + ".",
                "Pooled and per-segment models: ordinary least squares. A segment with fewer training rows than covariates + 2 uses the pooled model.",
                $"Latent class regression: EM with per-class variances, {json.Settings.Starts} random starts per K plus split starts, K by lowest BIC = -2 log L + k ln n on the training rows when not given.",
                "The same file, options and seed give the same numbers.",
            ]),
        ]));
        return new ReportDocument($"Segment models compared: predicting {y} in {file}", summary, facts, sections);
    }
}
