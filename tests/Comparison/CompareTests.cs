using Mixtures.Domain;
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Comparison;
using Mixtures.Domain.Em;
using Mixtures.Data;

namespace Mixtures.Tests.Comparison;

/// <summary>The comparison on the bundled customer file, computed once (K chosen by BIC on the training rows).</summary>
public sealed class LtvFixture
{
    public CompareInput Input { get; }
    public ComparisonResult Result { get; }

    public LtvFixture()
    {
        var columns = new CompareColumns("ltv", ["tenure_months", "monthly_spend", "orders"], "segment");
        Input = CompareInput.Read(Path.Combine(TestSupport.RepoRoot, "data", "ltv.csv"), columns).Value();
        Result = ModelComparison.Compare(Input.Data, new ComparisonSettings()).Value();
    }
}

public class CompareTests(LtvFixture customers) : IClassFixture<LtvFixture>
{
    /// <summary>Segment A: y = 1 + 2x exactly; segment B: y = 20 - x exactly; x = 1..8 in each.</summary>
    private static ComparisonData TwoLines()
    {
        var x = new List<double>();
        var y = new List<double>();
        var seg = new List<string>();
        for (var i = 1; i <= 8; i++)
        {
            x.Add(i); y.Add(1 + 2 * i); seg.Add("A");
            x.Add(i + 0.5); y.Add(20 - (i + 0.5)); seg.Add("B");
        }
        return ComparisonData.WithLabels(y, Matrix<double>.Build.DenseOfColumnArrays(x.ToArray()), seg);
    }

    [Fact]
    public void Metrics_on_tiny_data_match_a_hand_computation()
    {
        var data = TwoLines();
        var r = ModelComparison.Compare(data, new ComparisonSettings(TestFraction: 0.25, Seed: 5, K: 1)).Value();
        Assert.Equal(4, r.Split.Test.Length);
        Assert.Equal(2, r.Split.Test.Count(i => data.Segment!.Value[i] == 0));

        // Per-segment fits are exact: zero error, R^2 = 1 in each segment.
        var perSeg = r.Score(ComparedModel.PerSegment);
        Assert.Equal(0, perSeg.Overall.Mae, 9);
        Assert.All(perSeg.BySegment, m => Assert.Equal(1, m!.R2!.Value, 9));
        Assert.Equal(1, r.Segments[0].Fit!.Beta[0], 9);
        Assert.Equal(2, r.Segments[0].Fit!.Beta[1], 9);
        Assert.Equal(20, r.Segments[1].Fit!.Beta[0], 9);
        Assert.Equal(-1, r.Segments[1].Fit!.Beta[1], 9);

        // Pooled: slope Sxy/Sxx and intercept ybar - slope xbar on the 12 training rows, scored by hand.
        double X(int i) => data.Covariates[i, 0];
        var tx = r.Split.Train.Select(X).ToArray();
        var ty = r.Split.Train.Select(i => data.Y[i]).ToArray();
        var (xb, yb) = (tx.Average(), ty.Average());
        var slope = tx.Zip(ty).Sum(p => (p.Item1 - xb) * (p.Item2 - yb)) / tx.Sum(v => (v - xb) * (v - xb));
        var icpt = yb - slope * xb;
        var err = r.Split.Test.Select(i => data.Y[i] - (icpt + slope * X(i))).ToArray();
        var ytest = r.Split.Test.Select(i => data.Y[i]).ToArray();
        var pooled = r.Score(ComparedModel.Pooled).Overall;
        Assert.Equal(err.Select(Math.Abs).Average(), pooled.Mae, 10);
        Assert.Equal(Math.Sqrt(err.Average(e => e * e)), pooled.Rmse, 10);
        Assert.Equal(1 - err.Sum(e => e * e) / ytest.Sum(v => (v - ytest.Average()) * (v - ytest.Average())), pooled.R2!.Value, 10);

        // One latent class is the pooled OLS: identical predictions.
        var lc = r.Score(ComparedModel.LatentClassExpectation);
        for (var i = 0; i < 4; i++) Assert.Equal(r.Score(ComparedModel.Pooled).Predictions[i], lc.Predictions[i], 8);
    }

    [Fact]
    public void Overall_MAE_is_the_row_weighted_mean_of_the_segment_MAEs()
    {
        foreach (var s in customers.Result.Scores)
            Assert.Equal(s.Overall.Mae, s.BySegment.Sum(m => m!.Mae * m.Rows) / s.Overall.Rows, 9);
    }

    [Fact]
    public void A_segment_with_too_few_training_rows_falls_back_to_the_pooled_model()
    {
        var rng = new System.Random(2);
        var x = Enumerable.Range(0, 22).Select(_ => rng.NextDouble() * 10).ToArray();
        var seg = Enumerable.Range(0, 22).Select(i => i < 10 ? "A" : i < 20 ? "B" : "C").ToArray();
        var y = x.Select((v, i) => (seg[i] == "A" ? 1 + v : seg[i] == "B" ? 5 - v : 3 * v) + rng.NextDouble()).ToArray();
        var data = ComparisonData.WithLabels(y, Matrix<double>.Build.DenseOfColumnArrays(x), seg);
        var r = ModelComparison.Compare(data, new ComparisonSettings(0.3, 1, K: 1)).Value();
        var c = r.Segments.Single(s => s.Name == "C");
        // 2 rows at 0.3: ideal 0.6 -> the test row left over by A and B (3 each, ceil(6.6) = 7) goes to C.
        Assert.Equal(1, c.TrainRows);
        Assert.Null(c.Fit);
        Assert.Contains("fewer than covariates + 2 = 3", c.Fallback);
        var t = r.Split.Test.ToList().FindIndex(i => seg[i] == "C");
        Assert.Equal(r.Score(ComparedModel.Pooled).Predictions[t], r.Score(ComparedModel.PerSegment).Predictions[t]);
        Assert.NotNull(r.Segments.Single(s => s.Name == "A").Fit);
    }

    [Fact]
    public void Per_segment_models_beat_the_pooled_one_on_held_out_MAE_as_the_seed_asserts()
    {
        var r = customers.Result;
        var pooled = r.Score(ComparedModel.Pooled);
        var perSeg = r.Score(ComparedModel.PerSegment);
        Assert.True(perSeg.Overall.Mae < pooled.Overall.Mae, $"per-segment {perSeg.Overall.Mae} vs pooled {pooled.Overall.Mae}");
        // Also within the premium and enterprise segments, where the pooled model fails (segment names in ordinal order).
        foreach (var name in new[] { "Premium", "Enterprise" })
        {
            var j = customers.Input.Data.SegmentNames.IndexOf(name);
            Assert.True(perSeg.BySegment[j]!.Mae < pooled.BySegment[j]!.Mae / 2, name);
        }
        Assert.Equal(300, r.Split.Test.Length);
    }

    [Fact]
    public void Latent_classes_find_the_three_segments_but_cannot_use_them_without_y()
    {
        var r = customers.Result;
        Assert.Equal(3, r.Selected.K);
        Assert.Equal([1, 2, 3, 4, 5], r.LatentClass.Fits.Select(f => f.K));
        // Knowing y, the posterior class recovers the per-segment accuracy (the classes are the segments) ...
        var diag = r.Score(ComparedModel.LatentClassPosteriorAssigned);
        Assert.True(diag.InSampleDiagnostic);
        Assert.InRange(diag.Overall.Mae / r.Score(ComparedModel.PerSegment).Overall.Mae, 0.9, 1.1);
        // ... but from x alone, Pr[class | x] = pi, and the mixture expectation is no better than pooled.
        Assert.InRange(r.Score(ComparedModel.LatentClassExpectation).Overall.Mae / r.Score(ComparedModel.Pooled).Overall.Mae, 0.8, 1.2);
        var pi = r.Selected.Estimate!.Best.Mixture.Weights.Pi;
        Assert.Equal(pi.ToList().IndexOf(pi.Max()), r.MostLikelyClass);
    }

    [Fact]
    public void Pooled_and_per_segment_fits_and_scores_match_scikit_learn()
    {
        var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "reference", "compare_sklearn.json"))).RootElement;
        var r = customers.Result;
        var lines = r.Split.Test.Select(i => customers.Input.Table.Lines[i]).ToArray();
        Assert.Equal(reference.GetProperty("testLines").EnumerateArray().Select(e => e.GetInt32()), lines);

        static void Close(double expected, double actual) => Assert.True(Math.Abs(expected - actual) <= 1e-8 * Math.Max(1, Math.Abs(expected)), $"{expected} vs {actual}");
        void Metrics(JsonElement e, PredictionMetrics m)
        {
            Assert.Equal(e.GetProperty("rows").GetInt32(), m.Rows);
            Close(e.GetProperty("mae").GetDouble(), m.Mae);
            Close(e.GetProperty("rmse").GetDouble(), m.Rmse);
            Close(e.GetProperty("r2").GetDouble(), m.R2!.Value);
        }
        var names = customers.Input.Data.SegmentNames;
        foreach (var (key, model) in new[] { ("pooled", ComparedModel.Pooled), ("perSegment", ComparedModel.PerSegment) })
        {
            var e = reference.GetProperty(key);
            Metrics(e.GetProperty("overall"), r.Score(model).Overall);
            for (var j = 0; j < names.Length; j++) Metrics(e.GetProperty("bySegment").GetProperty(names[j]), r.Score(model).BySegment[j]!);
        }
        var beta = reference.GetProperty("pooled").GetProperty("beta").EnumerateArray().Select(b => b.GetDouble()).ToArray();
        for (var j = 0; j < 4; j++) Close(beta[j], r.Pooled.Beta[j]);
        foreach (var s in r.Segments)
        {
            var fb = reference.GetProperty("perSegment").GetProperty("fits").GetProperty(s.Name);
            Assert.Equal(fb.GetProperty("rows").GetInt32(), s.TrainRows);
            var b = fb.GetProperty("beta").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            for (var j = 0; j < 4; j++) Close(b[j], s.Fit!.Beta[j]);
        }
    }

    [Fact]
    public void Too_few_rows_for_the_test_fraction_fail_with_the_counts()
    {
        var data = ComparisonData.WithLabels([1.0, 2, 3, 4], Matrix<double>.Build.DenseOfColumnArrays(new double[] { 1, 2, 3, 5 }), null);
        Assert.False(ModelComparison.Compare(data, new ComparisonSettings(0.3)).TryGet(out _, out var e));
        Assert.Contains("give 2 test and 2 training row(s)", e.Message);
        Assert.Contains("3 training rows", e.Message);
    }
}
