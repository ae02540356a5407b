using static TorchSharp.torch;

namespace Boltzmann.Flows.Numerics;

/// <summary>
/// Validates batched inputs of flows before any tensor arithmetic, so a wrong shape, dtype or device fails
/// with a message naming the caller and the expected layout instead of an opaque native error.
/// </summary>
public static class FlowInput
{
    /// <summary>Requires a [batch, <paramref name="dimension"/>] tensor of <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    public static void Require(Tensor? t, string what, string where, int dimension, ScalarType dtype, Device device)
        => Require(t, what, where, [dimension], dtype, device);

    /// <summary>Requires a [batch, ..<paramref name="eventShape"/>] tensor of <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    public static void Require(Tensor? t, string what, string where, long[] eventShape, ScalarType dtype, Device device)
    {
        if (t is null) throw new ArgumentNullException(what, $"{where}: {what} is null.");
        if (t.IsInvalid) throw new ObjectDisposedException(what, $"{where}: {what} has been disposed.");
        if (t.dim() != eventShape.Length + 1 || t.shape[0] < 1 || !t.shape.AsSpan(1).SequenceEqual(eventShape))
            throw new ArgumentException(
                $"{where}: {what} has shape [{string.Join(", ", t.shape)}]; expected [batch >= 1, {string.Join(", ", eventShape)}].", what);
        if (t.dtype != dtype)
            throw new ArgumentException(
                $"{where}: {what} has dtype {t.dtype}; this flow was built in {dtype} (convert with .to({dtype}) or build the flow in {t.dtype}).", what);
        if (t.device_type != device.type || (device.index >= 0 && t.device_index != device.index))
            throw new ArgumentException($"{where}: {what} is on {t.device}; this flow lives on {device}.", what);
    }

    /// <summary>Requires a positive batch size.</summary>
    public static void RequireBatch(long batch, string where)
    {
        if (batch < 1)
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"{where}: batch = {batch} is not allowed; must be >= 1.");
    }
}
