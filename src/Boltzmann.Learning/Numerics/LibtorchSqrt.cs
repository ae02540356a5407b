using System.Reflection;
using System.Runtime.InteropServices;

namespace Boltzmann.Learning.Numerics;

/// <summary>
/// The element-wise square root libtorch's CPU <c>sqrt</c> kernel computes for float32 and float64: MKL's vector math
/// <c>vmsSqrt</c>/<c>vmdSqrt</c> in high-accuracy mode (ATen's vml.h: <c>VML_HA | VML_FTZDAZ_OFF | VML_ERRMODE_IGNORE</c>),
/// which is not always correctly rounded, so a C# <c>Math.Sqrt</c> would differ from torch in the last bit. Bound from the
/// libtorch_cpu library TorchSharp loads (which exports MKL); <see cref="IsAvailable"/> is false where it does not (then
/// callers use torch's own <c>sqrt_</c> on a tensor). Element-wise, so any chunking of the input gives the same values.
/// </summary>
public static class LibtorchSqrt
{
    private const long Mode = 0x2 | 0x0014_0000 | 0x100; // VML_HA | VML_FTZDAZ_OFF | VML_ERRMODE_IGNORE

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SingleSqrt(int n, ref float a, ref float r, long mode);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void DoubleSqrt(int n, ref double a, ref double r, long mode);

    private static readonly SingleSqrt? Single;
    private static readonly DoubleSqrt? Double;

    static LibtorchSqrt()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("BOLTZMANN_NO_MKL_SQRT") == "1") return;
        _ = TorchSharp.torch.get_num_threads(); // make sure TorchSharp has loaded its native libraries
        if (!TryLoad(out var library)) return;
        if (NativeLibrary.TryGetExport(library, "vmsSqrt", out var s)) Single = Marshal.GetDelegateForFunctionPointer<SingleSqrt>(s);
        if (NativeLibrary.TryGetExport(library, "vmdSqrt", out var d)) Double = Marshal.GetDelegateForFunctionPointer<DoubleSqrt>(d);
    }

    /// <summary>Whether the square root of element type <typeparamref name="T"/> is bound.</summary>
    public static bool IsAvailable<T>() => typeof(T) == typeof(float) ? Single is not null : typeof(T) == typeof(double) && Double is not null;

    /// <summary>values[i] ← √values[i] in place, as libtorch's sqrt (check <see cref="IsAvailable{T}"/> first).</summary>
    public static void InPlace<T>(Span<T> values) where T : unmanaged
    {
        if (values.IsEmpty) return;
        if (typeof(T) == typeof(float))
        {
            var v = MemoryMarshal.Cast<T, float>(values);
            (Single ?? throw new InvalidOperationException("LibtorchSqrt: vmsSqrt is not available."))(v.Length, ref v[0], ref v[0], Mode);
        }
        else if (typeof(T) == typeof(double))
        {
            var v = MemoryMarshal.Cast<T, double>(values);
            (Double ?? throw new InvalidOperationException("LibtorchSqrt: vmdSqrt is not available."))(v.Length, ref v[0], ref v[0], Mode);
        }
        else throw new NotSupportedException($"LibtorchSqrt: element type {typeof(T).Name} is not supported.");
    }

    private static bool TryLoad(out IntPtr library)
    {
        var torchAssembly = typeof(TorchSharp.torch).Assembly;
        foreach (var name in new[] { "libtorch_cpu.so", "torch_cpu" })
            if (NativeLibrary.TryLoad(name, torchAssembly, DllImportSearchPath.AssemblyDirectory | DllImportSearchPath.ApplicationDirectory, out library))
                return true;
        foreach (var dir in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(torchAssembly.Location) ?? "" })
            foreach (var path in new[] { Path.Combine(dir, "libtorch_cpu.so"), Path.Combine(dir, "runtimes", "linux-x64", "native", "libtorch_cpu.so") })
                if (File.Exists(path) && NativeLibrary.TryLoad(path, out library)) return true;
        library = IntPtr.Zero;
        return false;
    }
}
