using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Numerics;

/// <summary>
/// Zero-copy views of a CPU tensor's elements, for fused kernels written in C# (one pass over several tensors where
/// libtorch would run one kernel per operation, e.g. <see cref="Training.Optimizers.AdamOptimizer"/>). TorchSharp 0.107
/// has no public data pointer (its <c>TensorAccessor</c> copies), so the pointer comes from its own native entry point
/// <c>THSTensor_data</c>, bound once by reflection. A view is valid only while the tensor is alive and not resized;
/// callers use it within one call, never store it.
/// </summary>
public static class TensorMemory
{
    private static readonly Func<IntPtr, IntPtr>? DataPointer = Bind();

    /// <summary>Whether <paramref name="t"/>'s elements can be viewed: bound entry point, CPU, contiguous, of element type <typeparamref name="T"/>.</summary>
    public static bool CanView<T>(Tensor t) where T : unmanaged =>
        DataPointer is not null && t.device_type == TorchSharp.DeviceType.CPU && t.is_contiguous() && t.dtype == ScalarTypeOf<T>() && t.numel() <= int.MaxValue;

    /// <summary>The elements of <paramref name="t"/> (check <see cref="CanView{T}"/> first).</summary>
    public static Span<T> View<T>(Tensor t) where T : unmanaged
    {
        if (!CanView<T>(t)) throw new ArgumentException($"TensorMemory.View: the tensor ({t.dtype}, {t.device_type}, contiguous = {t.is_contiguous()}) cannot be viewed as {typeof(T).Name}.", nameof(t));
        int length = (int)t.numel();
        if (length == 0) return [];
        IntPtr pointer = DataPointer!(t.Handle);
        // No unsafe context needed: a managed reference at the native address, then a span over it.
        ref T first = ref Unsafe.AddByteOffset(ref Unsafe.NullRef<T>(), pointer);
        return MemoryMarshal.CreateSpan(ref first, length);
    }

    private static ScalarType ScalarTypeOf<T>() =>
        typeof(T) == typeof(float) ? ScalarType.Float32 :
        typeof(T) == typeof(double) ? ScalarType.Float64 :
        throw new NotSupportedException($"TensorMemory: element type {typeof(T).Name} is not supported (float or double).");

    private static Func<IntPtr, IntPtr>? Bind()
    {
        var method = typeof(TorchSharp.torch).Assembly.GetType("TorchSharp.PInvoke.NativeMethods")
            ?.GetMethod("THSTensor_data", BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static, [typeof(IntPtr)]);
        return method is null || method.ReturnType != typeof(IntPtr) ? null : method.CreateDelegate<Func<IntPtr, IntPtr>>();
    }
}
