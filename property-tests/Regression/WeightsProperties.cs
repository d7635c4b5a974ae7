using FsCheck;
using FsCheck.Fluent;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Domain.Random;
using Mixtures.Domain.Regression;
using Mixtures.PropertyTests.Gaussian;

namespace Mixtures.PropertyTests.Regression;

/// <summary>
/// Observation weights: plain EM never lowers the weighted log-likelihood sum_u w_u log f(y_u) whatever the (real) weights,
/// and whole-number weights are replication: the weighted log L at any parameters, and EM from the same start, equal those of
/// the data with every unit repeated w_u times (a unit of weight 0 left out).
/// </summary>
public class WeightsProperties
{
    /// <summary>Real weights in [0, 3] on a grid of 1/1000 (mapped integers), at least one positive.</summary>
    private static Gen<double[]> RealWeights(int n) =>
        Gen.ArrayOf(Gen.Choose(0, 3000), n).Select(a => a.Select(v => v / 1000.0).ToArray()).Where(a => a.Sum() > 0);

    /// <summary>Whole-number weights 0..3, at least one positive.</summary>
    private static Gen<double[]> IntegerWeights(int n) =>
        Gen.ArrayOf(Gen.Choose(0, 3), n).Select(a => a.Select(v => (double)v).ToArray()).Where(a => a.Sum() > 0);

    private static bool Monotone(IReadOnlyList<double> trace)
    {
        for (var t = 1; t < trace.Count; t++)
            if (trace[t] < trace[t - 1] - 1e-9 * Math.Max(1, Math.Abs(trace[t - 1]))) return false;
        return true;
    }

    private static bool Close(double a, double b, double relative) => Math.Abs(a - b) <= relative * Math.Max(1, Math.Abs(b));

    private static readonly EmOptions Plain = EmOptions.Default with { Tolerance = 1e-12, MaxIterations = 150 };

    private static Gen<(RegressionCase Case, double[] W)> WeightedCase(Func<int, Gen<double[]>> weights) =>
        from c in RegressionGenerators.Small
        from w in weights(c.Data.Units)
        select (c, w);

    [RegressionProperty]
    public Property Plain_EM_never_lowers_the_weighted_log_likelihood_of_a_regression() =>
        Prop.ForAll(WeightedCase(RealWeights).ToArbitrary(), Gen.Choose(1, 4).ToArbitrary(), (x, K) =>
        {
            var (c, w) = x;
            var data = c.Data.WithWeights(ObservationWeights.Of(w).Value());
            K = Math.Min(K, data.Units);
            var W0 = Estimation.RandomPartition(data.Units, K, Seeds.Generator(c.Seed));
            if (!EmLoop.Run(new RegressionFamily(c.Variance), data, W0, Plain, new StartInfo(StartKind.Given, 0)).TryGet(out var f, out _)) return true;
            return Monotone(f.Trace);
        });

    [GaussianProperty]
    public Property Plain_EM_never_lowers_the_weighted_log_likelihood_of_a_Gaussian_mixture() =>
        Prop.ForAll(GaussianGenerators.Small.SelectMany(c => RealWeights(c.N).Select(w => (c, w))).ToArbitrary(), GaussianGenerators.Covariance.ToArbitrary(), (x, type) =>
        {
            var (c, w) = x;
            var data = c.Data.WithWeights(ObservationWeights.Of(w).Value());
            // reg-covar 0: a ridged M-step is not an exact maximiser
            var family = new GaussianFamily(type, 0.0);
            var W0 = Estimation.RandomPartition(data.N, Math.Min(c.K, data.N), Seeds.Generator(c.Seed));
            if (!EmLoop.Run(family, data, W0, Plain, new StartInfo(StartKind.Given, 0)).TryGet(out var f, out _)) return true;
            return Monotone(f.Trace);
        });

    [RegressionProperty]
    public Property Integer_weights_are_replication_of_the_units() =>
        Prop.ForAll(WeightedCase(IntegerWeights).ToArbitrary(), Gen.Choose(1, 3).ToArbitrary(), (x, K) =>
        {
            var (c, w) = x;
            var s = c.Sample;
            var grouped = c.RowsPerGroup > 1;
            var data = c.Data.WithWeights(ObservationWeights.Of(w).Value());
            // the unit of every row (units numbered by first appearance, as RegressionData numbers them)
            var unitOf = grouped ? c.Data.RowUnit! : Enumerable.Range(0, s.Rows).ToArray();
            var rows = new List<int>();
            var labels = new List<int>();
            var source = new List<int>();
            for (var u = 0; u < data.Units; u++)
                for (var copy = 0; copy < (int)w[u]; copy++)
                {
                    for (var i = 0; i < s.Rows; i++)
                        if (unitOf[i] == u) { rows.Add(i); labels.Add(source.Count); }
                    source.Add(u);
                }
            var X = s.Design;
            var replicated = LatentClassRegression.Data(rows.Select(i => s.Y[i]).ToArray(), Matrix<double>.Build.Dense(rows.Count, X.ColumnCount, (r, j) => X[rows[r], j]),
                grouped ? labels : null);
            // log L at the truth
            var truth = c.Truth;
            if (!Close(LatentClassRegression.LogL(truth.Classes, truth.Pi, data), LatentClassRegression.LogL(truth.Classes, truth.Pi, replicated), 1e-12)) return false;
            // EM from the same start
            K = Math.Min(K, source.Count);
            var W0 = Estimation.RandomPartition(data.Units, K, Seeds.Generator(c.Seed));
            var family = new RegressionFamily(c.Variance);
            var a = EmLoop.Run(family, data, W0, Plain with { MaxIterations = 50 }, new StartInfo(StartKind.Given, 0));
            var b = EmLoop.Run(family, replicated, Matrix<double>.Build.Dense(source.Count, K, (r, k) => W0[source[r], k]), Plain with { MaxIterations = 50 }, new StartInfo(StartKind.Given, 0));
            // a start that empties or collapses a class is not what this property is about
            if (a.IsFail || b.IsFail) return true;
            return Close(a.Value().LogLikelihood, b.Value().LogLikelihood, 1e-8);
        });
}
