using System.Text;
using Boltzmann.Random;

namespace Boltzmann.MonteCarlo.Hmc;

/// <summary>
/// Everything that determines the future of one HMC chain: the configuration, the random-stream state, the
/// current step size, the dual-averaging state and the trajectory / acceptance counters. Momenta and forces are
/// scratch (momenta are redrawn each trajectory, the force is a deterministic function of the configuration), so
/// restoring this state continues the chain bit for bit.
/// </summary>
public sealed record HmcChainState(
    long Chain,
    double[] Positions,
    ulong[] RandomState,
    double StepSize,
    DualAveraging Adaptation,
    long Trajectories,
    long Accepted)
{
    private static ReadOnlySpan<byte> Magic => "BZHC"u8;

    /// <summary>Format version of <see cref="Write"/>.</summary>
    public const int Version = 1;

    /// <summary>Binary, little-endian: "BZHC", version, chain, counters, step size, adaptation, rng (4 words), positions.</summary>
    public void Write(BinaryWriter wr)
    {
        wr.Write(Magic);
        wr.Write(Version);
        wr.Write(Chain);
        wr.Write(Trajectories);
        wr.Write(Accepted);
        wr.Write(StepSize);
        wr.Write(Adaptation.Mu);
        wr.Write(Adaptation.HBar);
        wr.Write(Adaptation.LogStepSize);
        wr.Write(Adaptation.LogStepSizeBar);
        wr.Write(Adaptation.Count);
        foreach (ulong s in RandomState) wr.Write(s);
        wr.Write(Positions.Length);
        foreach (double x in Positions) wr.Write(x);
    }

    public static HmcChainState Read(BinaryReader rd)
    {
        var magic = rd.ReadBytes(4);
        if (!magic.AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("Not an HMC chain state (missing \"BZHC\").");
        int version = rd.ReadInt32();
        if (version != Version) throw new InvalidDataException($"HMC chain state version {version}; this build reads {Version}.");
        long chain = rd.ReadInt64();
        long trajectories = rd.ReadInt64();
        long accepted = rd.ReadInt64();
        double eps = rd.ReadDouble();
        var adaptation = new DualAveraging(rd.ReadDouble(), rd.ReadDouble(), rd.ReadDouble(), rd.ReadDouble(), rd.ReadInt64());
        var rng = new ulong[4];
        for (int i = 0; i < 4; i++) rng[i] = rd.ReadUInt64();
        _ = RandomStream.FromState(rng); // validates the state
        int n = rd.ReadInt32();
        if (n < 0) throw new InvalidDataException($"HMC chain state has a negative dimension {n}.");
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = rd.ReadDouble();
        return new HmcChainState(chain, x, rng, eps, adaptation, trajectories, accepted);
    }

    public byte[] ToBytes()
    {
        using var ms = new MemoryStream();
        using (var wr = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true)) Write(wr);
        return ms.ToArray();
    }

    public static HmcChainState FromBytes(byte[] bytes)
    {
        using var rd = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
        return Read(rd);
    }
}
