using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Em;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Regression;

/// <summary>
/// The observed information matrix I(psi) = -d^2 log L / d psi d psi' of the incomplete-data
/// log-likelihood of a mixture of regressions, computed analytically, and the standard errors it gives.
/// The parameter vector psi, in this order, is:
/// beta_1 (p), ..., beta_K (p); eta = log sigma (K values per class, 1 common, none fixed);
/// alpha_2..alpha_K with pi_c = exp(alpha_c) / sum_j exp(alpha_j), alpha_1 = 0 (baseline-category logits).
/// This is flexmix's <c>refit</c> parametrisation (coefficients, <c>log(sigma)</c>, and the
/// concomitant multinomial logits relative to component 1).
/// </summary>
/// <remarks>
/// With l_uc = log pi_c + log f(y_u | beta_c, sigma_c) the complete-data log-likelihood of unit u
/// in class c, s_uc its gradient, H_uc its Hessian, w_uc the posterior and g_u = sum_c w_uc s_uc:
///   d^2 log L / d psi d psi' = sum_u [ sum_c w_uc (H_uc + (s_uc - g_u)(s_uc - g_u)') ]
/// (Louis 1982). Per unit with n_u rows, r = y_u - X_u beta_c and RSS = r'r:
///   d l/d beta_c = X_u'r / sigma_c^2,  d l/d eta_c = -n_u + RSS / sigma_c^2,
///   d l/d alpha_j = [c = j] - pi_j,
///   -d^2 l/d beta_c d beta_c' = X_u'X_u / sigma_c^2,  -d^2 l/d beta_c d eta_c = 2 X_u'r / sigma_c^2,
///   -d^2 l/d eta_c^2 = 2 RSS / sigma_c^2,  -d^2 l/d alpha d alpha' = diag(pi) - pi pi'.
/// R: <c>flexmix::refit</c> (a finite-difference Hessian from <c>optim</c>); mixtools has none.
/// Units are processed in fixed chunks whose sums are added in chunk order, so the result does not
/// depend on the thread count.
/// With observation weights o_u (<see cref="RegressionData.WithWeights"/>) log L = sum_u o_u log f(y_u) and every unit's
/// contribution above is multiplied by o_u, so whole-number weights give the information, and the standard errors, of the
/// data with unit u repeated o_u times.
/// </remarks>
public static class ObservedInformation
{
    private const int Chunk = 4096;

    /// <summary>Length of psi: K p + (K, 1 or 0) + (K - 1).</summary>
    public static int Dimension(int K, int p, VarianceModel variance) => K * p + variance.FreeParameters(K) + (K - 1);

    /// <summary>Names of the entries of psi (1-based classes and coefficients): beta[c,j], log sigma[c]
    /// (or log sigma), alpha[c].</summary>
    public static ImmutableArray<string> Names(int K, int p, VarianceModel variance)
    {
        var names = ImmutableArray.CreateBuilder<string>();
        for (var c = 1; c <= K; c++)
        for (var j = 1; j <= p; j++) names.Add($"beta[{c},{j}]");
        switch (variance.Kind)
        {
            case VarianceKind.PerClass: for (var c = 1; c <= K; c++) names.Add($"log sigma[{c}]"); break;
            case VarianceKind.Common: names.Add("log sigma"); break;
        }
        for (var c = 2; c <= K; c++) names.Add($"alpha[{c}]");
        return names.ToImmutable();
    }

    /// <summary>I(psi) = -d^2 log L / d psi d psi' at (theta, pi); a symmetric D x D matrix.</summary>
    public static Matrix<double> Compute(RegressionComponents theta, MixingWeights pi, RegressionData data, VarianceModel variance) =>
        Derivatives(theta, pi, data, variance).Information;

    /// <summary>The gradient d log L / d psi = sum_u sum_c w_uc s_uc and the observed information I(psi) at (theta, pi),
    /// with the log-likelihood itself, in one pass over the units.</summary>
    /// <remarks>
    /// The responsibilities are computed in the first U K entries of <c>scratch</c> (overwritten), or in a new buffer
    /// when it is null.
    /// I = sum_u sum_c w_uc (-H_uc) - sum_u sum_c w_uc s_uc s_uc' + sum_u g_u g_u'. The score s_uc is zero outside
    /// class c's coefficients, its log sigma and the logits, and its logit part a_c = e_c - pi is the same for
    /// every unit, so the first two sums need only per-class sums of w v v', w v, w v eta, w eta, w eta^2 and w
    /// (v = X_u'r / sigma_c^2, eta = d l / d log sigma_c); only sum_u g_u g_u' is dense, D(D+1)/2 products a unit.
    /// </remarks>
    public static (double[] Gradient, Matrix<double> Information, double LogLikelihood) Derivatives(
        RegressionComponents theta, MixingWeights pi, RegressionData data, VarianceModel variance, double[]? scratch = null)
    {
        var U = data.Units;
        var p = data.P;
        var K = theta.K;
        if (pi.K != K) throw new ArgumentException($"{K} classes but {pi.K} weights");
        if (theta.Classes.Any(c => c.Beta.Length != p)) throw new ArgumentException($"every class needs {p} coefficients");

        // the E-step in place on the log-densities: one U x K buffer
        var W = scratch ?? new double[U * K];
        if (W.Length < (long)U * K) throw new ArgumentException($"the scratch buffer has {W.Length} entries, fewer than U K = {(long)U * K}");
        new RegressionFamily(variance).LogDensities(data, theta, W);
        var ow = data.Weights?.Active;
        var logL = EmLoop.EStepInto(W, pi.LogPi(), U, K, W, ow);
        var sum = new double[SumSize(K, p, variance)];
        AddSums(theta, pi, data, variance, W, sum);
        var (grad, info) = FromSums(theta, pi, data, variance, sum, ow is null ? U : data.Weights!.Sum);
        return (grad, info, logL);
    }

    /// <summary>Entries of the sums <see cref="AddSums"/> adds to: per class 2 p^2 + 2 p + 4, then D x D.</summary>
    internal static int SumSize(int K, int p, VarianceModel variance)
    {
        var D = Dimension(K, p, variance);
        return K * (2 * p * p + 2 * p + 4) + D * D;
    }

    /// <summary>psi's layout for <see cref="AddSums"/> and <see cref="FromSums"/>: its dimension D, the offset of the K - 1
    /// logits alpha (after the K p coefficients and the variance parameters), whether there are variance parameters, and
    /// the index of class c's log-variance eta (-1 with fixed variances; the common one for all classes).</summary>
    private static (int D, int AlphaOffset, bool HasEta, int[] EtaIndex) Layout(int K, int p, VarianceModel variance)
    {
        var nv = variance.FreeParameters(K);
        var etaIndex = new int[K];
        for (var c = 0; c < K; c++)
            etaIndex[c] = variance.Kind switch
            {
                VarianceKind.PerClass => K * p + c,
                VarianceKind.Common => K * p,
                _ => -1,
            };
        return (Dimension(K, p, variance), K * p + nv, nv > 0, etaIndex);
    }

    /// <summary>The coefficient differences d_c = beta_c - b0 and the variances sigma_c^2, in the data's internal units.</summary>
    private static (double[][] D, double[] S2) ClassTerms(RegressionComponents theta, RegressionData data)
    {
        var K = theta.K;
        var p = data.P;
        var d = new double[K][];
        var s2 = new double[K];
        for (var c = 0; c < K; c++)
        {
            d[c] = new double[p];
            // in the data's internal units (RegressionData.UnitRange; 1 for ordinary data): the coefficients
            // of psi are then beta_j 2^(e_j - e_y), which Inference and RegressionFamily.Step map back
            for (var j = 0; j < p; j++) d[c][j] = data.ToUnits(j, theta.Classes[c].Beta[j] - data.beta0[j]);
            var sc = data.SigmaToUnits(theta.Classes[c].Sigma);
            s2[c] = sc * sc;
        }
        return (d, s2);
    }

    /// <summary>
    /// Adds the units' per-class and g g' sums of the information (see <see cref="Derivatives(Mixtures.Domain.Regression.RegressionComponents, Mixtures.Domain.Model.MixingWeights, Mixtures.Domain.Regression.RegressionData, Mixtures.Domain.Regression.VarianceModel, double[])"/>) to <paramref name="sum"/>
    /// (<see cref="SumSize"/> entries): per chunk of 4096 units from that chunk only, the chunks added in chunk order.
    /// <paramref name="W"/> holds the E-step at (theta, pi) (U x K, column-major). Over consecutive row blocks of a multiple
    /// of 4096 rows, fed in order with the running sums, this gives the whole data's sums bit for bit (streaming EM).
    /// </summary>
    internal static void AddSums(RegressionComponents theta, MixingWeights pi, RegressionData data, VarianceModel variance, double[] W, double[] sum)
    {
        var U = data.Units;
        var p = data.P;
        var K = theta.K;
        var (D, alphaOffset, hasEta, etaIndex) = Layout(K, p, variance);
        var ow = data.Weights?.Active;
        var (d, s2) = ClassTerms(theta, data);

        // per chunk: [per class: sum w v v' (p p), sum w X'X (p p), sum w v (p), sum w v eta (p), sum w eta, sum w eta^2,
        // sum w rho (rho = RSS / sigma^2), sum w], then sum g g' (upper triangle, D D)
        var perClass = 2 * p * p + 2 * p + 4;
        var size = K * perClass + D * D;
        if (sum.Length != size) throw new ArgumentException($"{sum.Length} sums, not {size}");
        var shared = data.Layout == DesignLayout.Shared;
        var chunks = (U + Chunk - 1) / Chunk;
        var partial = new double[chunks][];
        void Units(int chunk)
        {
            var acc = new double[size];
            var XtX = new double[p * p];
            var xtr = new double[p];
            var gu = new double[D];
            var end = Math.Min(U, (chunk + 1) * Chunk);
            if (shared) CrossProduct(data, 0, XtX);
            for (var u = chunk * Chunk; u < end; u++)
            {
                if (!shared) CrossProduct(data, u, XtX);
                System.Array.Clear(gu);
                var nu = data.unitRows[u];
                // the unit's observation weight (1 without weights: every product below is then the unweighted one exactly)
                var ou = ow?[u] ?? 1.0;
                if (ou == 0) continue;
                for (var c = 0; c < K; c++)
                {
                    var w = W[c * U + u];
                    if (c > 0) gu[alphaOffset + c - 1] += w;
                    if (w == 0) continue;
                    var rss = Score(data, u, d[c], XtX, xtr);
                    var o = c * perClass;
                    var rho = rss / s2[c];
                    var eta = -nu + rho;
                    var wo = w * ou;
                    for (var a = 0; a < p; a++)
                    {
                        var va = xtr[a] / s2[c];
                        var wva = w * va;
                        var wova = wo * va;
                        gu[c * p + a] = wva;
                        for (var b = a; b < p; b++) acc[o + a * p + b] += wova * xtr[b] / s2[c];
                        if (!shared)
                            for (var b = a; b < p; b++) acc[o + p * p + a * p + b] += wo * XtX[a * p + b];
                        acc[o + 2 * p * p + a] += wova;
                        acc[o + 2 * p * p + p + a] += wova * eta;
                    }
                    acc[o + 2 * p * p + 2 * p] += wo * eta;
                    acc[o + 2 * p * p + 2 * p + 1] += wo * eta * eta;
                    acc[o + 2 * p * p + 2 * p + 2] += wo * rho;
                    acc[o + 2 * p * p + 2 * p + 3] += wo;
                    if (hasEta) gu[etaIndex[c]] += w * eta;
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
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            var acc = partial[chunk];
            for (var t = 0; t < size; t++) sum[t] += acc[t];
        }
    }

    /// <summary>The gradient and I(psi) from the sums of <see cref="AddSums"/> over all units; <paramref name="units"/> is
    /// sum_u o_u (U without observation weights). <paramref name="data"/> gives p, the layout and the units (for row data
    /// read in blocks, the data-wide quantities of <see cref="RegressionData.RowGlobals"/>).</summary>
    internal static (double[] Gradient, Matrix<double> Information) FromSums(RegressionComponents theta, MixingWeights pi, RegressionData data,
        VarianceModel variance, double[] sum, double units)
    {
        var p = data.P;
        var K = theta.K;
        var (D, alphaOffset, _, etaIndex) = Layout(K, p, variance);
        var perClass = 2 * p * p + 2 * p + 4;
        var shared = data.Layout == DesignLayout.Shared;
        var (_, s2) = ClassTerms(theta, data);
        var sharedXtX = new double[p * p];
        if (shared) CrossProduct(data, 0, sharedXtX);
        var info = new double[D * D];
        var grad = new double[D];
        void Add(int a, int b, double v) { if (a <= b) info[a * D + b] += v; else info[b * D + a] += v; }
        // a_c[j] = [c = j] - pi_j for the logit alpha_j, j = 2..K
        double Ac(int c, int j) => (c == j ? 1.0 : 0.0) - pi.Pi[j];
        for (var c = 0; c < K; c++)
        {
            var o = c * perClass;
            var wsum = sum[o + 2 * p * p + 2 * p + 3];
            var wEta = sum[o + 2 * p * p + 2 * p];
            var wEta2 = sum[o + 2 * p * p + 2 * p + 1];
            var wRho = sum[o + 2 * p * p + 2 * p + 2];
            var bo = c * p;
            var eta = etaIndex[c];
            for (var a = 0; a < p; a++)
            {
                var wv = sum[o + 2 * p * p + a];
                grad[bo + a] += wv;
                for (var b = a; b < p; b++)
                {
                    var xx = shared ? wsum * sharedXtX[a * p + b] : sum[o + p * p + a * p + b];
                    Add(bo + a, bo + b, xx / s2[c] - sum[o + a * p + b]);
                }
                if (eta >= 0) Add(bo + a, eta, 2 * wv - sum[o + 2 * p * p + p + a]);
                for (var j = 1; j < K; j++) Add(bo + a, alphaOffset + j - 1, -wv * Ac(c, j));
            }
            if (eta >= 0)
            {
                grad[eta] += wEta;
                Add(eta, eta, 2 * wRho - wEta2);
                for (var j = 1; j < K; j++) Add(eta, alphaOffset + j - 1, -wEta * Ac(c, j));
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
        // -sum_u o_u sum_c w_uc H_uc for the logits: (sum_u o_u) (diag(pi) - pi pi'), the same for every unit and class
        for (var j = 1; j < K; j++)
        for (var k = j; k < K; k++)
            info[(alphaOffset + j - 1) * D + alphaOffset + k - 1] += units * ((j == k ? pi.Pi[j] : 0.0) - pi.Pi[j] * pi.Pi[k]);
        // mirror the upper triangle (row-major a * D + b with a <= b)
        return (grad, Matrix<double>.Build.Dense(D, D, (a, b) => a <= b ? info[a * D + b] : info[b * D + a]));
    }

    /// <summary>
    /// Standard errors from Cov(psi) = I(psi)^-1 (solved by Cholesky): Wald z and 95% intervals for
    /// the coefficients and logits; for sigma the delta method SE = sigma SE(log sigma) with the
    /// interval exp(log sigma -/+ 1.96 SE); for pi the delta method on the softmax, with the interval
    /// taken on the logit(pi_c) scale so it stays in (0, 1).
    /// Fails when I(psi) is not positive definite.
    /// </summary>
    public static Fin<RegressionInference> Inference(RegressionComponents theta, MixingWeights pi, RegressionData data, VarianceModel variance) =>
        Inference(theta, pi, data, variance, Compute(theta, pi, data, variance));

    /// <summary><see cref="Inference(RegressionComponents, MixingWeights, RegressionData, VarianceModel)"/> from a given I(psi)
    /// (for row data read in blocks, assembled by <see cref="FromSums"/>; <paramref name="data"/> then the data-wide quantities).</summary>
    internal static Fin<RegressionInference> Inference(RegressionComponents theta, MixingWeights pi, RegressionData data, VarianceModel variance,
        Matrix<double> information)
    {
        if (!WeightInference.Covariance(information).TryGet(out var cov, out var singular)) return FinFail<RegressionInference>(singular);

        var K = theta.K;
        var p = data.P;
        var (_, covOut, beta, logSigma, sigma) = ComponentEstimates(theta, data, variance, cov);
        var nv = variance.FreeParameters(K);
        var alphaOffset = K * p + nv;
        var (logit, piEst) = WeightInference.Constant(pi, cov, alphaOffset);

        return new RegressionInference(beta, logSigma, sigma, logit, piEst, covOut, Names(K, p, variance));
    }

    /// <summary>Dimension of psi with a concomitant model: K p + variances + (K - 1) q.</summary>
    public static int Dimension(int K, int p, VarianceModel variance, ConcomitantWeights concomitant) =>
        K * p + variance.FreeParameters(K) + (K - 1) * concomitant.Q;

    /// <summary>
    /// The gradient and the observed information of log L with concomitant variables, psi = (beta, log sigma, gamma_2..gamma_K),
    /// by the same formula I = sum_u [sum_c w_uc (-H_uc) - sum_c w_uc s_uc s_uc' + g_u g_u'] as
    /// <see cref="Derivatives(Mixtures.Domain.Regression.RegressionComponents, Mixtures.Domain.Model.MixingWeights, Mixtures.Domain.Regression.RegressionData, Mixtures.Domain.Regression.VarianceModel, double[])"/>, where class c's complete-data score in gamma_d is ([c = d] - p_ud) z_u and
    /// -H in (gamma_d, gamma_e) is p_ud ([d = e] - p_ue) z_u z_u', now different for every unit (p_u = softmax(z_u' gamma)):
    /// dense per unit, O(U K D^2).
    /// </summary>
    public static (double[] Gradient, Matrix<double> Information, double LogLikelihood) Derivatives(
        RegressionComponents theta, MixingWeights weights, RegressionData data, VarianceModel variance, ConcomitantWeights concomitant,
        double[]? scratch = null)
    {
        var U = data.Units;
        var p = data.P;
        var K = theta.K;
        var q = concomitant.Q;
        if (weights.K != K || weights.CoefficientCount != q) throw new ArgumentException($"the weights need {K} classes with {q} concomitant coefficients each");
        var D = Dimension(K, p, variance, concomitant);
        // the concomitant coefficients gamma take the place of the logits alpha
        var (_, gOffset, _, etaIndex) = Layout(K, p, variance);
        var W = scratch ?? new double[U * K];
        if (W.Length < (long)U * K) throw new ArgumentException($"the scratch buffer has {W.Length} entries, fewer than U K = {(long)U * K}");
        new RegressionFamily(variance).LogDensities(data, theta, W);
        var logPrior = concomitant.LogPrior(weights, U);
        var ow = data.Weights?.Active;
        var logL = EmLoop.EStepInto(W, logPrior, U, K, W, ow);
        var (d, s2) = ClassTerms(theta, data);
        var info = new double[D * D];
        var grad = new double[D];
        var XtX = new double[p * p];
        var xtr = new double[p];
        var gu = new double[D];
        var s = new double[K][];
        for (var c = 0; c < K; c++) s[c] = new double[D];
        var pu = new double[K];
        for (var u = 0; u < U; u++)
        {
            // the unit's observation weight (1 without weights: the products are then the unweighted ones exactly)
            var ou = ow?[u] ?? 1.0;
            if (ou == 0) continue;
            CrossProduct(data, u, XtX);
            var nu = data.unitRows[u];
            for (var c = 0; c < K; c++) pu[c] = Math.Exp(logPrior[c * U + u]);
            System.Array.Clear(gu);
            for (var c = 0; c < K; c++)
            {
                var sc = s[c];
                System.Array.Clear(sc);
                var w = W[c * U + u];
                var rss = Score(data, u, d[c], XtX, xtr);
                var rho = rss / s2[c];
                var eta = -nu + rho;
                for (var a = 0; a < p; a++) sc[c * p + a] = xtr[a] / s2[c];
                var e = etaIndex[c];
                if (e >= 0) sc[e] = eta;
                for (var k = 1; k < K; k++)
                for (var j = 0; j < q; j++) sc[gOffset + (k - 1) * q + j] = ((c == k ? 1.0 : 0.0) - pu[k]) * concomitant.Z(u, j);
                if (w == 0) continue;
                for (var a = 0; a < D; a++) gu[a] += w * sc[a];
                var wo = w * ou;
                // o_u w (-H_uc) for the class's own coefficients and log sigma
                for (var a = 0; a < p; a++)
                {
                    for (var b = 0; b < p; b++) info[(c * p + a) * D + c * p + b] += wo * XtX[a * p + b] / s2[c];
                    if (e >= 0) { info[(c * p + a) * D + e] += wo * 2 * sc[c * p + a]; info[e * D + c * p + a] += wo * 2 * sc[c * p + a]; }
                }
                if (e >= 0) info[e * D + e] += wo * 2 * rho;
                // - o_u w s s'
                for (var a = 0; a < D; a++)
                {
                    if (sc[a] == 0) continue;
                    var wa = wo * sc[a];
                    for (var b = 0; b < D; b++) info[a * D + b] -= wa * sc[b];
                }
            }
            // -H in gamma is the same for every class of the unit (and sum_c w_uc = 1)
            for (var k = 1; k < K; k++)
            for (var l = 1; l < K; l++)
            {
                var h = ou * pu[k] * ((k == l ? 1.0 : 0.0) - pu[l]);
                for (var j = 0; j < q; j++)
                for (var m = 0; m < q; m++) info[(gOffset + (k - 1) * q + j) * D + gOffset + (l - 1) * q + m] += h * concomitant.Z(u, j) * concomitant.Z(u, m);
            }
            for (var a = 0; a < D; a++)
            {
                var ga = ou * gu[a];
                grad[a] += ga;
                if (ga == 0) continue;
                for (var b = 0; b < D; b++) info[a * D + b] += ga * gu[b];
            }
        }
        return (grad, Matrix<double>.Build.Dense(D, D, (a, b) => 0.5 * (info[a * D + b] + info[b * D + a])), logL);
    }

    /// <summary>
    /// Standard errors of a fit with concomitant variables from Cov(psi) = I(psi)^-1: Wald intervals for beta, log sigma
    /// (sigma by the delta method) and every gamma_kj (k = 2..K, in <see cref="RegressionInference.Gamma"/>); the mean priors
    /// pi_k = (1/U) sum_u p_uk (sum_u o_u p_uk / sum_u o_u with observation weights) get delta-method SEs. Fails when I(psi) is not positive definite.
    /// </summary>
    public static Fin<RegressionInference> Inference(RegressionComponents theta, MixingWeights weights, RegressionData data, VarianceModel variance,
        ConcomitantWeights concomitant)
    {
        // the responsibilities of the derivatives' E-step serve the separation check too
        var W = new double[data.Units * theta.K];
        var info = Derivatives(theta, weights, data, variance, concomitant, W).Information;
        if (concomitant.Separates(W, data.Units, weights, data.Weights?.Active))
            return FinFail<RegressionInference>(new SeparatedConcomitantsError(string.Join(", ", concomitant.Names)));
        if (!WeightInference.Covariance(info).TryGet(out var cov, out var singular))
            return FinFail<RegressionInference>(singular);
        var K = theta.K;
        var p = data.P;
        var (_, covOut, beta, logSigma, sigma) = ComponentEstimates(theta, data, variance, cov);
        var nv = variance.FreeParameters(K);
        var gOffset = K * p + nv;
        var (gamma, piEst) = WeightInference.Concomitant(weights, concomitant, cov, gOffset, data.Weights?.Active);
        var names = Names(K, p, variance).Take(K * p + nv)
            .Concat(WeightInference.GammaNames(K, concomitant)).ToImmutableArray();
        return new RegressionInference(beta, logSigma, sigma, [], piEst, covOut, names) { Gamma = gamma };
    }

    /// <summary>The power-of-two unit of every coordinate of psi, Cov(psi) in the data's units, and the Wald estimates of
    /// beta, log sigma and sigma (delta method) shared by both parametrisations of the weights.</summary>
    private static (int[] Unit, Matrix<double> CovOut, ImmutableArray<ImmutableArray<ParameterEstimate>> Beta,
        ImmutableArray<ParameterEstimate> LogSigma, ImmutableArray<ParameterEstimate> Sigma) ComponentEstimates(
        RegressionComponents theta, RegressionData data, VarianceModel variance, Matrix<double> cov)
    {
        var D = cov.RowCount;
        var K = theta.K;
        var p = data.P;
        // psi's coefficients are in the internal units: back to the data's units (exact; 1 for ordinary data)
        var unit = new int[D];
        for (var c = 0; c < K; c++)
        for (var j = 0; j < p; j++) unit[c * p + j] = data.responseExponent - data.columnExponent[j];
        // (for data near the limits of the double range a covariance entry in the data's units may overflow; the SEs do not)
        var covOut = unit.Any(e => e != 0) ? Matrix<double>.Build.Dense(D, D, (a, b) => Math.ScaleB(cov[a, b], unit[a] + unit[b])) : cov;
        double Se(int a) => Math.ScaleB(Math.Sqrt(cov[a, a]), unit[a]);
        var beta = Enumerable.Range(0, K).Select(c => Enumerable.Range(0, p)
            .Select(j => ParameterEstimate.Wald(theta.Classes[c].Beta[j], Se(c * p + j))).ToImmutableArray()).ToImmutableArray();
        var nv = variance.FreeParameters(K);
        var logSigma = ImmutableArray.CreateBuilder<ParameterEstimate>();
        var sigma = ImmutableArray.CreateBuilder<ParameterEstimate>();
        for (var v = 0; v < nv; v++)
        {
            var sg = theta.Classes[variance.Kind == VarianceKind.PerClass ? v : 0].Sigma;
            var ls = ParameterEstimate.Wald(Math.Log(sg), Se(K * p + v));
            logSigma.Add(ls);
            sigma.Add(new ParameterEstimate(sg, sg * ls.StdError, Math.Exp(ls.Lower), Math.Exp(ls.Upper)));
        }
        return (unit, covOut, beta, logSigma.ToImmutable(), sigma.ToImmutable());
    }

    /// <summary>X_u'X_u (p x p, row-major) of unit u.</summary>
    private static void CrossProduct(RegressionData data, int u, double[] XtX)
    {
        var p = data.P;
        switch (data.Layout)
        {
            case DesignLayout.Shared:
                System.Array.Copy(data.design, 0, XtX, 0, p * p);
                break;
            case DesignLayout.Rows:
                for (var a = 0; a < p; a++)
                for (var b = 0; b < p; b++) XtX[a * p + b] = data.design[a * data.Units + u] * data.design[b * data.Units + u];
                break;
            case DesignLayout.PerUnit:
                System.Array.Copy(data.design, u * p * p, XtX, 0, p * p);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(data));
        }
    }

    /// <summary>X_u'r (into <paramref name="xtr"/>) and RSS = r'r for r = y_u - X_u (b0 + d).</summary>
    private static double Score(RegressionData data, int u, double[] d, double[] XtX, double[] xtr)
    {
        var p = data.P;
        if (data.Layout == DesignLayout.Rows)
        {
            var xd = 0.0;
            for (var j = 0; j < p; j++) xd += data.design[j * data.Units + u] * d[j];
            var r = data.r0![u] - xd;
            for (var j = 0; j < p; j++) xtr[j] = data.design[j * data.Units + u] * r;
            return r * r;
        }
        // X'r = X'r0 - X'X d;  RSS = r0'r0 - 2 d'X'r0 + d'X'X d
        var g = 0.0;
        var q = 0.0;
        for (var a = 0; a < p; a++)
        {
            var xXd = 0.0;
            for (var b = 0; b < p; b++) xXd += XtX[a * p + b] * d[b];
            xtr[a] = data.xtr[u * p + a] - xXd;
            g += d[a] * data.xtr[u * p + a];
            q += d[a] * xXd;
        }
        return Math.Max(0.0, data.rtr[u] - 2 * g + q);
    }
}
