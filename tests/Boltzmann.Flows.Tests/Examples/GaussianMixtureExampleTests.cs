using Boltzmann.Estimators;
using Boltzmann.Learning.Training;
using Boltzmann.Targets.Examples;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Tests.Examples;

/// <summary>
/// The worked example of docs/extending.md end to end: a new target (<see cref="GaussianMixtureTarget"/>, one file),
/// an existing flow (<see cref="RealNvp"/>) trained by reverse KL (Hartnett &amp; Mohseni 2020, eq. 17) through the shared
/// <see cref="Trainer"/>, and the existing neural-importance-sampling estimator (Nicoli et al. 2020, eq. 5), whose
/// ln Z must agree with the closed form within 4 standard errors.
/// </summary>
public class GaussianMixtureExampleTests(ITestOutputHelper output)
{
    /// <summary>Two overlapping components in d = 2 (unequal weights and widths), so reverse KL cannot drop a mode.</summary>
    private static GaussianMixtureTarget NewTarget() =>
        new(weights: [0.3, 0.7], means: [[-1.0, 0.5], [1.2, -0.3]], sigmas: [0.8, 1.0]);

    /// <summary>Both coordinate sets non-empty in every coupling layer (N = 2).</summary>
    private static readonly bool[][] Masks = [[true, false], [false, true], [false, true], [true, false]];

    [Fact]
    public void ClosedFormLogPartitionFunctionMatchesItsDefinition()
    {
        using var target = NewTarget();
        double expected = Math.Log(0.3 * 2 * Math.PI * 0.64 + 0.7 * 2 * Math.PI * 1.0);
        Assert.Equal(expected, target.LogPartitionFunction, 12);
        using var x = tensor(new[] { -1.0, 0.5 }, [1, 2], dtype: ScalarType.Float64);
        double atMean = Math.Log(0.3 + 0.7 * Math.Exp(-(2.2 * 2.2 + 0.8 * 0.8) / 2));
        Assert.Equal(atMean, target.LogProb(x).item<double>(), 12);
    }

    [Fact]
    public void ReverseKlTrainedRealNvpGivesLnZWithinFourSigma()
    {
        using var target = NewTarget();
        using var flow = new RealNvp(new RealNvpOptions { Dimension = 2, Layers = 4, HiddenWidth = 16, Seed = 41 }, Masks);
        using var generator = new Generator(42, CPU);

        // Reverse KL through the shared trainer: loss = E_q[ln q(x) − ln p~(x)] = KL(q‖p) − ln Z.
        var dir = Directory.CreateTempSubdirectory("gaussian-mixture-").FullName;
        try
        {
            var options = new TrainingOptions { Steps = 300, LearningRate = 5e-3, DType = flow.Dtype, CheckpointInterval = 300 };
            using var trainer = new Trainer(flow, options, dir);
            trainer.RegisterGenerator("sampler", generator);
            trainer.Resume();
            trainer.Run(_ =>
            {
                var (x, logQ) = flow.Sample(256, generator);
                return logQ.sub(target.LogProb(x)).mean();
            });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        // Neural importance sampling from 20 000 independent draws of the trained flow.
        const int samples = 20_000;
        double[] logTarget, logQ;
        using (no_grad())
        {
            using var scope = NewDisposeScope();
            var (x, lq) = flow.Sample(samples, new Generator(43, CPU));
            logTarget = target.LogProb(x).cpu().data<double>().ToArray();
            logQ = lq.cpu().data<double>().ToArray();
        }
        var lnZ = NeuralImportanceSampling.LnZ(logTarget, logQ);
        double sigmas = lnZ.Deviation(target.LogPartitionFunction);
        output.WriteLine($"NIS ln Z = {lnZ}; closed form {target.LogPartitionFunction:F6}; deviation {sigmas:F2} sigma");
        Assert.True(Math.Abs(sigmas) < 4, $"NIS ln Z {lnZ} is {sigmas:F2} standard errors from the closed form {target.LogPartitionFunction:F6}");
        Assert.True(lnZ.StdError < 0.05, $"the trained flow should be a good proposal; NIS standard error {lnZ.StdError:F4}");
    }
}
