using static TorchSharp.torch;

namespace Boltzmann.Learning.Sampling.L2hmc;

/// <summary>
/// The end of one learned trajectory ξ → ξ': positions and momenta [batch, C, L, T], the accumulated
/// ln|∂ξ'/∂ξ| per chain [batch], and ln|J| of every leapfrog layer [N_LF, batch] (in the order the layers ran), so
/// a non-finite value can be traced to its layer and chain. With a trace, <see cref="LayerPositions"/>,
/// <see cref="LayerMomenta"/> and <see cref="LayerLogJacobians"/> hold the state after each layer (index 0 = the
/// start). The caller owns the tensors.
/// </summary>
public sealed class L2hmcProposal : IDisposable
{
    internal L2hmcProposal(Tensor x, Tensor v, Tensor logJacobian, Tensor perLayer, IReadOnlyList<Tensor>? positions, IReadOnlyList<Tensor>? momenta, IReadOnlyList<Tensor>? cumulative)
    {
        X = x; V = v; LogJacobian = logJacobian; PerLayerLogJacobian = perLayer;
        LayerPositions = positions; LayerMomenta = momenta; LayerLogJacobians = cumulative;
    }

    public Tensor X { get; }
    public Tensor V { get; }
    public Tensor LogJacobian { get; }
    public Tensor PerLayerLogJacobian { get; }
    public IReadOnlyList<Tensor>? LayerPositions { get; }
    public IReadOnlyList<Tensor>? LayerMomenta { get; }

    /// <summary>Σ ln|J| accumulated up to each layer (index 0 = 0).</summary>
    public IReadOnlyList<Tensor>? LayerLogJacobians { get; }

    public void Dispose()
    {
        X.Dispose(); V.Dispose(); LogJacobian.Dispose(); PerLayerLogJacobian.Dispose();
        foreach (var list in new[] { LayerPositions, LayerMomenta, LayerLogJacobians })
            if (list is not null) foreach (var t in list) t.Dispose();
    }
}
