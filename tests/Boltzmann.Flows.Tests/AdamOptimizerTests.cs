using Boltzmann.Flows.Benchmarks;
using Boltzmann.Flows.Optimization;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Tests;

/// <summary>The scalar-free Adam follows torch.optim.Adam (PyTorch's algorithm) step for step.</summary>
public class AdamOptimizerTests
{
    [Fact]
    public void ParameterTrajectoryMatchesTorchAdam()
    {
        var options = new RealNvpOptions { Dimension = 5, Seed = 41 };
        using var ours = new RealNvp(options);
        using var reference = new RealNvp(options);
        using var adam = new AdamOptimizer(ours.parameters(), learningRate: 3e-3, beta1: 0.8, beta2: 0.99, eps: 1e-7);
        using var torchAdam = optim.Adam(reference.parameters(), lr: 3e-3, beta1: 0.8, beta2: 0.99, eps: 1e-7);
        for (int step = 0; step < 6; step++)
        {
            using var scope = NewDisposeScope();
            adam.ZeroGrad();
            torchAdam.zero_grad();
            // Identical losses on identical draws: both flows have equal parameters before every step.
            var (x1, l1) = ours.Sample(64, new Generator((ulong)step, CPU));
            GaussianReverseKl.LogRatio(x1, l1, 1.2).mean().backward();
            var (x2, l2) = reference.Sample(64, new Generator((ulong)step, CPU));
            GaussianReverseKl.LogRatio(x2, l2, 1.2).mean().backward();
            adam.Step();
            torchAdam.step();
        }
        Assert.Equal(6, adam.StepCount);
        var a = ours.parameters().ToArray();
        var b = reference.parameters().ToArray();
        using var check = NewDisposeScope();
        double moved = 0;
        using var initial = new RealNvp(options);
        var p0 = initial.parameters().ToArray();
        for (int i = 0; i < a.Length; i++)
        {
            double diff = a[i].sub(b[i]).abs().max().item<double>();
            Assert.True(diff <= 1e-14, $"parameter {i} differs from torch.optim.Adam by {diff:E3}");
            moved = Math.Max(moved, a[i].sub(p0[i]).abs().max().item<double>());
        }
        Assert.True(moved > 1e-3, "the optimizer did not move the parameters");
    }

    [Fact]
    public void InvalidSettingsAreRejected()
    {
        using var flow = new RealNvp(new RealNvpOptions { Dimension = 2 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptimizer(flow.parameters(), learningRate: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptimizer(flow.parameters(), beta1: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptimizer(flow.parameters(), eps: -1));
        Assert.Throws<ArgumentException>(() => new AdamOptimizer([]));
        var adam = new AdamOptimizer(flow.parameters());
        adam.Dispose();
        Assert.Throws<ObjectDisposedException>(() => adam.Step());
    }
}
