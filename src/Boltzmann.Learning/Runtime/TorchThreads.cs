using System.Globalization;
using TorchSharp;

namespace Boltzmann.Learning.Runtime;

/// <summary>
/// The libtorch intra-op thread count of pipeline runs: <c>$BOLTZMANN_TORCH_THREADS</c>, default 1.
/// Why 1: results of batched reductions depend on how libtorch splits them over threads, so a fixed count keeps
/// a run bit-reproducible across machines with different core counts (and checkpoint resume bit-identical);
/// and on small shared machines libtorch's multi-threaded kernels stall when another process holds a core
/// (docs/platform.md: 2-core runs measured 10x slower under load), while single-threaded they lose at most
/// ~20% (RealNVP N=256: 57 vs 70 steps/s). Set it higher on a dedicated many-core machine.
/// </summary>
public static class TorchThreads
{
    public const string EnvironmentVariable = "BOLTZMANN_TORCH_THREADS";
    private static readonly object Gate = new();
    private static bool _configured;
    private static int? _pinned;
    private static int _pins;

    /// <summary>The requested count: the environment variable if it is a positive integer, else 1.</summary>
    public static int Requested()
    {
        var text = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(text)) return 1;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < 1 || n > 1024)
            throw new ArgumentException($"${EnvironmentVariable} = \"{text}\" is not allowed; must be an integer in 1..1024.");
        return n;
    }

    /// <summary>
    /// Sets libtorch's intra-op thread count to <see cref="Requested"/> (or the count of an active <see cref="Pin"/>)
    /// whenever it differs; the heap tuning runs once per process. Re-applied on every call, not once: libtorch's count
    /// is process-global, and a stage that saved and restored it before the first configuration (reading libtorch's
    /// default, one thread per core) left every later stage of the same process on the default count, whose reductions
    /// split differently: `boltz run all` gave other float32 bits than the same pipeline run alone or as a SLURM job.
    /// </summary>
    public static void EnsureConfigured()
    {
        lock (Gate)
        {
            if (!_configured)
            {
                NativeHeap.EnsureTuned();
                _configured = true;
            }
            int wanted = _pinned ?? Requested();
            if (torch.get_num_threads() != wanted) torch.set_num_threads(wanted);
        }
    }

    /// <summary>
    /// Holds libtorch at <paramref name="threads"/> until disposed (also through <see cref="EnsureConfigured"/> calls
    /// inside), then returns to the configured count once the last overlapping pin is disposed. Pins may overlap (stages
    /// on several threads, nested bodies) when they ask for the same count; a different count at the same time throws.
    /// </summary>
    public static IDisposable Pin(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        lock (Gate)
        {
            if (_pinned is int held && held != threads)
                throw new InvalidOperationException($"libtorch threads are pinned to {held}; cannot pin them to {threads} at the same time.");
            _pinned = threads;
            _pins++;
        }
        EnsureConfigured();
        return new Unpin();
    }

    private sealed class Unpin : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            lock (Gate)
            {
                if (--_pins == 0) _pinned = null;
            }
            EnsureConfigured();
        }
    }
}
