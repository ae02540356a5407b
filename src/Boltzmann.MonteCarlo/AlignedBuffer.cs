using System.Runtime.CompilerServices;

namespace Boltzmann.MonteCarlo;

/// <summary>
/// A zero-initialised array on the pinned object heap whose usable part starts on a 64-byte boundary,
/// so SIMD loads never straddle cache lines. Pinned-heap objects never move, so the pointer stays valid
/// as long as this object is referenced; no native memory to free.
/// </summary>
internal sealed unsafe class AlignedBuffer<T> where T : unmanaged
{
    private const int Alignment = 64;
    private readonly T[] _array;
    private readonly int _offset;

    public AlignedBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        int slack = Alignment / sizeof(T);
        _array = GC.AllocateArray<T>(length + slack, pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref _array[0]);
        _offset = (int)((Alignment - address % Alignment) % Alignment) / sizeof(T);
        Length = length;
        Pointer = (T*)address + _offset;
    }

    public int Length { get; }

    public T* Pointer { get; }

    public Span<T> Span => _array.AsSpan(_offset, Length);

    public Span<T> Slice(int start, int length) => _array.AsSpan(_offset + start, length);
}
