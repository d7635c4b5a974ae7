using MathNet.Numerics.LinearAlgebra;

namespace Mixtures.Domain.Em;

/// <summary>Information criteria, all on the "lower is better" scale.</summary>
/// <remarks>
/// scikit-learn's <c>GaussianMixture.bic</c> and flexmix's <c>BIC</c> use the same sign; mclust reports
/// 2 log L - k ln n (higher is better), the negative of ours.
/// </remarks>
public static class Selection
{
    /// <summary>BIC = -2 log L + k ln n.</summary>
    public static double Bic(double logLikelihood, int freeParameters, int observations) =>
        -2.0 * logLikelihood + freeParameters * Math.Log(observations);

    /// <summary>BIC = -2 log L + k ln n with a real n: with observation weights n is their sum over the observations
    /// (flexmix's <c>nobs = sum(weights)</c>), so whole-number weights give the BIC of the replicated data.</summary>
    public static double Bic(double logLikelihood, int freeParameters, double observations) =>
        -2.0 * logLikelihood + freeParameters * Math.Log(observations);

    /// <summary>AIC = -2 log L + 2 k.</summary>
    public static double Aic(double logLikelihood, int freeParameters) =>
        -2.0 * logLikelihood + 2.0 * freeParameters;

    /// <summary>ICL = -2 log L_C + k ln n with the classification log-likelihood
    /// log L_C = log L + sum_i log max_k W[i,k], i.e. ICL = BIC - 2 sum_i log max_k W[i,k]
    /// (flexmix's <c>ICL</c>; mclust's <c>icl</c> with the opposite sign).</summary>
    public static double Icl(double bic, Matrix<double> W) => Icl(bic, LogMaxPosterior(W));

    /// <summary>ICL = BIC - 2 <paramref name="logMaxPosterior"/>, with <paramref name="logMaxPosterior"/> = sum_i log max_k W[i,k]
    /// (<see cref="LogMaxPosterior(double[], int, int)"/>).</summary>
    public static double Icl(double bic, double logMaxPosterior) => bic - 2.0 * logMaxPosterior;

    /// <summary>sum_i log max_k W[i,k], rows in order (at most 0).</summary>
    public static double LogMaxPosterior(Matrix<double> W) =>
        LogMaxPosterior(W.AsColumnMajorArray() ?? W.ToColumnMajorArray(), W.RowCount, W.ColumnCount);

    /// <summary>sum_i log max_k W[i,k] from the first n K entries of a column-major buffer.</summary>
    public static double LogMaxPosterior(double[] w, int n, int K) => LogMaxPosterior(w, n, K, null);

    /// <summary>sum_i u_i log max_k W[i,k] with observation weights u (null: all 1; a row of weight 0 is left out).</summary>
    public static double LogMaxPosterior(double[] w, int n, int K, double[]? unitWeights)
    {
        if (unitWeights is not null)
        {
            var t = 0.0;
            for (var i = 0; i < n; i++)
            {
                if (unitWeights[i] == 0) continue;
                var m = 0.0;
                for (var k = 0; k < K; k++) m = Math.Max(m, w[k * n + i]);
                t += unitWeights[i] * Math.Log(m);
            }
            return t;
        }
        var s = 0.0;
        for (var i = 0; i < n; i++)
        {
            var m = 0.0;
            for (var k = 0; k < K; k++) m = Math.Max(m, w[k * n + i]);
            s += Math.Log(m);
        }
        return s;
    }

    /// <summary>The eligible K with the lowest criterion (the smaller K on ties), or null when no K is eligible.</summary>
    public static int? Select<TC>(IReadOnlyList<Model.KEstimate<TC>> fits, SelectionCriterion criterion)
    {
        Model.KEstimate<TC>? best = null;
        double bestValue = double.NaN;
        foreach (var f in fits)
        {
            if (!f.Eligible || f.Criterion(criterion) is not { } v || double.IsNaN(v)) continue;
            if (best is null || v < bestValue) { best = f; bestValue = v; }
        }
        return best?.K;
    }

    /// <summary>Index of the smallest value (first on ties); -1 for an empty list.</summary>
    public static int ArgMin(IReadOnlyList<double> values)
    {
        var best = -1;
        for (var i = 0; i < values.Count; i++)
            if (!double.IsNaN(values[i]) && (best < 0 || values[i] < values[best])) best = i;
        return best;
    }
}
