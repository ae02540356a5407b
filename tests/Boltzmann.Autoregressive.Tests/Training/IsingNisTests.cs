using Boltzmann.Autoregressive.Architectures;
using Boltzmann.Autoregressive.Training;
using Boltzmann.Physics.Exact;
using Boltzmann.Physics.Lattice;
using Boltzmann.Targets.Spins;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Tests.Training;

/// <summary>
/// Neural importance sampling of the 2D Ising model (Nicoli et al. PRE 101, 023304 (2020)) on the periodic 4 × 4 lattice:
/// MADE and PixelCNN annealed from β = 0.1 to 0.7 by the VAN objective; at every β of the schedule the NIS free energy
/// and energy per site agree with Kaufman's exact values within 4 standard errors, the variational F[Q] lies above the
/// exact F (within 4 sigma), and the NIS specific heat agrees within 4 sigma (with a 2% floor for its O(1/S) ratio bias).
/// </summary>
public sealed class IsingNisTests(ITestOutputHelper output)
{
    private sealed class Collect(PairwiseSpinTarget energy, int samples) : ITemperatureObserver
    {
        public Dictionary<int, ThermodynamicEstimates> Results { get; } = [];

        public bool HasResult(int index) => Results.ContainsKey(index);

        public void OnTemperatureCompleted(int index, double beta, AutoregressiveModel model) =>
            Results[index] = ThermodynamicEvaluation.Evaluate(model, energy, energy.HasZeroFields, beta, samples, new Generator(100 + (ulong)index, CPU));
    }

    [Fact]
    public void MadeNisAgreesWithKaufmanAtL4() => NisFreeEnergyAndEnergyAgreeWithKaufmanAtL4("MADE_21");

    /// <summary>The PixelCNN variant (a few minutes on a loaded machine: 64 receptive-field steps per sample batch).</summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void PixelCnnNisAgreesWithKaufmanAtL4() => NisFreeEnergyAndEnergyAgreeWithKaufmanAtL4("PixelCNN_3_8_2");

    private void NisFreeEnergyAndEnergyAgreeWithKaufmanAtL4(string architecture)
    {
        torch.set_num_threads(1);
        var root = Directory.CreateTempSubdirectory("arnn-ising-nis-").FullName;
        try { AnnealAndCompare(architecture, root); }
        finally { Directory.Delete(root, true); }
    }

    private void AnnealAndCompare(string architecture, string root)
    {
        const int l = 4;
        var ising = IsingLatticeCouplings.Square(l);
        var schedule = new AnnealingSchedule(0.1, 0.1, 0.7, 60);
        using var model = AutoregressiveArchitecture.Parse(architecture).Create(ising, 0.1, CPU, new Generator(5, CPU));
        using var energy = new PairwiseSpinTarget(ising);
        var observer = new Collect(energy, 20_000);
        VariationalAnnealing.Run(model, energy, new VariationalAnnealingOptions(schedule, 256, 1e-2, CPU), 6, Path.Combine(root, architecture), observer);
        Assert.Equal(schedule.Count, observer.Results.Count);
        foreach (var e in observer.Results.Values.OrderBy(r => r.Beta))
        {
            var exact = IsingExact.Evaluate(l, l, e.Beta);
            double f = -exact.LnZ / (e.Beta * l * l);
            output.WriteLine($"{architecture} beta={e.Beta:F2}: F_q {e.FreeEnergyVariational.Mean:F6} NIS {e.FreeEnergyNis.Mean:F6}±{e.FreeEnergyNis.StdError:E1} exact {f:F6} ({e.FreeEnergyNis.Deviation(f):F1} sd); " +
                           $"E NIS {e.EnergyNis.Mean:F5}±{e.EnergyNis.StdError:E1} exact {exact.EnergyPerSite:F5} ({e.EnergyNis.Deviation(exact.EnergyPerSite):F1} sd); " +
                           $"C NIS {e.SpecificHeatNis.Mean:F4}±{e.SpecificHeatNis.StdError:E1} var {e.SpecificHeatVariational.Mean:F4} exact {exact.SpecificHeatPerSite:F4}; ESS/N {e.EffectiveSampleSize.Mean:F3}");
            Assert.True(e.Symmetrised);
            Assert.True(e.FreeEnergyNis.Deviation(f) < 4, $"beta={e.Beta}: NIS F {e.FreeEnergyNis} vs exact {f:R}");
            Assert.True(e.EnergyNis.Deviation(exact.EnergyPerSite) < 4, $"beta={e.Beta}: NIS E {e.EnergyNis} vs exact {exact.EnergyPerSite:R}");
            Assert.True(e.FreeEnergyVariational.Mean > f - 4 * e.FreeEnergyVariational.StdError, $"beta={e.Beta}: F_q {e.FreeEnergyVariational} below exact {f:R}");
            double cTolerance = Math.Sqrt(16 * e.SpecificHeatNis.StdError * e.SpecificHeatNis.StdError + Math.Pow(0.02 * exact.SpecificHeatPerSite, 2));
            Assert.True(Math.Abs(e.SpecificHeatNis.Mean - exact.SpecificHeatPerSite) < cTolerance, $"beta={e.Beta}: NIS C {e.SpecificHeatNis} vs exact {exact.SpecificHeatPerSite:R}");
        }
    }
}
