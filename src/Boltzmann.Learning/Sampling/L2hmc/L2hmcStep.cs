using static TorchSharp.torch;

namespace Boltzmann.Learning.Sampling.L2hmc;

/// <summary>
/// What one Metropolis–Hastings step of deep-learning HMC did per chain: ln A(ξ'|ξ) = min(0, H(ξ) − H(ξ') + ln|J|)
/// (eq. 7), the accept mask (bool), the directions (true = forward, d = +) and the proposal's ΔH = H(ξ') − H(ξ) and
/// ln|J|. The caller owns the tensors.
/// </summary>
public sealed class L2hmcStep(Tensor logAcceptance, Tensor accepted, Tensor forward, Tensor deltaH, Tensor logJacobian) : IDisposable
{
    public Tensor LogAcceptance { get; } = logAcceptance;
    public Tensor Accepted { get; } = accepted;
    public Tensor Forward { get; } = forward;
    public Tensor DeltaH { get; } = deltaH;
    public Tensor LogJacobian { get; } = logJacobian;

    public void Dispose()
    {
        LogAcceptance.Dispose(); Accepted.Dispose(); Forward.Dispose(); DeltaH.Dispose(); LogJacobian.Dispose();
    }
}
