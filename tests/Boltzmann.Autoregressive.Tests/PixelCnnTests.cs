using Boltzmann.Autoregressive.Architectures;
using Boltzmann.Autoregressive.Models;
using Boltzmann.Physics.Lattice;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Tests;

/// <summary>
/// The PixelCNN on genuinely two-dimensional lattices (the contract suite runs it on 1 × N chains): normalisation by
/// exact enumeration, the autoregressive property as a vanishing Jacobian ∂logit_i/∂x_j for j &gt;= i (raster order),
/// incremental ancestral sampling equal to the teacher-forced pass at every boundary, and sampled frequencies
/// matching Q. Parameters are redrawn from N(0, 0.7²) so every layer matters.
/// </summary>
public class PixelCnnTests
{
    public static TheoryData<int, int, int, int, int> Shapes() => new()
    {
        // rows, columns, depth, width, half kernel
        { 3, 3, 3, 4, 1 },
        { 4, 4, 2, 3, 1 },
        { 4, 4, 3, 2, 2 },
        { 2, 5, 2, 3, 2 },
        { 3, 4, 1, 1, 1 },
    };

    private static PixelCnn Create(int rows, int columns, int depth, int width, int k, ulong seed = 5)
    {
        var model = new PixelCnn(rows, columns, depth, width, k, CPU, new Generator(seed, CPU));
        ArchitectureCases.Roughen(model, 0.7, seed + 1);
        return model;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ProbabilitiesOfAllConfigurationsSumToOne(int rows, int columns, int depth, int width, int k)
    {
        using var model = Create(rows, columns, depth, width, k);
        using var scope = NewDisposeScope();
        double lnTotal = model.LogProb(ExactReference.ConfigurationTensor(rows * columns)).logsumexp(0).item<double>();
        Assert.True(Math.Abs(lnTotal) < 1e-12, $"{rows}x{columns} {model.Architecture}: ln sum_x Q(x) = {lnTotal:E3}");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void JacobianOfLogitIOnLaterSpinsIsZero(int rows, int columns, int depth, int width, int k)
    {
        int n = rows * columns;
        using var model = Create(rows, columns, depth, width, k);
        using var scope = NewDisposeScope();
        var g = new Generator(8, CPU);
        var x = where(rand(16, n, dtype: ScalarType.Float64, generator: g) < 0.5, 1.0, -1.0).requires_grad_(true);
        var logits = model.Logits(x);
        int dependent = 0;
        for (int i = 0; i < n; i++)
        {
            x.grad?.zero_();
            logits.select(1, i).sum().backward(retain_graph: true);
            var jac = ArchitectureCases.ToArray(x.grad!.abs().sum(new long[] { 0 }));
            for (int j = 0; j < n; j++)
            {
                if (j >= i) Assert.True(jac[j] == 0, $"{rows}x{columns} {model.Architecture}: d logit_{i} / d x_{j} = {jac[j]:E3} (j >= i)");
                else if (jac[j] > 1e-9) dependent++;
            }
        }
        // The first conditional of every row depends on the row above (not vacuous); depth-1 nets see only the kernel.
        Assert.True(dependent >= n - 1, $"{rows}x{columns} {model.Architecture}: only {dependent} nonzero dependences on earlier spins");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void IncrementalSamplingReturnsTheTeacherForcedLogProb(int rows, int columns, int depth, int width, int k)
    {
        using var model = Create(rows, columns, depth, width, k);
        using var scope = NewDisposeScope();
        var (x, logq) = model.Sample(300, new Generator(12, CPU));
        double maxDiff = (model.LogProb(x) - logq).abs().max().item<double>();
        Assert.True(maxDiff < 1e-10, $"{rows}x{columns} {model.Architecture}: max |LogProb(sample) - sampled ln Q| = {maxDiff:E3}");
    }

    [Fact]
    public void SampledFrequenciesMatchExactProbabilitiesOnA3x3Lattice()
    {
        using var model = Create(3, 3, 3, 4, 1, seed: 9);
        var (stat, dof, threshold) = ChiSquare.TestSampler(model, 100_000, 2025);
        Assert.True(stat < threshold, $"chi^2 = {stat:F1} with {dof} dof exceeds the 4-sigma threshold {threshold:F1}");
    }

    [Fact]
    public void ArchitectureTakesTheLatticeShapeOfTheHamiltonian()
    {
        var architecture = AutoregressiveArchitecture.Parse("pixelcnn_3_16_2");
        Assert.Equal("PixelCNN_3_16_2", architecture.Name);
        Assert.Equal(architecture, AutoregressiveArchitecture.PixelCnn(3, 16, 2));
        using var model = (PixelCnn)architecture.Create(new IsingLatticeCouplings(new Lattice2D(4, 6)), 0.4, CPU);
        Assert.Equal((4, 6, 24), (model.Rows, model.Columns, model.N));
        Assert.Equal(architecture.ParameterCount(24), model.ParameterCount);
        // 1 -> 16 type A (2*5 + 2 taps), 16 -> 16 type B (13 taps), 16 -> 1 type B, biases, 2 x 16 slopes.
        Assert.Equal(16 * 12 + 16 + 16 * 16 * 13 + 16 + 16 * 13 + 1 + 2 * 16, model.ParameterCount);
        Assert.Throws<FormatException>(() => AutoregressiveArchitecture.Parse("PixelCNN_3_16"));
        Assert.Throws<FormatException>(() => AutoregressiveArchitecture.Parse("PixelCNN_0_16_2"));
    }
}
