using static TorchSharp.torch;

namespace Boltzmann.Learning.Sampling;

/// <summary>
/// What one batched trajectory did: the energy violation ΔH = H(end) − H(start) per chain [chains] (of the
/// proposal, before accept/reject) and the accept mask [chains] (bool). The caller owns both tensors.
/// </summary>
public sealed class TensorHmcTrajectory(Tensor deltaH, Tensor accepted) : IDisposable
{
    public Tensor DeltaH { get; } = deltaH;
    public Tensor Accepted { get; } = accepted;

    public void Dispose()
    {
        DeltaH.Dispose(); Accepted.Dispose();
    }
}
