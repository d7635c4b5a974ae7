using Mixtures.Domain.Em;
using Mixtures.Domain.Random;

namespace Mixtures.Tests.Em;

/// <summary>The E-step's exponentials at a chosen stack alignment (<see cref="AlignedExp"/>) are TensorPrimitives.Exp's
/// values bit for bit at either alignment, and through the timed and untimed calls of <see cref="AlignedExp.Exp"/>.</summary>
public class AlignedExpTests
{
    private static double[] Arguments(int n, ulong seed)
    {
        var rng = Seeds.Generator(seed);
        return Enumerable.Range(0, n).Select(t => t % 31 == 0 ? EmLoop.ExpFloor : -rng.NextDouble() * (t % 2 == 0 ? 700 : 30)).ToArray();
    }

    private static long[] Bits(double[] a) => a.Select(BitConverter.DoubleToInt64Bits).ToArray();

    [Theory]
    [InlineData(4)]
    [InlineData(384)]
    [InlineData(2048)]
    public void Both_stack_parities_give_TensorPrimitives_values_bit_for_bit(int n)
    {
        var a = Arguments(n, (ulong)n);
        var expected = new double[n];
        System.Numerics.Tensors.TensorPrimitives.Exp(a, expected);
        foreach (var parity in new[] { 0, 1 })
        {
            var s = (double[])a.Clone();
            AlignedExp.At(s, parity);
            Assert.Equal(Bits(expected), Bits(s));
        }
    }

    [Fact]
    public void Timed_and_untimed_calls_give_the_same_values()
    {
        var a = Arguments(128, 3);
        var expected = new double[a.Length];
        System.Numerics.Tensors.TensorPrimitives.Exp(a, expected);
        for (var call = 0; call < 3 * AlignedExp.Period; call++)
        {
            var s = (double[])a.Clone();
            AlignedExp.Exp(s);
            Assert.Equal(Bits(expected), Bits(s));
        }
        Assert.InRange(AlignedExp.Chosen, 0, 1);
        for (var t = 0; t < a.Length; t++) Assert.Equal(Math.Exp(a[t]), expected[t], Math.Exp(a[t]) * 1e-15);
    }
}
