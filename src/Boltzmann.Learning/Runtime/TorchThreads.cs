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

    /// <summary>The requested count: the environment variable if it is a positive integer, else 1.</summary>
    public static int Requested()
    {
        var text = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(text)) return 1;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < 1 || n > 1024)
            throw new ArgumentException($"${EnvironmentVariable} = \"{text}\" is not allowed; must be an integer in 1..1024.");
        return n;
    }

    /// <summary>Applies <see cref="Requested"/> once per process (later calls are no-ops).</summary>
    public static void EnsureConfigured()
    {
        lock (Gate)
        {
            if (_configured) return;
            NativeHeap.EnsureTuned();
            torch.set_num_threads(Requested());
            _configured = true;
        }
    }
}
