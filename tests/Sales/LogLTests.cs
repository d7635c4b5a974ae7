using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Model;

namespace Mixtures.Tests.Sales;

public class LogLTests
{
    // Two stores, three weeks: y is T x N = 3 x 2; X = [1, log p].
    private static readonly double[] Prices = [1.0, 2.0, 4.0];
    private static readonly Matrix<double> X = SalesModel.Design(Prices);
    private static readonly Matrix<double> Y = Matrix<double>.Build.DenseOfArray(new[,]
    {
        { 1.0, 3.0 },
        { 0.5, 2.0 },
        { 0.2, 1.0 },
    });

    [Fact]
    public void LogL_matches_hand_computed_two_store_case()
    {
        var theta = Theta.Of((1.0, -1.0), (3.0, -1.5));
        var pi = MixingWeights.Of([0.4, 0.6]);
        // By hand: L = prod_i sum_c pi_c prod_t phi(y_it - a_c - b_c log p_t).
        double Store(int i)
        {
            var total = 0.0;
            for (var c = 0; c < 2; c++)
            {
                var prod = pi.Pi[c];
                for (var t = 0; t < 3; t++)
                    prod *= Normal.PDF(0, 1, Y[t, i] - theta.Segments[c].Alpha - theta.Segments[c].Beta * Math.Log(Prices[t]));
                total += prod;
            }
            return total;
        }
        var expected = Math.Log(Store(0)) + Math.Log(Store(1));
        Assert.Equal(expected, SalesModel.LogL(theta, pi, Y, X), 12);
    }

    [Fact]
    public void LogL_of_one_segment_is_the_normal_log_likelihood_of_the_residuals()
    {
        var theta = Theta.Of((2.0, -0.5));
        var rss = 0.0;
        for (var t = 0; t < 3; t++)
        for (var i = 0; i < 2; i++)
        {
            var r = Y[t, i] - 2.0 + 0.5 * Math.Log(Prices[t]);
            rss += r * r;
        }
        var expected = -0.5 * 6 * Math.Log(2 * Math.PI) - 0.5 * rss;
        Assert.Equal(expected, SalesModel.LogL(theta, MixingWeights.Uniform(1), Y, X), 12);
    }

    [Fact]
    public void LogL_stays_finite_when_naive_densities_underflow()
    {
        // Residuals of about 100 give densities near exp(-5000) per week, far below double range.
        var theta = Theta.Of((-100.0, 0.0), (101.0, 0.0));
        var ll = SalesModel.LogL(theta, MixingWeights.Of([0.5, 0.5]), Y, X);
        Assert.True(double.IsFinite(ll));
        // The nearest segment dominates: compare with the closed form for segment 2 alone plus log 0.5.
        var expected = 0.0;
        for (var i = 0; i < 2; i++)
        {
            var rss = 0.0;
            for (var t = 0; t < 3; t++) rss += Math.Pow(Y[t, i] - 101.0, 2);
            expected += Math.Log(0.5) - 1.5 * Math.Log(2 * Math.PI) - 0.5 * rss;
        }
        Assert.Equal(expected, ll, 6);
    }

    [Fact]
    public void EStep_gives_posterior_probabilities_by_Bayes_rule()
    {
        var theta = Theta.Of((1.0, -1.0), (3.0, -1.5));
        var pi = MixingWeights.Of([0.4, 0.6]);
        var W = SalesModel.EStep(theta, pi, Y, X);
        Assert.Equal(2, W.RowCount);
        Assert.Equal(2, W.ColumnCount);
        for (var i = 0; i < 2; i++)
        {
            var joint = new double[2];
            for (var c = 0; c < 2; c++)
            {
                joint[c] = pi.Pi[c];
                for (var t = 0; t < 3; t++)
                    joint[c] *= Normal.PDF(0, 1, Y[t, i] - theta.Segments[c].Alpha - theta.Segments[c].Beta * Math.Log(Prices[t]));
            }
            for (var c = 0; c < 2; c++) Assert.Equal(joint[c] / joint.Sum(), W[i, c], 12);
        }
    }

    [Fact]
    public void Theta_round_trips_through_the_spec_flat_vector()
    {
        var theta = Theta.FromVector([1.0, -2.0, 3.0, -4.0]);
        Assert.Equal(2, theta.K);
        Assert.Equal(new Segment(3.0, -4.0), theta.Segments[1]);
        Assert.Equal([1.0, -2.0, 3.0, -4.0], theta.ToVector());
        Assert.Throws<ArgumentException>(() => Theta.FromVector([1.0, 2.0, 3.0]));
    }
}
