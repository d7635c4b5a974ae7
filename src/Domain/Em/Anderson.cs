using System.Collections.Immutable;
using LanguageExt;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Model;
using static LanguageExt.Prelude;

namespace Mixtures.Domain.Em;

/// <summary>
/// EM accelerated by Anderson mixing (Walker and Ni 2011, SIAM J. Numer. Anal. 49; for EM, Henderson and
/// Varadhan 2019, "Damped Anderson acceleration with restarts and monotonicity control", JCGS 28), over the
/// unconstrained coordinates of the family and the weight model.
/// </summary>
/// <remarks>
/// With G the EM map (E-step then M-step) and f(x) = G(x) - x, iteration k from the point x_k (whose E-step is known):
/// <list type="number">
/// <item>g_k = G(x_k) and its E-step: a plain EM iteration, to which the stopping rule is applied exactly as in plain EM;</item>
/// <item>with the last m differences dX_j = x_(j+1) - x_j and dF_j = f_(j+1) - f_j, gamma = argmin |f_k - dF gamma|
/// (ridge-regularised normal equations) and x' = g_k - (dX + dF) gamma;</item>
/// <item>x_(k+1) = x' when it is a valid parameter with log L(x') &gt;= log L(g_k), else g_k and the history
/// restarts (the monotone safeguard).</item>
/// </list>
/// Iterations count M-steps; an accepted iteration costs one M-step and two E-steps, a rejected one the same.
/// The run stops at a plain EM step g_k, so the final parameters are an M-step's output.
/// </remarks>
public static class Anderson
{
    /// <summary>The number of past steps mixed (DAAREM's default order is min(10, ceil(dim / 2))).</summary>
    public const int Depth = 5;

    /// <summary>Relative ridge added to the normal equations of the mixing least-squares problem.</summary>
    public const double Ridge = 1e-10;

    /// <summary>Runs accelerated EM from W0 (a buffer the caller hands over); the result is in canonical order.</summary>
    public static Fin<EmFit<TC>> Run<TD, TC>(
        IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, double[] W0, int n, int K, EmOptions options, StartInfo start) =>
        Run(family, weights, data, W0, n, K, options, start, null);

    /// <summary><see cref="Run{TD,TC}(IMixtureFamily{TD,TC}, IWeightModel, TD, double[], int, int, EmOptions, StartInfo)"/> on the first
    /// n K entries of <paramref name="W0"/>, the two scratch buffers borrowed from <paramref name="pool"/> when given.</summary>
    internal static Fin<EmFit<TC>> Run<TD, TC>(
        IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, double[] W0, int n, int K, EmOptions options, StartInfo start, BufferPool? pool)
    {
        if (options.MaxIterations < 1) throw new ArgumentException("MaxIterations must be at least 1");
        if (W0.Length < (long)n * K) throw new ArgumentException($"W0 has {W0.Length} entries, fewer than n K = {(long)n * K}");
        var g0 = pool?.Rent() ?? new double[n * K];
        var x0 = pool?.Rent() ?? new double[n * K];
        try { return Run(family, weights, data, W0, g0, x0, n, K, options, start); }
        finally { pool?.Return(g0); pool?.Return(x0); }
    }

    private static Fin<EmFit<TC>> Run<TD, TC>(
        IMixtureFamily<TD, TC> family, IWeightModel weights, TD data, double[] W0, double[] g0, double[] x0, int n, int K, EmOptions options, StartInfo start)
    {
        var llRule = options.Rule == StopRule.LogLikelihoodChange;
        var trace = ImmutableArray.CreateBuilder<double>();
        var steps = new EmSteps<TD, TC>(family, weights, data, n, K, options, start);
        var wc = W0;
        var wg = g0;
        var wx = x0;
        var len = steps.Length;
        var depth = Math.Max(1, Math.Min(Depth, len));
        var dX = new List<double[]>();
        var dF = new List<double[]>();
        double[]? xPrev = null, fPrev = null;
        Fin<Mixture<TC>> M(double[] w) => steps.M(w);
        double E(Mixture<TC> m, double[] dest, double[]? prev, out double delta) => steps.E(m, dest, prev, out delta);
        double[] Vec(Mixture<TC> m) { var v = new double[len]; steps.ToVector(m, v); return v; }
        double Checked(double ll) => steps.Checked(ll);

        if (!M(wc).TryGet(out var cur, out var error)) return FinFail<EmFit<TC>>(error);
        var ll = Checked(E(cur, wg, llRule ? null : wc, out var d0));
        trace.Add(ll);
        (wc, wg) = (wg, wc);
        var ticker = ProgressTicker.For(options, K, start);
        ticker?.Tick(steps.Evals, ll);
        var stop = !llRule && d0 < options.Tolerance ? StopReason.Converged : StopReason.MaxIterations;
        var atStep = true; // whether cur is an M-step's output

        while (stop != StopReason.Converged && steps.Evals < options.MaxIterations)
        {
            options.Cancellation.ThrowIfCancellationRequested();
            ticker?.Tick(steps.Evals, ll);
            var x = Vec(cur);
            // 1. the plain EM step g = G(x), with the stopping rule
            if (!M(wc).TryGet(out var g, out error)) return FinFail<EmFit<TC>>(error);
            var llg = Checked(E(g, wg, llRule ? null : wc, out var dg));
            if (llRule ? Math.Abs(llg - ll) < options.Tolerance * steps.EffectiveUnits : dg < options.Tolerance)
            {
                trace.Add(llg);
                (wc, wg) = (wg, wc);
                cur = g; ll = llg;
                stop = StopReason.Converged;
                break;
            }
            var gv = Vec(g);
            var f = new double[len];
            for (var j = 0; j < len; j++) f[j] = gv[j] - x[j];
            if (xPrev is not null)
            {
                var a = new double[len];
                var b = new double[len];
                for (var j = 0; j < len; j++) { a[j] = x[j] - xPrev[j]; b[j] = f[j] - fPrev![j]; }
                dX.Add(a); dF.Add(b);
                if (dX.Count > depth) { dX.RemoveAt(0); dF.RemoveAt(0); }
            }
            xPrev = x; fPrev = f;
            // 2. the Anderson point
            var accepted = false;
            var tried = false;
            // (not in the last step allowed: the run must end on a plain EM step)
            if (dF.Count > 0 && steps.Evals < options.MaxIterations - 1 && Mix(dX, dF, f, gv) is { } xa)
            {
                tried = true;
                if (steps.FromVector(xa).TryGet(out var mx, out _) && Admissible(mx.Weights, options.MinPrior))
                {
                    var lla = E(mx, wx, null, out _);
                    if (lla >= llg)
                    {
                        trace.Add(lla);
                        (wc, wx) = (wx, wc);
                        cur = mx; ll = lla;
                        accepted = true;
                        atStep = false;
                    }
                }
            }
            if (!accepted)
            {
                // 3. the safeguard: the plain EM step, and a fresh history
                trace.Add(llg);
                (wc, wg) = (wg, wc);
                cur = g; ll = llg;
                atStep = true;
                if (tried)
                {
                    dX.Clear(); dF.Clear();
                    xPrev = null; fPrev = null;
                }
            }
        }
        if (stop != StopReason.Converged && !atStep && M(wc).TryGet(out var last, out _))
        {
            // the iteration limit after an Anderson point: end on a plain EM step so the parameters are an M-step's output
            var lll = Checked(E(last, wg, null, out _));
            trace.Add(lll);
            (wc, wg) = (wg, wc);
            cur = last; ll = lll;
        }
        ticker?.Tick(steps.Evals, ll, final: true);
        return EmLoop.Canonical(family, new EmFit<TC>(cur, ll, trace.ToImmutable(), steps.Evals, stop, start));
    }

    private static bool Admissible(MixingWeights w, double minPrior)
    {
        for (var k = 0; k < w.K; k++) if (!(w.Pi[k] > 0) || w.Pi[k] < minPrior) return false;
        return true;
    }

    /// <summary>x' = g - (dX + dF) gamma with gamma = argmin |f - dF gamma| (ridge-regularised); null when not finite.</summary>
    private static double[]? Mix(List<double[]> dX, List<double[]> dF, double[] f, double[] g)
    {
        var m = dF.Count;
        var len = f.Length;
        var A = Matrix<double>.Build.Dense(m, m);
        var rhs = Vector<double>.Build.Dense(m);
        for (var a = 0; a < m; a++)
        {
            for (var b = 0; b <= a; b++)
            {
                var s = 0.0;
                for (var j = 0; j < len; j++) s += dF[a][j] * dF[b][j];
                A[a, b] = s; A[b, a] = s;
            }
            var r = 0.0;
            for (var j = 0; j < len; j++) r += dF[a][j] * f[j];
            rhs[a] = r;
        }
        var tr = 0.0;
        for (var a = 0; a < m; a++) tr += A[a, a];
        if (!(tr > 0) || !double.IsFinite(tr)) return null;
        for (var a = 0; a < m; a++) A[a, a] += Ridge * tr;
        var chol = Regression.WeightedLeastSquares.TryCholesky(A);
        if (chol is null) return null;
        var gamma = chol.Solve(rhs);
        var x = (double[])g.Clone();
        for (var a = 0; a < m; a++)
        for (var j = 0; j < len; j++) x[j] -= (dX[a][j] + dF[a][j]) * gamma[a];
        return x.All(double.IsFinite) ? x : null;
    }
}
