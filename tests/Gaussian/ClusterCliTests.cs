namespace Mixtures.Tests.Gaussian;

/// <summary>End to end: the built <c>mixtures</c> executable on the bundled customer sample.</summary>
public class ClusterCliTests
{
    private static string Sample => Path.Combine(TestSupport.RepoRoot, "data", "customers.tsv");
    private const string Columns = "MntWines,MntFruits,MntMeatProducts,MntFishProducts,MntSweetProducts,MntGoldProds";

    [Fact]
    public void Bundled_sample_flags_the_zero_collapsed_fits_and_the_model_does_not_depend_on_the_thread_count()
    {
        using var t = new TempDir();
        var one = Path.Combine(t.Path, "one.json");
        var two = Path.Combine(t.Path, "two.json");
        var args = new[] { "cluster", Sample, "--columns", Columns, "--standardize", "--k", "1..7", "--starts", "3" };
        var (c1, out1, err1) = TestSupport.RunCli([.. args, "--out", one], env: new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = "1" });
        var (c2, _, err2) = TestSupport.RunCli([.. args, "--out", two, "--quiet"], env: new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = "2" });
        Assert.True(c1 == 0, err1);
        Assert.True(c2 == 0, err2);
        Assert.Equal(File.ReadAllBytes(one), File.ReadAllBytes(two));
        Assert.Contains("collapsed on MntFruits, MntFishProducts, MntSweetProducts", out1);
        // the split starts find a sound K = 5 fit; K = 6 and 7 collapse
        Assert.Contains("selected K = 5", out1);
        Assert.Contains("mclust VVV", out1);
    }

    [Fact]
    public void Unknown_option_value_is_one_line_on_stderr_and_exit_64()
    {
        var (code, stdout, err) = TestSupport.RunCli(["cluster", Sample, "--columns", Columns, "--covariance", "VVX"]);
        Assert.Equal(64, code);
        Assert.Equal("", stdout);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("mixtures: error: --covariance: 'VVX' is not a covariance type", err);
    }
}
