using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Comparison;

/// <summary>
/// Known segments versus one model versus latent classes, on one held-out split: a pooled OLS, one OLS
/// per known segment, and a latent class regression are fitted on the training rows and scored on the
/// test rows by MAE, RMSE and R^2, overall and per known segment.
/// </summary>
public static class ModelComparison
{
    /// <summary>Fewest training rows a per-segment OLS needs: covariates + 2 (= p + 1), one more than
    /// the coefficients so that the fit leaves a residual.</summary>
    public static int MinimumRows(int covariates) => covariates + 2;

    /// <summary>The K values tried when K is chosen automatically: 1..min(maxK, max(1, floor(n_train / (covariates + 2)))).</summary>
    public static int[] AutoKs(int trainRows, int covariates, int maxK) =>
        Enumerable.Range(1, Math.Max(1, Math.Min(maxK, trainRows / MinimumRows(covariates)))).ToArray();

    /// <summary>
    /// The comparison:
    /// 1. split the rows (<see cref="TrainTestSplit.Draw"/>, stratified by known segment when given);
    /// 2. on the training rows fit (a) pooled OLS beta = argmin sum (y - x'b)^2; (b) per known segment s
    ///    with at least covariates + 2 training rows and a non-singular design, its own OLS, otherwise
    ///    the pooled fit (reported); (c) latent class regressions for K = settings.K, or for
    ///    <see cref="AutoKs"/> with K chosen by lowest BIC (<see cref="LatentClassRegression.Estimate(IEnumerable{int}, RegressionData, RegressionSettings, SelectionCriterion, ConcomitantWeights)"/>);
    /// 3. predict each test row: pooled x'beta; per-segment x'beta_s(row); latent class by the mixture
    ///    expectation sum_c pi_c x'beta_c (the reported one: without concomitant variables
    ///    Pr[C = c | x] = pi_c, so this is E[y | x], the squared-error-optimal forecast), by the class with
    ///    the largest pi_c (the most likely class given x, the same for every row), and by the class most
    ///    likely given x and the row's own y (an in-sample diagnostic of how separable the classes are);
    /// 4. score each predictor: MAE, RMSE, R^2 (<see cref="PredictionMetrics"/>) overall and per known segment.
    /// Fails when the split leaves fewer than covariates + 2 training rows or fewer than 2 test rows,
    /// when the pooled design is singular, or when no K gives an admissible latent class fit.
    /// </summary>
    /// <remarks>Python: <c>train_test_split</c>, <c>LinearRegression</c> per group, <c>mean_absolute_error</c>,
    /// <c>r2_score</c>; R: <c>lm</c> per level and <c>flexmix</c> / <c>predict</c>.</remarks>
    public static Fin<ComparisonResult> Compare(ComparisonData data, ComparisonSettings settings)
    {
        var m = data.Covariates.ColumnCount;
        return from split in TrainTestSplit.Draw(data.Rows, settings.TestFraction, settings.Seed, data.Segment is { } seg ? seg : null)
               from _ in CheckSizes(split, m, settings.TestFraction)
               from result in Fit(data, settings, split)
               select result;
    }

    private static Fin<Unit> CheckSizes(TrainTestSplit split, int covariates, double fraction)
    {
        var need = MinimumRows(covariates);
        if (split.Test.Length < 2 || split.Train.Length < need)
            return FinFail<Unit>(new InvalidDataError(
                $"{split.Train.Length + split.Test.Length} row(s) with test fraction {fraction} give {split.Test.Length} test and {split.Train.Length} training row(s); " +
                $"at least 2 test rows and {need} training rows (covariates + 2) are needed"));
        return unit;
    }

    private static Fin<ComparisonResult> Fit(ComparisonData data, ComparisonSettings settings, TrainTestSplit split)
    {
        var X = data.Design;
        var Xtrain = Rows(X, split.Train);
        var Xtest = Rows(X, split.Test);
        var ytrain = split.Train.Select(i => data.Y[i]).ToArray();
        var ytest = split.Test.Select(i => data.Y[i]).ToArray();
        var m = data.Covariates.ColumnCount;

        if (!OrdinaryLeastSquares.Fit(Xtrain, ytrain).TryGet(out var pooled, out _))
            return FinFail<ComparisonResult>(new InvalidDataError(
                "the training rows' design [1, covariates] is singular (a covariate is constant or collinear with others)"));

        var segments = SegmentFits(data, split, Xtrain, ytrain, m);

        var Ks = settings.K is { } k ? [k] : AutoKs(split.Train.Length, m, settings.MaxAutoK);
        if (Ks[^1] > split.Train.Length)
            return FinFail<ComparisonResult>(new InvalidDataError($"K = {Ks[^1]} exceeds the {split.Train.Length} training rows"));
        return from path in LatentClassRegression.Estimate(Ks, LatentClassRegression.Data(ytrain, Xtrain), settings.Regression)
               from selected in path.Selected is { } sel
                   ? FinSucc(sel)
                   : FinFail<KEstimate<RegressionComponents>>(new InvalidDataError(
                       "no latent class regression was admissible on the training rows (" +
                       string.Join("; ", path.Fits.Select(f => $"K = {f.K}: {f.Failure}")) + ")"))
               select Score(data, split, Xtest, ytest, pooled, segments, path, selected);
    }

    private static ImmutableArray<SegmentFit> SegmentFits(ComparisonData data, TrainTestSplit split, Matrix<double> Xtrain, double[] ytrain, int m)
    {
        if (data.Segment is not { } seg) return [];
        var need = MinimumRows(m);
        var fits = ImmutableArray.CreateBuilder<SegmentFit>(data.Segments);
        for (var s = 0; s < data.Segments; s++)
        {
            var rows = Enumerable.Range(0, split.Train.Length).Where(t => seg[split.Train[t]] == s).ToArray();
            var testRows = split.Test.Count(i => seg[i] == s);
            var name = data.SegmentNames[s];
            if (rows.Length < need)
            {
                fits.Add(new SegmentFit(s, name, rows.Length, testRows, null,
                    $"{rows.Length} training row(s), fewer than covariates + 2 = {need}: predicted with the pooled model"));
                continue;
            }
            var fit = OrdinaryLeastSquares.Fit(Rows(Xtrain, rows), rows.Select(t => ytrain[t]).ToArray());
            fits.Add(fit.TryGet(out var f, out _)
                ? new SegmentFit(s, name, rows.Length, testRows, f, null)
                : new SegmentFit(s, name, rows.Length, testRows, null,
                    "its training rows' design is singular (a covariate is constant within the segment): predicted with the pooled model"));
        }
        return fits.MoveToImmutable();
    }

    private static ComparisonResult Score(ComparisonData data, TrainTestSplit split, Matrix<double> Xtest, double[] ytest,
        OlsFit pooled, ImmutableArray<SegmentFit> segments, EstimationPath<RegressionComponents> path, KEstimate<RegressionComponents> selected)
    {
        var best = selected.Estimate!.Best.Mixture;
        var prediction = LatentClassRegression.Predict(best.Components, best.Weights, Xtest, ytest);
        var K = best.Components.K;
        var top = 0;
        for (var c = 1; c < K; c++) if (best.Weights.Pi[c] > best.Weights.Pi[top]) top = c;
        var posterior = new int[ytest.Length];
        for (var i = 0; i < posterior.Length; i++)
        for (var c = 1; c < K; c++)
            if (prediction.Posterior![i, c] > prediction.Posterior[i, posterior[i]]) posterior[i] = c;

        var pooledPred = pooled.Predict(Xtest);
        var scores = ImmutableArray.CreateBuilder<ModelScore>();
        scores.Add(ScoreOf(ComparedModel.Pooled, pooledPred, ytest, data, split));
        if (data.Segment is { } seg)
        {
            var own = segments.Select(s => s.Fit?.Predict(Xtest)).ToArray();
            var perSeg = new double[ytest.Length];
            for (var i = 0; i < perSeg.Length; i++) perSeg[i] = own[seg[split.Test[i]]]?[i] ?? pooledPred[i];
            scores.Add(ScoreOf(ComparedModel.PerSegment, perSeg, ytest, data, split));
        }
        scores.Add(ScoreOf(ComparedModel.LatentClassExpectation, prediction.Mixture, ytest, data, split));
        scores.Add(ScoreOf(ComparedModel.LatentClassMostLikely, Enumerable.Range(0, ytest.Length).Select(i => prediction.ByClass[i, top]).ToArray(), ytest, data, split));
        scores.Add(ScoreOf(ComparedModel.LatentClassPosteriorAssigned, Enumerable.Range(0, ytest.Length).Select(i => prediction.ByClass[i, posterior[i]]).ToArray(), ytest, data, split));
        return new ComparisonResult(split, pooled, segments, path, selected, top, posterior.ToImmutableArray(), scores.ToImmutable());
    }

    private static ModelScore ScoreOf(ComparedModel model, double[] predicted, double[] ytest, ComparisonData data, TrainTestSplit split)
    {
        var overall = PredictionMetrics.Of(ytest, predicted);
        var by = ImmutableArray<PredictionMetrics?>.Empty;
        if (data.Segment is { } seg)
        {
            var b = ImmutableArray.CreateBuilder<PredictionMetrics?>(data.Segments);
            for (var s = 0; s < data.Segments; s++)
            {
                var rows = Enumerable.Range(0, ytest.Length).Where(i => seg[split.Test[i]] == s).ToArray();
                b.Add(rows.Length == 0 ? null : PredictionMetrics.Of(rows.Select(i => ytest[i]).ToArray(), rows.Select(i => predicted[i]).ToArray()));
            }
            by = b.MoveToImmutable();
        }
        return new ModelScore(model, predicted.ToImmutableArray(), overall, by);
    }

    private static Matrix<double> Rows(Matrix<double> X, IReadOnlyList<int> rows) =>
        Matrix<double>.Build.Dense(rows.Count, X.ColumnCount, (i, j) => X[rows[i], j]);
}
