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
/// With observation weights o_u (<see cref="GlmData.WithWeights"/>) every unit's contribution is multiplied by o_u, so
/// integer weights give the information of the replicated units exactly.
/// Units are processed in fixed chunks whose sums are added in chunk order (thread-count independent).
/// </remarks>
public static class GlmInformation
{
    private const int Chunk = 4096;

    /// <summary>Length of psi: K p + K - 1.</summary>
    public static int Dimension(int K, int p) => K * p + K - 1;

    /// <summary>Length of psi with a concomitant model of q terms: K p + (K - 1) q.</summary>
    public static int Dimension(int K, int p, ConcomitantWeights? concomitant) => K * p + (K - 1) * (concomitant?.Q ?? 1);

    /// <summary>Names of the entries of psi: beta[c,j], then alpha[c] (constant weights) or gamma[c]:term (1-based).</summary>
    public static ImmutableArray<string> Names(int K, int p, ConcomitantWeights? concomitant = null)
    {
        var names = ImmutableArray.CreateBuilder<string>();
        for (var c = 1; c <= K; c++)
        for (var j = 1; j <= p; j++) names.Add($"beta[{c},{j}]");
        if (concomitant is null)
            for (var c = 2; c <= K; c++) names.Add($"alpha[{c}]");
        else names.AddRange(WeightInference.GammaNames(K, concomitant));
        return names.ToImmutable();
    }

    /// <summary>The gradient d log L / d psi, the observed information and log L at (theta, pi), in one pass over the units.
    /// The responsibilities are computed in the first U K entries of <paramref name="scratch"/> (or a new buffer).</summary>
    public static (double[] Gradient, Matrix<double> Information, double LogLikelihood) Derivatives(
        GlmComponents theta, MixingWeights pi, GlmData data, double[]? scratch = null) =>
        Derivatives(theta, pi, data, null, scratch);

    /// <summary>
    /// The gradient, the observed information and log L with constant weights (<paramref name="concomitant"/> null: the
    /// weights' coordinates are alpha_c = log(pi_c / pi_1)) or a concomitant model (gamma_2..gamma_K, q each). Constant
    /// weights are the concomitant model with the one term z_u = 1 and p_u = pi for every unit, so one formula serves both:
    /// class c's complete-data score in the weights' coordinate (k, j) is ([c = k] - p_uk) z_uj and -H in ((k, j), (l, m))
    /// is p_uk ([k = l] - p_ul) z_uj z_um.
    /// </summary>
    public static (double[] Gradient, Matrix<double> Information, double LogLikelihood) Derivatives(
        GlmComponents theta, MixingWeights weights, GlmData data, ConcomitantWeights? concomitant, double[]? scratch = null)
    {
        var U = data.units;
        var n = data.n;
        var p = data.p;
        var K = theta.K;
        if (weights.K != K) throw new ArgumentException($"{K} classes but {weights.K} weights");
        if (concomitant is not null && (concomitant.Units != U || weights.CoefficientCount != concomitant.Q))
            throw new ArgumentException($"the concomitant model needs {U} units and weights with {concomitant.Q} coefficients per class");
        var q = concomitant?.Q ?? 1;
        var D = Dimension(K, p, concomitant);
        var go = K * p;
        var W = scratch ?? new double[U * K];
        if (W.Length < (long)U * K) throw new ArgumentException($"the scratch buffer has {W.Length} entries, fewer than U K = {(long)U * K}");
        GlmFamily.Instance.LogDensities(data, theta, W);
        var logPrior = concomitant?.LogPrior(weights, U) ?? weights.LogPi();
        var perUnit = concomitant is not null;
        var ow = data.Weights?.Active;
        var logL = EmLoop.EStepInto(W, logPrior, U, K, W, ow);
        var betas = theta.Classes.Select(c => c.Beta.ToArray()).ToArray();

        // per chunk: the upper triangle of sum_u [sum_c w (-H_uc) - sum_c w s s' + g g'] (D D), then the gradient (D)
        var size = D * D + D;
        var chunks = (U + Chunk - 1) / Chunk;
        var partial = new double[chunks][];
        void Units(int chunk)
        {
            var acc = new double[size];
            var s = new double[K * p];
            var h = new double[K * p * p];
            var gu = new double[D];
            var sc = new double[D];
            var pu = new double[K];
            var zu = new double[q];
            var idx = new int[p + (K - 1) * q];
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
                            var qr = 1.0 / (1.0 + Math.Exp(eta));
                            r = data.y[i] - nt * pr;
                            v = nt * pr * qr;
                        }
                        for (var a = 0; a < p; a++)
                        {
                            var xa = data.x[a * n + i];
                            s[c * p + a] += xa * r;
                            for (var b = a; b < p; b++) h[(c * p + a) * p + b] += v * xa * data.x[b * n + i];
                        }
                    }
                }
                for (var k = 0; k < K; k++) pu[k] = perUnit ? Math.Exp(logPrior[k * U + u]) : weights.Pi[k];
                for (var j = 0; j < q; j++) zu[j] = concomitant?.Z(u, j) ?? 1.0;
                // the coordinates where a class's score can be non-zero: its own beta, then every weight coordinate
                for (var a = 0; a < (K - 1) * q; a++) idx[p + a] = go + a;
                for (var c = 0; c < K; c++)
                {
                    var w = W[c * U + u];
                    var wo = w * ou;
                    for (var a = 0; a < p; a++) { idx[a] = c * p + a; sc[c * p + a] = s[c * p + a]; }
                    for (var k = 1; k < K; k++)
                    for (var j = 0; j < q; j++) sc[go + (k - 1) * q + j] = ((c == k ? 1.0 : 0.0) - pu[k]) * zu[j];
                    if (w != 0)
                    {
                        foreach (var a in idx) gu[a] += w * sc[a];
                        for (var a = 0; a < p; a++)
                        for (var b = a; b < p; b++) acc[(c * p + a) * D + c * p + b] += wo * h[(c * p + a) * p + b];
                        for (var ia = 0; ia < idx.Length; ia++)
                        {
                            var a = idx[ia];
                            var wa = wo * sc[a];
                            if (wa == 0) continue;
                            for (var ib = ia; ib < idx.Length; ib++) acc[a * D + idx[ib]] -= wa * sc[idx[ib]];
                        }
                    }
                    for (var a = 0; a < p; a++) sc[c * p + a] = 0;
                }
                // -H in the weights' coordinates is the same for every class of the unit (and sum_c w_uc = 1)
                for (var k = 1; k < K; k++)
                for (var l = k; l < K; l++)
                {
                    var hk = ou * pu[k] * ((k == l ? 1.0 : 0.0) - pu[l]);
                    for (var j = 0; j < q; j++)
                    for (var m = 0; m < q; m++)
                    {
                        var a = go + (k - 1) * q + j;
                        var b = go + (l - 1) * q + m;
                        if (a <= b) acc[a * D + b] += hk * zu[j] * zu[m];
                    }
                }
                for (var a = 0; a < D; a++)
                {
                    var ga = ou * gu[a];
                    if (ga == 0) continue;
                    acc[D * D + a] += ga;
                    var row = a * D;
                    for (var b = a; b < D; b++) acc[row + b] += ga * gu[b];
                }
            }
            partial[chunk] = acc;
        }
        Parallelism.ForChunks(chunks, Units);
        var sum = new double[size];
        foreach (var acc in partial)
            for (var t = 0; t < size; t++) sum[t] += acc[t];
        var grad = sum.AsSpan(D * D, D).ToArray();
        return (grad, Matrix<double>.Build.Dense(D, D, (a, b) => a <= b ? sum[a * D + b] : sum[b * D + a]), logL);
    }

    /// <summary>I(psi) at (theta, pi).</summary>
    public static Matrix<double> Compute(GlmComponents theta, MixingWeights pi, GlmData data) => Derivatives(theta, pi, data).Information;

    /// <summary>
    /// Standard errors from Cov(psi) = I(psi)^-1 (Cholesky): Wald z and 95% intervals for the coefficients and logits
    /// (or, with <paramref name="concomitant"/>, the concomitant coefficients gamma in <see cref="RegressionInference.Gamma"/>),
    /// the delta method for pi with its interval on the logit(pi_c) scale. The result has no sigma entries (the family has no
    /// dispersion). Fails when I(psi) is not positive definite.
    /// </summary>
    public static Fin<RegressionInference> Inference(GlmComponents theta, MixingWeights pi, GlmData data, ConcomitantWeights? concomitant = null)
    {
        var W = new double[data.units * theta.K];
        var info = Derivatives(theta, pi, data, concomitant, W).Information;
        if (concomitant is not null && concomitant.Separates(W, data.units, pi, data.Weights?.Active))
            return FinFail<RegressionInference>(new SeparatedConcomitantsError(string.Join(", ", concomitant.Names)));
        if (!WeightInference.Covariance(info).TryGet(out var cov, out var singular))
            return FinFail<RegressionInference>(singular);
        var K = theta.K;
        var p = data.p;
        var beta = Enumerable.Range(0, K).Select(c => Enumerable.Range(0, p)
            .Select(j => ParameterEstimate.Wald(theta.Classes[c].Beta[j], Math.Sqrt(cov[c * p + j, c * p + j]))).ToImmutableArray()).ToImmutableArray();
        if (concomitant is null)
        {
            var (logit, piEst) = WeightInference.Constant(pi, cov, K * p);
            return new RegressionInference(beta, [], [], logit, piEst, cov, Names(K, p));
        }
        var (gamma, mean) = WeightInference.Concomitant(pi, concomitant, cov, K * p, data.Weights?.Active);
        return new RegressionInference(beta, [], [], [], mean, cov, Names(K, p, concomitant)) { Gamma = gamma };
    }

}
