using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Boltzmann.Learning.Sampling.L2hmc;

/// <summary>
/// One network of a leapfrog layer (Foreman, Jin and Osborn, arXiv:2105.03418, Fig. 1): input channels over the
/// L x T lattice → <c>hidden</c> 3 x 3 convolutions with periodic (circular) padding and SiLU → one 3 x 3 convolution
/// to 3·C output channels, split into the scale s, the force/velocity scale q and the translation t (C channels each,
/// one per link direction). s = e^{c_s} tanh(·) and q = e^{c_q} tanh(·) with learnable c_s = c_q = 0 at
/// initialisation; t is linear. Periodic padding keeps the nets translation-equivariant on the torus. With every
/// weight zero the outputs are exactly zero.
/// </summary>
public sealed class L2hmcNetwork : Module<Tensor, (Tensor S, Tensor Q, Tensor T)>
{
    private readonly ModuleList<Conv2d> hidden = new();
    private readonly Conv2d output;
    private readonly Parameter scaleS;
    private readonly Parameter scaleQ;
    private readonly long _channels;

    public L2hmcNetwork(string name, long inputChannels, long outputChannels, int width, int hiddenLayers) : base(name)
    {
        _channels = outputChannels;
        long c = inputChannels;
        for (int i = 0; i < hiddenLayers; i++)
        {
            hidden.Add(Conv2d(c, width, 3, padding: 1, padding_mode: PaddingModes.Circular));
            c = width;
        }
        output = Conv2d(c, 3 * outputChannels, 3, padding: 1, padding_mode: PaddingModes.Circular);
        scaleS = new Parameter(zeros(1));
        scaleQ = new Parameter(zeros(1));
        RegisterComponents();
    }

    public override (Tensor S, Tensor Q, Tensor T) forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = input;
        foreach (var conv in hidden) h = functional.silu(conv.forward(h));
        var o = output.forward(h);
        var parts = o.split(_channels, 1);
        var s = parts[0].tanh().mul(scaleS.exp());
        var q = parts[1].tanh().mul(scaleQ.exp());
        var t = parts[2];
        return (s.MoveToOuterDisposeScope(), q.MoveToOuterDisposeScope(), t.MoveToOuterDisposeScope());
    }

    /// <summary>Sets every weight and bias to zero (s = q = t = 0: the layer reduces to a plain leapfrog step).</summary>
    public void ZeroWeights()
    {
        using var noGrad = no_grad();
        foreach (var conv in hidden) { conv.weight!.zero_(); conv.bias?.zero_(); }
        output.weight!.zero_(); output.bias?.zero_();
    }
}
