namespace Boltzmann.Learning.Sampling;

/// <summary>
/// Options of <see cref="TensorHmc"/>: leapfrog step size ε, number of leapfrog steps per trajectory, and whether
/// positions are compact angles to be wrapped into (−π, π] after every position update (U(1) links).
/// </summary>
public sealed record TensorHmcOptions(double StepSize, int LeapfrogSteps, bool WrapCompact = false)
{
    public void Validate()
    {
        if (!(StepSize > 0) || double.IsInfinity(StepSize)) throw new ArgumentOutOfRangeException(nameof(StepSize), StepSize, "Step size must be finite and > 0.");
        if (LeapfrogSteps < 1) throw new ArgumentOutOfRangeException(nameof(LeapfrogSteps), LeapfrogSteps, "Need at least one leapfrog step.");
    }
}
