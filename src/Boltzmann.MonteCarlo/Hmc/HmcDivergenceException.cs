namespace Boltzmann.MonteCarlo.Hmc;

/// <summary>A chain produced a non-finite energy: names the chain, the trajectory and the offending value.</summary>
public sealed class HmcDivergenceException(long chain, long trajectory, string quantity, double value)
    : Exception($"HMC chain {chain} diverged at trajectory {trajectory}: {quantity} = {value:R} is not finite.")
{
    public long Chain { get; } = chain;
    public long Trajectory { get; } = trajectory;
    public string Quantity { get; } = quantity;
    public double Value { get; } = value;
}
