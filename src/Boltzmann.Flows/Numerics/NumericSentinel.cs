using Boltzmann.Learning.Numerics;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Numerics;

/// <summary>
/// NaN/∞ sentinels and log-det sanity checks for one pass through a flow. Each layer contributes a 0-d boolean
/// flag computed on the device; <see cref="ThrowIfFailed"/> synchronises once per pass (one host round trip,
/// not one per layer) and, only when a flag is false, locates the first failing layer and says what failed.
/// The log-det bound is analytic: an affine coupling with s = tanh(·) restricted to the active set A has
/// |ln|det|| ≤ |A| (Hartnett &amp; Mohseni 2020, Eq. 26 with |s_a| &lt; 1), so a violation means a corrupted mask or
/// conditioner, not a legitimate value. All tensors are owned by the caller's dispose scope.
/// </summary>
public sealed class NumericSentinel
{
    private readonly string _where;
    private readonly List<(string Label, int Layer, Tensor Flag, Tensor Output, Tensor? LogDet, Tensor? Bound)> _checks = [];

    public NumericSentinel(string where) => _where = where;

    /// <summary>Records that <paramref name="input"/> must be finite (checked with the layers, reported as bad input).</summary>
    public void Input(Tensor input, string what)
    {
        using var _ = no_grad();
        _checks.Add((what, -1, input.isfinite().all(), input, null, null));
    }

    /// <summary>Records the output and log-det of layer <paramref name="layer"/>, with |logdet| ≤ <paramref name="logDetBound"/> (a 0-d tensor; null = no bound).</summary>
    public void Layer(int layer, Tensor output, Tensor logDet, Tensor? logDetBound)
    {
        using var _ = no_grad();
        var ok = output.isfinite().all().logical_and(logDet.isfinite().all());
        if (logDetBound is not null) ok = ok.logical_and(logDet.abs().le(logDetBound.Times(1 + 1e-5).PlusConstant(1e-5)).all());
        _checks.Add(($"layer {layer}", layer, ok, output, logDet, logDetBound));
    }

    /// <summary>One synchronisation; throws <see cref="ArgumentException"/> for non-finite input, <see cref="FlowNumericsException"/> otherwise.</summary>
    public void ThrowIfFailed()
    {
        if (_checks.Count == 0) return;
        using var _ = no_grad();
        bool allOk = stack(_checks.Select(c => c.Flag).ToArray()).all().item<bool>();
        if (allOk) return;
        foreach (var c in _checks)
        {
            if (c.Flag.item<bool>()) continue;
            long bad = c.Output.isfinite().logical_not().sum().item<long>();
            if (c.Layer < 0)
                throw new ArgumentException(
                    $"{_where}: {c.Label} contains {bad} non-finite value(s) (NaN or ±inf) among {c.Output.numel()} entries.", c.Label);
            string detail;
            if (bad > 0)
                detail = $"produced {bad} non-finite output value(s) (NaN or ±inf) among {c.Output.numel()} entries";
            else if (c.LogDet!.isfinite().logical_not().any().item<bool>())
                detail = $"produced a non-finite log-determinant ({c.LogDet.isfinite().logical_not().sum().item<long>()} of {c.LogDet.numel()} samples)";
            else
                detail = $"produced |log det| = {c.LogDet.abs().max().item<double>():R}, above the analytic bound |A| = {c.Bound!.item<double>():R} " +
                         "(|s| < 1 from the tanh output of s): the mask or conditioner is corrupted";
            throw new FlowNumericsException($"{_where}: {c.Label} {detail}.") { Layer = c.Layer };
        }
    }
}
