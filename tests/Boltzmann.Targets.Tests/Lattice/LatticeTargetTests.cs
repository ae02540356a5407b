using Boltzmann.Learning.Targets;
using Boltzmann.Physics.Lattice;
using Boltzmann.Targets.Lattice;
using static TorchSharp.torch;

namespace Boltzmann.Targets.Tests.Lattice;

/// <summary>
/// The tensor targets against direct loops written here (site i = x T + t, links mu V + site) and against the
/// plain-C# twins Phi4Action / U1WilsonAction (values and autograd gradient vs ActionAndGradient), in float64 to 1e-12.
/// </summary>
public class LatticeTargetTests
{
    private static double[] RandomField(int n, int seed, double scale)
    {
        var rng = new System.Random(seed);
        var a = new double[n];
        for (int i = 0; i < n; i++) a[i] = scale * (2 * rng.NextDouble() - 1);
        return a;
    }

    private static double LoopPhi4(double[] phi, int l, int t, double kappa, double lambda, int offset)
    {
        double s = 0;
        for (int x = 0; x < l; x++)
            for (int y = 0; y < t; y++)
            {
                double p = phi[offset + x * t + y];
                double hop = phi[offset + ((x + 1) % l) * t + y] + phi[offset + x * t + (y + 1) % t];
                s += -2 * kappa * p * hop + (1 - 2 * lambda) * p * p + lambda * p * p * p * p;
            }
        return s;
    }

    private static double LoopPlaquette(double[] links, int l, int t, int x, int y, int offset)
    {
        int v = l * t;
        int n = x * t + y, nx = ((x + 1) % l) * t + y, ny = x * t + (y + 1) % t;
        return links[offset + n] + links[offset + v + nx] - links[offset + ny] - links[offset + v + n];
    }

    [Theory]
    [InlineData(3, 5, 0.27, 0.7)]
    [InlineData(4, 4, 0.2, 0.0)]
    [InlineData(2, 3, 0.1, 1.5)]
    public void Phi4MatchesLoopsAndPlainAction(int l, int t, double kappa, double lambda)
    {
        int v = l * t, batch = 4;
        var data = RandomField(batch * v, 17 + l * t, 2.0);
        using var target = new Phi4Target(l, t, kappa, lambda);
        using var scope = NewDisposeScope();
        var x = tensor(data, [batch, l, t], ScalarType.Float64);
        var (logProb, grad) = target.LogProbAndGradient(x);
        var lp = logProb.data<double>().ToArray();
        var g = grad.data<double>().ToArray();
        var action = new Phi4Action(new Lattice2D(l, t), kappa, lambda);
        var plainGrad = new double[v];
        for (int b = 0; b < batch; b++)
        {
            double loop = LoopPhi4(data, l, t, kappa, lambda, b * v);
            double plain = action.ActionAndGradient(data.AsSpan(b * v, v), plainGrad);
            Assert.True(Math.Abs(-lp[b] - loop) < 1e-12 * Math.Max(1, Math.Abs(loop)), $"{-lp[b]} vs loop {loop}");
            Assert.True(Math.Abs(-lp[b] - plain) < 1e-12 * Math.Max(1, Math.Abs(plain)), $"{-lp[b]} vs plain {plain}");
            for (int i = 0; i < v; i++) Assert.True(Math.Abs(-g[b * v + i] - plainGrad[i]) < 1e-12, $"grad {i}: {-g[b * v + i]} vs {plainGrad[i]}");
        }
        var m = Phi4Target.Magnetisation(x).data<double>().ToArray();
        for (int b = 0; b < batch; b++) Assert.True(Math.Abs(m[b] - data.Skip(b * v).Take(v).Average()) < 1e-14);
    }

    [Theory]
    [InlineData(3, 5, 1.3)]
    [InlineData(4, 4, 2.0)]
    [InlineData(2, 2, 0.5)]
    public void U1MatchesLoopsAndPlainAction(int l, int t, double beta)
    {
        int v = l * t, batch = 4;
        var data = RandomField(batch * 2 * v, 29 + l * t, 3.0); // unwrapped angles in (−3, 3)
        using var target = new U1Target(l, t, beta);
        using var scope = NewDisposeScope();
        var x = tensor(data, [batch, 2, l, t], ScalarType.Float64);
        var (logProb, grad) = target.LogProbAndGradient(x);
        var lp = logProb.data<double>().ToArray();
        var g = grad.data<double>().ToArray();
        var angles = U1TensorObservables.PlaquetteAngles(x).data<double>().ToArray();
        var qz = U1TensorObservables.ChargeZ(x).data<double>().ToArray();
        var qr = U1TensorObservables.ChargeR(x).data<double>().ToArray();
        var plaq = U1TensorObservables.AveragePlaquette(x).data<double>().ToArray();
        var lattice = new Lattice2D(l, t);
        var action = new U1WilsonAction(lattice, beta);
        var plainGrad = new double[2 * v];
        for (int b = 0; b < batch; b++)
        {
            double loop = 0;
            for (int xx = 0; xx < l; xx++)
                for (int y = 0; y < t; y++)
                {
                    double p = LoopPlaquette(data, l, t, xx, y, b * 2 * v);
                    Assert.True(Math.Abs(angles[b * v + xx * t + y] - p) < 1e-14);
                    loop += beta * (1 - Math.Cos(p));
                }
            var links = data.AsSpan(b * 2 * v, 2 * v);
            double plain = action.ActionAndGradient(links, plainGrad);
            Assert.True(Math.Abs(-lp[b] - loop) < 1e-12 * Math.Max(1, loop), $"{-lp[b]} vs loop {loop}");
            Assert.True(Math.Abs(-lp[b] - plain) < 1e-12 * Math.Max(1, plain), $"{-lp[b]} vs plain {plain}");
            for (int i = 0; i < 2 * v; i++) Assert.True(Math.Abs(-g[b * 2 * v + i] - plainGrad[i]) < 1e-12, $"grad {i}");
            var summary = U1Observables.Summarise(lattice, links);
            Assert.True(Math.Abs(qz[b] - summary.QZRaw) < 1e-12);
            Assert.True(Math.Abs(qz[b] - Math.Round(qz[b])) < 1e-12, $"Q_Z = {qz[b]} is not an integer");
            Assert.True(Math.Abs(qr[b] - summary.QR) < 1e-12);
            Assert.True(Math.Abs(plaq[b] - summary.MeanCos) < 1e-14);
        }
    }

    [Fact]
    public void WrapMatchesThePlainConvention()
    {
        double[] xs = [Math.PI, -Math.PI, 3 * Math.PI, -3 * Math.PI + 1e-9, 0.3, 7.1, -9.4];
        using var scope = NewDisposeScope();
        var w = U1TensorObservables.Wrap(tensor(xs, ScalarType.Float64)).data<double>().ToArray();
        for (int i = 0; i < xs.Length; i++)
        {
            Assert.True(Math.Abs(w[i] - U1Observables.Wrap(xs[i])) < 1e-14, $"{xs[i]}: {w[i]} vs {U1Observables.Wrap(xs[i])}");
            Assert.True(w[i] > -Math.PI && w[i] <= Math.PI);
        }
    }

    [Fact]
    public void Float32TargetsAgreeWithFloat64()
    {
        using var scope = NewDisposeScope();
        using var phi64 = new Phi4Target(4, 4, 0.25, 0.5);
        using var phi32 = new Phi4Target(4, 4, 0.25, 0.5, ScalarType.Float32);
        using var u64 = new U1Target(4, 4, 2.0);
        using var u32 = new U1Target(4, 4, 2.0, ScalarType.Float32);
        var f = tensor(RandomField(3 * 16, 5, 1.5), [3, 4, 4], ScalarType.Float64);
        var lk = tensor(RandomField(3 * 32, 6, 3.0), [3, 2, 4, 4], ScalarType.Float64);
        var a = phi64.LogProb(f); var b = phi32.LogProb(f.to(ScalarType.Float32));
        Assert.Equal(ScalarType.Float32, b.dtype);
        Assert.True((a - b.to(ScalarType.Float64)).abs().max().item<double>() < 1e-4 * a.abs().max().item<double>());
        var c = u64.LogProb(lk); var d = u32.LogProb(lk.to(ScalarType.Float32));
        Assert.True((c - d.to(ScalarType.Float64)).abs().max().item<double>() < 1e-4 * c.abs().max().item<double>());
        Assert.Equal([4L, 4L], phi64.EventShape);
        Assert.Equal([2L, 4L, 4L], u64.EventShape);
    }

    [Fact]
    public void RejectsWrongShapes()
    {
        using var phi = new Phi4Target(4, 4, 0.2, 0.1);
        using var u = new U1Target(4, 4, 1.0);
        using var bad = zeros([2, 4, 5], ScalarType.Float64);
        Assert.Throws<ArgumentException>(() => phi.LogProb(bad));
        Assert.Throws<ArgumentException>(() => u.LogProb(bad));
    }
}
