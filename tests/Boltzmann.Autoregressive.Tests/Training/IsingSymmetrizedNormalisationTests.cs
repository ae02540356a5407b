using Boltzmann.Autoregressive.Architectures;
using Boltzmann.Learning.Symmetry;
using Boltzmann.Physics.Lattice;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Tests.Training;

/// <summary>
/// The Z2-symmetrised density of the Ising NIS stages, q_sym(s) = (Q(s) + Q(−s))/2 (<see cref="Z2Symmetrized"/> over
/// an autoregressive network, Nicoli et al. PRE 2020; VAN), is normalised: Σ_s q_sym(s) = 1 by exact enumeration of
/// all 2^16 configurations of the 4 × 4 lattice, for MADE and PixelCNN with random (untrained) weights, as is Q itself.
/// </summary>
public sealed class IsingSymmetrizedNormalisationTests
{
    [Theory]
    [InlineData("MADE_21")]
    [InlineData("PixelCNN_2_4_1")]
    public void SymmetrisedDensitySumsToOneAtL4(string architecture)
    {
        torch.set_num_threads(1);
        const int l = 4, n = l * l;
        var ising = IsingLatticeCouplings.Square(l);
        using var model = AutoregressiveArchitecture.Parse(architecture).Create(ising, 0.6, CPU, new Generator(11, CPU));
        var sym = new Z2Symmetrized(model);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var states = new double[(1 << n) * n];
        for (int c = 0; c < 1 << n; c++)
            for (int i = 0; i < n; i++) states[c * n + i] = ((c >> i) & 1) == 1 ? 1.0 : -1.0;
        var x = tensor(states, [1 << n, n], ScalarType.Float64);
        double lnSumQ = model.LogProb(x).logsumexp(0).item<double>();
        double lnSumSym = sym.LogProb(x).logsumexp(0).item<double>();
        Assert.True(Math.Abs(lnSumQ) < 1e-10, $"{architecture}: ln Σ Q = {lnSumQ:E3}");
        Assert.True(Math.Abs(lnSumSym) < 1e-10, $"{architecture}: ln Σ q_sym = {lnSumSym:E3}");
        // q_sym is even and differs from Q for an untrained network (the check is not vacuous).
        var flipped = sym.LogProb(x.neg());
        Assert.True(flipped.sub(sym.LogProb(x)).abs().max().item<double>() < 1e-12);
        Assert.True(model.LogProb(x).sub(sym.LogProb(x)).abs().max().item<double>() > 1e-3);
    }
}
