using System.Runtime.InteropServices;

namespace Boltzmann.Learning.Runtime;

/// <summary>
/// Keeps libtorch's freed tensor buffers in the process heap instead of returning them to the kernel on every free.
/// glibc's malloc serves blocks above M_MMAP_THRESHOLD (128 KB by default; its dynamic raise does not happen in a .NET
/// process) with a fresh mmap and unmaps them on free, and trims the heap top above M_TRIM_THRESHOLD (128 KB), so every
/// out-of-place tensor op on more than 32k float32 values paid page faults on a new mapping. Measured on this machine
/// (one thread, [1000, 256] float32): relu 0.53 → 0.07 ms, exp 1.0 → 0.25 ms, RealNVP sampling of 1000 95 → 74 ms —
/// the rates Python's PyTorch gets from the same allocator. Here: mmap only above 32 MB (glibc's maximum), trim only
/// above 256 MB, so a training loop's buffers are recycled from the heap. Linux/glibc only; elsewhere a no-op.
/// Values and results are unaffected (allocation only).
/// </summary>
public static class NativeHeap
{
    private const int MTrimThreshold = -1, MMmapThreshold = -3;
    private const int MmapThresholdBytes = 32 << 20;
    private const int TrimThresholdBytes = 256 << 20;
    private static readonly object Gate = new();
    private static bool _tuned;

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallOpt(int parameter, int value);

    /// <summary>Applies the thresholds once per process (later calls are no-ops); false where it does not apply.</summary>
    public static bool EnsureTuned()
    {
        lock (Gate)
        {
            if (_tuned) return true;
            if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("BOLTZMANN_NO_HEAP_TUNING") == "1") return false;
            try
            {
                _tuned = MallOpt(MMmapThreshold, MmapThresholdBytes) == 1 & MallOpt(MTrimThreshold, TrimThresholdBytes) == 1;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                _tuned = false; // not glibc (e.g. musl): leave the allocator alone
            }
            return _tuned;
        }
    }
}
