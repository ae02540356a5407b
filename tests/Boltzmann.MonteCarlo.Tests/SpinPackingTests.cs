using Boltzmann.Random;

namespace Boltzmann.MonteCarlo.Tests;

public class SpinPackingTests
{
    [Fact]
    public void DocumentedExample_BitOneIsSpinDown_LsbFirst()
    {
        sbyte[] s = [-1, 1, 1, 1, 1, 1, 1, 1, 1, -1];
        var packed = new byte[SpinPacking.PackedLength(s.Length)];
        SpinPacking.Pack(s, packed);
        Assert.Equal(new byte[] { 0x01, 0x02 }, packed);
        var allUp = Enumerable.Repeat((sbyte)1, 16).ToArray();
        var zeros = new byte[2];
        SpinPacking.Pack(allUp, zeros);
        Assert.Equal(new byte[2], zeros);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(256)]
    public void PackUnpack_RoundTrips(int n)
    {
        var rng = new RandomStream((ulong)n);
        var s = new sbyte[n];
        for (int i = 0; i < n; i++) s[i] = (rng.NextUInt64() & 1) == 0 ? (sbyte)1 : (sbyte)-1;
        var packed = new byte[SpinPacking.PackedLength(n)];
        SpinPacking.Pack(s, packed);
        var back = new sbyte[n];
        SpinPacking.Unpack(packed, back);
        Assert.Equal(s, back);
    }

    [Fact]
    public void BadInput_IsRejected()
    {
        Assert.Contains("Spin 1 is 0", Assert.Throws<ArgumentException>(() => SpinPacking.Pack([1, 0, -1], new byte[1])).Message);
        Assert.Contains("9 spins need 2", Assert.Throws<ArgumentException>(() => SpinPacking.Pack(new sbyte[9], new byte[1])).Message);
        Assert.Contains("9 spins need 2", Assert.Throws<ArgumentException>(() => SpinPacking.Unpack(new byte[1], new sbyte[9])).Message);
    }
}
