using System.Numerics;
using Boltzmann.Physics.Numerics;
using Boltzmann.Random;

namespace Boltzmann.Physics.Tests;

public class WalshHadamardTransformTests
{
    private static double[] RandomVector(int length, ulong seed)
    {
        var rng = new RandomStream(seed);
        var v = new double[length];
        for (int i = 0; i < length; i++) v[i] = rng.NextGaussian();
        return v;
    }

    /// <summary>(H x)[y] = sum_x (-1)^popcount(x AND y) x[x], evaluated directly.</summary>
    private static double Definition(double[] x, int y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += (BitOperations.PopCount((uint)(i & y)) & 1) == 0 ? x[i] : -x[i];
        return s;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(1024)]
    public void Matches_the_definition(int length)
    {
        var x = RandomVector(length, (ulong)length);
        var h = (double[])x.Clone();
        WalshHadamardTransform.InPlace(h);
        for (int y = 0; y < length; y++)
            Assert.True(Math.Abs(Definition(x, y) - h[y]) <= 1e-10, $"length {length}, entry {y}");
    }

    /// <summary>Sizes beyond the 2^13 cache block exercise the fused high stages (radix-4 and a final radix-2).</summary>
    [Theory]
    [InlineData(1 << 14)]
    [InlineData(1 << 15)]
    [InlineData(1 << 16)]
    public void Large_sizes_match_the_definition_and_invert(int length)
    {
        var x = RandomVector(length, 5);
        var h = (double[])x.Clone();
        WalshHadamardTransform.InPlace(h);
        var rng = new RandomStream(9);
        for (int trial = 0; trial < 24; trial++)
        {
            int y = trial < 4 ? length - 1 - trial : rng.NextInt(length);
            Assert.True(Math.Abs(Definition(x, y) - h[y]) <= 1e-9, $"length {length}, entry {y}");
        }
        WalshHadamardTransform.InPlace(h);
        for (int i = 0; i < length; i++)
            Assert.True(Math.Abs(h[i] / length - x[i]) <= 1e-12, $"H H x != 2^n x at {i}");
    }

    [Fact]
    public void Rejects_lengths_that_are_not_powers_of_two()
    {
        Assert.Throws<ArgumentException>(() => WalshHadamardTransform.InPlace(new double[12]));
        Assert.Throws<ArgumentException>(() => WalshHadamardTransform.InPlace([]));
    }
}
