using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Tests;

/// <summary>
/// Gradients flow through every layer: reverse-KL training towards a Gaussian of width σ drives KL(q‖p) — known
/// exactly up to Monte Carlo error because ln Z_p is closed form — from its initial value to near zero.
/// </summary>
public class GaussianTrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void ReverseKlTrainingReachesTheGaussianTarget()
    {
        const int n = 4;
        const double sigma = 1.7;
        using var flow = new RealNvp(new RealNvpOptions { Dimension = n, Seed = 31 });
        using var generator = new Generator(32, CPU);
        var (before, beforeError) = KlEstimate(flow, sigma);
        GaussianReverseKl.Train(flow, steps: 400, learningRate: 5e-3, batch: 128, sigma, generator);
        var (after, afterError) = KlEstimate(flow, sigma);
        output.WriteLine($"KL(q||p): before {before:F5} ± {beforeError:F5}, after 400 Adam steps {after:F5} ± {afterError:F5}");
        Assert.True(before - 4 * beforeError > 0.2, $"initial KL {before:F4} ± {beforeError:F4} should be clearly positive");
        Assert.True(after + 4 * afterError < 0.05 && after > -4 * afterError,
            $"KL after training = {after:F5} ± {afterError:F5} (initial {before:F4})");
    }

    [Fact]
    public void LogPartitionFunctionIsTheGaussianNormalisation()
    {
        Assert.Equal(0.5 * 3 * Math.Log(2 * Math.PI * 4), GaussianReverseKl.LogPartitionFunction(3, 2.0), 12);
    }

    /// <summary>KL(q‖p) = E_q[ln q − ln p] from 20k independent samples, with its standard error.</summary>
    private static (double Mean, double StdError) KlEstimate(RealNvp flow, double sigma)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (x, logProb) = flow.Sample(20_000, new Generator(33, CPU));
        var ratio = GaussianReverseKl.LogRatio(x, logProb, sigma);
        double mean = ratio.mean().item<double>();
        double se = ratio.std().item<double>() / Math.Sqrt(20_000);
        return (mean, se);
    }
}
