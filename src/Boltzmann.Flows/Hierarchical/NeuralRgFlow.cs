using Boltzmann.Flows.Bijections;
using Boltzmann.Flows.Priors;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Hierarchical;

/// <summary>
/// Builds the NeuralRG normalizing flow of Li &amp; Wang 2018 (arXiv:1802.02840) over L x L fields with a standard
/// normal prior. The inverse direction x → z is the renormalization group: at scale k = 0, 1, … (dilation d = 2^k) a
/// disentangler layer (blocks offset by d) then a decimator layer (blocks at the origin of the sublattice); each
/// decimator keeps the (0, 0) output of its block as the variable of the next, coarser scale and leaves the other
/// three as latent variables in place, so z is again an L x L field. Generation x = G(z) runs the layers in reverse.
/// With S scales the MERA is translation invariant under shifts by 2^S (by L for the full depth log2 L).
/// The TEBD-like reference (Fig. 2a) has the same 2S layers (so the same parameter count) all at d = 1 with
/// alternating offsets 1, 0, 1, 0, … in the x → z direction: invariant under shifts by 2, but its light cone grows
/// only linearly with depth.
/// </summary>
public static class NeuralRgFlow
{
    /// <summary>A NormalizingFlow named <paramref name="name"/> for <paramref name="options"/>, initialised from its seed.</summary>
    public static NormalizingFlow Create(NeuralRgOptions options, string name = "neuralrg")
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems();
        if (problems.Count > 0) throw new ArgumentException($"NeuralRgFlow: {string.Join(" ", problems)}", nameof(options));
        int l = options.L, scales = options.Scales;
        // (dilation, offset) in the x -> z (renormalization) order.
        var rg = new List<(int Dilation, int Offset, string Name)>();
        for (int k = 0; k < scales; k++)
        {
            int d = options.Architecture == NeuralRgArchitecture.Mera ? 1 << k : 1;
            rg.Add((d, d, $"disentangler{k}"));
            rg.Add((d, 0, options.Architecture == NeuralRgArchitecture.Mera ? $"decimator{k}" : $"layer{k}b"));
        }
        using var generator = new Generator(options.Seed, CPU);
        var layers = new List<(string, IBijection)>();
        var device = CPU;
        foreach (var (d, o, layerName) in Enumerable.Reverse(rg))
        {
            var block = new BlockRealNvp("block", options.Couplings, options.HiddenLayers, options.HiddenWidth, options.Dtype, device);
            layers.Add((layerName, new BlockLayer(layerName, l, d, o, block)));
        }
        // Initialise in the renormalization order (finest scale first), so a seed means the same weights at every depth.
        for (int k = layers.Count - 1; k >= 0; k--)
            ((BlockLayer)layers[k].Item2).Block.Initialize(generator, options.InitialScale, options.ZeroShift);
        return new NormalizingFlow(name, new StandardNormalPrior([l, l], options.Dtype), layers);
    }
}
