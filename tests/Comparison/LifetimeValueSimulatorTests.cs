using System.Globalization;
using Mixtures.Domain.Simulate;

namespace Mixtures.Tests.Comparison;

public class LifetimeValueSimulatorTests
{
    [Fact]
    public void Large_sample_has_the_stated_segment_shares_ranges_and_noise()
    {
        var s = LifetimeValueSimulator.Simulate(20000, 9);
        double[] p = [0.7, 0.2, 0.1];
        for (var g = 0; g < 3; g++)
        {
            var rows = Enumerable.Range(0, s.Rows).Where(i => s.Segment[i] == g).ToArray();
            Assert.InRange(rows.Length / (double)s.Rows, p[g] - 0.012, p[g] + 0.012);
            var resid = rows.Select(i => s.Ltv[i] - LifetimeValueSimulator.ExpectedLtv(g, s.Tenure[i], s.Spend[i])).ToArray();
            var sd = Math.Sqrt(resid.Sum(r => r * r) / resid.Length);
            Assert.InRange(sd / LifetimeValueSimulator.NoiseSd[g], 0.93, 1.07);
            Assert.InRange(resid.Average() / LifetimeValueSimulator.NoiseSd[g], -0.1, 0.1);
        }
        Assert.All(s.Tenure, t => Assert.InRange(t, 1, 36));
        Assert.All(s.Spend, v => Assert.InRange(v, 20, 200));
        Assert.InRange(s.Orders.Average(), 4.9, 5.1);
    }

    [Fact]
    public void Premium_value_grows_with_tenure_to_the_power_one_and_a_half()
    {
        Assert.Equal(200 + 5 * 27 + 3 * 100, LifetimeValueSimulator.ExpectedLtv(1, 9, 100), 10);
        Assert.Equal(50 + 10 * 9 + 2 * 100, LifetimeValueSimulator.ExpectedLtv(0, 9, 100), 10);
        Assert.Equal(1000 + 50 * 9 + 10 * 100, LifetimeValueSimulator.ExpectedLtv(2, 9, 100), 10);
    }

    [Fact]
    public void Bundled_file_is_the_simulation_with_the_example_seed()
    {
        var lines = File.ReadAllLines(Path.Combine(TestSupport.RepoRoot, "data", "ltv.csv"));
        var s = LifetimeValueSimulator.Simulate(LifetimeValueSimulator.ExampleRows, LifetimeValueSimulator.ExampleSeed);
        Assert.Equal("tenure_months,monthly_spend,orders,segment,ltv", lines[0]);
        Assert.Equal(s.Rows + 1, lines.Length);
        for (var i = 0; i < s.Rows; i++)
        {
            var f = lines[i + 1].Split(',');
            Assert.Equal(s.Tenure[i], double.Parse(f[0], CultureInfo.InvariantCulture));
            Assert.Equal(s.Spend[i], double.Parse(f[1], CultureInfo.InvariantCulture));
            Assert.Equal(s.Orders[i], int.Parse(f[2], CultureInfo.InvariantCulture));
            Assert.Equal(LifetimeValueSimulator.Segments[s.Segment[i]], f[3]);
            Assert.Equal(s.Ltv[i], double.Parse(f[4], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Simulate_ltv_rebuilds_the_bundled_file_byte_for_byte()
    {
        var dir = TestSupport.TempDir();
        var output = Path.Combine(dir, "ltv.csv");
        var (code, stdout, err) = TestSupport.RunCli(["simulate", "ltv", "--out", output]);
        Assert.True(code == 0, err);
        Assert.Contains("1000 customers", stdout);
        Assert.Equal(File.ReadAllBytes(Path.Combine(TestSupport.RepoRoot, "data", "ltv.csv")), File.ReadAllBytes(output));
    }

    [Fact]
    public void Simulate_ltv_takes_rows_like_the_other_simulate_commands_and_n_as_its_alias()
    {
        var dir = TestSupport.TempDir();
        var (c1, _, e1) = TestSupport.RunCli(["simulate", "ltv", "--rows", "40", "--out", Path.Combine(dir, "rows.csv"), "--quiet"]);
        var (c2, _, e2) = TestSupport.RunCli(["simulate", "ltv", "--n", "40", "--out", Path.Combine(dir, "n.csv"), "--quiet"]);
        Assert.True(c1 == 0, e1);
        Assert.True(c2 == 0, e2);
        Assert.Equal(41, File.ReadAllLines(Path.Combine(dir, "rows.csv")).Length);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "rows.csv")), File.ReadAllBytes(Path.Combine(dir, "n.csv")));
    }
}
