using Boltzmann.Spins;
using System.Runtime.CompilerServices;
using Boltzmann.Physics.Sk;
using Boltzmann.Random;

namespace Boltzmann.MonteCarlo;

/// <summary>
/// Parallel tempering (replica exchange; Swendsen &amp; Wang, PRL 57 (1986) 2607; Hukushima &amp; Nemoto,
/// J. Phys. Soc. Jpn. 65 (1996) 1604) for one SK instance, H = -sum_{i&lt;j} J_ij s_i s_j - sum_i h_i s_i.
/// <para>
/// State: C independent chains; each chain has R walkers (spin configuration, local fields, energy,
/// magnetisation, own random stream) and a permutation slot -> walker assigning walker to temperature
/// slot k (slot 0 = coldest). Walker w of chain c draws from RandomStreams.For(Seed, StageName, w, c);
/// the exchanges of chain c from RandomStreams.For(Seed, StageName + "/exchange", 0, c). Initially
/// walker k sits at slot k in a random configuration drawn from its own stream.
/// </para>
/// <para>
/// One <see cref="Sweep()"/>: every walker does one systematic Metropolis sweep (N flip attempts, see
/// <see cref="SkMetropolisKernel.Sweep"/>) at the temperature of its slot; then each chain does one
/// exchange round. Rounds alternate deterministically between even pairs (0,1),(2,3),... on odd-numbered
/// sweeps (1, 3, ...) and odd pairs (1,2),(3,4),... on even-numbered sweeps (the "deterministic even-odd"
/// scheme, which propagates walkers along the ladder faster than random pair choice: Okabe et al.,
/// Chem. Phys. Lett. 335 (2001) 435; Syed et al., JRSS B 84 (2022) 321). A pair (k, k+1) swaps its
/// walkers with probability min(1, exp[(beta_k - beta_{k+1})(E_k - E_{k+1})]).
/// </para>
/// <para>
/// Reproducibility: a walker's sweep depends only on its own state and stream, and exchanges only on
/// their chain, so results are identical for any thread count and schedule (tested), and a
/// <see cref="SaveState"/>/<see cref="Restore"/> round trip continues bit for bit (tested).
/// </para>
/// <para>
/// Round trips: a walker that visits slot 0 is labelled "up"; an "up" walker reaching slot R-1 becomes
/// "down"; a "down" walker reaching slot 0 completes one round trip (counted per chain) and is "up"
/// again. Labels are updated after every exchange round. Not counted for R = 1.
/// </para>
/// Not thread-safe: read the accessors between calls to <see cref="Sweep(int)"/>.
/// </summary>
public sealed unsafe partial class ParallelTempering
{
    private enum Schedule { Sequential, ByChain, ByWalker }

    private readonly SkInstance _instance;
    private readonly int _n, _r, _c, _w, _stride, _refresh, _threads;
    private readonly double[] _temperatures;
    private readonly double[] _betas;
    private readonly AlignedBuffer<double> _twoJ;
    private readonly AlignedBuffer<double> _externalFields;
    private readonly AlignedBuffer<double> _fields;
    private readonly AlignedBuffer<double> _thresholds;
    private readonly AlignedBuffer<sbyte> _spins;
    private readonly double[] _energy;
    private readonly int[] _magnetisation;
    private readonly RandomStream[] _walkerRng;
    private readonly RandomStream[] _exchangeRng;
    private readonly int[] _slotWalker;   // [c * R + slot] -> walker id within chain c
    private readonly int[] _walkerSlot;   // [c * R + walker] -> slot
    private readonly sbyte[] _direction;  // [c * R + walker]: +1 up, -1 down, 0 unlabelled
    private readonly long[] _swapAttempts; // [c * (R-1) + k] for pair (k, k+1)
    private readonly long[] _swapAccepts;
    private readonly long[] _roundTrips;   // [c]
    private readonly long[] _acceptedBySlot; // [c * R + slot]
    private long _sweeps;
    private long _flipAttempts;

    private readonly ParallelOptions _parallelOptions;
    private readonly Action<int> _chainBody;
    private readonly Action<int> _walkerBody;
    private long _batchFirst;
    private int _batchCount;

    /// <summary>Starts a fresh run: random initial configurations from each walker's stream.</summary>
    public ParallelTempering(SkInstance instance, ParallelTemperingOptions options)
        : this(instance, options, initialise: true)
    {
    }

    private ParallelTempering(SkInstance instance, ParallelTemperingOptions options, bool initialise)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(options);
        _instance = instance;
        Options = options;
        _n = instance.N;
        _r = options.Ladder.Count;
        _c = options.Chains;
        _w = checked(_r * _c);
        _stride = SkMetropolisKernel.Stride(_n);
        _refresh = options.LocalFieldRefreshInterval;
        _threads = options.MaxDegreeOfParallelism == -1 ? Environment.ProcessorCount : options.MaxDegreeOfParallelism;
        _temperatures = options.Ladder.TemperatureSpan.ToArray();
        _betas = options.Ladder.BetaSpan.ToArray();

        _twoJ = new AlignedBuffer<double>(checked(_n * _stride));
        var couplings = instance.Couplings;
        for (int i = 0; i < _n; i++)
        {
            double* row = _twoJ.Pointer + (nint)i * _stride;
            for (int j = 0; j < _n; j++) row[j] = 2.0 * couplings[i * _n + j];
        }
        _externalFields = new AlignedBuffer<double>(_stride);
        instance.Fields.CopyTo(_externalFields.Span);

        _fields = new AlignedBuffer<double>(checked(_w * _stride));
        _thresholds = new AlignedBuffer<double>(checked(_w * _stride));
        _spins = new AlignedBuffer<sbyte>(checked(_w * _stride));
        _energy = new double[_w];
        _magnetisation = new int[_w];
        _walkerRng = new RandomStream[_w];
        _exchangeRng = new RandomStream[_c];
        _slotWalker = new int[_w];
        _walkerSlot = new int[_w];
        _direction = new sbyte[_w];
        _swapAttempts = new long[_c * Math.Max(0, _r - 1)];
        _swapAccepts = new long[_swapAttempts.Length];
        _roundTrips = new long[_c];
        _acceptedBySlot = new long[_w];

        _parallelOptions = new ParallelOptions { MaxDegreeOfParallelism = _threads };
        _chainBody = c =>
        {
            for (int t = 0; t < _batchCount; t++) ChainSweep(c, _batchFirst + t);
        };
        _walkerBody = w => WalkerSweep(w, _batchFirst);

        if (initialise) InitialiseFresh();
    }

    private void InitialiseFresh()
    {
        for (int c = 0; c < _c; c++)
        {
            _exchangeRng[c] = RandomStreams.For(Options.Seed, Options.StageName + "/exchange", 0, c);
            for (int k = 0; k < _r; k++)
            {
                int w = c * _r + k;
                _slotWalker[w] = k;
                _walkerSlot[w] = k;
                var rng = RandomStreams.For(Options.Seed, Options.StageName, k, c);
                sbyte* s = _spins.Pointer + (nint)w * _stride;
                ulong bits = 0;
                int m = 0;
                for (int i = 0; i < _n; i++)
                {
                    if ((i & 63) == 0) bits = rng.NextUInt64();
                    s[i] = ((bits >> (i & 63)) & 1) != 0 ? (sbyte)-1 : (sbyte)1;
                    m += s[i];
                }
                _walkerRng[w] = rng;
                _magnetisation[w] = m;
                _energy[w] = RefreshWalker(w);
            }
            if (_r >= 2) _direction[c * _r + _slotWalker[c * _r]] = 1;
        }
    }

    /// <summary>The options this sampler runs with.</summary>
    public ParallelTemperingOptions Options { get; }

    /// <summary>The disorder instance being sampled.</summary>
    public SkInstance Instance => _instance;

    /// <summary>Number of spins N.</summary>
    public int N => _n;

    /// <summary>Temperature slots per chain R.</summary>
    public int Slots => _r;

    /// <summary>Independent chains C.</summary>
    public int Chains => _c;

    /// <summary>Temperature of slot k (slot 0 is the coldest).</summary>
    public double Temperature(int slot) => _temperatures[CheckSlot(slot)];

    /// <summary>Inverse temperature of slot k.</summary>
    public double Beta(int slot) => _betas[CheckSlot(slot)];

    /// <summary>Threads the sampler may use (MaxDegreeOfParallelism resolved against the processor count).</summary>
    public int MaxThreads => _threads;

    /// <summary>Completed sweeps (each: one Metropolis sweep of every walker plus one exchange round per chain).</summary>
    public long SweepsDone => _sweeps;

    /// <summary>Total single-spin flip attempts over all walkers and chains (= SweepsDone x N x R x C).</summary>
    public long FlipAttempts => _flipAttempts;

    /// <summary>Total accepted single-spin flips over all walkers and chains.</summary>
    public long AcceptedFlips
    {
        get
        {
            long a = 0;
            foreach (long x in _acceptedBySlot) a += x;
            return a;
        }
    }

    /// <summary>Accepted flips made at slot k of chain c (whichever walker was there at the time).</summary>
    public long AcceptedFlipsAt(int chain, int slot) => _acceptedBySlot[Index(chain, slot)];

    /// <summary>Metropolis acceptance rate at slot k of chain c (each slot gets N attempts per sweep).</summary>
    public double FlipAcceptanceRate(int chain, int slot) => _sweeps == 0 ? double.NaN : (double)AcceptedFlipsAt(chain, slot) / (_sweeps * (double)_n);

    /// <summary>Exchange attempts of the pair (k, k+1) in chain c; <paramref name="pair"/> = k in [0, R-2].</summary>
    public long SwapAttempts(int chain, int pair) => _swapAttempts[PairIndex(chain, pair)];

    /// <summary>Accepted exchanges of the pair (k, k+1) in chain c.</summary>
    public long SwapAcceptances(int chain, int pair) => _swapAccepts[PairIndex(chain, pair)];

    /// <summary>Accepted / attempted exchanges of the pair (k, k+1) in chain c (NaN before the first attempt).</summary>
    public double SwapAcceptanceRate(int chain, int pair)
    {
        int p = PairIndex(chain, pair);
        return _swapAttempts[p] == 0 ? double.NaN : (double)_swapAccepts[p] / _swapAttempts[p];
    }

    /// <summary>Completed round trips (slot 0 -> slot R-1 -> slot 0) of the walkers of chain c (see class remarks).</summary>
    public long RoundTrips(int chain) => _roundTrips[CheckChain(chain)];

    /// <summary>Walker id (0..R-1 within its chain) at slot k of chain c.</summary>
    public int WalkerAt(int chain, int slot) => _slotWalker[Index(chain, slot)];

    /// <summary>Slot currently held by walker <paramref name="walker"/> of chain c.</summary>
    public int SlotOf(int chain, int walker)
    {
        CheckChain(chain);
        if ((uint)walker >= (uint)_r) throw new ArgumentOutOfRangeException(nameof(walker), walker, $"Walker must be in [0, {_r - 1}].");
        return _walkerSlot[chain * _r + walker];
    }

    /// <summary>Energy H(s) of the configuration at slot k of chain c (incrementally tracked; exact at every refresh).</summary>
    public double Energy(int chain, int slot) => _energy[GlobalWalker(chain, slot)];

    /// <summary>Magnetisation per spin m = (1/N) sum_i s_i at slot k of chain c.</summary>
    public double Magnetisation(int chain, int slot) => (double)_magnetisation[GlobalWalker(chain, slot)] / _n;

    /// <summary>Magnetisation sum M = sum_i s_i (an exact integer) at slot k of chain c.</summary>
    public int MagnetisationSum(int chain, int slot) => _magnetisation[GlobalWalker(chain, slot)];

    /// <summary>Bytes of one packed configuration, ceil(N/8).</summary>
    public int PackedLength => SpinPacking.BytesPerConfiguration(_n);

    /// <summary>Copies the N spins (+-1) at slot k of chain c into <paramref name="destination"/>.</summary>
    public void CopyConfiguration(int chain, int slot, Span<sbyte> destination)
    {
        if (destination.Length < _n) throw new ArgumentException($"Destination has {destination.Length} entries, N = {_n} needed.", nameof(destination));
        SpinsOf(GlobalWalker(chain, slot)).CopyTo(destination);
    }

    /// <summary>Copies the configuration at slot k of chain c in packed form (<see cref="SpinPacking"/>: bit 1 = spin -1, LSB first).</summary>
    public void CopyPackedConfiguration(int chain, int slot, Span<byte> destination)
        => SpinPacking.Pack(SpinsOf(GlobalWalker(chain, slot)), destination);

    /// <summary>
    /// Overlap q = (1/N) sum_i s_i^a s_i^b between the configurations at slot k of two chains
    /// (chains must differ: a configuration's overlap with itself is 1 and carries no information).
    /// </summary>
    public double Overlap(int slot, int chainA = 0, int chainB = 1)
    {
        if (chainA == chainB) throw new ArgumentException($"Overlap needs two different chains, got chain {chainA} twice.", nameof(chainB));
        var a = SpinsOf(GlobalWalker(chainA, slot));
        var b = SpinsOf(GlobalWalker(chainB, slot));
        int q = 0;
        for (int i = 0; i < _n; i++) q += a[i] * b[i];
        return (double)q / _n;
    }

    /// <summary>Copies the random-stream state of walker <paramref name="walker"/> of chain c (for checks and diagnostics).</summary>
    public ulong[] WalkerRandomState(int chain, int walker)
    {
        CheckChain(chain);
        if ((uint)walker >= (uint)_r) throw new ArgumentOutOfRangeException(nameof(walker), walker, $"Walker must be in [0, {_r - 1}].");
        return _walkerRng[chain * _r + walker].GetState();
    }

    /// <summary>Copies the random-stream state of the exchanges of chain c.</summary>
    public ulong[] ExchangeRandomState(int chain) => _exchangeRng[CheckChain(chain)].GetState();

    /// <summary>One sweep: a Metropolis sweep of every walker, then one exchange round per chain.</summary>
    public void Sweep() => Sweep(1);

    /// <summary>
    /// <paramref name="count"/> sweeps. Identical to calling <see cref="Sweep()"/> that many times, but with
    /// one thread hand-off for the whole batch when whole chains run in parallel.
    /// </summary>
    public void Sweep(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0) return;
        long first = _sweeps + 1;
        switch (ResolveSchedule())
        {
            case Schedule.Sequential:
                for (int t = 0; t < count; t++)
                    for (int c = 0; c < _c; c++) ChainSweep(c, first + t);
                break;
            case Schedule.ByChain:
                _batchFirst = first;
                _batchCount = count;
                Parallel.For(0, _c, _parallelOptions, _chainBody);
                break;
            case Schedule.ByWalker:
                for (int t = 0; t < count; t++)
                {
                    _batchFirst = first + t;
                    Parallel.For(0, _w, _parallelOptions, _walkerBody);
                    for (int c = 0; c < _c; c++) Exchange(c, first + t);
                }
                break;
        }
        _sweeps += count;
        _flipAttempts += (long)count * _w * _n;
    }

    /// <summary>
    /// Convenience driver (tests, quick runs): <paramref name="burnIn"/> sweeps, then
    /// <paramref name="measurements"/> times { <paramref name="sweepsPerMeasurement"/> sweeps; measure(this) }.
    /// Pipeline stages drive <see cref="Sweep(int)"/> themselves.
    /// </summary>
    public void Run(int burnIn, int measurements, int sweepsPerMeasurement, Action<ParallelTempering> measure)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(burnIn);
        ArgumentOutOfRangeException.ThrowIfNegative(measurements);
        ArgumentOutOfRangeException.ThrowIfLessThan(sweepsPerMeasurement, 1);
        ArgumentNullException.ThrowIfNull(measure);
        Sweep(burnIn);
        for (int k = 0; k < measurements; k++)
        {
            Sweep(sweepsPerMeasurement);
            measure(this);
        }
    }

    /// <summary>Threads a call of <see cref="Sweep(int)"/> actually keeps busy under the current settings.</summary>
    public int ThreadsInUse => ResolveSchedule() switch
    {
        Schedule.ByChain => Math.Min(_threads, _c),
        Schedule.ByWalker => Math.Min(_threads, _w),
        _ => 1,
    };

    private Schedule ResolveSchedule()
    {
        if (_threads <= 1) return Schedule.Sequential;
        return Options.Scheme switch
        {
            ParallelScheme.ByChain => _c > 1 ? Schedule.ByChain : Schedule.Sequential,
            ParallelScheme.ByWalker => Schedule.ByWalker,
            _ => _c % _threads == 0 || _c >= 4 * _threads ? Schedule.ByChain
                : _w > 1 ? Schedule.ByWalker : Schedule.Sequential,
        };
    }

    private void ChainSweep(int c, long sweepNumber)
    {
        for (int k = 0; k < _r; k++) WalkerSweep(c * _r + k, sweepNumber);
        Exchange(c, sweepNumber);
    }

    private void WalkerSweep(int w, long sweepNumber)
    {
        int c = w / _r;
        int slot = _walkerSlot[w];
        nint offset = (nint)w * _stride;
        double* thresholds = _thresholds.Pointer + offset;
        FillUniformOpenZero(ref _walkerRng[w], thresholds, _n);
        for (int i = _n; i < _stride; i++) thresholds[i] = 1.0;
        DeterministicLog.NegativeLogScaled(new Span<double>(thresholds, _stride), _temperatures[slot]);
        int accepted = SkMetropolisKernel.Sweep(_twoJ.Pointer, _fields.Pointer + offset, _spins.Pointer + offset, thresholds,
            _n, _stride, ref _energy[w], ref _magnetisation[w]);
        // Each slot holds exactly one walker during the sweep, so parallel walkers never share a counter.
        _acceptedBySlot[c * _r + slot] += accepted;
        if (sweepNumber % _refresh == 0) _energy[w] = RefreshWalker(w);
    }

    /// <summary>
    /// destination[i] = uniform in (0, 1], the same values as <see cref="RandomStream.NextDoubleOpenZero"/>:
    /// ((x &gt;&gt; 11) + 1) 2^-53, converted through a signed integer (exact, and one instruction instead of the
    /// unsigned conversion sequence). The stream is copied to a local so the JIT keeps its state in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FillUniformOpenZero(ref RandomStream stream, double* destination, int count)
    {
        var rng = stream;
        for (int i = 0; i < count; i++)
            destination[i] = (long)((rng.NextUInt64() >> 11) + 1) * (1.0 / (1UL << 53));
        stream = rng;
    }

    private double RefreshWalker(int w)
    {
        nint offset = (nint)w * _stride;
        return SkMetropolisKernel.Refresh(_twoJ.Pointer, _externalFields.Pointer, _fields.Pointer + offset,
            _spins.Pointer + offset, _thresholds.Pointer + offset, _n, _stride);
    }

    private void Exchange(int c, long sweepNumber)
    {
        if (_r < 2) return;
        int b = c * _r;
        ref var rng = ref _exchangeRng[c];
        for (int k = (int)((sweepNumber - 1) & 1); k + 1 < _r; k += 2)
        {
            int lo = _slotWalker[b + k], hi = _slotWalker[b + k + 1];
            double delta = (_betas[k] - _betas[k + 1]) * (_energy[b + lo] - _energy[b + hi]);
            int pair = c * (_r - 1) + k;
            _swapAttempts[pair]++;
            // Accept iff u <= exp(delta), i.e. -ln u >= -delta; always true for delta >= 0.
            if (DeterministicLog.NegativeLog(rng.NextDoubleOpenZero()) >= -delta)
            {
                _swapAccepts[pair]++;
                _slotWalker[b + k] = hi;
                _slotWalker[b + k + 1] = lo;
                _walkerSlot[b + hi] = k;
                _walkerSlot[b + lo] = k + 1;
            }
        }
        int bottom = b + _slotWalker[b];
        if (_direction[bottom] == -1) _roundTrips[c]++;
        _direction[bottom] = 1;
        int top = b + _slotWalker[b + _r - 1];
        if (_direction[top] == 1) _direction[top] = -1;
    }

    private ReadOnlySpan<sbyte> SpinsOf(int w) => _spins.Slice(w * _stride, _n);

    private int GlobalWalker(int chain, int slot) => chain * _r + _slotWalker[Index(chain, slot)];

    private int Index(int chain, int slot)
    {
        CheckChain(chain);
        CheckSlot(slot);
        return chain * _r + slot;
    }

    private int PairIndex(int chain, int pair)
    {
        CheckChain(chain);
        if ((uint)pair >= (uint)(_r - 1))
            throw new ArgumentOutOfRangeException(nameof(pair), pair, _r < 2 ? "A ladder with one temperature has no exchange pairs." : $"Pair index must be in [0, {_r - 2}] (pair k exchanges slots k and k+1).");
        return chain * (_r - 1) + pair;
    }

    private int CheckChain(int chain)
    {
        if ((uint)chain >= (uint)_c) throw new ArgumentOutOfRangeException(nameof(chain), chain, $"Chain must be in [0, {_c - 1}].");
        return chain;
    }

    private int CheckSlot(int slot)
    {
        if ((uint)slot >= (uint)_r) throw new ArgumentOutOfRangeException(nameof(slot), slot, $"Slot must be in [0, {_r - 1}].");
        return slot;
    }
}
