using Boltzmann.Flows.Bijections;
using Boltzmann.Flows.Priors;
using Boltzmann.Learning.Persistence;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Tests;

/// <summary>
/// A flow with no persistence code of its own (a composition over lattice-shaped events, described by an options
/// record) saved and restored through <see cref="ModuleCheckpoint"/>: bit-identical samples, foreign kinds refused.
/// </summary>
public sealed class ModuleCheckpointTests : IDisposable
{
    /// <summary>Everything needed to rebuild the flow before loading its state.</summary>
    public sealed record LatticeAffineOptions(long[] EventShape, int Layers, ulong Seed);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "boltzmann-module-checkpoint-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static NormalizingFlow Build(LatticeAffineOptions o)
    {
        using var g = new Generator(o.Seed, CPU);
        var layers = Enumerable.Range(0, o.Layers)
            .Select(l => ($"affine{l}", (IBijection)new AffineConstant($"affine{l}", o.EventShape, ScalarType.Float64, init: g)))
            .ToArray();
        return new NormalizingFlow("lattice-affine", new StandardNormalPrior(o.EventShape, ScalarType.Float64), layers);
    }

    [Fact]
    public void AnyModuleRoundTripsBitForBitFromItsOptionsAndState()
    {
        var options = new LatticeAffineOptions([3, 4], 2, 8);
        using var flow = Build(options);
        using (no_grad())
            foreach (var p in flow.parameters()) p.add_(0.125); // state that differs from a fresh build
        string path = Path.Combine(_dir, "flow.ckpt");
        ModuleCheckpoint.Save(path, options, flow);

        Assert.Equal(options.EventShape, ModuleCheckpoint.ReadOptions<LatticeAffineOptions>(path).EventShape);
        using var restored = ModuleCheckpoint.Load<LatticeAffineOptions, NormalizingFlow>(path, Build);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var g1 = new Generator(4, CPU);
        using var g2 = new Generator(4, CPU);
        var (x1, l1) = flow.Sample(10, g1);
        var (x2, l2) = restored.Sample(10, g2);
        Assert.True(TensorCompare.Identical(x1, x2));
        Assert.True(TensorCompare.Identical(l1, l2));
    }

    [Fact]
    public void OtherKindsAndCorruptFilesAreRefused()
    {
        var options = new LatticeAffineOptions([2, 2], 1, 3);
        using var flow = Build(options);
        string path = Path.Combine(_dir, "flow.ckpt");
        ModuleCheckpoint.Save(path, options, flow);
        Assert.Contains("not a boltzmann-realnvp checkpoint", Assert.Throws<InvalidDataException>(() => Persistence.RealNvpCheckpoint.Load(path)).Message);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        string corrupt = Path.Combine(_dir, "corrupt.ckpt");
        File.WriteAllBytes(corrupt, bytes);
        Assert.Contains("SHA-256 mismatch", Assert.Throws<InvalidDataException>(() => ModuleCheckpoint.ReadOptions<LatticeAffineOptions>(corrupt)).Message);
    }
}
