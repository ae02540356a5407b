using Boltzmann.Targets.Spins;
using Boltzmann.Autoregressive.Architectures;
using Boltzmann.Autoregressive.Training;
using Boltzmann.Physics.Sk;
using Boltzmann.Random;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Tests.Training;

/// <summary>
/// The replica networks under the default-profile annealing budget of pipelines/sk-arnn.json (beta 0.1 -> 2.0 in steps
/// of 0.05, 50 Adam steps per temperature, batch 128, learning rate 1e-3) on an SK instance small enough for exact
/// enumeration: SK_2RSB must train as well as SK_1RSB (Biazzo 2023, Fig. 5: the deeper networks are the better ones),
/// which the old N(0, 1/N^2) initialisation of every nested layer prevented (vanishing signal through k + 1 layers).
/// </summary>
public sealed class SkReplicaAnnealingTests : IDisposable
{
    private readonly ITestOutputHelper _out;
    private readonly string _root = Directory.CreateTempSubdirectory("arnn-replica-").FullName;

    public SkReplicaAnnealingTests(ITestOutputHelper output)
    {
        _out = output;
        torch.set_num_threads(1);
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, true); } catch (IOException) { }
    }

    /// <summary>Evaluates only at the listed inverse temperatures (the others are not needed by the test).</summary>
    private sealed class SelectedObserver(SkInstance hamiltonian, int samples, ulong seed, double[] betas) : ITemperatureObserver
    {
        public Dictionary<double, TemperatureEvaluation> Results { get; } = [];

        public bool HasResult(int index) => false;

        public void OnTemperatureCompleted(int index, double beta, AutoregressiveModel model)
        {
            if (!betas.Any(b => Math.Abs(b - beta) < 1e-9)) return;
            using var energy = new PairwiseSpinTarget(hamiltonian, 1.0, model.Device);
            var generator = new Generator(seed + (ulong)index, model.Device);
            Results[Math.Round(beta, 6)] = ModelEvaluation.Evaluate(model, energy, energy.HasZeroFields, beta, samples, generator);
        }
    }

    /// <summary>
    /// N = 14, default-profile budget: at beta = 1.5 and 2.0 the variational free energy of SK_2RSB is within 1 % of exact
    /// enumeration and not worse than SK_1RSB's beyond 4 sigma plus 0.2 % (the spread of independent trainings).
    /// </summary>
    [Fact]
    [Trait("Category", "Slow")]
    public void DeepReplicaNetworksTrainWithinTheDefaultBudget()
    {
        const int n = 14;
        var rng = RandomStreams.For(2023, "arnn-replica-init-test");
        var sk = SkInstance.Generate(n, ref rng);
        var exact = new SkExactEnumeration(sk);
        var schedule = new AnnealingSchedule(0.1, 0.05, 2.0, 50);
        double[] betas = [1.5, 2.0];
        var results = new Dictionary<string, Dictionary<double, TemperatureEvaluation>>();
        foreach (var architecture in new[] { "SK_RS", "SK_1RSB", "SK_2RSB" })
        {
            var model = AutoregressiveArchitecture.Parse(architecture).Create(sk, schedule.Betas[0], CPU, new Generator(5, CPU));
            using var _ = model;
            var observer = new SelectedObserver(sk, 20000, 77, betas);
            var options = new VariationalAnnealingOptions(schedule, 128, 1e-3, CPU);
            using var energy = new PairwiseSpinTarget(sk);
            VariationalAnnealing.Run(model, energy, options, 6, Path.Combine(_root, architecture), observer);
            results[architecture] = observer.Results;
            foreach (var beta in betas)
            {
                var e = observer.Results[beta];
                double f = exact.AtBeta(beta, includeOverlap: false).FreeEnergyPerSpin;
                _out.WriteLine($"{architecture} N={n} beta={beta}: F_q/N={e.FreeEnergyVariational} rel={(e.FreeEnergyVariational.Mean - f) / Math.Abs(f):E3} " +
                               $"NIS={e.FreeEnergyNis} exact={f:R} ess={e.EffectiveSampleSize.Mean:F3}");
            }
        }
        foreach (var beta in betas)
        {
            double f = exact.AtBeta(beta, includeOverlap: false).FreeEnergyPerSpin;
            var deep = results["SK_2RSB"][beta].FreeEnergyVariational;
            var one = results["SK_1RSB"][beta].FreeEnergyVariational;
            double rel = (deep.Mean - f) / Math.Abs(f);
            Assert.True(rel < 1e-2, $"beta={beta}: SK_2RSB F_q/N = {deep} is {rel:P2} above exact {f:R}");
            double allowed = 4 * Math.Sqrt(deep.StdError * deep.StdError + one.StdError * one.StdError) + 2e-3 * Math.Abs(f);
            Assert.True(deep.Mean - one.Mean < allowed, $"beta={beta}: SK_2RSB F_q/N = {deep} worse than SK_1RSB {one}");
        }
    }
}
