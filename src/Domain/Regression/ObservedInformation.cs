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
    public static Matrix<double> Compute(RegressionComponents theta, MixingWeights pi, RegressionData data, VarianceModel variance)
    {
        var U = data.Units;
        var p = data.P;
        var K = theta.K;
        if (pi.K != K) throw new ArgumentException($"{K} classes but {pi.K} weights");
        if (theta.Classes.Any(c => c.Beta.Length != p)) throw new ArgumentException($"every class needs {p} coefficients");
        var D = Dimension(K, p, variance);
        var nv = variance.FreeParameters(K);
        var etaOffset = K * p;
        var alphaOffset = K * p + nv;

        var L = new double[U * K];
        new RegressionFamily(variance).LogDensities(data, theta, L);
        var W = new double[U * K];
        EmLoop.EStepInto(L, pi.LogPi(), U, K, W);

        var d = new double[K][];
        var s2 = new double[K];
        for (var c = 0; c < K; c++)
        {
            d[c] = new double[p];
            for (var j = 0; j < p; j++) d[c][j] = theta.Classes[c].Beta[j] - data.beta0[j];
            s2[c] = theta.Classes[c].Variance;
        }
        int Eta(int c) => variance.Kind switch
        {
            VarianceKind.PerClass => etaOffset + c,
            VarianceKind.Common => etaOffset,
            _ => -1,
        };

        var chunks = (U + Chunk - 1) / Chunk;
        var partial = new double[chunks][];
        void Units(int chunk)
        {
            var I = new double[D * D];
            var XtX = new double[p * p];
            var xtr = new double[p];
            var s = new double[K * D];
            var g = new double[D];
            var end = Math.Min(U, (chunk + 1) * Chunk);
            for (var u = chunk * Chunk; u < end; u++)
            {
                CrossProduct(data, u, XtX);
                System.Array.Clear(s);
                System.Array.Clear(g);
                for (var c = 0; c < K; c++)
                {
                    var w = W[c * U + u];
                    var rss = Score(data, u, d[c], XtX, xtr);
                    var sc = c * D;
                    for (var a = 0; a < p; a++) s[sc + c * p + a] = xtr[a] / s2[c];
                    var eta = Eta(c);
                    if (eta >= 0) s[sc + eta] = -data.unitRows[u] + rss / s2[c];
                    for (var j = 1; j < K; j++) s[sc + alphaOffset + j - 1] = (c == j ? 1.0 : 0.0) - pi.Pi[j];
                    for (var a = 0; a < D; a++) g[a] += w * s[sc + a];
                    if (w == 0) continue;
                    // sum_c w_uc (-H_uc): the blocks of class c
                    var bo = c * p;
                    for (var a = 0; a < p; a++)
                    for (var b = a; b < p; b++)
                        I[(bo + a) * D + bo + b] += w * XtX[a * p + b] / s2[c];
                    if (eta >= 0)
                    {
                        for (var a = 0; a < p; a++) I[(bo + a) * D + eta] += w * 2 * xtr[a] / s2[c];
                        I[eta * D + eta] += w * 2 * rss / s2[c];
                    }
                }
                // - sum_c w_uc (s_uc - g_u)(s_uc - g_u)'
                for (var c = 0; c < K; c++)
                {
                    var w = W[c * U + u];
                    if (w == 0) continue;
                    var sc = c * D;
                    for (var a = 0; a < D; a++) s[sc + a] -= g[a];
                    for (var a = 0; a < D; a++)
                    {
                        var wa = w * s[sc + a];
                        if (wa == 0) continue;
                        var row = a * D;
                        for (var b = a; b < D; b++) I[row + b] -= wa * s[sc + b];
                    }
                }
            }
            partial[chunk] = I;
        }
        Parallelism.ForChunks(chunks, Units);

        var info = new double[D * D];
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            var I = partial[chunk];
            for (var a = 0; a < info.Length; a++) info[a] += I[a];
        }
        // -sum_u sum_c w_uc H_uc for the logits: U (diag(pi) - pi pi'), the same for every unit and class
        for (var j = 1; j < K; j++)
        for (var k = j; k < K; k++)
            info[(alphaOffset + j - 1) * D + alphaOffset + k - 1] += U * ((j == k ? pi.Pi[j] : 0.0) - pi.Pi[j] * pi.Pi[k]);
        // mirror the upper triangle (row-major a * D + b with a <= b)
        return Matrix<double>.Build.Dense(D, D, (a, b) => a <= b ? info[a * D + b] : info[b * D + a]);
    }

    /// <summary>
    /// Standard errors from Cov(psi) = I(psi)^-1 (solved by Cholesky): Wald z and 95% intervals for
    /// the coefficients and logits; for sigma the delta method SE = sigma SE(log sigma) with the
    /// interval exp(log sigma -/+ 1.96 SE); for pi the delta method on the softmax, with the interval
    /// taken on the logit(pi_c) scale so it stays in (0, 1).
    /// Fails when I(psi) is not positive definite.
    /// </summary>
    public static Fin<RegressionInference> Inference(RegressionComponents theta, MixingWeights pi, RegressionData data, VarianceModel variance)
    {
        var info = Compute(theta, pi, data, variance);
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
        var p = data.P;
        var nv = variance.FreeParameters(K);
        var alphaOffset = K * p + nv;
        double Se(int a) => Math.Sqrt(cov[a, a]);

        var beta = Enumerable.Range(0, K).Select(c => Enumerable.Range(0, p)
            .Select(j => ParameterEstimate.Wald(theta.Classes[c].Beta[j], Se(c * p + j))).ToImmutableArray()).ToImmutableArray();

        var logSigma = ImmutableArray.CreateBuilder<ParameterEstimate>();
        var sigma = ImmutableArray.CreateBuilder<ParameterEstimate>();
        for (var v = 0; v < nv; v++)
        {
            var sg = theta.Classes[variance.Kind == VarianceKind.PerClass ? v : 0].Sigma;
            var ls = ParameterEstimate.Wald(Math.Log(sg), Se(K * p + v));
            logSigma.Add(ls);
            sigma.Add(new ParameterEstimate(sg, sg * ls.StdError, Math.Exp(ls.Lower), Math.Exp(ls.Upper)));
        }

        var logit = Enumerable.Range(1, K - 1)
            .Select(c => ParameterEstimate.Wald(Math.Log(pi.Pi[c] / pi.Pi[0]), Se(alphaOffset + c - 1))).ToImmutableArray();

        // d pi_c / d alpha_j = pi_c ([c = j] - pi_j), j = 2..K
        var J = Matrix<double>.Build.Dense(K, K - 1, (c, j) => pi.Pi[c] * ((c == j + 1 ? 1.0 : 0.0) - pi.Pi[j + 1]));
        var covAlpha = K > 1 ? cov.SubMatrix(alphaOffset, K - 1, alphaOffset, K - 1) : null;
        var covPi = covAlpha is null ? null : J * covAlpha * J.Transpose();
        var piEst = Enumerable.Range(0, K).Select(c =>
        {
            var pc = pi.Pi[c];
            if (covPi is null) return new ParameterEstimate(pc, 0.0, pc, pc);
            var se = Math.Sqrt(Math.Max(0.0, covPi[c, c]));
            var lg = Math.Log(pc / (1 - pc));
            var seLogit = se / (pc * (1 - pc));
            return new ParameterEstimate(pc, se, Expit(lg - ParameterEstimate.Z975 * seLogit), Expit(lg + ParameterEstimate.Z975 * seLogit));
        }).ToImmutableArray();

        return new RegressionInference(beta, logSigma.ToImmutable(), sigma.ToImmutable(), logit, piEst, cov, Names(K, p, variance));
    }

    private static double Expit(double x) => 1.0 / (1.0 + Math.Exp(-x));

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
