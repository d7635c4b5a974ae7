using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Em;

/// <summary>
/// Mixing weights that depend on concomitant variables: for unit u with concomitant row z_u (q values, the
/// intercept first),
///   Pr[C_u = k | z_u] = exp(z_u' gamma_k) / sum_c exp(z_u' gamma_c),   gamma_1 = 0,
/// a multinomial logit. Its M-step maximises sum_u sum_k W[u,k] log Pr[C_u = k | z_u] over gamma (a weighted
/// multinomial logit, concave): Newton's method from the current gamma (or 0) with the (K - 1) q x (K - 1) q information
/// solved by Cholesky and step halving, to a change in the objective below 1e-12 (relative) or 100 iterations. It fails
/// (a value: the start is abandoned) when the concomitant design Z is collinear (Z'Z singular). Where the concomitants separate the classes (the maximum is at infinity) the fit
/// stops with those priors numerically 0 and says so (<see cref="Separates"/> tells such fits apart); gamma then has no finite
/// estimate, but log L is within rounding of its supremum.
/// </summary>
/// <remarks>flexmix's <c>concomitant = FLXPmultinom(~ z)</c>; Stata's <c>fmm ..., lcprob(z)</c>. The weights' pi are the
/// mean priors over the units (what the minimum-prior rule and the tables use).</remarks>
public sealed class ConcomitantWeights : IWeightModel
{
    /// <summary>Newton iterations of one M-step at most.</summary>
    public const int MaxIterations = 100;

    private readonly double[] z;   // units x q, column-major: z[j * n + u]
    private readonly double[]? unitWeights; // observation weights of the units (null: all 1)

    private ConcomitantWeights(ConcomitantWeights model, ObservationWeights? weights)
    {
        Units = model.Units; Q = model.Q; Names = model.Names; z = model.z;
        if (weights is not null && weights.Count != Units) throw new ArgumentException($"{weights.Count} observation weights for {Units} units");
        unitWeights = weights?.Active;
        ObservationWeights = weights;
    }

    /// <summary>The same model for data with observation weights w_u: the mean prior pi_k becomes
    /// sum_u w_u Pr[C_u = k | z_u] / sum_u w_u (what flexmix's <c>prior()</c> reports with weights). The M-step's
    /// objective is weighted by the core (it passes W[u,k] w_u).</summary>
    public ConcomitantWeights WithObservationWeights(ObservationWeights? weights) => new(this, weights);

    /// <summary>The observation weights the mean prior is weighted by (null: none).</summary>
    public ObservationWeights? ObservationWeights { get; }

    /// <summary>The model for units with concomitant rows <paramref name="Z"/> (units x q, the intercept column first when
    /// wanted) named <paramref name="names"/>.</summary>
    public ConcomitantWeights(Matrix<double> Z, IReadOnlyList<string> names)
    {
        if (names.Count != Z.ColumnCount) throw new ArgumentException($"{names.Count} names for {Z.ColumnCount} concomitant columns");
        if (Z.RowCount == 0 || Z.ColumnCount == 0) throw new ArgumentException("the concomitant design is empty");
        Units = Z.RowCount;
        Q = Z.ColumnCount;
        Names = [.. names];
        z = Z.ToColumnMajorArray();
        collinear = Regression.WeightedLeastSquares.TryCholesky(Z.TransposeThisAndMultiply(Z)) is null;
    }

    private readonly bool collinear;

    /// <summary>The model with an intercept and the concomitant columns <paramref name="covariates"/> (units x m): q = m + 1,
    /// the first name "(Intercept)" as R names it.</summary>
    public static ConcomitantWeights WithIntercept(Matrix<double> covariates, IReadOnlyList<string> names) =>
        new(Matrix<double>.Build.Dense(covariates.RowCount, covariates.ColumnCount + 1, (u, j) => j == 0 ? 1.0 : covariates[u, j - 1]),
            ["(Intercept)", .. names]);

    /// <summary>Units (rows of the concomitant design).</summary>
    public int Units { get; }

    /// <summary>q, coefficients per component.</summary>
    public int Q { get; }

    /// <summary>The names of the q concomitant coefficients.</summary>
    public ImmutableArray<string> Names { get; }

    /// <summary>z_uj.</summary>
    public double Z(int u, int j) => z[j * Units + u];

    /// <inheritdoc/>
    public string Name => "multinomial logit of " + string.Join(", ", Names);

    /// <inheritdoc/>
    public int FreeParameters(int K) => (K - 1) * Q;

    /// <inheritdoc/>
    public int VectorLength(int K) => (K - 1) * Q;

    /// <inheritdoc/>
    public double[] LogPrior(MixingWeights weights, int units)
    {
        CheckUnits(units);
        var K = weights.K;
        if (!weights.HasCoefficients || weights.CoefficientCount != Q)
            throw new ArgumentException($"the weights have {weights.CoefficientCount} concomitant coefficients per component, the model {Q}");
        var logP = new double[units * K];
        LogPriorInto(weights.Coefficients.AsSpan(), K, logP);
        return logP;
    }

    /// <summary>log Pr[C_u = k | z_u] for gamma (K x q row-major) into dest (units x K, column-major); the largest linear
    /// predictor difference of any unit is returned (for the separation rule).</summary>
    private double LogPriorInto(ReadOnlySpan<double> gamma, int K, double[] dest)
    {
        var n = Units;
        var spread = 0.0;
        Span<double> eta = stackalloc double[K];
        for (var u = 0; u < n; u++)
        {
            var max = double.NegativeInfinity;
            var min = double.PositiveInfinity;
            for (var k = 0; k < K; k++)
            {
                var e = 0.0;
                for (var j = 0; j < Q; j++) e += z[j * n + u] * gamma[k * Q + j];
                eta[k] = e;
                max = Math.Max(max, e);
                min = Math.Min(min, e);
            }
            spread = Math.Max(spread, max - min);
            var s = 0.0;
            for (var k = 0; k < K; k++) s += Math.Exp(eta[k] - max);
            var lse = max + Math.Log(s);
            for (var k = 0; k < K; k++) dest[k * n + u] = eta[k] - lse;
        }
        return spread;
    }

    /// <inheritdoc/>
    public Fin<MixingWeights> Fit(double[] W, int n, int K) => Fit(W, n, K, null);

    /// <inheritdoc/>
    /// <remarks>Newton starts from <paramref name="current"/>'s gamma (from gamma = 0 without it, or when it does not fit
    /// the model), so every M-step raises the objective from the current weights (a generalised EM step). Where the
    /// concomitants separate the classes the objective's supremum is at infinity: Newton's steps then move the separated
    /// linear predictors out by about one unit each while the objective's gain shrinks like their exp(-spread), and the
    /// M-step stops when the gain is below 1e-12 relative, with those priors numerically 0 and log L within rounding of
    /// its supremum (<see cref="Separates"/> tells such fits apart).</remarks>
    public Fin<MixingWeights> Fit(double[] W, int n, int K, MixingWeights? current)
    {
        CheckUnits(n);
        var q = Q;
        if (K == 1) return MixingWeights.WithCoefficients([1.0], new double[q], q);
        if (collinear)
            return FinFail<MixingWeights>(new InvalidDataError(
                $"the concomitant variables ({string.Join(", ", Names)}) are collinear (or one is constant): their multinomial logit cannot be estimated"));
        var P = (K - 1) * q;
        var gamma = new double[K * q];     // row 0 stays 0
        var logP = new double[n * K];
        if (current is { HasCoefficients: true } && current.K == K && current.CoefficientCount == q)
        {
            for (var k = 1; k < K; k++)
            for (var j = 0; j < q; j++) gamma[k * q + j] = current.Gamma(k, j);
            if (!double.IsFinite(LogPriorInto(gamma, K, logP))) System.Array.Clear(gamma);
        }
        LogPriorInto(gamma, K, logP);
        var objective = Objective(W, logP, n, K);
        var candidate = new double[K * q];
        for (var it = 0; it < MaxIterations; it++)
        {
            var (g, info) = GradientAndInformation(W, logP, n, K);
            var I = Matrix<double>.Build.Dense(P, P, (a, b) => info[a * P + b]);
            var chol = Regression.WeightedLeastSquares.TryCholesky(I);
            // Z has full rank, so a singular information means that the information of some directions vanishes (far out
            // along directions where the concomitants separate the classes, or units without weight): keep the weights there
            if (chol is null) break;
            var step = chol.Solve(Vector<double>.Build.Dense(g)).ToArray();
            if (!step.All(double.IsFinite)) break;
            // step halving: Newton on a concave objective, kept only when the objective does not fall
            var t = 1.0;
            var accepted = false;
            double next = objective;
            for (var h = 0; h < 30 && !accepted && t > 0; h++, t /= 2)
            {
                for (var k = 1; k < K; k++)
                for (var j = 0; j < q; j++) candidate[k * q + j] = gamma[k * q + j] + t * step[(k - 1) * q + j];
                LogPriorInto(candidate, K, logP);
                next = Objective(W, logP, n, K);
                accepted = next >= objective - 1e-14 * Math.Abs(objective);
            }
            if (!accepted) { LogPriorInto(gamma, K, logP); break; }
            (gamma, candidate) = (candidate, gamma);
            var gain = next - objective;
            objective = next;
            if (gain <= 1e-12 * (1 + Math.Abs(objective))) break;
        }
        return Weights(gamma, logP, n, K);
    }

    /// <summary>
    /// Whether gamma has no finite maximiser at these responsibilities: the concomitants separate the classes. At a finite
    /// maximum a converged fit's Newton step is of the order of the EM tolerance; along a direction of recession (the
    /// objective rising towards a supremum at infinity) the information vanishes with the gradient, and Newton's step
    /// still moves some unit's log prior odds z_u'(gamma_k - gamma_l) by more than <see cref="RecessionStep"/> while
    /// the objective gains nothing (or the information cannot be factored at all).
    /// </summary>
    /// <param name="W">The n x K responsibilities at the fit, column-major.</param>
    /// <param name="n">Units.</param>
    /// <param name="weights">The fitted weights (K classes).</param>
    /// <param name="unitWeights">Observation weights of the units (null: none): the objective is then sum_u o_u sum_k W_uk log p_uk.</param>
    public bool Separates(double[] W, int n, MixingWeights weights, double[]? unitWeights = null)
    {
        CheckUnits(n);
        if (unitWeights is not null)
        {
            var scaled = new double[W.Length];
            for (var i = 0; i < W.Length; i++) scaled[i] = W[i] * unitWeights[i % n];
            W = scaled;
        }
        var K = weights.K;
        if (K == 1 || !weights.HasCoefficients || weights.CoefficientCount != Q) return false;
        var q = Q;
        var P = (K - 1) * q;
        var logP = new double[n * K];
        LogPriorInto(weights.Coefficients.AsSpan(), K, logP);
        var (g, info) = GradientAndInformation(W, logP, n, K);
        var chol = Regression.WeightedLeastSquares.TryCholesky(Matrix<double>.Build.Dense(P, P, (a, b) => info[a * P + b]));
        if (chol is null) return true;
        var step = chol.Solve(Vector<double>.Build.Dense(g)).ToArray();
        if (!step.All(double.IsFinite)) return true;
        var full = new double[K * q];
        for (var i = 0; i < P; i++) full[q + i] = step[i];
        return LogPriorInto(full, K, new double[n * K]) > RecessionStep;
    }

    /// <summary>The change in a unit's log prior odds that a Newton step at a converged fit must exceed to count as a
    /// direction of recession (see <see cref="Separates"/>).</summary>
    public const double RecessionStep = 0.5;

    /// <summary>The objective's gradient g_(k,j) = sum_u (W_uk - s_u p_uk) z_uj and information
    /// I = sum_u s_u (diag(p_u) - p_u p_u') (x) z_u z_u' over k, l = 2..K (s_u = sum_k W_uk), row-major (K - 1) q square.</summary>
    private (double[] Gradient, double[] Information) GradientAndInformation(double[] W, double[] logP, int n, int K)
    {
        var q = Q;
        var P = (K - 1) * q;
        var g = new double[P];
        var info = new double[P * P];
        var p = new double[K];
        for (var u = 0; u < n; u++)
        {
            var su = 0.0;
            for (var k = 0; k < K; k++) { p[k] = Math.Exp(logP[k * n + u]); su += W[k * n + u]; }
            for (var k = 1; k < K; k++)
            {
                var r = W[k * n + u] - su * p[k];
                for (var j = 0; j < q; j++) g[(k - 1) * q + j] += r * z[j * n + u];
                for (var l = 1; l < K; l++)
                {
                    var c = su * p[k] * ((k == l ? 1.0 : 0.0) - p[l]);
                    if (c == 0) continue;
                    for (var j = 0; j < q; j++)
                    {
                        var zj = c * z[j * n + u];
                        var row = ((k - 1) * q + j) * P + (l - 1) * q;
                        for (var m = 0; m < q; m++) info[row + m] += zj * z[m * n + u];
                    }
                }
            }
        }
        return (g, info);
    }

    /// <summary>sum_u sum_k W_uk log p_uk (terms with W_uk = 0 skipped).</summary>
    private static double Objective(double[] W, double[] logP, int n, int K)
    {
        var s = 0.0;
        for (var i = 0; i < n * K; i++) if (W[i] != 0) s += W[i] * logP[i];
        return s;
    }

    private MixingWeights Weights(double[] gamma, double[] logP, int n, int K)
    {
        var pi = new double[K];
        for (var k = 0; k < K; k++)
        {
            var s = 0.0;
            if (unitWeights is null)
                for (var u = 0; u < n; u++) s += Math.Exp(logP[k * n + u]);
            else
                for (var u = 0; u < n; u++) s += unitWeights[u] * Math.Exp(logP[k * n + u]);
            pi[k] = s / n;
        }
        var total = pi.Sum();
        return MixingWeights.WithCoefficients(pi.Select(v => v / total), gamma, Q);
    }

    /// <inheritdoc/>
    public void ToVector(MixingWeights weights, Span<double> v)
    {
        for (var k = 1; k < weights.K; k++)
        for (var j = 0; j < Q; j++) v[(k - 1) * Q + j] = weights.Gamma(k, j);
    }

    /// <inheritdoc/>
    public Fin<MixingWeights> FromVector(ReadOnlySpan<double> v)
    {
        var K = v.Length / Q + 1;
        var gamma = new double[K * Q];
        for (var i = 0; i < v.Length; i++)
        {
            if (!double.IsFinite(v[i])) return FinFail<MixingWeights>(new InvalidDataError("an extrapolated concomitant coefficient is not finite"));
            gamma[Q + i] = v[i];
        }
        var logP = new double[Units * K];
        LogPriorInto(gamma, K, logP);
        return Weights(gamma, logP, Units, K);
    }

    /// <summary>Pr[C = k | z] for one new concomitant row z (q values, the intercept first when the model has one).</summary>
    public static double[] Prior(MixingWeights weights, IReadOnlyList<double> zRow)
    {
        var K = weights.K;
        var q = weights.CoefficientCount;
        if (zRow.Count != q) throw new ArgumentException($"{zRow.Count} concomitant values for {q} coefficients");
        var eta = new double[K];
        for (var k = 0; k < K; k++)
        for (var j = 0; j < q; j++) eta[k] += zRow[j] * weights.Gamma(k, j);
        var max = eta.Max();
        var e = eta.Select(x => Math.Exp(x - max)).ToArray();
        var s = e.Sum();
        return e.Select(x => x / s).ToArray();
    }

    private void CheckUnits(int n)
    {
        if (n != Units) throw new ArgumentException($"the concomitant design has {Units} rows but the data have {n} units");
    }
}
