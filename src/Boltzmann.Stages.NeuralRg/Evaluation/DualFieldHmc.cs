using Boltzmann.Flows.Bijections;
using Boltzmann.Flows.Training;
using Boltzmann.Learning.Sampling;
using Boltzmann.Learning.Targets;
using Boltzmann.Targets.Relaxation;
using static TorchSharp.torch;

namespace Boltzmann.Stages.NeuralRg.Evaluation;

/// <summary>
/// Hybrid Monte Carlo on the dual Ising field in the two spaces compared by Li &amp; Wang 2018 (Fig. 3b and
/// supplement Algorithm 2): in the latent space of a flow, on the effective density ln p_z(z) = ln pi(G(z)) + ln|det ∂G/∂z|
/// (<see cref="LatentSpaceTarget"/>, eq. 6), and directly on pi(x) (eq. 7), both with the shared batched
/// <see cref="TensorHmc"/> (same step size, leapfrog count and so the same number of force evaluations per
/// trajectory). After each trajectory the improved observables of x (= G(z) in the latent run) are recorded.
/// </summary>
public static class DualFieldHmc
{
    /// <summary>
    /// Runs <paramref name="trajectories"/> trajectories from <paramref name="positions"/> [chains, L, L] (replaced by
    /// the final positions) on <paramref name="flow"/>'s latent space (or on x when <paramref name="flow"/> is null);
    /// <paramref name="onPhysical"/> sees the physical configurations after each trajectory (valid during the call only).
    /// </summary>
    public static HmcSeries Run(IsingDualFieldTarget physical, IBijection? flow, ref Tensor positions, TensorHmcOptions options,
                                int trajectories, ulong seed, Action<int, Tensor>? onPhysical = null,
                                CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(physical);
        ITarget target = flow is null ? physical : new LatentSpaceTarget(flow, physical);
        int chains = (int)positions.shape[0];
        var m2 = new double[chains][];
        var energy = new double[chains][];
        for (int c = 0; c < chains; c++) { m2[c] = new double[trajectories]; energy[c] = new double[trajectories]; }
        using var hmc = new TensorHmc(target, options);
        using var state = hmc.Initialise(positions, seed);
        for (int t = 0; t < trajectories; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using (hmc.Step(state)) { }
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var x = flow is null ? state.Positions : flow.Forward(state.Positions).X;
            var m = physical.MagnetizationSquared(x).to_type(ScalarType.Float64).data<double>().ToArray();
            var e = physical.EnergyPerSite(x).to_type(ScalarType.Float64).data<double>().ToArray();
            for (int c = 0; c < chains; c++) { m2[c][t] = m[c]; energy[c][t] = e[c]; }
            onPhysical?.Invoke(t, x);
        }
        double acceptance = trajectories > 0 ? state.AcceptanceRate() : double.NaN;
        positions.Dispose();
        positions = state.Positions.detach().clone();
        return new HmcSeries(m2, energy, acceptance);
    }
}
