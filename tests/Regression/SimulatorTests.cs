using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain.Simulate;

namespace Mixtures.Tests.Regression;

public class RegressionSimulatorTests
{
    [Fact]
    public void Simulate_is_deterministic_for_a_seed_and_differs_between_seeds()
    {
        var a = RegressionSimulator.Simulate(RegressionTruth.Example, 50, 9);
        var b = RegressionSimulator.Simulate(RegressionTruth.Example, 50, 9);
        var c = RegressionSimulator.Simulate(RegressionTruth.Example, 50, 10);
        Assert.Equal(a.Y.ToArray(), b.Y.ToArray());
        Assert.Equal(a.Covariates, b.Covariates);
        Assert.NotEqual(a.Y.ToArray(), c.Y.ToArray());
    }

    [Fact]
    public void Simulate_follows_the_true_model_class_by_class()
    {
        var s = Example.Sample;
        Assert.Equal(1200, s.Rows);
        Assert.Equal(2, s.Covariates.ColumnCount);
        var X = s.Design;
        for (var c = 0; c < 3; c++)
        {
            var idx = Enumerable.Range(0, s.Rows).Where(i => s.Classes[i] == c).ToArray();
            Assert.InRange(idx.Length / 1200.0 - RegressionTruth.Example.Pi.Pi[c], -0.04, 0.04);
            var Xc = Matrix<double>.Build.Dense(idx.Length, 3, (r, j) => X[idx[r], j]);
            var yc = Vector<double>.Build.Dense(idx.Length, r => s.Y[idx[r]]);
            var b = Xc.QR().Solve(yc);
            var truth = RegressionTruth.Example.Classes.Classes[c];
            for (var j = 0; j < 3; j++) Assert.InRange(b[j] - truth.Beta[j], -0.2, 0.2);
            var res = yc - Xc * b;
            Assert.InRange(Math.Sqrt(res.DotProduct(res) / idx.Length) - truth.Sigma, -0.12, 0.12);
        }
    }

    [Fact]
    public void Simulate_with_groups_gives_every_row_of_a_group_the_same_class()
    {
        var s = RegressionSimulator.Simulate(RegressionTruth.Example, 60, 3, rowsPerGroup: 4);
        Assert.Equal(60, s.Groups.Length);
        for (var i = 0; i < 60; i++)
        {
            Assert.Equal(i / 4 + 1, s.Groups[i]);
            Assert.Equal(s.Classes[i - i % 4], s.Classes[i]);
        }
    }
}
