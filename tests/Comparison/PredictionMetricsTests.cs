using Mixtures.Domain.Comparison;

namespace Mixtures.Tests.Comparison;

public class PredictionMetricsTests
{
    [Fact]
    public void MAE_RMSE_and_R2_match_a_hand_computation()
    {
        // errors -0.5, 0, 1, -1: MAE = 2.5/4; MSE = 2.25/4; ybar = 2.5, SStot = 2.25 + 0.25 + 0.25 + 2.25 = 5; R^2 = 1 - 2.25/5.
        var m = PredictionMetrics.Of([1, 2, 3, 4], [1.5, 2, 2, 5]);
        Assert.Equal(4, m.Rows);
        Assert.Equal(0.625, m.Mae, 14);
        Assert.Equal(0.75, m.Rmse, 14);
        Assert.Equal(0.55, m.R2!.Value, 14);
    }

    [Fact]
    public void R2_is_negative_when_worse_than_the_mean_and_undefined_for_constant_y()
    {
        // predicting 10 for y = 0, 2: SSres = 100 + 64 = 164, SStot = 2 -> R^2 = 1 - 82.
        Assert.Equal(-81, PredictionMetrics.Of([0, 2], [10, 10]).R2!.Value, 12);
        var constant = PredictionMetrics.Of([3, 3, 3], [2, 3, 5]);
        Assert.Null(constant.R2);
        Assert.Equal(1.0, constant.Mae, 14);
        Assert.Equal(Math.Sqrt(5.0 / 3), constant.Rmse, 14);
    }
}
