using Boltzmann.Spins;
using Boltzmann.Data.Parquet;
using Boltzmann.Random;

namespace Boltzmann.Data.Tests.Parquet;

public class SpinPackingTests
{
    // Sizes around every vector boundary (8, 32, 64) and not multiples of 8.
    public static TheoryData<int> Sizes => new() { 1, 3, 7, 8, 9, 31, 32, 33, 63, 64, 65, 100, 127, 255, 256, 257, 1000 };

    private static sbyte[] RandomSpins(int n, ulong seed, double pDown = 0.5)
    {
        var rng = new RandomStream(seed);
        var s = new sbyte[n];
        for (int i = 0; i < n; i++)
            s[i] = rng.NextDouble() < pDown ? (sbyte)-1 : (sbyte)1;
        return s;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Pack_matches_the_documented_bit_layout_and_round_trips(int n)
    {
        var spins = RandomSpins(n, 1000 + (ulong)n);
        var packed = new byte[SpinPacking.BytesPerConfiguration(n)];
        SpinPacking.Pack(spins, packed);

        // Ground truth straight from the convention: bit i%8 of byte i/8 is 1 iff s_i = -1, padding zero.
        var expected = new byte[(n + 7) / 8];
        for (int i = 0; i < n; i++)
            if (spins[i] == -1)
                expected[i / 8] |= (byte)(1 << (i % 8));
        Assert.Equal(expected, packed);

        var back = new sbyte[n];
        SpinPacking.Unpack(packed, back);
        Assert.Equal(spins, back);
        for (int i = 0; i < n; i++)
            Assert.Equal(spins[i], SpinPacking.GetSpin(packed, i));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Float_packing_agrees_with_sbyte_packing(int n)
    {
        var spins = RandomSpins(n, 2000 + (ulong)n);
        var floats = spins.Select(s => (float)s).ToArray();
        var a = new byte[SpinPacking.BytesPerConfiguration(n)];
        var b = new byte[a.Length];
        SpinPacking.Pack(spins, a);
        SpinPacking.Pack(floats, b);
        Assert.Equal(a, b);
        var back = new float[n];
        SpinPacking.Unpack(b, back);
        Assert.Equal(floats, back);
    }

    [Fact]
    public void Unpack_ignores_padding_bits()
    {
        var packed = new byte[] { 0b0000_0001, 0b1111_1010 }; // N = 11: bits 11..15 of the last byte are padding
        var spins = new sbyte[11];
        SpinPacking.Unpack(packed, spins);
        Assert.Equal(new sbyte[] { -1, 1, 1, 1, 1, 1, 1, 1, 1, -1, 1 }, spins);
    }

    [Theory]
    [InlineData(5)]    // scalar tail
    [InlineData(40)]   // inside a 32-spin vector
    [InlineData(100)]  // inside a 64-spin vector
    public void Pack_rejects_a_value_that_is_not_plus_or_minus_one_and_names_its_index(int bad)
    {
        var spins = RandomSpins(130, 7);
        spins[bad] = 0;
        var packed = new byte[SpinPacking.BytesPerConfiguration(130)];
        var e = Assert.Throws<ArgumentException>(() => SpinPacking.Pack(spins, packed));
        Assert.Contains($"Spin {bad} is 0", e.Message);

        var floats = spins.Select(s => (float)s).ToArray();
        floats[bad] = 0.5f;
        e = Assert.Throws<ArgumentException>(() => SpinPacking.Pack(floats, packed));
        Assert.Contains($"Spin {bad} is 0.5", e.Message);
    }

    [Fact]
    public void Wrong_buffer_lengths_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => SpinPacking.Pack(new sbyte[9], new byte[1]));
        Assert.Throws<ArgumentException>(() => SpinPacking.Unpack(new byte[3], new sbyte[9]));
        Assert.Throws<ArgumentException>(() => SpinPacking.Overlap(new byte[2], new byte[1], 9));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpinPacking.BytesPerConfiguration(0));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Overlap_hamming_and_magnetisation_equal_direct_sums(int n)
    {
        for (int trial = 0; trial < 5; trial++)
        {
            ulong seed = (ulong)(n * 10 + trial);
            var a = RandomSpins(n, seed, pDown: 0.2 * trial + 0.1);
            var b = RandomSpins(n, seed + 77_777, pDown: 0.5);
            var pa = new byte[SpinPacking.BytesPerConfiguration(n)];
            var pb = new byte[pa.Length];
            SpinPacking.Pack(a, pa);
            SpinPacking.Pack(b, pb);

            int dot = 0, differ = 0, sumA = 0;
            for (int i = 0; i < n; i++)
            {
                dot += a[i] * b[i];
                differ += a[i] != b[i] ? 1 : 0;
                sumA += a[i];
            }
            Assert.Equal(differ, SpinPacking.HammingDistance(pa, pb, n));
            Assert.Equal((double)dot / n, SpinPacking.Overlap(pa, pb, n), 1e-15);
            Assert.Equal(1.0, SpinPacking.Overlap(pa, pa, n));
            Assert.Equal(sumA, SpinPacking.SpinSum(pa, n));
            Assert.Equal((double)sumA / n, SpinPacking.Magnetization(pa, n), 1e-15);
        }
    }

    [Fact]
    public void Overlap_and_magnetisation_ignore_garbage_in_padding_bits()
    {
        const int n = 13;
        var a = RandomSpins(n, 5);
        var b = RandomSpins(n, 6);
        var pa = new byte[2];
        var pb = new byte[2];
        SpinPacking.Pack(a, pa);
        SpinPacking.Pack(b, pb);
        double q = SpinPacking.Overlap(pa, pb, n);
        int m = SpinPacking.SpinSum(pa, n);
        pa[1] |= 0b1110_0000;
        Assert.Equal(q, SpinPacking.Overlap(pa, pb, n));
        Assert.Equal(m, SpinPacking.SpinSum(pa, n));
    }

    [Fact]
    public void PackRows_packs_each_row_like_Pack()
    {
        const int n = 21, rows = 5;
        var spins = RandomSpins(n * rows, 99);
        var packed = new byte[rows * 3];
        SpinPacking.PackRows(spins, n, packed);
        for (int r = 0; r < rows; r++)
        {
            var one = new byte[3];
            SpinPacking.Pack(spins.AsSpan(r * n, n), one);
            Assert.Equal(one, packed.AsSpan(r * 3, 3).ToArray());
        }
        Assert.Throws<ArgumentException>(() => SpinPacking.PackRows(spins, n, new byte[rows * 3 - 1]));
    }
}
