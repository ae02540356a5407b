using Boltzmann.Learning.Numerics;
using Boltzmann.Learning.Runtime;
using Boltzmann.Learning.Sampling.L2hmc;
using Boltzmann.Learning.Targets;
using Boltzmann.Learning.Training;
using Boltzmann.Targets.Lattice;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Boltzmann.Targets.Tests.Lattice;

/// <summary>
/// Training of deep-learning HMC through the shared <see cref="Trainer"/>: the charge loss of eq. 6 on persistent
/// chains resumes bit for bit from a checkpoint (weights, Adam state and the chain state with both Generators), and
/// non-finite log-Jacobians or actions stop with the layer, step and chain named.
/// </summary>
public class L2hmcTrainingTests
{
    private readonly ITestOutputHelper output;

    public L2hmcTrainingTests(ITestOutputHelper output)
    {
        this.output = output;
        TorchThreads.EnsureConfigured();
    }

    private sealed class Run : IDisposable
    {
        public Run(string root, long steps, long checkpointInterval)
        {
            Target = new U1Target(4, 4, 2.0);
            Sampler = L2hmcIntegratorTests.RandomSampler(4, 2, 0.2, 81);
            using var g = new Generator(82);
            using var init = rand([8, 2, 4, 4], dtype: ScalarType.Float64, generator: g).mul(2 * Math.PI).sub(Math.PI);
            State = Sampler.Initialise(init, seed: 83);
            Trainer = new Trainer(Sampler, new TrainingOptions { Steps = steps, LearningRate = 1e-2, WarmupSteps = 3, CheckpointInterval = checkpointInterval }, root);
            Trainer.RegisterState(State);
        }

        public U1Target Target { get; }
        public L2hmcSampler Sampler { get; }
        public L2hmcState State { get; }
        public Trainer Trainer { get; }

        public void Train() => Trainer.Run(s => L2hmcChargeLoss.Step(Sampler, Target, State, s, U1TensorObservables.ChargeR));

        public byte[] Bytes()
        {
            using var ms = new MemoryStream();
            foreach (var (_, p) in Sampler.named_parameters()) ms.Write(p.detach().cpu().bytes);
            ms.Write(State.Positions.cpu().bytes);
            return ms.ToArray();
        }

        public void Dispose()
        {
            Trainer.Dispose(); State.Dispose(); Sampler.Dispose(); Target.Dispose();
        }
    }

    [Fact]
    public void ResumedTrainingIsBitIdentical()
    {
        string root = Path.Combine(Path.GetTempPath(), "l2hmc-resume-" + Guid.NewGuid().ToString("N"));
        try
        {
            byte[] uninterrupted;
            string half;
            using (var a = new Run(Path.Combine(root, "a"), steps: 12, checkpointInterval: 6))
            {
                a.Trainer.Resume();
                a.Train();
                uninterrupted = a.Bytes();
                half = TrainingCheckpoint.List(a.Trainer.CheckpointRoot).Single(c => c.Path.Contains("000006", StringComparison.Ordinal)).Path;
                output.WriteLine($"acceptance after 12 steps {a.State.AcceptanceRate():F3}, loss {a.Trainer.Log.Records[^1].Loss:G4}");
            }
            using var b = new Run(Path.Combine(root, "b"), steps: 12, checkpointInterval: 6);
            b.Trainer.ResumeFrom(half);
            Assert.Equal(6, b.Trainer.CompletedSteps);
            b.Train();
            Assert.Equal(uninterrupted, b.Bytes());
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>ln p~ of U(1) with chain 3 set to NaN (a broken action).</summary>
    private sealed class BrokenTarget(U1Target inner) : ITarget
    {
        public long[] EventShape => inner.EventShape;
        public ScalarType Dtype => inner.Dtype;
        public Device Device => inner.Device;

        public Tensor LogProb(Tensor x)
        {
            using var scope = NewDisposeScope();
            var lp = inner.LogProb(x);
            var mask = zeros_like(lp, dtype: ScalarType.Bool);
            mask[3] = tensor(true);
            // A constant NaN added to one row: the force stays finite (no NaN in the backward pass), the action is not.
            var broken = where(mask, full_like(lp, double.NaN), zeros_like(lp));
            return lp.Plus(broken).MoveToOuterDisposeScope();
        }
    }

    [Fact]
    public void NonFiniteActionNamesStepAndChain()
    {
        using var target = new U1Target(4, 4, 2.0);
        using var sampler = L2hmcIntegratorTests.RandomSampler(4, 3, 0.2, 84);
        using var init = zeros([6, 2, 4, 4], ScalarType.Float64);
        using var state = sampler.Initialise(init, seed: 85);
        using var forward = ones([6], ScalarType.Bool);
        var ex = Assert.Throws<L2hmcNonFiniteException>(() => sampler.Step(new BrokenTarget(target), state, forward).Dispose());
        output.WriteLine(ex.Message);
        Assert.Equal(3, ex.Chain);
        Assert.Equal(0, ex.Step);
        Assert.Contains("chain 3", ex.Message);
    }

    [Fact]
    public void NonFiniteLogJacobianNamesItsLayer()
    {
        using var target = new U1Target(4, 4, 2.0);
        using var sampler = L2hmcIntegratorTests.RandomSampler(4, 3, 0.2, 86);
        using var init = zeros([5, 2, 4, 4], ScalarType.Float64);
        using var state = sampler.Initialise(init, seed: 87);
        using var forward = ones([5], ScalarType.Bool);
        sampler.Step(target, state, forward).Dispose();
        using var inf = double.PositiveInfinity.ToScalar();
        using (no_grad())
            foreach (var (name, p) in sampler.named_parameters())
                if (name.StartsWith("layers.1.vNet.", StringComparison.Ordinal) && name.EndsWith("bias", StringComparison.Ordinal))
                    p.fill_(inf);
        var ex = Assert.Throws<L2hmcNonFiniteException>(() => sampler.Step(target, state, forward).Dispose());
        output.WriteLine(ex.Message);
        Assert.Equal(1, ex.Layer);
        Assert.Equal(1, ex.Step);
        Assert.Equal("log-Jacobian", ex.Quantity);
    }
}
