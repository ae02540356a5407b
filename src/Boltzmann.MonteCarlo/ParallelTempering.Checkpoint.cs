using Boltzmann.Spins;
using System.Security.Cryptography;
using System.Text;
using Boltzmann.Physics.Sk;
using Boltzmann.Random;

namespace Boltzmann.MonteCarlo;

public sealed unsafe partial class ParallelTempering
{
    private static ReadOnlySpan<byte> Magic => "BZPT"u8;

    /// <summary>Current checkpoint format version.</summary>
    public const int CheckpointVersion = 1;

    /// <summary>
    /// Serialises the complete sampler state: every walker's spins, local fields (bit-exact, since they
    /// carry the rounding history since the last refresh), energy, magnetisation, random-stream state and
    /// round-trip label; every chain's permutation, exchange stream and counters; the sweep and flip
    /// counters. Layout (little-endian): "BZPT", int32 version, header (N, R, C, refresh interval, seed,
    /// stage name, instance content hash, temperatures), state, then SHA-256 of all preceding bytes.
    /// <see cref="Restore"/> continues bit for bit identically to the uninterrupted run.
    /// </summary>
    public byte[] SaveState()
    {
        using var ms = new MemoryStream();
        using (var wr = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            wr.Write(Magic);
            wr.Write(CheckpointVersion);
            wr.Write(_n);
            wr.Write(_r);
            wr.Write(_c);
            wr.Write(_refresh);
            wr.Write(Options.Seed);
            wr.Write(Options.StageName);
            wr.Write(_instance.ContentHash());
            foreach (double t in _temperatures) wr.Write(t);
            wr.Write(_sweeps);
            wr.Write(_flipAttempts);
            for (int c = 0; c < _c; c++)
            {
                WriteStream(wr, _exchangeRng[c]);
                wr.Write(_roundTrips[c]);
                for (int k = 0; k < _r; k++) wr.Write(_slotWalker[c * _r + k]);
                for (int k = 0; k < _r; k++) wr.Write(_acceptedBySlot[c * _r + k]);
                for (int k = 0; k + 1 < _r; k++)
                {
                    wr.Write(_swapAttempts[c * (_r - 1) + k]);
                    wr.Write(_swapAccepts[c * (_r - 1) + k]);
                }
            }
            var packed = new byte[PackedLength];
            for (int w = 0; w < _w; w++)
            {
                WriteStream(wr, _walkerRng[w]);
                wr.Write(_energy[w]);
                wr.Write(_magnetisation[w]);
                wr.Write(_direction[w]);
                SpinPacking.Pack(SpinsOf(w), packed);
                wr.Write(packed);
                var fields = _fields.Slice(w * _stride, _n);
                foreach (double f in fields) wr.Write(f);
            }
        }
        var body = ms.GetBuffer().AsSpan(0, (int)ms.Length);
        var hash = SHA256.HashData(body);
        ms.Write(hash);
        return ms.ToArray();
    }

    /// <summary>
    /// Rebuilds a sampler from <see cref="SaveState"/> bytes. The instance and the options that affect the
    /// Markov chain (ladder, chains, seed, stage name, refresh interval) must be the ones of the saved run;
    /// a mismatch or a corrupted checkpoint throws an <see cref="InvalidDataException"/> saying what differs.
    /// MaxDegreeOfParallelism and Scheme may differ (they do not change results).
    /// </summary>
    public static ParallelTempering Restore(SkInstance instance, ParallelTemperingOptions options, byte[] state)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(state);
        if (state.Length < Magic.Length + 4 + SHA256.HashSizeInBytes || !state.AsSpan(0, 4).SequenceEqual(Magic))
            throw new InvalidDataException("Not a parallel-tempering checkpoint (missing \"BZPT\" header).");
        var body = state.AsSpan(0, state.Length - SHA256.HashSizeInBytes);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(state.AsSpan(body.Length)))
            throw new InvalidDataException("Parallel-tempering checkpoint is corrupted (SHA-256 checksum mismatch).");

        using var rd = new BinaryReader(new MemoryStream(state, 0, body.Length, writable: false), Encoding.UTF8);
        rd.ReadBytes(4);
        int version = rd.ReadInt32();
        if (version != CheckpointVersion)
            throw new InvalidDataException($"Parallel-tempering checkpoint has format version {version}; this build reads version {CheckpointVersion}.");
        Expect(rd.ReadInt32(), instance.N, "N (spins of the instance)");
        Expect(rd.ReadInt32(), options.Ladder.Count, "R (ladder temperatures)");
        Expect(rd.ReadInt32(), options.Chains, "C (chains)");
        Expect(rd.ReadInt32(), options.LocalFieldRefreshInterval, "LocalFieldRefreshInterval");
        ulong seed = rd.ReadUInt64();
        if (seed != options.Seed) throw new InvalidDataException($"Checkpoint was made with Seed = {seed}, options have {options.Seed}.");
        string stage = rd.ReadString();
        if (stage != options.StageName) throw new InvalidDataException($"Checkpoint was made with StageName \"{stage}\", options have \"{options.StageName}\".");
        string hash = rd.ReadString();
        if (hash != instance.ContentHash()) throw new InvalidDataException($"Checkpoint belongs to SK instance {hash}, not to the given instance {instance.ContentHash()}.");
        for (int k = 0; k < options.Ladder.Count; k++)
        {
            double t = rd.ReadDouble();
            if (BitConverter.DoubleToInt64Bits(t) != BitConverter.DoubleToInt64Bits(options.Ladder.TemperatureSpan[k]))
                throw new InvalidDataException($"Checkpoint temperature of slot {k} is {t:R}, options ladder has {options.Ladder.TemperatureSpan[k]:R}.");
        }

        var pt = new ParallelTempering(instance, options, initialise: false);
        pt._sweeps = rd.ReadInt64();
        pt._flipAttempts = rd.ReadInt64();
        int r = pt._r;
        for (int c = 0; c < pt._c; c++)
        {
            pt._exchangeRng[c] = ReadStream(rd);
            pt._roundTrips[c] = rd.ReadInt64();
            var used = new bool[r];
            for (int k = 0; k < r; k++)
            {
                int walker = rd.ReadInt32();
                if ((uint)walker >= (uint)r || used[walker])
                    throw new InvalidDataException($"Checkpoint slot -> walker map of chain {c} is not a permutation (slot {k} -> {walker}).");
                used[walker] = true;
                pt._slotWalker[c * r + k] = walker;
                pt._walkerSlot[c * r + walker] = k;
            }
            for (int k = 0; k < r; k++) pt._acceptedBySlot[c * r + k] = rd.ReadInt64();
            for (int k = 0; k + 1 < r; k++)
            {
                pt._swapAttempts[c * (r - 1) + k] = rd.ReadInt64();
                pt._swapAccepts[c * (r - 1) + k] = rd.ReadInt64();
            }
        }
        int n = pt._n;
        for (int w = 0; w < pt._w; w++)
        {
            pt._walkerRng[w] = ReadStream(rd);
            pt._energy[w] = rd.ReadDouble();
            pt._magnetisation[w] = rd.ReadInt32();
            pt._direction[w] = rd.ReadSByte();
            var packed = rd.ReadBytes(pt.PackedLength);
            var spins = pt._spins.Slice(w * pt._stride, n);
            SpinPacking.Unpack(packed, spins);
            int m = 0;
            foreach (sbyte s in spins) m += s;
            if (m != pt._magnetisation[w])
                throw new InvalidDataException($"Checkpoint walker {w % r} of chain {w / r}: stored magnetisation {pt._magnetisation[w]} does not match its spins ({m}).");
            var fields = pt._fields.Slice(w * pt._stride, n);
            for (int i = 0; i < n; i++) fields[i] = rd.ReadDouble();
        }
        if (rd.BaseStream.Position != body.Length)
            throw new InvalidDataException($"Parallel-tempering checkpoint has {body.Length - rd.BaseStream.Position} unexpected trailing bytes.");
        return pt;
    }

    private static void Expect(int actual, int expected, string what)
    {
        if (actual != expected) throw new InvalidDataException($"Checkpoint has {what} = {actual}, but the restore target has {expected}.");
    }

    private static void WriteStream(BinaryWriter wr, RandomStream rng)
    {
        foreach (ulong s in rng.GetState()) wr.Write(s);
    }

    private static RandomStream ReadStream(BinaryReader rd)
    {
        Span<ulong> s = stackalloc ulong[4];
        for (int i = 0; i < 4; i++) s[i] = rd.ReadUInt64();
        return RandomStream.FromState(s);
    }
}
