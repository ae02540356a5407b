using System.Security.Cryptography;
using System.Text;

namespace Boltzmann.Random;

/// <summary>
/// Derives independent random streams from (run seed, stage identity, replica, chain).
/// There is no global generator: every consumer names the stream it needs, so adding a stage or a
/// replica never shifts the numbers another one sees, and resumed runs see the same streams.
/// </summary>
public static class RandomStreams
{
    /// <summary>The seed of the stream for (seed, stage, replica, chain): SHA-256 of the tuple, first 8 bytes.</summary>
    public static ulong DeriveSeed(ulong runSeed, string stage, long replica = 0, long chain = 0)
    {
        ArgumentNullException.ThrowIfNull(stage);
        var text = $"boltzmann-stream/v1|{runSeed}|{stage}|{replica}|{chain}";
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return BitConverter.ToUInt64(hash[..8]);
    }

    public static RandomStream For(ulong runSeed, string stage, long replica = 0, long chain = 0)
        => new(DeriveSeed(runSeed, stage, replica, chain));
}
