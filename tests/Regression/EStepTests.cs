using System.Collections.Immutable;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Model;
using Mixtures.Domain.Regression;

namespace Mixtures.Tests.Regression;

public class EStepTests
{
    [Fact]
    public void EStep_is_Bayes_rule_and_rows_sum_to_one()
    {
        double[] y = [1.0, 3.5, -0.5, 0.2];
        var X = Matrix<double>.Build.DenseOfRowArrays([1, 0.5], [1, 2.0], [1, -1.0], [1, 0.1]);
        var theta = new RegressionComponents([
            new RegressionClass([0.0, 1.0], 0.7), new RegressionClass([1.0, 1.5], 1.3), new RegressionClass([-1.0, 0.0], 0.5)]);
        var pi = MixingWeights.Of([0.2, 0.5, 0.3]);
        var W = LatentClassRegression.EStep(theta, pi, LatentClassRegression.Data(y, X));
        for (var i = 0; i < y.Length; i++)
        {
            var f = Enumerable.Range(0, 3).Select(c => pi.Pi[c] * Normal.PDF(theta.Classes[c].Beta[0] + theta.Classes[c].Beta[1] * X[i, 1], theta.Classes[c].Sigma, y[i])).ToArray();
            for (var c = 0; c < 3; c++) Assert.Equal(f[c] / f.Sum(), W[i, c], 12);
            Assert.Equal(1.0, W.Row(i).Sum(), 14);
        }
    }

    [Fact]
    public void EStep_with_groups_gives_one_row_per_group_in_order_of_first_appearance()
    {
        double[] y = [1.0, 3.5, -0.5, 2.0, 0.0];
        var X = Matrix<double>.Build.DenseOfRowArrays([1, 0.5], [1, 2.0], [1, -1.0], [1, 0.0], [1, 1.0]);
        int[] group = [5, 2, 5, 2, 9];
        var data = LatentClassRegression.Data(y, X, group);
        Assert.Equal(3, data.Units);
        Assert.Equal([0, 1, 0, 1, 2], data.RowUnit!);
        var theta = new RegressionComponents([new RegressionClass([0.0, 1.0], 1.0), new RegressionClass([1.0, 1.5], 1.0)]);
        var W = LatentClassRegression.EStep(theta, MixingWeights.Of([0.5, 0.5]), data);
        Assert.Equal(3, W.RowCount);
        double L(int i, int c) => Normal.PDFLn(theta.Classes[c].Beta[0] + theta.Classes[c].Beta[1] * X[i, 1], 1.0, y[i]);
        var l0 = L(0, 0) + L(2, 0);
        var l1 = L(0, 1) + L(2, 1);
        Assert.Equal(1.0 / (1.0 + Math.Exp(l1 - l0)), W[0, 0], 12);
    }
}
