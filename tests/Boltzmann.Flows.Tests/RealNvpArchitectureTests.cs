using Boltzmann.Flows.Coupling;
using Boltzmann.Random;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Tests;

/// <summary>The flow is built as Hartnett &amp; Mohseni 2020, Appendix A.1 describes it.</summary>
public class RealNvpArchitectureTests
{
    [Fact]
    public void MasksAreRandomHalvesAndTheirComplementsDrawnFromTheSeed()
    {
        const int n = 256;
        var masks = CouplingMasks.Draw(n, 5, seed: 42);
        Assert.Equal(5, masks.Length);
        for (int k = 0; k + 1 < 5; k += 2)
            for (int i = 0; i < n; i++)
                Assert.Equal(!masks[k][i], masks[k + 1][i]);
        // Each index in A^(2k) with probability 1/2: |A| ~ Binomial(256, 1/2) = 128 ± 8.
        foreach (int k in new[] { 0, 2, 4 })
            Assert.InRange(masks[k].Count(b => b), 128 - 32, 128 + 32);
        Assert.NotEqual(masks[0], masks[2]);

        // Reproduced by the seed alone, independent of anything else; another seed differs.
        Assert.Equal(masks, CouplingMasks.Draw(n, 5, seed: 42));
        Assert.NotEqual(masks[0], CouplingMasks.Draw(n, 5, seed: 43)[0]);
        var rng = RandomStreams.For(42, CouplingMasks.StreamName);
        Assert.Equal(rng.NextDouble() < 0.5, masks[0][0]);

        using var flow = new RealNvp(new RealNvpOptions { Dimension = n, Layers = 5, Seed = 42 });
        Assert.Equal(masks, flow.Masks);
    }

    [Fact]
    public void ConditionersAreMlpsWithThreeHiddenLayersOfWidthNAndTheStatedActivations()
    {
        const int n = 12;
        using var flow = new RealNvp(new RealNvpOptions { Dimension = n, Seed = 1 });
        Assert.Equal(4, flow.LayerCount);
        long used = 0;
        foreach (var coupling in flow.Couplings)
        {
            int a = coupling.Mask.Count(m => m), b = n - a;
            foreach (var net in new[] { coupling.S, coupling.T })
            {
                // The compact form of the paper's N → N → N → N → N network: first layer on the B columns, last on the A rows.
                Assert.Equal(4, net.Layers.Count);
                Assert.Equal(new long[] { n, b }, net.Layers[0].weight!.shape);
                Assert.Equal(new long[] { n, n }, net.Layers[1].weight!.shape);
                Assert.Equal(new long[] { n, n }, net.Layers[2].weight!.shape);
                Assert.Equal(new long[] { a, n }, net.Layers[3].weight!.shape);
                Assert.Equal(new long[] { a }, net.Layers[3].bias!.shape);
                used += n * b + 2 * n * n + a * n + 3 * n + a;
            }
            Assert.Equal(ConditionerOutput.Tanh, coupling.S.Output);
            Assert.Equal(ConditionerOutput.Identity, coupling.T.Output);
        }
        Assert.Equal(used, flow.parameters().Sum(p => p.numel()));

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        // s is tanh-bounded, t is not: feed large inputs and look at the raw conditioner outputs.
        int b0 = flow.Couplings[0].S.InputCount, b1 = flow.Couplings[1].S.InputCount;
        var big0 = randn([64, b0], ScalarType.Float64, generator: new Generator(2, CPU)).mul(50);
        var s = flow.Couplings[0].S.call(big0);
        var t = flow.Couplings[0].T.call(big0);
        Assert.True(s.abs().max().item<double>() < 1);
        Assert.True(t.abs().max().item<double>() > 1);
        // The conditioners compute tanh(W4 a(W3 a(W2 a(W1 y + b1) + b2) + b3) + b4) (s) and the same without tanh (t),
        // a = LeakyReLU with slope 0.01: recompute by hand and check that ReLU would give something else.
        var big = randn([64, b1], ScalarType.Float64, generator: new Generator(3, CPU)).mul(50);
        foreach (var (net, useTanh) in new[] { (flow.Couplings[1].S, true), (flow.Couplings[1].T, false) })
        {
            Tensor Manual(double slope)
            {
                var h = big;
                for (int i = 0; i < 4; i++)
                {
                    var linear = net.Layers[i];
                    h = h.matmul(linear.weight!.t()).add(linear.bias!);
                    if (i < 3) h = where(h.gt(0), h, h.mul(slope));
                }
                return useTanh ? h.tanh() : h;
            }
            var actual = net.call(big);
            Assert.True(actual.sub(Manual(0.01)).abs().max().item<double>() < 1e-10);
            Assert.True(actual.sub(Manual(0.0)).abs().max().item<double>() > 1e-6);
        }
    }

    /// <summary>
    /// The compact conditioners are the restriction of the paper's full masked network drawn from the same seed: the
    /// full N → … → N MLP initialised as PyTorch's Linear would be (U(±1/√fan_in), fan_in = N on the first layer), fed
    /// y ⊙ (1 − m), read on A, equals the compact network on y_B.
    /// </summary>
    [Fact]
    public void CompactConditionersAreTheFullMaskedNetworkDrawnFromTheSameGenerator()
    {
        const int n = 9, width = 5;
        var mask = new[] { true, false, false, true, true, false, true, false, false };
        var active = Enumerable.Range(0, n).Where(i => mask[i]).ToArray();
        var passive = Enumerable.Range(0, n).Where(i => !mask[i]).ToArray();
        using var net = new ConditionerMlp("s", n, passive, active, 2, width, 0.01, ConditionerOutput.Tanh, ScalarType.Float64, CPU);
        net.Initialize(new Generator(11, CPU));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var generator = new Generator(11, CPU);
        var y = randn([30, n], ScalarType.Float64, generator: new Generator(12, CPU));
        var h = y.mul(tensor(mask.Select(m => m ? 0.0 : 1.0).ToArray(), ScalarType.Float64));
        int[] sizes = [n, width, width, n];
        for (int i = 0; i < 3; i++)
        {
            double bound = 1 / Math.Sqrt(sizes[i]);
            var w = empty([sizes[i + 1], sizes[i]], ScalarType.Float64).uniform_(-bound, bound, generator);
            var b = empty([sizes[i + 1]], ScalarType.Float64).uniform_(-bound, bound, generator);
            h = h.matmul(w.t()).add(b);
            h = i < 2 ? where(h.gt(0), h, h.mul(0.01)) : h.tanh();
        }
        var expected = h.index_select(1, tensor(active.Select(i => (long)i).ToArray()));
        var actual = net.call(y.index_select(1, tensor(passive.Select(i => (long)i).ToArray())));
        Assert.True(actual.sub(expected).abs().max().item<double>() < 1e-12);
    }

    [Fact]
    public void EachCouplingLeavesItsPassiveCoordinatesUntouchedAndItsLogDetIsBoundedByTheActiveCount()
    {
        const int n = 10;
        using var flow = new RealNvp(new RealNvpOptions { Dimension = n, Layers = 4, Seed = 8 });
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var y = randn([200, n], ScalarType.Float64, generator: new Generator(5, CPU)).mul(3);
        foreach (var coupling in flow.Couplings)
        {
            var mask = coupling.Mask;
            var (x, logDet) = coupling.Forward(y);
            var passive = Enumerable.Range(0, n).Where(i => !mask[i]).ToArray();
            var active = Enumerable.Range(0, n).Where(i => mask[i]).ToArray();
            foreach (int i in passive)
                Assert.True(TensorCompare.Identical(x.select(1, i), y.select(1, i)), $"passive coordinate {i} changed");
            foreach (int i in active)
                Assert.False(TensorCompare.Identical(x.select(1, i), y.select(1, i)), $"active coordinate {i} unchanged");
            Assert.True(logDet.abs().max().item<double>() < active.Length);
            y = x;
        }
    }

    [Fact]
    public void WeightsDependOnlyOnTheSeedAndAgreeBetweenFloat32AndFloat64()
    {
        using var a = new RealNvp(new RealNvpOptions { Dimension = 6, Seed = 3 });
        using var b = new RealNvp(new RealNvpOptions { Dimension = 6, Seed = 3 });
        using var c = new RealNvp(new RealNvpOptions { Dimension = 6, Seed = 4 });
        using var f32 = new RealNvp(new RealNvpOptions { Dimension = 6, Seed = 3, Dtype = ScalarType.Float32 });
        var pa = a.parameters().ToArray();
        var pb = b.parameters().ToArray();
        var pc = c.parameters().ToArray();
        var p32 = f32.parameters().ToArray();
        using var scope = NewDisposeScope();
        for (int i = 0; i < pa.Length; i++)
        {
            Assert.True(TensorCompare.Identical(pa[i], pb[i]));
            Assert.False(TensorCompare.Identical(pa[i], pc[i]));
            Assert.True(TensorCompare.Identical(pa[i].to_type(ScalarType.Float32), p32[i]));
        }
        using var _ = no_grad();
        var z = randn([50, 6], ScalarType.Float64, generator: new Generator(6, CPU));
        var (x64, ld64) = a.Forward(z);
        var (x32, ld32) = f32.Forward(z.to_type(ScalarType.Float32));
        Assert.True(x64.sub(x32.to_type(ScalarType.Float64)).abs().max().item<double>() < 1e-5);
        Assert.True(ld64.sub(ld32.to_type(ScalarType.Float64)).abs().max().item<double>() < 1e-5);
    }

    [Fact]
    public void NumericSentinelsDoNotChangeResults()
    {
        using var guarded = new RealNvp(new RealNvpOptions { Dimension = 7, Seed = 9 });
        using var unguarded = new RealNvp(new RealNvpOptions { Dimension = 7, Seed = 9, CheckNumerics = false });
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var (x1, l1) = guarded.Sample(40, new Generator(1, CPU));
        var (x2, l2) = unguarded.Sample(40, new Generator(1, CPU));
        Assert.True(TensorCompare.Identical(x1, x2));
        Assert.True(TensorCompare.Identical(l1, l2));
    }

    [Fact]
    public void AnOddLayerCountEndsWithAFreshRandomMask()
    {
        var masks = CouplingMasks.Draw(64, 3, seed: 5);
        Assert.NotEqual(masks[0], masks[2]);
        Assert.NotEqual(masks[1], masks[2]);
    }
}
