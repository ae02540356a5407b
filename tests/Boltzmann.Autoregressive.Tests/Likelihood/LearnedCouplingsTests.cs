using Boltzmann.Autoregressive.Architectures;
using Boltzmann.Autoregressive.Likelihood;
using Boltzmann.Autoregressive.Models;
using Boltzmann.Physics.Sk;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Tests.Likelihood;

/// <summary>
/// The learnable first layer of SK_RS / SK_kRSB (Biazzo 2023, eqs. 8-10 with W in place of J; Fig. 6): initialised at
/// J it is the fixed-layer network to 1e-12; with any W the network stays normalised over all 2^N configurations and its
/// ancestral sampling (eq. 10 recursion with W) agrees with teacher forcing; autograd gradients of the coupling
/// parameter agree with central finite differences; W is symmetric with zero diagonal; an untrained learned network
/// does not read J at all; parameter counts follow the closed form.
/// </summary>
public class LearnedCouplingsTests
{
    public LearnedCouplingsTests() => torch.set_num_threads(1);

    private static SkReplicaNetwork Create(int k, SkInstance instance, double beta, ulong seed, LearnedCouplings? learned) =>
        k == 0 ? new SkRs(instance, beta, init: new Generator(seed, CPU), learnedCouplings: learned)
               : new SkKRsb(instance, beta, k, init: new Generator(seed, CPU), learnedCouplings: learned);

    private static Tensor RandomSpins(int batch, int n, ulong seed)
    {
        var g = new Generator(seed, CPU);
        return where(rand(batch, n, dtype: ScalarType.Float64, generator: g) < 0.5, 1.0, -1.0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void InitialisedAtTheCouplingsItIsTheFixedLayerNetwork(int k)
    {
        const int n = 12;
        var instance = ArchitectureCases.Hamiltonian(AutoregressiveArchitecture.SkRs, n);
        using var fixedModel = Create(k, instance, 1.1, 3, null);
        using var learned = Create(k, instance, 1.1, 3, LearnedCouplings.FromHamiltonian);
        Assert.True(learned.IsFirstLayerLearned);
        Assert.False(fixedModel.IsFirstLayerLearned);
        using var scope = NewDisposeScope();
        var x = RandomSpins(64, n, 5);
        double diff = (fixedModel.LogProb(x) - learned.LogProb(x)).abs().max().item<double>();
        Assert.True(diff < 1e-12, $"k = {k}: ln Q differs by {diff:E2}");

        var (xf, lf) = fixedModel.Sample(256, new Generator(11, CPU));
        var (xl, ll) = learned.Sample(256, new Generator(11, CPU));
        Assert.False(xf.ne(xl).any().item<bool>(), "ancestral samples differ");
        Assert.True((lf - ll).abs().max().item<double>() < 1e-12, "ancestral ln Q differs");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void NormalisedAndSamplingAgreesWithTeacherForcingForAnyWeights(int k)
    {
        const int n = 10;
        var instance = ArchitectureCases.Hamiltonian(AutoregressiveArchitecture.SkRs, n, seed: 17);
        using var model = Create(k, instance, 1.4, 9, LearnedCouplings.SmallRandom(0.05));
        ArchitectureCases.Roughen(model, 0.6, 21); // every parameter, W included, far from its initial values
        using var scope = NewDisposeScope();
        double lnTotal = model.LogProb(ExactLikelihoodReference.Configurations(n)).logsumexp(0).item<double>();
        Assert.True(Math.Abs(lnTotal) < 1e-12, $"k = {k}: ln sum_x Q(x) = {lnTotal:E3}");
        var (x, lnq) = model.Sample(500, new Generator(4, CPU));
        double diff = (model.LogProb(x) - lnq).abs().max().item<double>();
        Assert.True(diff < 1e-11, $"k = {k}: ancestral ln Q differs from teacher forcing by {diff:E2}");
    }

    [Fact]
    public void WeightsAreSymmetricWithZeroDiagonalAndTheUpperTriangleIsTheParameter()
    {
        const int n = 7;
        var instance = ArchitectureCases.Hamiltonian(AutoregressiveArchitecture.SkRs, n);
        using var model = Create(1, instance, 1.0, 2, LearnedCouplings.SmallRandom(0.1));
        var w = model.FirstLayer.WeightsArray();
        var upper = ArchitectureCases.ToArray(model.FirstLayer.UpperTriangle!);
        Assert.Equal(n * (n - 1) / 2, upper.Length);
        for (int i = 0, p = 0; i < n; i++)
        {
            Assert.Equal(0.0, w[i * n + i]);
            for (int l = i + 1; l < n; l++, p++)
            {
                Assert.Equal(upper[p], w[i * n + l]);
                Assert.Equal(upper[p], w[l * n + i]);
            }
        }
        double rms = Math.Sqrt(upper.Select(v => v * v).Average());
        Assert.InRange(rms, 0.05, 0.2); // N(0, 0.1^2): "small random values"
    }

    [Fact]
    public void UntrainedLearnedNetworkDoesNotReadTheHamiltoniansCouplings()
    {
        const int n = 9;
        var a = ArchitectureCases.Hamiltonian(AutoregressiveArchitecture.SkRs, n, seed: 1);
        var b = ArchitectureCases.Hamiltonian(AutoregressiveArchitecture.SkRs, n, seed: 2);
        var sameFields = new SkInstance(n, b.Couplings.ToArray(), a.Fields.ToArray());
        using var ma = Create(1, a, 1.2, 6, LearnedCouplings.SmallRandom(0.02));
        using var mb = Create(1, sameFields, 1.2, 6, LearnedCouplings.SmallRandom(0.02));
        using var fixedA = Create(1, a, 1.2, 6, null);
        using var fixedB = Create(1, sameFields, 1.2, 6, null);
        using var scope = NewDisposeScope();
        var x = RandomSpins(32, n, 8);
        Assert.True((ma.LogProb(x) - mb.LogProb(x)).abs().max().item<double>() == 0, "a learned first layer must not depend on J");
        Assert.True((fixedA.LogProb(x) - fixedB.LogProb(x)).abs().max().item<double>() > 1e-3, "control: the fixed layer does depend on J");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void CouplingGradientsMatchFiniteDifferences(int k)
    {
        const int n = 8;
        var instance = ArchitectureCases.Hamiltonian(AutoregressiveArchitecture.SkRs, n, seed: 4);
        using var model = Create(k, instance, 1.3, 12, LearnedCouplings.SmallRandom(0.1));
        ArchitectureCases.Roughen(model, 0.5, 31);
        var x = RandomSpins(40, n, 13);
        var upper = model.FirstLayer.UpperTriangle!;
        double Loss()
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            return (-model.LogProb(x).mean()).item<double>();
        }
        double[] analytic;
        using (var scope = NewDisposeScope())
        {
            upper.grad?.zero_();
            (-model.LogProb(x).mean()).backward();
            analytic = ArchitectureCases.ToArray(upper.grad!);
        }
        const double h = 1e-5;
        foreach (int p in new[] { 0, 3, 11, 20, 27 })
        {
            double saved;
            using (var scope = NewDisposeScope()) saved = upper[p].item<double>();
            double Shifted(double delta)
            {
                using (no_grad()) upper[p] = saved + delta;
                return Loss();
            }
            double numeric = (Shifted(h) - Shifted(-h)) / (2 * h);
            using (no_grad()) upper[p] = saved;
            Assert.True(Math.Abs(numeric - analytic[p]) <= 1e-7 + 1e-6 * Math.Abs(numeric),
                $"k = {k}, pair {p}: autograd {analytic[p]:R}, finite difference {numeric:R}");
            Assert.True(Math.Abs(analytic[p]) > 1e-4, $"pair {p}: gradient {analytic[p]:E2} too small to test anything");
        }
    }

    [Theory]
    [InlineData(5, 0)]
    [InlineData(13, 1)]
    [InlineData(20, 2)]
    public void ParameterCountsFollowTheClosedForm(int n, int k)
    {
        var instance = ArchitectureCases.Hamiltonian(AutoregressiveArchitecture.SkRs, n);
        using var fixedModel = Create(k, instance, 1.0, 1, null);
        using var learned = Create(k, instance, 1.0, 1, LearnedCouplings.SmallRandom(0.01));
        long pairs = n * (n - 1) / 2;
        Assert.Equal(SkReplicaNetwork.TrainableParameterCountFormula(n, k, true), learned.TrainableParameterCount);
        Assert.Equal(SkReplicaNetwork.FixedParameterCountFormula(n, k, true), learned.FixedParameterCount);
        Assert.Equal(n, learned.FixedParameterCount);                                        // only the fields stay fixed
        Assert.Equal(fixedModel.TrainableParameterCount + pairs, learned.TrainableParameterCount);
        Assert.Equal(fixedModel.ParameterCount, learned.ParameterCount);                     // couplings move, the total does not
        Assert.Equal(SkReplicaNetwork.ParameterCountFormula(n, k), learned.ParameterCount);
        Assert.Equal(SkReplicaNetwork.TrainableParameterCountFormula(n, k), SkReplicaNetwork.TrainableParameterCountFormula(n, k, false));
        long inTensors = learned.parameters().Sum(p => p.numel());
        long masked = 4L * (k + 1) * (n * n - pairs) + 2;                                     // entries l <= i and w0 of the last conditional
        Assert.Equal(learned.TrainableParameterCount, inTensors - masked);
    }

    [Fact]
    public void PapersFigure6NetworkSize()
    {
        // SK_1RSB with a learned first layer at N = 100: 2*2*100*99 + 2*99 + 100*99/2 learned, 100 fixed fields.
        Assert.Equal(39_600 + 198 + 4_950, SkReplicaNetwork.TrainableParameterCountFormula(100, 1, true));
        Assert.Equal(100, SkReplicaNetwork.FixedParameterCountFormula(100, 1, true));
    }

    [Fact]
    public void RejectsInvalidInitialScale()
    {
        var instance = ArchitectureCases.Hamiltonian(AutoregressiveArchitecture.SkRs, 5);
        Assert.Throws<ArgumentException>(() => new SkKRsb(instance, 1.0, 1, learnedCouplings: LearnedCouplings.SmallRandom(0)));
        Assert.Throws<ArgumentException>(() => new SkRs(instance, 1.0, learnedCouplings: LearnedCouplings.SmallRandom(double.NaN)));
    }
}
