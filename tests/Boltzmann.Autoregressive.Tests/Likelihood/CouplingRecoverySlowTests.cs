using System.Diagnostics;
using Boltzmann.Autoregressive.Likelihood;
using Boltzmann.Autoregressive.Models;
using Boltzmann.Learning.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Tests.Likelihood;

/// <summary>
/// Biazzo 2023, Fig. 6 in small: SK_1RSB with its first layer initialised at small random values and trained by maximum
/// likelihood on independent exact samples of a 20-spin SK instance at beta = 1.5 learns weights whose absolute values
/// correlate strongly with |J| (and W with J itself), while the untrained weights do not correlate (|r| within 4
/// jackknife errors of 0).
/// </summary>
public class CouplingRecoverySlowTests(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Slow")]
    public void LearnedFirstLayerRecoversTheCouplings()
    {
        torch.set_num_threads(1);
        const int n = 20;
        const double beta = 1.5;
        var f = new LikelihoodFixtures(n, beta, 20_000, 2_000, 11);
        var j = f.Instance.Couplings.ToArray();
        using var model = new SkKRsb(f.Instance, beta, 1, init: new Generator(3, CPU), learnedCouplings: LearnedCouplings.SmallRandom(0.01));
        var before = CouplingRecovery.Compare(model.FirstLayer.WeightsArray(), j, n);
        var dir = LikelihoodFixtures.TempDirectory();
        try
        {
            var options = new MaximumLikelihoodOptions
            {
                BatchSize = 500,
                ShuffleSeed = 2,
                Training = new TrainingOptions { Steps = 2000, LearningRate = 0.01, LogInterval = 250, CheckpointInterval = 100_000 },
            };
            using var trainer = new MaximumLikelihoodTrainer(model, f.Training, f.Holdout, options, dir);
            var clock = Stopwatch.StartNew();
            var result = trainer.Run();
            var after = CouplingRecovery.Compare(model.FirstLayer.WeightsArray(), j, n);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s; before: r|.| = {before.PearsonAbs}; after: r|.| = {after.PearsonAbs}, " +
                             $"rho|.| = {after.SpearmanAbs}, r = {after.PearsonSigned}, slope {after.Slope}, intercept {after.Intercept}; " +
                             $"held-out NLL {result.HoldoutNll}, S = {f.Sampler.Entropy:F4}");
            Assert.True(Math.Abs(before.PearsonAbs.Mean) < 4 * before.PearsonAbs.StdError, $"untrained: r = {before.PearsonAbs}");
            Assert.True(after.PearsonAbs.Mean > 0.8, $"trained: r(|W|, |J|) = {after.PearsonAbs}");
            Assert.True(after.PearsonSigned.Mean > 0.9, $"trained: r(W, J) = {after.PearsonSigned}");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
