using Mixtures.Domain;
using Mixtures.Domain.Comparison;
using Mixtures.Domain.Em;

namespace Mixtures.Tests.Comparison;

public class TrainTestSplitTests
{
    [Theory]
    [InlineData(1000, 0.3, 300)]
    [InlineData(10, 0.25, 3)]
    [InlineData(7, 0.5, 4)]
    [InlineData(3, 0.1, 1)]
    public void Test_count_is_the_ceiling_of_fraction_times_rows(int n, double f, int expected) =>
        Assert.Equal(expected, TrainTestSplit.TestCount(n, f));

    [Fact]
    public void Split_is_a_partition_with_the_right_sizes_and_the_same_for_the_same_seed()
    {
        var s = TrainTestSplit.Draw(100, 0.3, 7).Value();
        Assert.Equal(30, s.Test.Length);
        Assert.Equal(70, s.Train.Length);
        Assert.Equal(Enumerable.Range(0, 100), s.Train.Concat(s.Test).Order());
        Assert.True(s.Test.SequenceEqual(s.Test.Order()));
        Assert.True(s.Train.SequenceEqual(s.Train.Order()));
        Assert.True(s.Test.SequenceEqual(TrainTestSplit.Draw(100, 0.3, 7).Value().Test));
        Assert.False(s.Test.SequenceEqual(TrainTestSplit.Draw(100, 0.3, 8).Value().Test));
    }

    [Fact]
    public void Stratified_split_gives_each_stratum_its_share_within_one_row()
    {
        int[] strata = [.. Enumerable.Repeat(0, 50), .. Enumerable.Repeat(1, 30), .. Enumerable.Repeat(2, 20)];
        var s = TrainTestSplit.Draw(100, 0.3, 1, strata).Value();
        Assert.Equal(15, s.Test.Count(i => strata[i] == 0));
        Assert.Equal(9, s.Test.Count(i => strata[i] == 1));
        Assert.Equal(6, s.Test.Count(i => strata[i] == 2));

        // 7/5/3 rows at 0.3: ideal 2.1, 1.5, 0.9 -> floors 2, 1, 0; ceil(4.5) = 5 test rows, the two left go to
        // the largest remainders (0.9, then 0.5): 2, 2, 1.
        int[] small = [.. Enumerable.Repeat(0, 7), .. Enumerable.Repeat(1, 5), .. Enumerable.Repeat(2, 3)];
        var t = TrainTestSplit.Draw(15, 0.3, 3, small).Value();
        Assert.Equal([2, 2, 1], Enumerable.Range(0, 3).Select(g => t.Test.Count(i => small[i] == g)));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.2)]
    [InlineData(double.NaN)]
    public void Fractions_outside_zero_one_fail(double f) => Assert.True(TrainTestSplit.Draw(10, f, 1).IsFail);

    [Fact]
    public void Too_few_rows_for_both_parts_fail() => Assert.True(TrainTestSplit.Draw(1, 0.5, 1).IsFail);
}
