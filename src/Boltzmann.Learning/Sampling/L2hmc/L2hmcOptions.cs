namespace Boltzmann.Learning.Sampling.L2hmc;

/// <summary>
/// Architecture of the deep-learning HMC sampler (Foreman, Jin and Osborn, "Deep learning Hamiltonian Monte Carlo",
/// arXiv:2105.03418): <see cref="LeapfrogLayers"/> distinct leapfrog layers (N_LF), each with its own networks and its
/// own step sizes ε_v^k, ε_x^k (initialised to <see cref="StepSize"/>); every network is a stack of
/// <see cref="HiddenLayers"/> 3 x 3 periodic convolutions of <see cref="Width"/> channels.
/// </summary>
public sealed record L2hmcOptions(int LeapfrogLayers, double StepSize, int Width = 8, int HiddenLayers = 2)
{
    public void Validate()
    {
        if (LeapfrogLayers < 1) throw new ArgumentOutOfRangeException(nameof(LeapfrogLayers), LeapfrogLayers, "Need at least one leapfrog layer (N_LF >= 1).");
        if (!(StepSize > 0) || double.IsInfinity(StepSize)) throw new ArgumentOutOfRangeException(nameof(StepSize), StepSize, "Step size must be finite and > 0.");
        if (Width < 1) throw new ArgumentOutOfRangeException(nameof(Width), Width, "Network width must be >= 1.");
        if (HiddenLayers < 1) throw new ArgumentOutOfRangeException(nameof(HiddenLayers), HiddenLayers, "Need at least one hidden convolution.");
    }
}
