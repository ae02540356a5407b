using System.Numerics;
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

    /// <summary>Elements per piece when zeros are set aside (<see cref="InPlace{T}"/>): a stack copy of one piece stays in L1.</summary>
    private const int ZeroPiece = 1024;

    /// <summary>
    /// values[i] ← √values[i] in place, as libtorch's sqrt (check <see cref="IsAvailable{T}"/> first). MKL's high-accuracy
    /// routine sends exact zeros down a per-element slow path (measured on this machine: 2.1 M float32 with a quarter zeros,
    /// 18.8 ms instead of 1.3 ms), and Adam's second moments are exactly zero for every weight that never had a gradient
    /// (masked or unused weights). So pieces holding zeros run with each zero replaced by 1 and the zero put back after
    /// (√±0 = ±0 exactly, IEEE 754 §5.4.1): the same values bit for bit, at the fast path's cost.
    /// </summary>
    public static void InPlace<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (values.IsEmpty) return;
        if (!ContainsZero<T>(values))
        {
            Raw(values);
            return;
        }
        Span<T> original = stackalloc T[ZeroPiece];
        for (int start = 0; start < values.Length; start += ZeroPiece)
        {
            var piece = values.Slice(start, Math.Min(ZeroPiece, values.Length - start));
            if (!ContainsZero<T>(piece))
            {
                Raw(piece);
                continue;
            }
            var kept = original[..piece.Length];
            piece.CopyTo(kept);
            ReplaceZeros(piece, T.One);
            Raw(piece);
            RestoreZeros(piece, kept);
        }
    }

    private static bool ContainsZero<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = values.Length, i = 0, w = Vector<T>.Count;
        ref T r = ref MemoryMarshal.GetReference(values);
        for (; i <= n - w; i += w)
            if (Vector.EqualsAny(Vector.LoadUnsafe(ref r, (nuint)i), Vector<T>.Zero)) return true;
        for (; i < n; i++)
            if (values[i] == T.Zero) return true;
        return false;
    }

    private static void ReplaceZeros<T>(Span<T> values, T replacement) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = values.Length, i = 0, w = Vector<T>.Count;
        var with = new Vector<T>(replacement);
        ref T r = ref MemoryMarshal.GetReference(values);
        for (; i <= n - w; i += w)
        {
            var v = Vector.LoadUnsafe(ref r, (nuint)i);
            Vector.ConditionalSelect(Vector.Equals(v, Vector<T>.Zero), with, v).StoreUnsafe(ref r, (nuint)i);
        }
        for (; i < n; i++)
            if (values[i] == T.Zero) values[i] = replacement;
    }

    /// <summary>roots[i] ← original[i] wherever original[i] is ±0 (its square root, sign included).</summary>
    private static void RestoreZeros<T>(Span<T> roots, ReadOnlySpan<T> original) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = roots.Length, i = 0, w = Vector<T>.Count;
        ref T r = ref MemoryMarshal.GetReference(roots);
        ref T o = ref MemoryMarshal.GetReference(original);
        for (; i <= n - w; i += w)
        {
            var v = Vector.LoadUnsafe(ref o, (nuint)i);
            Vector.ConditionalSelect(Vector.Equals(v, Vector<T>.Zero), v, Vector.LoadUnsafe(ref r, (nuint)i)).StoreUnsafe(ref r, (nuint)i);
        }
        for (; i < n; i++)
            if (original[i] == T.Zero) roots[i] = original[i];
    }

    /// <summary>One MKL call on <paramref name="values"/>.</summary>
    private static void Raw<T>(Span<T> values) where T : unmanaged
    {
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
