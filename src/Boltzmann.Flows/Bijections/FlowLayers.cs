using static TorchSharp.torch;

namespace Boltzmann.Flows.Bijections;

/// <summary>
/// Every intermediate variable z^(ℓ) = G^(ℓ)(z^(0)), ℓ = 0..L, of one batch of draws, with the log density of
/// each layer's distribution at those points (Hartnett &amp; Mohseni 2020, Eqs. 11-13). <see cref="States"/>[0] is
/// the prior draw and <see cref="States"/>[L] the flow output x. Owns its tensors: dispose it (or create it
/// inside a dispose scope).
/// </summary>
public sealed class FlowLayers : IDisposable
{
    public FlowLayers(IReadOnlyList<Tensor> states, IReadOnlyList<Tensor> logDensities)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(logDensities);
        if (states.Count == 0 || states.Count != logDensities.Count)
            throw new ArgumentException(
                $"FlowLayers needs one log density per state and at least the prior layer; got {states.Count} states and {logDensities.Count} log densities.");
        States = states;
        LogDensities = logDensities;
    }

    /// <summary>z^(ℓ) for ℓ = 0..L, each [batch, ..event].</summary>
    public IReadOnlyList<Tensor> States { get; }

    /// <summary>ln p(z^(ℓ)) for ℓ = 0..L, each [batch]; equals −H_{G^(ℓ)}(z^(ℓ)) − (N/2) ln 2π (Eqs. 13-14).</summary>
    public IReadOnlyList<Tensor> LogDensities { get; }

    /// <summary>Number of layers L (one less than the number of states).</summary>
    public int LayerCount => States.Count - 1;

    public void Dispose()
    {
        foreach (var t in States) t.Dispose();
        foreach (var t in LogDensities) t.Dispose();
    }
}
