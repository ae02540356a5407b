namespace Boltzmann.MonteCarlo;

/// <summary>
/// The packed storage form of an Ising configuration, used by checkpoints and the data layer:
/// spin i lives in byte i / 8 at bit i % 8 (least significant bit first), and the bit is 1 for
/// s_i = -1 and 0 for s_i = +1. Unused high bits of the last byte are 0. So the all-up state packs to
/// zeros, and e.g. spins (-1, +1, +1, +1, +1, +1, +1, +1, +1, -1) pack to bytes 0x01, 0x02.
/// Eight spins per byte is also the measured sweet spot for Parquet size (platform-notes).
/// </summary>
public static class SpinPacking
{
    /// <summary>Bytes needed for <paramref name="spins"/> spins: ceil(N / 8).</summary>
    public static int PackedLength(int spins)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(spins);
        return (spins + 7) >> 3;
    }

    /// <summary>Packs s in {-1, +1} into <paramref name="destination"/> (exactly <see cref="PackedLength"/> bytes are written).</summary>
    public static void Pack(ReadOnlySpan<sbyte> spins, Span<byte> destination)
    {
        int bytes = PackedLength(spins.Length);
        if (destination.Length < bytes)
            throw new ArgumentException($"Packed destination has {destination.Length} bytes, {spins.Length} spins need {bytes}.", nameof(destination));
        for (int b = 0; b < bytes; b++)
        {
            int start = b << 3;
            int end = Math.Min(start + 8, spins.Length);
            int v = 0;
            for (int i = start; i < end; i++)
            {
                int s = spins[i];
                if (s == -1) v |= 1 << (i - start);
                else if (s != 1) throw new ArgumentException($"Spin {i} is {s}; spins must be -1 or +1.", nameof(spins));
            }
            destination[b] = (byte)v;
        }
    }

    /// <summary>Inverse of <see cref="Pack"/>: fills <paramref name="spins"/> (its length is N) from the packed bytes.</summary>
    public static void Unpack(ReadOnlySpan<byte> packed, Span<sbyte> spins)
    {
        int bytes = PackedLength(spins.Length);
        if (packed.Length < bytes)
            throw new ArgumentException($"Packed source has {packed.Length} bytes, {spins.Length} spins need {bytes}.", nameof(packed));
        for (int i = 0; i < spins.Length; i++)
            spins[i] = ((packed[i >> 3] >> (i & 7)) & 1) != 0 ? (sbyte)-1 : (sbyte)1;
    }
}
