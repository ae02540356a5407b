using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace Boltzmann.Benchmarks.Cost;

/// <summary>
/// This machine's peak rates on one thread, measured (not taken from a data sheet), that turn a <see cref="StepCost"/>
/// into a lower bound on a step's time (<see cref="CostLimit"/>): dense float32 and float64 GEMM through libtorch's
/// <c>mm</c> (512 x 512 x 512, the BLAS's best case on one core), vectorised transcendental evaluations (libtorch's
/// float32 <c>exp</c> over an L2-resident block; SLEEF-vectorised), and element-wise arithmetic (a fused multiply-add
/// pass of the widest hardware vectors, 512-bit where accelerated, over L2-resident float32 arrays, the rate of a memory-light vector loop),
/// and the fused C# kernels' own vector log-sigmoid (<see cref="Boltzmann.Autoregressive.Models.FusedLogSigmoidRate"/>, L1-resident,
/// float32 polynomials and float64 runtime exp/log), the rate that bounds work done inside those kernels.
/// </summary>
/// <param name="GemmFlopsFloat32">float32 GEMM FLOP/s (2 per multiply-add).</param>
/// <param name="GemmFlopsFloat64">float64 GEMM FLOP/s.</param>
/// <param name="TranscendentalsPerSecond">float32 exp evaluations per second.</param>
/// <param name="ElementwisePerSecond">float32 element-wise operations per second (one fused multiply-add counted as one), L1-resident.</param>
/// <param name="L2BytesPerSecond">Read bandwidth of a 256 KB (L2-resident) block: what a loop streaming from L2 cannot beat.</param>
/// <param name="FusedLogSigmoidsPerSecond">float32 log-sigmoids per second of the fused kernels' vector code.</param>
/// <param name="FusedLogSigmoidsPerSecondFloat64">float64 log-sigmoids per second of the same code.</param>
public sealed record MachinePeaks(double GemmFlopsFloat32, double GemmFlopsFloat64, double TranscendentalsPerSecond, double ElementwisePerSecond,
                                  double L2BytesPerSecond = double.PositiveInfinity, double FusedLogSigmoidsPerSecond = double.PositiveInfinity,
                                  double FusedLogSigmoidsPerSecondFloat64 = double.PositiveInfinity)
{
    /// <summary>Measures the four rates with libtorch on one thread (restoring the thread count); ~<paramref name="seconds"/> of CPU time each, best of 3 windows, per CPU second.</summary>
    public static MachinePeaks Measure(double seconds = 0.3)
    {
        Boltzmann.Learning.Runtime.NativeHeap.EnsureTuned();
        int threads = get_num_threads();
        set_num_threads(1);
        try
        {
            using var _ = no_grad();
            return new MachinePeaks(Gemm(ScalarType.Float32, seconds), Gemm(ScalarType.Float64, seconds), Exp(seconds), Elementwise(seconds), L2Bandwidth(seconds),
                                    FusedLogSigmoids<float>(seconds), FusedLogSigmoids<double>(seconds));
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    public override string ToString() => FormattableString.Invariant(
        $"machine peaks (1 thread): GEMM {GemmFlopsFloat32 / 1e9:F0} GFLOP/s float32, {GemmFlopsFloat64 / 1e9:F0} GFLOP/s float64; exp {TranscendentalsPerSecond / 1e9:F2} G/s float32; element-wise {ElementwisePerSecond / 1e9:F1} G ops/s float32 (L1-resident); L2 read {L2BytesPerSecond / 1e9:F0} GB/s; fused-kernel log-sigmoid {FusedLogSigmoidsPerSecond / 1e9:F2} G/s float32, {FusedLogSigmoidsPerSecondFloat64 / 1e9:F2} G/s float64");

    private static double Best(Func<long> work, double seconds) =>
        Enumerable.Range(0, 3).Select(_ => Rate(work, seconds / 3)).Max();

    /// <summary>Units per second of process CPU time (the work runs on one thread), so a loaded machine does not lower the peaks.</summary>
    private static double Rate(Func<long> work, double seconds)
    {
        work();
        using var process = Process.GetCurrentProcess();
        long done = 0;
        var cpu0 = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        double cpu;
        do
        {
            // Reading the process CPU time costs tens of microseconds: only every ~20 ms of work.
            var batch = Stopwatch.StartNew();
            while (batch.ElapsedMilliseconds < 20) done += work();
            process.Refresh();
            cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
        }
        while (cpu < seconds && clock.Elapsed.TotalSeconds < 20 * seconds);
        return done / cpu;
    }

    private static double Gemm(ScalarType dtype, double seconds)
    {
        const int n = 512;
        using var generator = new Generator(1);
        using var a = randn([n, n], dtype: dtype, generator: generator);
        using var b = randn([n, n], dtype: dtype, generator: generator);
        return Best(() => { using var c = a.mm(b); return 2L * n * n * n; }, seconds);
    }

    private static double Exp(double seconds)
    {
        const int n = 1 << 15;
        using var generator = new Generator(2);
        using var a = randn([n], generator: generator);
        return Best(() => { using var b = a.exp(); return n; }, seconds);
    }

    private static double FusedLogSigmoids<T>(double seconds) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        const int n = 1 << 11; // 8-16 KB: in L1, so the rate is the arithmetic's
        var z = new T[n];
        for (int i = 0; i < n; i++) z[i] = T.CreateTruncating(8.0 * i / n - 4.0); // |z| <= 4, the range the SK layers see
        T sink = T.Zero;
        double rate = Best(() =>
        {
            for (int r = 0; r < 16; r++)
                sink += typeof(T) == typeof(float)
                    ? T.CreateTruncating(Boltzmann.Autoregressive.Models.FusedLogSigmoidRate.Sum(MemoryMarshal.Cast<T, float>(z)))
                    : T.CreateTruncating(Boltzmann.Autoregressive.Models.FusedLogSigmoidRate.Sum(MemoryMarshal.Cast<T, double>(z)));
            return 16L * n;
        }, seconds);
        GC.KeepAlive(sink);
        return rate;
    }

    private static double Elementwise(double seconds)
    {
        const int n = 1 << 10; // 3 x 4 KB: in L1, so the rate is the vector units', not the caches'
        var x = new float[n];
        var y = new float[n];
        var z = new float[n];
        for (int i = 0; i < n; i++) { x[i] = i * 1e-4f; y[i] = 0.999f; z[i] = 1e-3f; }
        return Best(() => { for (int r = 0; r < 256; r++) FmaPass(x, y, z); return 256L * n; }, seconds);
    }

    private static double L2Bandwidth(double seconds)
    {
        const int n = 1 << 16; // 256 KB of float32
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = i;
        float sink = 0;
        double rate = Best(() => { sink += Sum(x); return 4L * n; }, seconds);
        GC.KeepAlive(sink);
        return rate;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static float Sum(float[] x)
    {
        ref float r = ref MemoryMarshal.GetArrayDataReference(x);
        Vector<float> a = default, b = default, c = default, d = default;
        int w = Vector<float>.Count, i = 0;
        for (; i <= x.Length - 4 * w; i += 4 * w)
        {
            a += Vector.LoadUnsafe(ref r, (nuint)i);
            b += Vector.LoadUnsafe(ref r, (nuint)(i + w));
            c += Vector.LoadUnsafe(ref r, (nuint)(i + 2 * w));
            d += Vector.LoadUnsafe(ref r, (nuint)(i + 3 * w));
        }
        return Vector.Sum(a + b + c + d);
    }

    /// <summary>z ← x·y + z with the widest hardware vectors (512-bit where accelerated).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void FmaPass(float[] x, float[] y, float[] z)
    {
        ref float rx = ref MemoryMarshal.GetArrayDataReference(x);
        ref float ry = ref MemoryMarshal.GetArrayDataReference(y);
        ref float rz = ref MemoryMarshal.GetArrayDataReference(z);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count)
                Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref rx, (nuint)i), Vector512.LoadUnsafe(ref ry, (nuint)i), Vector512.LoadUnsafe(ref rz, (nuint)i)).StoreUnsafe(ref rz, (nuint)i);
        }
        else
        {
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref rx, (nuint)i), Vector.LoadUnsafe(ref ry, (nuint)i), Vector.LoadUnsafe(ref rz, (nuint)i)).StoreUnsafe(ref rz, (nuint)i);
        }
        for (; i < x.Length; i++) z[i] = MathF.FusedMultiplyAdd(x[i], y[i], z[i]);
    }
}
