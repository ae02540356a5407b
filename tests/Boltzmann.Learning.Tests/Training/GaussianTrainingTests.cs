using Boltzmann.Learning.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Tests.Training;

/// <summary>
/// The trainer against closed-form optima of a diagonal Gaussian q = N(μ, diag σ²) (<see cref="DiagonalGaussian"/>).
/// </summary>
public class GaussianTrainingTests(ITestOutputHelper output)
{
    private static readonly GaussianTarget Target = new([1.0, -2.0, 0.5], [0.5, 2.0, 1.0]);

    private static TrainingOptions Options(ScalarType dtype) => new()
    {
        Steps = 1500,
        LearningRate = 0.05,
        Schedule = LearningRateSchedule.Cosine,
        FinalLearningRateFraction = 0.01,
        CheckpointInterval = 1500,
        DType = dtype,
    };

    /// <summary>KL(N(μ, σ²) ‖ N(m, s²)) = Σ_i [ln(s_i/σ_i) + (σ_i² + (μ_i − m_i)²)/(2 s_i²) − 1/2].</summary>
    private static double ExactKl(IReadOnlyList<double> mu, IReadOnlyList<double> sigma) =>
        Enumerable.Range(0, mu.Count).Sum(i =>
            Math.Log(Target.Std[i] / sigma[i]) + (sigma[i] * sigma[i] + Math.Pow(mu[i] - Target.Mean[i], 2)) / (2 * Target.Std[i] * Target.Std[i]) - 0.5);

    [Fact]
    public void ReverseKlConvergesToTheTargetAndItsLogPartitionFunction()
    {
        using var dir = new TempDirectory();
        using var model = new DiagonalGaussian([0, 0, 0], [0, 0, 0]);
        using var gen = new Generator(20261201);
        using var trainer = new Trainer(model, Options(ScalarType.Float64), dir.Path);
        trainer.RegisterGenerator("sampler", gen);
        trainer.Resume();
        var result = trainer.Run(Target.ReverseKl(model, gen, 256, withExtras: true));

        // Optimum in closed form: μ = m, σ = s. Observed errors are ~1% of s (the stationary jitter of Adam
        // driven by reparameterised gradients of a 256-sample batch); the tolerance is 5% of s.
        var mu = model.MuValues();
        var sigma = model.SigmaValues();
        double kl = ExactKl(mu, sigma);
        output.WriteLine($"mu [{string.Join(", ", mu)}], sigma [{string.Join(", ", sigma)}], KL(q||p) = {kl:E3}");
        for (int i = 0; i < 3; i++)
        {
            Assert.InRange(mu[i] - Target.Mean[i], -0.05 * Target.Std[i], 0.05 * Target.Std[i]);
            Assert.InRange(sigma[i] / Target.Std[i], 0.95, 1.05);
        }
        Assert.InRange(kl, 0, 2e-3);

        // Each step's loss is an unbiased estimate of KL(q_t||p) − ln Z at that step's parameters (recorded as
        // extras before the update), so the residuals loss_t − (KL_t − ln Z) average to zero: test within 4
        // standard errors (independent samples every step, so the naive standard error is right).
        var cols = result.Log.ToColumns();
        int n = 500, start = cols.Step.Length - n;
        var residual = new double[n];
        for (int t = 0; t < n; t++)
        {
            int k = start + t;
            var muT = new[] { cols.Extras["mu0"][k], cols.Extras["mu1"][k], cols.Extras["mu2"][k] };
            var sigmaT = new[] { cols.Extras["sigma0"][k], cols.Extras["sigma1"][k], cols.Extras["sigma2"][k] };
            residual[t] = cols.Loss[k] - (ExactKl(muT, sigmaT) - Target.LnZ);
        }
        double mean = residual.Average();
        double se = Math.Sqrt(residual.Sum(r => (r - mean) * (r - mean)) / (n - 1) / n);
        output.WriteLine($"residual mean {mean:E3} ± {se:E3}; tail loss {cols.Loss.TakeLast(n).Average():R} vs -ln Z = {-Target.LnZ:R}");
        Assert.InRange(mean, -4 * se, 4 * se);
        // The final loss approaches the exact −ln Z (minimum of KL − ln Z): the tail mean is within 1e-3.
        Assert.InRange(cols.Loss.TakeLast(n).Average() + Target.LnZ, -1e-3, 1e-3);
    }

    [Fact]
    public void ForwardKlConvergesToTheSampleMeanAndStandardDeviation()
    {
        using var dir = new TempDirectory();
        using var model = new DiagonalGaussian([0, 0, 0], [0, 0, 0]);
        using var gen = new Generator(7);
        const int n = 4096;
        using var data = (randn([n, 3], dtype: ScalarType.Float64, generator: gen) * tensor(Target.Std) + tensor(Target.Mean)).DetachFromDisposeScope();
        var x = data.data<double>().ToArray();
        var mean = new double[3];
        var std = new double[3];
        for (int j = 0; j < 3; j++)
        {
            for (int i = 0; i < n; i++) mean[j] += x[i * 3 + j];
            mean[j] /= n;
            for (int i = 0; i < n; i++) std[j] += (x[i * 3 + j] - mean[j]) * (x[i * 3 + j] - mean[j]);
            std[j] = Math.Sqrt(std[j] / n);
        }
        using var trainer = new Trainer(model, Options(ScalarType.Float64), dir.Path);
        trainer.Resume();
        // Maximum likelihood: minimise −(1/n) Σ ln q(x_i) (full batch, deterministic gradient).
        var result = trainer.Run(step => -model.LogProb(data).mean());

        // Closed form: μ̂ = sample mean, σ̂ = sqrt((1/n) Σ (x − μ̂)²); minimum Σ_j [ln σ̂_j + ln(2π)/2 + 1/2].
        double exactLoss = std.Sum(s => Math.Log(s) + 0.5 * Math.Log(2 * Math.PI) + 0.5);
        var mu = model.MuValues();
        var sigma = model.SigmaValues();
        output.WriteLine($"mu - mean [{string.Join(", ", mu.Zip(mean, (a, b) => a - b))}], sigma - std [{string.Join(", ", sigma.Zip(std, (a, b) => a - b))}], loss - exact {result.FinalLoss - exactLoss:E3}");
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(mean[j], mu[j], 1e-9);
            Assert.Equal(std[j], sigma[j], 1e-9);
        }
        Assert.Equal(exactLoss, result.FinalLoss, 1e-12);
    }

    [Fact]
    public void Float32SwitchConvertsTheModelAndStillConverges()
    {
        using var dir = new TempDirectory();
        using var model = new DiagonalGaussian([0, 0, 0], [0, 0, 0]);
        using var gen = new Generator(11);
        using var trainer = new Trainer(model, Options(ScalarType.Float32), dir.Path);
        trainer.RegisterGenerator("sampler", gen);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        trainer.Resume();
        var result = trainer.Run(Target.ReverseKl(model, gen, 256));
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        var mu = model.MuValues();
        var sigma = model.SigmaValues();
        for (int i = 0; i < 3; i++)
        {
            Assert.InRange(mu[i] - Target.Mean[i], -0.05 * Target.Std[i], 0.05 * Target.Std[i]);
            Assert.InRange(sigma[i] / Target.Std[i], 0.95, 1.05);
        }
        Assert.InRange(result.Log.Records.TakeLast(500).Average(r => r.Loss) + Target.LnZ, -1e-3, 1e-3);
    }

    [Fact]
    public void Float64SwitchConvertsAFloat32ModelAndLeavesIntegerBuffersAlone()
    {
        using var dir = new TempDirectory();
        using var model = new DiagonalGaussianWithMask();
        Assert.Equal(ScalarType.Float32, model.Weight.dtype);
        using var trainer = new Trainer(model, new TrainingOptions { Steps = 3, DType = ScalarType.Float64 }, dir.Path);
        Assert.Equal(ScalarType.Float64, model.Weight.dtype);
        Assert.Equal(ScalarType.Int64, model.Mask.dtype);
        trainer.Resume();
        trainer.Run(_ => (model.Weight * model.Mask).square().sum());
        Assert.Equal(ScalarType.Float64, model.Weight.dtype);
        Assert.Equal([0L, 1L, 0L], model.Mask.data<long>().ToArray());
    }

    /// <summary>A float32 parameter and an integer mask buffer (like an autoregressive mask).</summary>
    private sealed class DiagonalGaussianWithMask : nn.Module
    {
#pragma warning disable IDE0044
        private TorchSharp.Modules.Parameter weight = new(tensor(new float[] { 1, 2, 3 }));
        private Tensor mask = tensor(new long[] { 0, 1, 0 });
#pragma warning restore IDE0044

        public DiagonalGaussianWithMask() : base("masked") => RegisterComponents();

        public TorchSharp.Modules.Parameter Weight => weight;

        public Tensor Mask => mask;
    }
}
