using Boltzmann.Learning.Numerics;
using Boltzmann.Learning.Training.Optimizers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Tests.Training.Optimizers;

/// <summary>
/// The project optimizers against TorchSharp's <c>torch.optim.Adam</c>/<c>SGD</c> on a small MLP: parameters after
/// 50 steps bit-identical (float64 and float32, with and without weight decay, with a changing learning rate), the
/// checkpoint bytes identical, and a TorchSharp checkpoint resumed by the project optimizer continues identically.
/// </summary>
public class OptimizerEquivalenceTests
{
    private const int Steps = 50;

    private static Sequential Mlp(ScalarType dtype)
    {
        var generator = new Generator(7);
        var model = nn.Sequential(nn.Linear(3, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1));
        using (no_grad())
            foreach (var p in model.parameters())
                p.copy_(randn(p.shape, dtype: ScalarType.Float64, generator: generator).mul_(0.5));
        model.to(dtype);
        return model;
    }

    private static (Tensor X, Tensor Y) Batch(int step, ScalarType dtype)
    {
        var generator = new Generator((ulong)(1000 + step));
        var x = randn([32, 3], dtype: ScalarType.Float64, generator: generator);
        var y = x.sin().sum(1, keepdim: true);
        return (x.to(dtype), y.to(dtype));
    }

    private static double LearningRate(int step) => 0.01 * (1.0 + 0.5 * Math.Cos(step / 7.0));

    /// <summary>Runs <paramref name="steps"/> steps; the optimizer is driven through delegates (zero, set lr, step).</summary>
    private static void Train(Sequential model, int from, int steps, ScalarType dtype, Action zero, Action<double> setLr, Action step)
    {
        for (int s = from; s < from + steps; s++)
        {
            using var scope = NewDisposeScope();
            zero();
            var (x, y) = Batch(s, dtype);
            var loss = model.forward(x).sub(y).Squared().mean(); // square() is pow(2) with a temporary Scalar
            loss.backward();
            setLr(LearningRate(s));
            step();
        }
    }

    private static byte[][] Bits(Sequential model) =>
        model.parameters().Select(p => p.detach().cpu().bytes.ToArray()).ToArray();

    private static void AssertSameBits(Sequential expected, Sequential actual)
    {
        var e = Bits(expected);
        var a = Bits(actual);
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++) Assert.True(e[i].AsSpan().SequenceEqual(a[i]), $"parameter {i} differs");
    }

    private static byte[] Serialize(Action<BinaryWriter> write)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms)) write(w);
        return ms.ToArray();
    }

    [Theory]
    [InlineData(ScalarType.Float64, 0.0)]
    [InlineData(ScalarType.Float64, 0.01)]
    [InlineData(ScalarType.Float32, 0.0)]
    [InlineData(ScalarType.Float32, 0.01)]
    public void AdamMatchesTorchSharpAdamBitForBit(ScalarType dtype, double weightDecay)
    {
        using var reference = Mlp(dtype);
        using var model = Mlp(dtype);
        AssertSameBits(reference, model);
        using var torchAdam = optim.Adam(reference.parameters(), 0.01, 0.9, 0.999, 1e-8, weightDecay);
        using var adam = new AdamOptimizer(model.parameters(), 0.01, 0.9, 0.999, 1e-8, weightDecay);

        Train(reference, 0, Steps, dtype, torchAdam.zero_grad, lr => { foreach (var g in torchAdam.ParamGroups) g.LearningRate = lr; }, () => torchAdam.step());
        Train(model, 0, Steps, dtype, adam.ZeroGrad, lr => adam.LearningRate = lr, adam.Step);

        AssertSameBits(reference, model);
        Assert.NotEqual(Bits(Mlp(dtype))[0], Bits(model)[0]); // it did train
        Assert.Equal(Serialize(torchAdam.save_state_dict), Serialize(adam.Save));
    }

    /// <summary>
    /// The fused update runs in chunks of 1024 elements with an 8-lane vector body and a scalar tail: parameters of odd
    /// sizes larger than a chunk, float32 and float64, weight decay on, against TorchSharp's Adam bit for bit.
    /// </summary>
    [Theory]
    [InlineData(ScalarType.Float32, 0.01)]
    [InlineData(ScalarType.Float64, 0.01)]
    [InlineData(ScalarType.Float32, 0.0)]
    [InlineData(ScalarType.Float64, 0.0)]
    public void FusedAdamMatchesTorchSharpAdamAcrossChunkBoundaries(ScalarType dtype, double weightDecay)
    {
        var generator = new Generator(5);
        long[][] shapes = [[3, 1029], [2049], [7]];
        Parameter[] Make() => shapes.Select((s, i) => new Parameter(randn(s, dtype: ScalarType.Float64, generator: new Generator((ulong)(20 + i))).to(dtype))).ToArray();
        var reference = Make();
        var fused = Make();
        using var torchAdam = optim.Adam(reference, 0.01, 0.9, 0.999, 1e-8, weightDecay);
        using var adam = new AdamOptimizer(fused, 0.01, 0.9, 0.999, 1e-8, weightDecay);
        for (int step = 0; step < 30; step++)
        {
            using var scope = NewDisposeScope();
            for (int i = 0; i < shapes.Length; i++)
            {
                // Gradients spanning many magnitudes (and exact zeros), the same for both; the first row of the first
                // parameter never gets a gradient (a masked weight), so with weight decay off its second moment stays
                // exactly zero (the zero path of LibtorchSqrt).
                var g = randn(shapes[i], dtype: ScalarType.Float64, generator: generator).mul_(Math.Pow(10, step % 7 - 3)).to(dtype);
                g.index_fill_(-1, tensor(new long[] { 0, 5 }), 0.0);
                if (i == 0) g[0].zero_();
                reference[i].grad = g.clone().DetachFromDisposeScope();
                fused[i].grad = g.clone().DetachFromDisposeScope();
            }
            torchAdam.step();
            adam.Step();
        }
        for (int i = 0; i < shapes.Length; i++)
            Assert.True(reference[i].detach().bytes.ToArray().AsSpan().SequenceEqual(fused[i].detach().bytes.ToArray()), $"parameter {i} differs");
        Assert.Equal(Serialize(torchAdam.save_state_dict), Serialize(adam.Save));
    }

    /// <summary>The fused update's square root is the MKL routine libtorch's sqrt uses: identical to torch.sqrt on this build.</summary>
    [Fact]
    public void LibtorchSqrtIsBoundAndMatchesTorchSqrt()
    {
        Assert.True(LibtorchSqrt.IsAvailable<float>() && LibtorchSqrt.IsAvailable<double>(), "MKL's vmsSqrt/vmdSqrt were not found in libtorch_cpu");
        using var x = rand(100_003, generator: new Generator(9)).mul_(1e3);
        // Exact zeros (MKL's slow path, which InPlace sets aside): a zero run, scattered zeros and a negative zero.
        x[TensorIndex.Slice(2000, 3100)].zero_();
        x[TensorIndex.Slice(5000, 9000, 3)].zero_();
        using (var negativeZero = (-0.0).ToScalar()) x[7].fill_(negativeZero);
        using var expected = x.sqrt();
        var values = x.data<float>().ToArray();
        LibtorchSqrt.InPlace<float>(values);
        Assert.Equal(expected.data<float>().ToArray(), values);
        Assert.True(float.IsNegative(values[7]) && values[7] == 0, "√−0 must stay −0");
        using var xd = rand(100_003, dtype: ScalarType.Float64, generator: new Generator(10));
        xd[TensorIndex.Slice(100, 1300)].zero_();
        var valuesD = xd.data<double>().ToArray();
        LibtorchSqrt.InPlace<double>(valuesD);
        Assert.Equal(xd.sqrt().data<double>().ToArray(), valuesD);
    }

    [Fact]
    public void AdamResumesFromATorchSharpAdamCheckpointIdentically()
    {
        const ScalarType dtype = ScalarType.Float64;
        using var reference = Mlp(dtype);
        using var model = Mlp(dtype);
        using var torchAdam = optim.Adam(reference.parameters(), 0.01);
        Train(reference, 0, 20, dtype, torchAdam.zero_grad, lr => { foreach (var g in torchAdam.ParamGroups) g.LearningRate = lr; }, () => torchAdam.step());
        byte[] state = Serialize(torchAdam.save_state_dict);
        using (no_grad())
            foreach (var (p, q) in model.parameters().Zip(reference.parameters())) p.copy_(q);

        using var adam = new AdamOptimizer(model.parameters(), 0.5, 0.5, 0.5, 0.5); // all overwritten by Load
        using (var r = new BinaryReader(new MemoryStream(state))) adam.Load(r);
        Assert.Equal(20, adam.StepCount(0));
        Assert.Equal(state, Serialize(adam.Save));

        Train(reference, 20, 30, dtype, torchAdam.zero_grad, lr => { foreach (var g in torchAdam.ParamGroups) g.LearningRate = lr; }, () => torchAdam.step());
        Train(model, 20, 30, dtype, adam.ZeroGrad, lr => adam.LearningRate = lr, adam.Step);
        AssertSameBits(reference, model);
    }

    [Theory]
    [InlineData(ScalarType.Float64, 0.0)]
    [InlineData(ScalarType.Float32, 0.01)]
    public void SgdMatchesTorchSharpSgdBitForBit(ScalarType dtype, double weightDecay)
    {
        using var reference = Mlp(dtype);
        using var model = Mlp(dtype);
        using var torchSgd = optim.SGD(reference.parameters(), 0.01, weight_decay: weightDecay);
        using var sgd = new SgdOptimizer(model.parameters(), 0.01, weightDecay);

        Train(reference, 0, Steps, dtype, torchSgd.zero_grad, lr => { foreach (var g in torchSgd.ParamGroups) g.LearningRate = lr; }, () => torchSgd.step());
        Train(model, 0, Steps, dtype, sgd.ZeroGrad, lr => sgd.LearningRate = lr, sgd.Step);

        AssertSameBits(reference, model);
        Assert.Equal(Serialize(torchSgd.save_state_dict), Serialize(sgd.Save));
    }

    [Fact]
    public void LoadRejectsAnotherOptimizersState()
    {
        using var model = Mlp(ScalarType.Float64);
        using var sgd = new SgdOptimizer(model.parameters(), 0.01);
        using var adam = new AdamOptimizer(model.parameters(), 0.01);
        byte[] state = Serialize(sgd.Save);
        using var r = new BinaryReader(new MemoryStream(state));
        var e = Assert.Throws<InvalidDataException>(() => adam.Load(r));
        Assert.Contains("SGD", e.Message);
    }
}
