using Boltzmann.Flows.Bijections;
using Boltzmann.Flows.Priors;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Lattice;

/// <summary>
/// Builds the lattice flow x = G(z), z ~ N(0, 1) per site: a <see cref="NormalizingFlow"/> of
/// <see cref="LatticeFlowOptions.Couplings"/> checkerboard affine couplings of alternating parity
/// (<see cref="CheckerboardAffineCoupling"/>; Albergo, Kanwar &amp; Shanahan 2019). The prior is translation- and
/// sign-invariant, so the flow density is invariant under checkerboard-preserving translations, and under φ → −φ
/// when the couplings are Z2-equivariant. With <see cref="LatticeFlowOptions.MomentumScaling"/> a learned
/// translation-invariant Gaussian layer (<see cref="MomentumScaling"/>) acts on z first, and with
/// <see cref="LatticeFlowOptions.ZeroMode"/> an odd map of the zero mode (<see cref="ZeroModeMap"/>) follows. Weights are drawn from a CPU generator seeded by the options.
/// </summary>
public static class LatticeFlow
{
    public static NormalizingFlow Create(LatticeFlowOptions options, string name = "lattice-flow")
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems();
        if (problems.Count > 0) throw new ArgumentException($"{name}: {string.Join("; ", problems)}.", nameof(options));
        var device = options.Device ?? CPU;
        using var generator = new Generator(options.Seed, CPU);
        var layers = new List<(string, IBijection)>(options.Couplings + 1);
        if (options.MomentumScaling) layers.Add(("momentum", new MomentumScaling("momentum", options.EventShape, options.Dtype, device)));
        if (options.ZeroMode) layers.Add(("zero_mode", new ZeroModeMap("zero_mode", options.EventShape, options.Dtype, device)));
        for (int k = 0; k < options.Couplings; k++)
        {
            var coupling = new CheckerboardAffineCoupling($"coupling{k}", options.EventShape, k % 2, options.Z2Equivariant,
                options.HiddenLayers, options.Channels, options.Kernel, options.OutputScale, options.Dtype, device);
            coupling.Initialize(generator);
            layers.Add(($"coupling{k}", coupling));
        }
        return new NormalizingFlow(name, new StandardNormalPrior(options.EventShape, options.Dtype, device), layers);
    }
}
