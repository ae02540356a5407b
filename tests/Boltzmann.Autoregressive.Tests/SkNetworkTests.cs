using Boltzmann.Autoregressive.Architectures;
using Boltzmann.Autoregressive.Models;
using Boltzmann.Physics.Sk;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Tests;

/// <summary>
/// SK_RS / SK_kRSB: the first layer (eqs. 8-10) against sums computed directly from the couplings, the conditionals
/// against a plain scalar implementation of eq. 20, the exactness of the parts the derivation fixes (the last
/// conditional, and the mean-field skip connection when the branches are switched off), and normalisation with the
/// paper's initialisation.
/// </summary>
public class SkNetworkTests
{
    private static SkReplicaNetwork Create(int k, SkInstance instance, double beta, Generator? init = null) =>
        k == 0 ? new SkRs(instance, beta, init: init) : new SkKRsb(instance, beta, k, init: init);

    private static (double[] X, Tensor T) RandomSpins(int batch, int n, ulong seed)
    {
        var g = new Generator(seed, CPU);
        var t = where(rand(batch, n, dtype: ScalarType.Float64, generator: g) < 0.5, 1.0, -1.0);
        return (ArchitectureCases.ToArray(t), t);
    }

    [Fact]
    public void FirstLayerEqualsDirectSumsOverTheCouplings()
    {
        const int n = 9, batch = 16;
        var instance = ArchitectureCases.Hamiltonian(AutoregressiveArchitecture.SkRs, n);
        var layer = new CouplingFirstLayer(instance, CPU);
        using var scope = NewDisposeScope();
        var (xs, x) = RandomSpins(batch, n, 1);
        var teacher = ArchitectureCases.ToArray(layer.PrefixFields(x));
        var recursive = layer.Start(batch);
        for (int i = 0; i < n; i++)
        {
            var step = ArchitectureCases.ToArray(recursive);
            for (int b = 0; b < batch; b++)
                for (int l = 0; l < n; l++)
                {
                    double direct = 0;                                    // eq. 9 (eq. 8 for l = i)
                    for (int s = 0; s < i; s++) direct += instance.J(s, l) * xs[b * n + s];
                    Assert.True(Math.Abs(teacher[(b * n + i) * n + l] - direct) < 1e-13, $"teacher-forced x^1[{i},{l}] differs");
                    Assert.True(Math.Abs(step[b * n + l] - direct) < 1e-13, $"recursive (eq. 10) x^1[{i},{l}] differs");
                }
            layer.Advance(recursive, i, x.select(1, i));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void ConditionalsEqualAScalarImplementationOfEquation20(int k)
    {
        const int n = 6, batch = 8;
        const double beta = 1.3;
        var instance = ArchitectureCases.Hamiltonian(AutoregressiveArchitecture.SkRs, n);
        using var model = Create(k, instance, beta);
        ArchitectureCases.Roughen(model, 0.8, 41);
        using var scope = NewDisposeScope();
        var (xs, x) = RandomSpins(batch, n, 2);
        var logits = ArchitectureCases.ToArray(model.Logits(x));
        var wp = ArchitectureCases.ToArray(model.WeightPlus);
        var bp = ArchitectureCases.ToArray(model.BiasPlus);
        var wm = ArchitectureCases.ToArray(model.WeightMinus);
        var bm = ArchitectureCases.ToArray(model.BiasMinus);
        var w0p = ArchitectureCases.ToArray(model.OutputPlus);
        var w0m = ArchitectureCases.ToArray(model.OutputMinus);
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < n; i++)
            {
                double self = 0;
                for (int s = 0; s < i; s++) self += instance.J(s, i) * xs[b * n + s];
                double rhoPlus = 0, rhoMinus = 0;
                for (int l = i + 1; l < n; l++)
                {
                    double field = 0;
                    for (int s = 0; s < i; s++) field += instance.J(s, l) * xs[b * n + s];
                    rhoPlus += Nested(wp, bp, i, l, field);
                    rhoMinus += Nested(wm, bm, i, l, field);
                }
                double expected = 2 * beta * (instance.Fields[i] + self) + w0p[i] * rhoPlus - w0m[i] * rhoMinus;
                Assert.True(Math.Abs(logits[b * n + i] - expected) < 1e-12, $"k = {k}, conditional {i}: {logits[b * n + i]:R} vs {expected:R}");
            }

        // ln sigma(b_1 + w_1 ln sigma(b_2 + ... ln sigma(b_{k+1} + w_{k+1} field))); layer t stored at index t - 1.
        double Nested(double[] w, double[] bias, int i, int l, double field)
        {
            double y = field;
            for (int t = k; t >= 0; t--)
            {
                int at = (t * n + i) * n + l;
                double z = bias[at] + w[at] * y;
                y = z >= 0 ? -Math.Log(1 + Math.Exp(-z)) : z - Math.Log(1 + Math.Exp(z));
            }
            return y;
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void LastConditionalIsTheExactBoltzmannConditional(int k)
    {
        const int n = 10;
        const double beta = 1.7;
        var instance = ArchitectureCases.Hamiltonian(AutoregressiveArchitecture.SkRs, n);
        using var model = Create(k, instance, beta);
        ArchitectureCases.Roughen(model, 0.8, 5);
        using var scope = NewDisposeScope();
        var logits = ArchitectureCases.ToArray(model.Logits(ExactReference.ConfigurationTensor(n)));
        var exact = ExactReference.ConditionalLogits(instance, beta);
        for (int c = 0; c < 1 << n; c++)
            Assert.True(Math.Abs(logits[c * n + n - 1] - exact[c * n + n - 1]) < 1e-11, $"configuration {c}: last logit differs from the Boltzmann conditional");
    }

    [Fact]
    public void WithoutBranchesTheNetworkIsTheMeanFieldSkipConnection()
    {
        const int n = 8;
        const double beta = 0.6;
        var instance = ArchitectureCases.Hamiltonian(AutoregressiveArchitecture.SkRs, n);
        using var model = Create(2, instance, beta);
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            model.OutputPlus.zero_();
            model.OutputMinus.zero_();
        }
        var (xs, x) = RandomSpins(4, n, 3);
        var logits = ArchitectureCases.ToArray(model.Logits(x));
        for (int b = 0; b < 4; b++)
            for (int i = 0; i < n; i++)
            {
                double field = instance.Fields[i];
                for (int s = 0; s < i; s++) field += instance.J(s, i) * xs[b * n + s];
                Assert.Equal(2 * beta * field, logits[b * n + i], 12);
            }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void NormalisedWithThePapersInitialisation(int k)
    {
        const int n = 12;
        var instance = ArchitectureCases.Hamiltonian(AutoregressiveArchitecture.SkRs, n, seed: 13);
        using var model = Create(k, instance, 1.5);
        using var scope = NewDisposeScope();
        double lnTotal = model.LogProb(ExactReference.ConfigurationTensor(n)).logsumexp(0).item<double>();
        Assert.True(Math.Abs(lnTotal) < 1e-12, $"k = {k}: ln sum_x Q(x) = {lnTotal:E3}");
        // Innermost layer "small random values" N(0, 1/N^2); outer nested layers w = 1, b = -2; output weights -1.
        var w = ArchitectureCases.ToArray(model.WeightPlus);
        var b = ArchitectureCases.ToArray(model.BiasMinus);
        int layer = n * n;
        double std = w.Skip(k * layer).Select(v => v * v).Average();
        Assert.InRange(Math.Sqrt(std), 0.5 / n, 2.0 / n);
        Assert.All(w.Take(k * layer), v => Assert.Equal(SkReplicaNetwork.OuterLayerWeight, v));
        Assert.All(b.Take(k * layer), v => Assert.Equal(SkReplicaNetwork.OuterLayerBias, v));
        Assert.All(ArchitectureCases.ToArray(model.OutputPlus), v => Assert.Equal(SkReplicaNetwork.OutputWeight, v));
    }

    [Fact]
    public void TeacherForcingOverManyChunksMatchesOneChunk()
    {
        const int n = 40; // 2^18 / 40^2 = 163 rows per chunk: 3000 rows use 19 chunks
        var instance = ArchitectureCases.Hamiltonian(AutoregressiveArchitecture.SkRs, n);
        using var model = Create(1, instance, 1.0);
        ArchitectureCases.Roughen(model, 0.5, 9);
        using var scope = NewDisposeScope();
        var (_, x) = RandomSpins(3000, n, 4);
        var all = model.LogProb(x);
        var pieces = cat([model.LogProb(x.slice(0, 0, 1000, 1)), model.LogProb(x.slice(0, 1000, 3000, 1))], 0);
        Assert.True((all - pieces).abs().max().item<double>() < 1e-12);
    }

    [Fact]
    public void RejectsInvalidArguments()
    {
        var instance = ArchitectureCases.Hamiltonian(AutoregressiveArchitecture.SkRs, 5);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SkKRsb(instance, 1.0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SkRs(instance, double.NaN));
        Assert.Throws<ArgumentNullException>(() => new SkRs(null!, 1.0));
    }
}
