using System.Diagnostics;
using Boltzmann.Autoregressive.Likelihood;
using Boltzmann.Autoregressive.Models;
using Boltzmann.Learning.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Tests.Likelihood;

/// <summary>
/// Maximum-likelihood training (Biazzo 2023, SI eq. 48) against exact enumeration: trained on independent exact samples
/// of a 10-spin SK instance, SK_1RSB with a learned first layer reaches a held-out NLL equal to the exact cross entropy
/// -sum p ln Q (an identity, within 4 standard errors) and close to the entropy S (the floor), with the exact
/// KL(p||Q) small and far below the untrained model's; the minibatch schedule is a permutation per epoch, and a
/// cancelled and resumed run is bit-identical to an uninterrupted one.
/// </summary>
public class MaximumLikelihoodTrainerTests(ITestOutputHelper output)
{
    private static SkKRsb Model(LikelihoodFixtures f, double beta, ulong seed) =>
        new(f.Instance, beta, 1, init: new Generator(seed, CPU), learnedCouplings: LearnedCouplings.SmallRandom(0.01));

    [Fact]
    public void HeldOutNllReachesTheExactEntropy()
    {
        torch.set_num_threads(1);
        const int n = 10;
        const double beta = 1.0;
        var f = new LikelihoodFixtures(n, beta, 20_000, 5_000, 3);
        using var model = Model(f, beta, 5);
        double klBefore = ExactLikelihoodReference.ForwardKl(f.Sampler.Probabilities, ExactLikelihoodReference.LogProbabilities(model));
        var dir = LikelihoodFixtures.TempDirectory();
        try
        {
            var options = new MaximumLikelihoodOptions
            {
                BatchSize = 500,
                ShuffleSeed = 9,
                Training = new TrainingOptions { Steps = 1500, LearningRate = 0.01, LogInterval = 100, CheckpointInterval = 100_000 },
            };
            using var trainer = new MaximumLikelihoodTrainer(model, f.Training, f.Holdout, options, dir);
            var clock = Stopwatch.StartNew();
            var result = trainer.Run();
            var lnq = ExactLikelihoodReference.LogProbabilities(model);
            double cross = ExactLikelihoodReference.CrossEntropy(f.Sampler.Probabilities, lnq);
            double kl = ExactLikelihoodReference.ForwardKl(f.Sampler.Probabilities, lnq);
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s; S = {f.Sampler.Entropy:F5}, H(p,Q) = {cross:F5}, KL = {kl:E3} (before {klBefore:E3}); " +
                             $"held-out NLL {result.HoldoutNll}, training NLL {result.TrainingNll}");
            var last = result.Training.Log.Records[^1];
            Assert.Equal([MaximumLikelihoodTrainer.HoldoutNllColumn, MaximumLikelihoodTrainer.HoldoutNllErrorColumn], result.Training.Log.ExtraNames);
            Assert.Equal(1499, last.Step);
            Assert.True(Math.Abs(result.HoldoutNll.Mean - last.Extras[0]) < 0.01, "the last logged held-out NLL is taken one Adam step before the final one");

            Assert.True(result.HoldoutNll.Deviation(cross) < 4, $"held-out NLL {result.HoldoutNll} vs exact cross entropy {cross:F5}");
            Assert.True(Math.Abs(kl - (cross - f.Sampler.Entropy)) < 1e-10);
            Assert.True(kl < 0.02, $"KL(p||Q) = {kl:E3} after training");
            Assert.True(klBefore > 20 * kl, $"KL before training {klBefore:E3} should be far above {kl:E3}");
            Assert.True(Math.Abs(result.HoldoutNll.Mean - f.Sampler.Entropy) < 0.02 + 4 * result.HoldoutNll.StdError,
                $"held-out NLL {result.HoldoutNll} vs entropy {f.Sampler.Entropy:F5}");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void EveryEpochVisitsEveryConfigurationOnce()
    {
        const int m = 103, batch = 10;
        var f = new LikelihoodFixtures(6, 0.5, m, 4, 1);
        using var model = Model(f, 0.5, 1);
        var dir = LikelihoodFixtures.TempDirectory();
        try
        {
            var options = new MaximumLikelihoodOptions { BatchSize = batch, ShuffleSeed = 4, Training = new TrainingOptions { Steps = 30 } };
            using var trainer = new MaximumLikelihoodTrainer(model, f.Training, f.Holdout, options, dir);
            Assert.Equal(10, trainer.BatchesPerEpoch);
            for (int epoch = 0; epoch < 3; epoch++)
            {
                var seen = Enumerable.Range(0, 10).SelectMany(b => trainer.BatchIndices(epoch * 10L + b)).ToList();
                Assert.Equal(100, seen.Distinct().Count());
                Assert.All(seen, i => Assert.InRange(i, 0, m - 1));
            }
            Assert.NotEqual(trainer.BatchIndices(0), trainer.BatchIndices(10));   // a new permutation each epoch
            Assert.Equal(MaximumLikelihoodTrainer.Permutation(m, 4, 1), MaximumLikelihoodTrainer.Permutation(m, 4, 1));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void CancelledAndResumedRunIsBitIdentical()
    {
        torch.set_num_threads(1);
        var f = new LikelihoodFixtures(8, 0.8, 600, 100, 2);
        var options = new MaximumLikelihoodOptions
        {
            BatchSize = 64,
            ShuffleSeed = 5,
            Training = new TrainingOptions { Steps = 40, LearningRate = 0.01, LogInterval = 5, CheckpointInterval = 15 },
        };
        var reference = LikelihoodFixtures.TempDirectory();
        var interrupted = LikelihoodFixtures.TempDirectory();
        try
        {
            MaximumLikelihoodResult full;
            double[] fullWeights;
            using (var model = Model(f, 0.8, 7))
            using (var trainer = new MaximumLikelihoodTrainer(model, f.Training, f.Holdout, options, reference))
            {
                full = trainer.Run();
                fullWeights = model.FirstLayer.WeightsArray();
            }

            using (var model = Model(f, 0.8, 7))
            using (var trainer = new MaximumLikelihoodTrainer(model, f.Training, f.Holdout, options, interrupted))
            {
                using var cts = new CancellationTokenSource();
                Assert.ThrowsAny<OperationCanceledException>(() => trainer.Run((done, _) => { if (done == 23) cts.Cancel(); }, cts.Token));
            }
            using (var model = Model(f, 0.8, 99)) // different initial values: everything must come from the checkpoint
            using (var trainer = new MaximumLikelihoodTrainer(model, f.Training, f.Holdout, options, interrupted))
            {
                Assert.Equal(23, trainer.Resume().CompletedSteps);
                var resumed = trainer.Run();
                Assert.Null(resumed.Training.Log.FirstDifference(full.Training.Log));
                Assert.Equal(fullWeights, model.FirstLayer.WeightsArray());
                Assert.Equal(full.HoldoutNll, resumed.HoldoutNll);
            }
        }
        finally
        {
            Directory.Delete(reference, true);
            Directory.Delete(interrupted, true);
        }
    }

    [Fact]
    public void RejectsABatchLargerThanTheTrainingSet()
    {
        var f = new LikelihoodFixtures(5, 0.5, 50, 10, 1);
        using var model = Model(f, 0.5, 1);
        var e = Assert.Throws<ArgumentException>(() => new MaximumLikelihoodTrainer(model, f.Training, f.Holdout, new MaximumLikelihoodOptions { BatchSize = 51 }, "/tmp/unused-ml"));
        Assert.Contains("BatchSize", e.Message);
    }
}
