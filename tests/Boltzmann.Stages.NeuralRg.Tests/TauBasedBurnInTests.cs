using Boltzmann.Learning.Sampling;
using Boltzmann.Physics.Exact;
using Boltzmann.Physics.Relaxation;
using Boltzmann.Stages.NeuralRg.Evaluation;
using Boltzmann.Statistics;
using Boltzmann.Targets.Relaxation;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Boltzmann.Stages.NeuralRg.Tests;

/// <summary>
/// The tau_int-based burn-in of the final HMC runs: physical-field HMC at L = 4, beta_c, from a hot start with a
/// nominal burn-in of 2 trajectories is extended to at least 20 tau_int and then reproduces the exact &lt;m^2&gt;
/// (transfer matrix) within 4 sigma; the continued series keeps the chains and the window length.
/// </summary>
public class TauBasedBurnInTests(ITestOutputHelper output)
{
    [Fact]
    public void Physical_HMC_with_a_tau_based_burn_in_matches_the_exact_structure_factor()
    {
        var field = new IsingDualField(4, IsingExact.CriticalBeta);
        using var target = new IsingDualFieldTarget(field, ScalarType.Float64);
        Tensor x;
        using (var g = new Generator(5, CPU)) x = randn([32, 4, 4], ScalarType.Float64, generator: g);
        int calls = 0;
        var (window, discarded) = TauBasedBurnIn.Run(n => DualFieldHmc.Run(target, null, ref x, new TensorHmcOptions(0.2, 10), n, seed: (ulong)(100 + calls++)),
                                                      burnIn: 2, trajectories: 300, multiple: 20);
        x.Dispose();
        var m2 = IndependentChains.Mean(window.MagnetizationSquared);
        double exact = IsingTransferMatrix.Evaluate(4, IsingExact.CriticalBeta).MeanMagnetizationSquared;
        output.WriteLine($"burn-in {discarded} trajectories in {calls} runs, <m^2> {m2} (exact {exact:F5})");
        Assert.Equal(300, window.Trajectories);
        Assert.Equal(32, window.Chains);
        Assert.True(calls >= 2, "a 2-trajectory burn-in must be extended");
        Assert.True(discarded >= 20 * IndependentChains.Mean(window.MagnetizationSquared).TauInt * 0.8, $"burn-in {discarded} vs tau {m2.TauInt}");
        Assert.True(m2.Deviation(exact) < 4, $"<m^2> {m2} vs exact {exact}");
    }
}
