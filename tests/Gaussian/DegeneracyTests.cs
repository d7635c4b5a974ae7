using MathNet.Numerics.LinearAlgebra;
using Mixtures.Domain;
using Mixtures.Domain.Em;
using Mixtures.Domain.Gaussian;
using Mixtures.Domain.Model;
using Mixtures.Domain.Simulate;

namespace Mixtures.Tests.Gaussian;

/// <summary>The stated rule for collapsed components and its use in the choice of start and K.</summary>
public class DegeneracyTests
{
    private static readonly string[] Names = ["A", "B", "C"];

    private static GaussianComponents Full(params double[][] covariances) =>
        GaussianComponents.Create(CovarianceType.Full, covariances.Length, 3, new double[covariances.Length * 3], covariances.SelectMany(c => c).ToArray()).Value();

    [Fact]
    public void A_variance_at_the_ridge_in_one_column_flags_the_component_and_names_that_column()
    {
        var reg = 1e-6;
        var sound = new double[] { 1, 0.2, 0, 0.2, 1, 0, 0, 0, 0.5 };
        var collapsed = new double[] { 1, 0.2, 0, 0.2, 1, 0, 0, 0, reg };
        var found = Degeneracy.Find(Full(sound, collapsed), reg, Names);
        var d = Assert.Single(found);
        Assert.Equal(2, d.Component);
        Assert.Equal(["C"], d.Columns.ToArray());
        Assert.Equal(reg, d.Eigenvalue, 1e-12);
        Assert.Equal("cluster 2 collapsed on C (eigenvalue 1E-06)", d.ToString());
    }

    [Fact]
    public void A_collapse_along_a_combination_names_every_column_in_it()
    {
        // x_A = x_B within the component: Sigma = v v' scaled + ridge, the small eigenvector is (1, -1, 0)/sqrt 2
        var reg = 1e-6;
        var S = new double[] { 1 + reg, 1, 0, 1, 1 + reg, 0, 0, 0, 2 };
        var d = Assert.Single(Degeneracy.Find(Full(S), reg, Names));
        Assert.Equal(["A", "B"], d.Columns.ToArray());
    }

    [Fact]
    public void The_threshold_is_ten_times_reg_covar()
    {
        var reg = 1e-4;
        Assert.Single(Degeneracy.Find(Full([1, 0, 0, 0, 1, 0, 0, 0, 10 * reg]), reg, Names));
        Assert.Empty(Degeneracy.Find(Full([1, 0, 0, 0, 1, 0, 0, 0, 10.5 * reg]), reg, Names));
        Assert.Empty(Degeneracy.Find(Full([1, 0, 0, 0, 1, 0, 0, 0, 1e-12]), 0.0, Names)); // no ridge: no rule
    }

    [Fact]
    public void Diag_spherical_and_tied_use_their_own_variances()
    {
        var reg = 1e-6;
        var diag = GaussianComponents.Create(CovarianceType.Diag, 2, 3, new double[6], [1, 1, 1, 2e-6, 1, 3e-6]).Value();
        var dd = Assert.Single(Degeneracy.Find(diag, reg, Names));
        Assert.Equal(2, dd.Component);
        Assert.Equal(["A", "C"], dd.Columns.ToArray());
        var sph = GaussianComponents.Create(CovarianceType.Spherical, 2, 3, new double[6], [1, 5e-6]).Value();
        Assert.Equal(Names, Assert.Single(Degeneracy.Find(sph, reg, Names)).Columns.ToArray());
        var tied = GaussianComponents.Create(CovarianceType.Tied, 2, 3, new double[6], [1, 0, 0, 0, reg, 0, 0, 0, 1]).Value();
        var td = Assert.Single(Degeneracy.Find(tied, reg, Names));
        Assert.Equal(0, td.Component);
        Assert.Equal(["B"], td.Columns.ToArray());
        Assert.StartsWith("shared covariance collapsed on B", td.ToString());
    }

    [Fact]
    public void Zero_inflated_spending_gives_collapsed_fits_that_are_flagged_and_excluded_by_default()
    {
        var sample = CustomerSimulator.Simulate(1200, 5);
        var X = Matrix<double>.Build.Dense(sample.Customers.Length, 6, (i, j) => sample.Customers[i].Spending[j]);
        var columns = sample.Categories.ToArray();
        var allowed = GaussianMixture.Estimate([4, 5, 6, 7], X, new GaussianSettings(Standardize: true, AllowDegenerate: true, Seed: 3), columns).Value();
        var flagged = allowed.Path.Where(p => p.HasProblems).ToList();
        Assert.NotEmpty(flagged);
        // the collapsed component sits on the customers who buy no fruits, fish or sweets
        Assert.Contains(flagged, p => p.Problems.Any(c => c.Contains("collapsed on MntFruits, MntFishProducts, MntSweetProducts")));
        // its likelihood is a ridge artifact: far above every sound fit, so BIC would pick it
        Assert.True(allowed.SelectedResult.HasProblems);
        Assert.True(flagged.Max(p => p.LogLikelihood) > allowed.Path.Where(p => !p.HasProblems).Select(p => p.LogLikelihood).DefaultIfEmpty(double.NegativeInfinity).Max() + 1000);

        var sound = GaussianMixture.Estimate([4, 5, 6, 7], X, new GaussianSettings(Standardize: true, Seed: 3), columns).Value();
        Assert.False(sound.SelectedResult.HasProblems);
        Assert.Empty(Degeneracy.Find(sound.Model.Components, sound.Settings.RegCovar, columns));
        foreach (var p in sound.Path.Where(p => !p.HasProblems))
            Assert.Equal(p.Estimate!.Starts.Count(s => !s.Acceptable), p.RejectedStarts);
        Assert.Contains(sound.Path, p => p.RejectedStarts > 0);
    }

    [Fact]
    public void Without_a_ridge_a_collapsed_covariance_fails_the_start_naming_the_column()
    {
        // rows 0..4 have exactly B = 0: a component holding only them has zero variance in B
        var X = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0 }, { 2, 0 }, { 3, 0 }, { 1.5, 0 }, { 2.5, 0 }, { 10, 5 }, { 11, 7 }, { 12, 4 }, { 10.5, 6.5 } });
        var W = Matrix<double>.Build.Dense(9, 2, (i, k) => (i < 5) == (k == 0) ? 1.0 : 0.0);
        var r = GaussianMixture.MStep(X, W, CovarianceType.Full, regCovar: 0);
        Assert.True(r.IsFail);
        r.Match(Succ: _ => { }, Fail: e =>
        {
            Assert.Equal(ErrorCodes.NotPositiveDefinite, e.Code);
            Assert.Contains("component 1 is not positive definite (collapsed on x2)", e.Message);
        });
        var diag = GaussianMixture.MStep(X, W, CovarianceType.Diag, regCovar: 0);
        diag.Match(Succ: _ => Assert.Fail("expected a failure"), Fail: e => Assert.Contains("collapsed on x2", e.Message));
        // with the ridge the same M-step succeeds and the component is flagged
        var (theta, _) = GaussianMixture.MStep(X, W, CovarianceType.Full).Value();
        Assert.Equal(["x2"], Assert.Single(Degeneracy.Find(theta, 1e-6, ["x1", "x2"])).Columns.ToArray());
    }

    [Fact]
    public void An_empty_component_fails_the_M_step_instead_of_being_patched()
    {
        var X = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0 }, { 2, 1 }, { 3, 0 } });
        var W = Matrix<double>.Build.Dense(3, 2, (i, k) => k == 0 ? 1.0 : 0.0);
        GaussianMixture.MStep(X, W, CovarianceType.Full).Match(Succ: _ => Assert.Fail("expected a failure"), Fail: e =>
        {
            Assert.Equal(ErrorCodes.EmptyComponent, e.Code);
            Assert.Contains("component 2 is empty", e.Message);
        });
    }
}
