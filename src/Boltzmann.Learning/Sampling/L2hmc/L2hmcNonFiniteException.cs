namespace Boltzmann.Learning.Sampling.L2hmc;

/// <summary>A learned trajectory produced a non-finite log-Jacobian or action: names the layer, the step and the chain.</summary>
public sealed class L2hmcNonFiniteException(string quantity, int layer, long step, long chain, double value)
    : Exception($"L2HMC: non-finite {quantity} {value} at leapfrog layer {layer}, step {step}, chain {chain}.")
{
    public string Quantity { get; } = quantity;
    public int Layer { get; } = layer;
    public long Step { get; } = step;
    public long Chain { get; } = chain;
    public double Value { get; } = value;
}
