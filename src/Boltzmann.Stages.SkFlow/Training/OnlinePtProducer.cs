using Boltzmann.MonteCarlo;
using Boltzmann.Physics.Relaxation;
using Boltzmann.Physics.Sk;
using Boltzmann.Random;

namespace Boltzmann.Stages.SkFlow.Training;

/// <summary>
/// The sampler behind online forward-KL training: parallel tempering on the ladder of the sk-pt upstream (same
/// instance, chains, burn-in, local-field refresh), but with its own random streams (derived from the training
/// stage's seed and the flow's identity), so its configurations are fresh rather than copies of the stored dataset.
/// Minibatch m takes, round after round, <c>sweeps_per_sample</c> PT sweeps and then the configuration at the
/// training temperature's slot of every chain, until B are collected (leftovers of the last round are dropped, so
/// every batch starts on a sweep boundary); each s becomes one x ~ p(x|s) (eq. 6, footnote 3). Everything is
/// sequential on the producer's thread, so the content of batch m depends only on the seed and m — never on how
/// fast the trainer consumes. <see cref="SaveState"/> captures PT (spins, fields, every RNG) and the x|s stream.
/// </summary>
public sealed class OnlinePtProducer
{
    private readonly ParallelTempering _pt;
    private readonly SkContinuousRelaxation _relaxation;
    private readonly int _slot;
    private readonly int _batch;
    private readonly int _sweepsPerSample;
    private readonly sbyte[] _spins;
    private RandomStream _xRng;

    /// <summary>A fresh producer: builds PT and runs <paramref name="burnIn"/> sweeps.</summary>
    public static OnlinePtProducer Start(SkInstance instance, ParallelTemperingOptions options, SkContinuousRelaxation relaxation,
                                         double temperature, int batch, int sweepsPerSample, int burnIn, RandomStream xStream,
                                         CancellationToken cancellation)
    {
        var pt = new ParallelTempering(instance, options);
        for (int done = 0; done < burnIn; done += 100)
        {
            cancellation.ThrowIfCancellationRequested();
            pt.Sweep(Math.Min(100, burnIn - done));
        }
        return new OnlinePtProducer(pt, relaxation, temperature, batch, sweepsPerSample, xStream);
    }

    /// <summary>A producer restored from <see cref="SaveState"/> (same instance and options).</summary>
    public static OnlinePtProducer Restore(SkInstance instance, ParallelTemperingOptions options, SkContinuousRelaxation relaxation,
                                           double temperature, int batch, int sweepsPerSample, byte[] state)
    {
        using var reader = new BinaryReader(new MemoryStream(state));
        int length = reader.ReadInt32();
        var ptState = reader.ReadBytes(length);
        if (ptState.Length != length) throw new InvalidDataException("Online producer state is truncated (PT part).");
        var rng = new ulong[4];
        for (int k = 0; k < 4; k++) rng[k] = reader.ReadUInt64();
        var pt = ParallelTempering.Restore(instance, options, ptState);
        return new OnlinePtProducer(pt, relaxation, temperature, batch, sweepsPerSample, RandomStream.FromState(rng));
    }

    private OnlinePtProducer(ParallelTempering pt, SkContinuousRelaxation relaxation, double temperature, int batch, int sweepsPerSample, RandomStream xStream)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sweepsPerSample, 1);
        _pt = pt;
        _relaxation = relaxation;
        _slot = Enumerable.Range(0, pt.Slots).FirstOrDefault(k => PtConfigurations.SameTemperature(pt.Temperature(k), temperature), -1);
        if (_slot < 0)
            throw new ArgumentException($"Online PT producer: T = {temperature:R} is not on the ladder ({string.Join(", ", Enumerable.Range(0, pt.Slots).Select(k => pt.Temperature(k).ToString("R")))}).", nameof(temperature));
        if (Math.Abs(1 / temperature - relaxation.Beta) > 1e-9 * relaxation.Beta)
            throw new ArgumentException($"Online PT producer: the relaxation has beta = {relaxation.Beta:R}, the training temperature is {temperature:R}.", nameof(relaxation));
        _batch = batch;
        _sweepsPerSample = sweepsPerSample;
        _spins = new sbyte[batch * pt.N];
        _xRng = xStream;
    }

    public int N => _pt.N;

    /// <summary>PT sweeps done so far (burn-in included).</summary>
    public long SweepsDone => _pt.SweepsDone;

    /// <summary>Builds minibatch <paramref name="index"/> (call with consecutive indices).</summary>
    public OnlineMinibatch Next(long index, CancellationToken cancellation)
    {
        int n = _pt.N;
        var sweeps = new long[_batch];
        var chains = new int[_batch];
        int filled = 0;
        while (filled < _batch)
        {
            cancellation.ThrowIfCancellationRequested();
            _pt.Sweep(_sweepsPerSample);
            for (int c = 0; c < _pt.Chains && filled < _batch; c++, filled++)
            {
                _pt.CopyConfiguration(c, _slot, _spins.AsSpan(filled * n, n));
                sweeps[filled] = _pt.SweepsDone;
                chains[filled] = c;
            }
        }
        var x = new double[_batch * n];
        _relaxation.SampleXGivenS(_spins, x, ref _xRng);
        return new OnlineMinibatch(index, x, sweeps, chains, SaveState());
    }

    /// <summary>The producer's full state: PT (spins, local fields, statistics, every RNG) and the x|s stream.</summary>
    public byte[] SaveState()
    {
        var pt = _pt.SaveState();
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms))
        {
            w.Write(pt.Length);
            w.Write(pt);
            foreach (var v in _xRng.GetState()) w.Write(v);
        }
        return ms.ToArray();
    }
}
