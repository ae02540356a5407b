using Boltzmann.Flows.Persistence;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Tests;

public sealed class RealNvpCheckpointTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "boltzmann-flows-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float32)]
    public void SaveAndLoadRoundTripParametersMasksAndSamplesBitForBit(ScalarType dtype)
    {
        var masks = new[] { new[] { true, true, false, false, true }, new[] { false, true, true, false, false }, new[] { true, false, false, false, true } };
        using var flow = new RealNvp(new RealNvpOptions { Dimension = 5, Layers = 3, Seed = 77, Dtype = dtype, HiddenWidth = 7 }, masks);
        TrainABit(flow);
        string path = Path.Combine(_dir, "flow.ckpt");
        RealNvpCheckpoint.Save(flow, path);

        using var restored = RealNvpCheckpoint.Load(path);
        Assert.Equal(flow.Options with { Device = null }, restored.Options with { Device = null });
        Assert.Equal(masks, restored.Masks);
        var original = flow.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var loaded = restored.named_parameters().ToList();
        Assert.Equal(original.Count, loaded.Count);
        foreach (var (name, parameter) in loaded)
            Assert.True(TensorCompare.Identical(original[name], parameter), $"parameter {name} differs after load");

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using var g1 = new Generator(9, CPU);
        using var g2 = new Generator(9, CPU);
        var (x1, l1) = flow.Sample(100, g1);
        var (x2, l2) = restored.Sample(100, g2);
        Assert.True(TensorCompare.Identical(x1, x2));
        Assert.True(TensorCompare.Identical(l1, l2));
        Assert.True(TensorCompare.Identical(flow.LogProb(x1), restored.LogProb(x1)));
    }

    /// <summary>
    /// The conditioners are stored on the index sets of the masks the flow was built with, so a state saved with other
    /// masks is refused: with other set sizes by the parameter shapes, with the same sizes (a permutation) by the mask check.
    /// </summary>
    [Fact]
    public void LoadingStateIntoAFlowWithOtherMasksIsRefused()
    {
        bool[][] masks = [[true, true, false, false, true, false], [false, false, true, true, false, true]];
        bool[][] permuted = [[false, true, true, false, true, false], [true, false, false, true, false, true]];
        using var source = new RealNvp(new RealNvpOptions { Dimension = 6, Layers = 2, Seed = 1 }, masks);
        using var samePattern = new RealNvp(new RealNvpOptions { Dimension = 6, Layers = 2, Seed = 2 }, masks);
        using var sameSizes = new RealNvp(new RealNvpOptions { Dimension = 6, Layers = 2, Seed = 1 }, permuted);
        using var otherSizes = new RealNvp(new RealNvpOptions { Dimension = 6, Layers = 2, Seed = 1 });
        var saved = new MemoryStream();
        source.save(saved);

        samePattern.load(new MemoryStream(saved.ToArray()));
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var z = randn([20, 6], ScalarType.Float64, generator: new Generator(3, CPU));
            Assert.True(TensorCompare.Identical(source.Forward(z).X, samePattern.Forward(z).X));
        }
        var e = Assert.Throws<InvalidDataException>(() => sameSizes.load(new MemoryStream(saved.ToArray())));
        Assert.Contains("RealNvp.load: the loaded mask of coupling0 differs from the mask the flow was built with (3 vs 3 active coordinates, 2 positions differ)", e.Message);
        if (!otherSizes.Masks.Select(m => m.Count(b => b)).SequenceEqual(masks.Select(m => m.Count(b => b))))
            Assert.Throws<ArgumentException>(() => otherSizes.load(new MemoryStream(saved.ToArray())));
    }

    /// <summary>A checkpoint whose header names other masks than its weights' mask buffers (same sizes) is refused naming the file.</summary>
    [Fact]
    public void ACheckpointWhoseHeaderMasksDisagreeWithItsWeightsIsRefusedNamingTheFile()
    {
        bool[][] masks = [[true, true, false, false, true, false], [false, false, true, true, false, true]];
        bool[][] permuted = [[false, true, true, false, true, false], [true, false, false, true, false, true]];
        using var flow = new RealNvp(new RealNvpOptions { Dimension = 6, Layers = 2, Seed = 1 }, masks);
        var o = flow.Options;
        var header = new RealNvpCheckpointHeader(RealNvpCheckpoint.Kind.Version, o.Dimension, o.Layers, o.Seed, o.HiddenLayers, o.Width,
                                                 o.NegativeSlope, o.Dtype.ToString(), permuted);
        string path = Path.Combine(_dir, "inconsistent.ckpt");
        Boltzmann.Learning.Persistence.ModuleCheckpoint.Save(path, header, flow, RealNvpCheckpoint.Kind);

        var e = Assert.Throws<InvalidDataException>(() => RealNvpCheckpoint.Load(path));
        Assert.StartsWith($"{path}: the masks in the weights disagree with the header; the checkpoint is inconsistent", e.Message);
    }

    [Fact]
    public void CorruptedTruncatedOrForeignFilesAreRejected()
    {
        using var flow = new RealNvp(new RealNvpOptions { Dimension = 4, Seed = 5 });
        string path = Path.Combine(_dir, "flow.ckpt");
        RealNvpCheckpoint.Save(flow, path);
        var bytes = File.ReadAllBytes(path);

        string corrupted = Path.Combine(_dir, "corrupted.ckpt");
        var flipped = (byte[])bytes.Clone();
        flipped[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(corrupted, flipped);
        Assert.Contains("SHA-256 mismatch", Assert.Throws<InvalidDataException>(() => RealNvpCheckpoint.Load(corrupted)).Message);

        string truncated = Path.Combine(_dir, "truncated.ckpt");
        File.WriteAllBytes(truncated, bytes.AsSpan(0, bytes.Length - 100).ToArray());
        Assert.Throws<InvalidDataException>(() => RealNvpCheckpoint.Load(truncated));

        string foreign = Path.Combine(_dir, "foreign.ckpt");
        File.WriteAllBytes(foreign, [1, 2, 3]);
        Assert.Contains("too short", Assert.Throws<InvalidDataException>(() => RealNvpCheckpoint.Load(foreign)).Message);

        Assert.Throws<FileNotFoundException>(() => RealNvpCheckpoint.Load(Path.Combine(_dir, "missing.ckpt")));

        var header = RealNvpCheckpoint.ReadHeader(path);
        Assert.Equal(4, header.Dimension);
        Assert.Equal(flow.Masks, header.Masks);
        Assert.Equal("Float64", header.Dtype);
    }

    /// <summary>A few optimizer steps so the saved weights are not the seed's initial ones.</summary>
    private static void TrainABit(RealNvp flow)
    {
        using var generator = new Generator(4, CPU);
        GaussianReverseKl.Train(flow, steps: 3, learningRate: 1e-2, batch: 32, sigma: 1.3, generator);
    }

    [Fact]
    public void FileLayoutIsVersionTwoWithCompactConditioners()
    {
        // Tag "boltzmann-realnvp", version 2 (compact conditioners), header JSON, state dict, SHA-256.
        using var flow = new RealNvp(new RealNvpOptions { Dimension = 4, Layers = 2, Seed = 5, HiddenWidth = 3 });
        string path = Path.Combine(_dir, "layout.ckpt");
        RealNvpCheckpoint.Save(flow, path);
        Assert.Equal(HandWritten(version: 2, flow), File.ReadAllBytes(path));
    }

    /// <summary>
    /// The checkpoint file of <paramref name="flow"/> (Dimension 4, Layers 2, Seed 5, HiddenWidth 3) written field by field
    /// under layout <paramref name="version"/>: tag, version, header JSON, state dict, SHA-256 of all that.
    /// </summary>
    private static byte[] HandWritten(int version, RealNvp flow)
    {
        using var body = new MemoryStream();
        using (var w = new BinaryWriter(body, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write("boltzmann-realnvp");
            w.Write(version);
            w.Write(System.Text.Json.JsonSerializer.Serialize(new RealNvpCheckpointHeader(version, 4, 2, 5, 3, 3, 0.01, "Float64", flow.Masks.ToArray())));
            flow.save(w);
        }
        var bytes = body.ToArray();
        return bytes.Concat(System.Security.Cryptography.SHA256.HashData(bytes)).ToArray();
    }

    /// <summary>A version-1 file (full masked conditioners) is refused with both versions named, not misread.</summary>
    [Fact]
    public void AVersionOneCheckpointIsRefusedWithAClearMessage()
    {
        using var flow = new RealNvp(new RealNvpOptions { Dimension = 4, Layers = 2, Seed = 5, HiddenWidth = 3 });
        string path = Path.Combine(_dir, "old.ckpt");
        Directory.CreateDirectory(_dir);
        File.WriteAllBytes(path, HandWritten(version: 1, flow));
        var e = Assert.Throws<InvalidDataException>(() => RealNvpCheckpoint.Load(path));
        Assert.Contains("boltzmann-realnvp checkpoint format version 1 is not supported; this build reads version 2", e.Message);
    }
}
