using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Regression;

/// <summary>
/// The observed information I(psi) = -d^2 log L / d psi d psi' of a GLM mixture's incomplete-data log-likelihood,
/// analytic, and the standard errors it gives. psi = (beta_1 (p), ..., beta_K (p), alpha_2..alpha_K) with
/// pi_c = exp(alpha_c) / sum_j exp(alpha_j), alpha_1 = 0 (flexmix's <c>refit</c> parametrisation, without a dispersion).
/// </summary>
/// <remarks>
/// Louis (1982): d^2 log L = sum_u sum_c w_uc (H_uc + (s_uc - g_u)(s_uc - g_u)'), g_u = sum_c w_uc s_uc. For canonical
/// links, with r_i = y_i - mu_i and v_i = mu_i (Poisson) or n_i p_i (1 - p_i) (binomial) under class c,
///   d l_uc / d beta_c = sum_{i in u} x_i r_i,   -d^2 l_uc / d beta_c d beta_c' = sum_{i in u} v_i x_i x_i',
///   d l_uc / d alpha_j = [c = j] - pi_j,         -d^2 l_uc / d alpha d alpha' = diag(pi) - pi pi'.
/// Units are processed in fixed chunks whose sums are added in chunk order (thread-count independent).
/// With observation weights o_u (<see cref="GlmData.WithWeights"/>) every unit's contribution is multiplied by o_u, so
/// whole-number weights give the information of the data with unit u repeated o_u times.
/// </remarks>
public static class GlmInformation
{
    private const int Chunk = 4096;

    /// <summary>Length of psi: K p + K - 1.</summary>
    public static int Dimension(int K, int p) => K * p + K - 1;

    /// <summary>Names of the entries of psi: beta[c,j], alpha[c] (1-based).</summary>
    public static ImmutableArray<string> Names(int K, int p)
    {
        var names = ImmutableArray.CreateBuilder<string>();
        for (var c = 1; c <= K; c++)
        for (var j = 1; j <= p; j++) names.Add($"beta[{c},{j}]");
        for (var c = 2; c <= K; c++) names.Add($"alpha[{c}]");
        return names.ToImmutable();
    }

    /// <summary>The gradient d log L / d psi, the observed information and log L at (theta, pi), in one pass over the units.
    /// The responsibilities are computed in the first U K entries of <paramref name="scratch"/> (or a new buffer).</summary>
    public static (double[] Gradient, Matrix<double> Information, double LogLikelihood) Derivatives(
        GlmComponents theta, MixingWeights pi, GlmData data, double[]? scratch = null)
    {
        var U = data.units;
        var n = data.n;
        var p = data.p;
        var K = theta.K;
        if (pi.K != K) throw new ArgumentException($"{K} classes but {pi.K} weights");
        var D = Dimension(K, p);
        var alphaOffset = K * p;
        var W = scratch ?? new double[U * K];
        if (W.Length < (long)U * K) throw new ArgumentException($"the scratch buffer has {W.Length} entries, fewer than U K = {(long)U * K}");
        GlmFamily.Instance.LogDensities(data, theta, W);
        var ow = data.Weights?.Active;
        var logL = EmLoop.EStepInto(W, pi.LogPi(), U, K, W, ow);
        var betas = theta.Classes.Select(c => c.Beta.ToArray()).ToArray();

        // per chunk: per class [sum w hmat (p p), sum w s s' (p p), sum w s (p), sum w], then sum g g' (upper, D D)
        var perClass = 2 * p * p + p + 1;
        var size = K * perClass + D * D;
        var chunks = (U + Chunk - 1) / Chunk;
        var partial = new double[chunks][];
        void Units(int chunk)
        {
            var acc = new double[size];
            var s = new double[K * p];
            var h = new double[K * p * p];
            var gu = new double[D];
            var end = Math.Min(U, (chunk + 1) * Chunk);
            for (var u = chunk * Chunk; u < end; u++)
            {
                // the unit's observation weight (1 without weights: the products below are then the unweighted ones exactly)
                var ou = ow?[u] ?? 1.0;
                if (ou == 0) continue;
                System.Array.Clear(s);
                System.Array.Clear(h);
                System.Array.Clear(gu);
                for (var t = data.unitStart[u]; t < data.unitStart[u + 1]; t++)
                {
                    var i = data.unitIndex[t];
                    var nt = data.trials?[i] ?? 1.0;
                    for (var c = 0; c < K; c++)
                    {
                        var eta = data.offset?[i] ?? 0.0;
                        for (var j = 0; j < p; j++) eta += data.x[j * n + i] * betas[c][j];
                        double r, v;
                        if (data.Response == GlmResponse.Poisson) { var mu = Math.Exp(eta); r = data.y[i] - mu; v = mu; }
                        else
                        {
                            var pr = 1.0 / (1.0 + Math.Exp(-eta));
                            var q = 1.0 / (1.0 + Math.Exp(eta));
                            r = data.y[i] - nt * pr;
                            v = nt * pr * q;
                        }
                        for (var a = 0; a < p; a++)
                        {
                            var xa = data.x[a * n + i];
                            s[c * p + a] += xa * r;
                            for (var b = a; b < p; b++) h[(c * p + a) * p + b] += v * xa * data.x[b * n + i];
                        }
                    }
                }
                for (var c = 0; c < K; c++)
                {
                    var w = W[c * U + u];
                    if (c > 0) gu[alphaOffset + c - 1] += w;
                    if (w == 0) continue;
                    var o = c * perClass;
                    var wo = w * ou;
                    for (var a = 0; a < p; a++)
                    {
                        var sa = s[c * p + a];
                        gu[c * p + a] = w * sa;
                        for (var b = a; b < p; b++)
                        {
                            acc[o + a * p + b] += wo * h[(c * p + a) * p + b];
                            acc[o + p * p + a * p + b] += wo * sa * s[c * p + b];
                        }
                        acc[o + 2 * p * p + a] += wo * sa;
                    }
                    acc[o + 2 * p * p + p] += wo;
                }
                for (var j = 1; j < K; j++) gu[alphaOffset + j - 1] -= pi.Pi[j];
                var go = K * perClass;
                for (var a = 0; a < D; a++)
                {
                    var ga = ou * gu[a];
                    if (ga == 0) continue;
                    var row = go + a * D;
                    for (var b = a; b < D; b++) acc[row + b] += ga * gu[b];
                }
            }
            partial[chunk] = acc;
        }
        Parallelism.ForChunks(chunks, Units);
        var sum = new double[size];
        foreach (var acc in partial)
            for (var t = 0; t < size; t++) sum[t] += acc[t];

        var info = new double[D * D];
        var grad = new double[D];
        void Add(int a, int b, double v) { if (a <= b) info[a * D + b] += v; else info[b * D + a] += v; }
        double Ac(int c, int j) => (c == j ? 1.0 : 0.0) - pi.Pi[j];
        for (var c = 0; c < K; c++)
        {
            var o = c * perClass;
            var wsum = sum[o + 2 * p * p + p];
            var bo = c * p;
            for (var a = 0; a < p; a++)
            {
                var ws = sum[o + 2 * p * p + a];
                grad[bo + a] += ws;
                for (var b = a; b < p; b++) Add(bo + a, bo + b, sum[o + a * p + b] - sum[o + p * p + a * p + b]);
                for (var j = 1; j < K; j++) Add(bo + a, alphaOffset + j - 1, -ws * Ac(c, j));
            }
            for (var j = 1; j < K; j++)
            {
                grad[alphaOffset + j - 1] += wsum * Ac(c, j);
                for (var k = j; k < K; k++) Add(alphaOffset + j - 1, alphaOffset + k - 1, -wsum * Ac(c, j) * Ac(c, k));
            }
        }
        var gg = K * perClass;
        for (var a = 0; a < D; a++)
        for (var b = a; b < D; b++) info[a * D + b] += sum[gg + a * D + b];
        var units = ow is null ? U : data.Weights!.Sum;
        for (var j = 1; j < K; j++)
        for (var k = j; k < K; k++)
            info[(alphaOffset + j - 1) * D + alphaOffset + k - 1] += units * ((j == k ? pi.Pi[j] : 0.0) - pi.Pi[j] * pi.Pi[k]);
        return (grad, Matrix<double>.Build.Dense(D, D, (a, b) => a <= b ? info[a * D + b] : info[b * D + a]), logL);
    }

    /// <summary>I(psi) at (theta, pi).</summary>
    public static Matrix<double> Compute(GlmComponents theta, MixingWeights pi, GlmData data) => Derivatives(theta, pi, data).Information;

    /// <summary>
    /// Standard errors from Cov(psi) = I(psi)^-1 (Cholesky): Wald z and 95% intervals for the coefficients and logits,
    /// the delta method for pi with its interval on the logit(pi_c) scale. The result has no sigma entries (the
    /// family has no dispersion). Fails when I(psi) is not positive definite.
    /// </summary>
    public static Fin<RegressionInference> Inference(GlmComponents theta, MixingWeights pi, GlmData data)
    {
        var info = Compute(theta, pi, data);
        var D = info.RowCount;
        if (!info.Enumerate().All(double.IsFinite)) return FinFail<RegressionInference>(new SingularInformationError("non-finite entries"));
        var chol = WeightedLeastSquares.TryCholesky(info);
        if (chol is null) return FinFail<RegressionInference>(new SingularInformationError("Cholesky failed"));
        var cov = chol.Solve(Matrix<double>.Build.DenseIdentity(D));
        cov = (cov + cov.Transpose()) * 0.5;
        for (var a = 0; a < D; a++)
            if (!(cov[a, a] > 0) || !double.IsFinite(cov[a, a]))
                return FinFail<RegressionInference>(new SingularInformationError($"variance of parameter {a + 1} is {cov[a, a]:G3}"));
        var K = theta.K;
        var p = data.p;
        double Se(int a) => Math.Sqrt(cov[a, a]);
        var beta = Enumerable.Range(0, K).Select(c => Enumerable.Range(0, p)
            .Select(j => ParameterEstimate.Wald(theta.Classes[c].Beta[j], Se(c * p + j))).ToImmutableArray()).ToImmutableArray();
        var alphaOffset = K * p;
        var logit = Enumerable.Range(1, K - 1)
            .Select(c => ParameterEstimate.Wald(Math.Log(pi.Pi[c] / pi.Pi[0]), Se(alphaOffset + c - 1))).ToImmutableArray();
        var J = Matrix<double>.Build.Dense(K, K - 1, (c, j) => pi.Pi[c] * ((c == j + 1 ? 1.0 : 0.0) - pi.Pi[j + 1]));
        var covPi = K > 1 ? J * cov.SubMatrix(alphaOffset, K - 1, alphaOffset, K - 1) * J.Transpose() : null;
        var piEst = Enumerable.Range(0, K).Select(c =>
        {
            var pc = pi.Pi[c];
            if (covPi is null) return new ParameterEstimate(pc, 0.0, pc, pc);
            var se = Math.Sqrt(Math.Max(0.0, covPi[c, c]));
            var lg = Math.Log(pc / (1 - pc));
            var seLogit = se / (pc * (1 - pc));
            return new ParameterEstimate(pc, se, Expit(lg - ParameterEstimate.Z975 * seLogit), Expit(lg + ParameterEstimate.Z975 * seLogit));
        }).ToImmutableArray();
        return new RegressionInference(beta, [], [], logit, piEst, cov, Names(K, p));
    }

    private static double Expit(double x) => 1.0 / (1.0 + Math.Exp(-x));
}
