using Boltzmann.Autoregressive.Architectures;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Tests;

/// <summary>
/// The contract every architecture must satisfy, whatever its parameters: Q is normalised, sampling returns ln Q of
/// what it samples, samples follow Q, conditional i ignores x_j for j &gt;= i, seeded sampling is reproducible, the
/// parameter count matches the closed form, bad input is rejected with a clear message.
/// </summary>
public class AutoregressiveContractTests
{
    public static IEnumerable<object[]> Architectures => ArchitectureCases.All;

    [Theory]
    [MemberData(nameof(Architectures))]
    public void ProbabilitiesOfAllConfigurationsSumToOne(string name)
    {
        foreach (int n in new[] { 1, 2, 12 })
        {
            using var model = ArchitectureCases.Create(name, n);
            using var scope = NewDisposeScope();
            var logq = model.LogProb(ExactReference.ConfigurationTensor(n));
            double lnTotal = logq.logsumexp(0).item<double>();
            Assert.True(Math.Abs(lnTotal) < 1e-12, $"{name}, N = {n}: ln sum_x Q(x) = {lnTotal:E3}");
        }
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void NormalisedWithDefaultInitialisation(string name)
    {
        const int n = 10;
        using var model = ArchitectureCases.Create(name, n, rough: false);
        using var scope = NewDisposeScope();
        double lnTotal = model.LogProb(ExactReference.ConfigurationTensor(n)).logsumexp(0).item<double>();
        Assert.True(Math.Abs(lnTotal) < 1e-12, $"{name}: ln sum_x Q(x) = {lnTotal:E3}");
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void SampledLogProbEqualsTeacherForcedLogProb(string name)
    {
        const int n = 9;
        using var model = ArchitectureCases.Create(name, n);
        using var scope = NewDisposeScope();
        var (x, logq) = model.Sample(400, new Generator(11, CPU));
        Assert.Equal(new long[] { 400, n }, x.shape);
        Assert.Equal(ScalarType.Float64, x.dtype);
        Assert.True(x.abs().eq(1.0).all().item<bool>(), "samples must be +-1");
        double maxDiff = (model.LogProb(x) - logq).abs().max().item<double>();
        Assert.True(maxDiff < 1e-10, $"{name}: max |LogProb(sample) - sampled ln Q| = {maxDiff:E3}");
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void SampledFrequenciesMatchExactProbabilities(string name)
    {
        const int n = 5;
        const long samples = 40_000;
        using var model = ArchitectureCases.Create(name, n);
        var (stat, dof, threshold) = ChiSquare.TestSampler(model, samples, 2024);
        Assert.True(stat < threshold, $"{name}: chi^2 = {stat:F1} with {dof} dof exceeds the 4-sigma threshold {threshold:F1}");
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void LogitIDependsOnlyOnEarlierSpins(string name)
    {
        const int n = 8;
        using var model = ArchitectureCases.Create(name, n);
        using var scope = NewDisposeScope();
        var g = new Generator(5, CPU);
        var x = where(rand(64, n, dtype: ScalarType.Float64, generator: g) < 0.5, 1.0, -1.0);
        var logits = ArchitectureCases.ToArray(model.Logits(x));
        bool laterChanged = false;
        for (int j = 0; j < n; j++)
        {
            var flipped = x.clone();
            flipped.select(1, j).neg_();
            var perturbed = ArchitectureCases.ToArray(model.Logits(flipped));
            for (int b = 0; b < 64; b++)
                for (int i = 0; i < n; i++)
                {
                    double d = Math.Abs(perturbed[b * n + i] - logits[b * n + i]);
                    if (i <= j) Assert.True(d <= 1e-12, $"{name}: logit_{i} changed by {d:E3} when x_{j} was flipped");
                    else if (d > 1e-9) laterChanged = true;
                }
        }
        Assert.True(laterChanged, $"{name}: no logit reacted to any earlier spin; the perturbation test would be vacuous");
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void SeededSamplingIsReproducible(string name)
    {
        const int n = 7;
        using var model = ArchitectureCases.Create(name, n);
        using var scope = NewDisposeScope();
        var (x1, l1) = model.Sample(300, new Generator(99, CPU));
        var (x2, l2) = model.Sample(300, new Generator(99, CPU));
        var (x3, _) = model.Sample(300, new Generator(100, CPU));
        Assert.True(x1.eq(x2).all().item<bool>(), $"{name}: same seed gave different samples");
        Assert.True(l1.eq(l2).all().item<bool>(), $"{name}: same seed gave different log-probabilities");
        Assert.False(x1.eq(x3).all().item<bool>(), $"{name}: different seeds gave identical samples");
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void ParameterCountMatchesClosedForm(string name)
    {
        var architecture = AutoregressiveArchitecture.Parse(name);
        foreach (int n in new[] { 1, 2, 7, 13 })
        {
            using var model = ArchitectureCases.Create(name, n, rough: false);
            Assert.Equal(architecture.ParameterCount(n), model.ParameterCount);
            long learned = model.parameters().Sum(p => p.numel());
            Assert.True(model.TrainableParameterCount <= learned, $"{name}: counted {model.TrainableParameterCount} learned parameters but only {learned} are stored");
            Assert.Equal(name, model.Architecture);
        }
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void LogProbGradientMatchesFiniteDifferences(string name)
    {
        const int n = 6;
        const double eps = 1e-6;
        using var model = ArchitectureCases.Create(name, n);
        using var scope = NewDisposeScope();
        var g = new Generator(21, CPU);
        var x = where(rand(40, n, dtype: ScalarType.Float64, generator: g) < 0.5, 1.0, -1.0);
        var parameters = model.named_parameters().ToList();
        if (model.TrainableParameterCount == 0)
        {
            Assert.Empty(parameters); // CW_N: every parameter is analytic, nothing to differentiate
            return;
        }
        model.zero_grad();
        model.LogProb(x).mean().backward();
        var pick = new System.Random(4);
        int checkedEntries = 0;
        foreach (var (pname, p) in parameters)
        {
            var grad = ArchitectureCases.ToArray(p.grad!);
            for (int r = 0; r < 4; r++)
            {
                int k = pick.Next(grad.Length);
                double plus, minus;
                using (no_grad())
                {
                    var entry = p.view(-1)[k];
                    entry.add_(eps);
                    plus = model.LogProb(x).mean().item<double>();
                    entry.sub_(2 * eps);
                    minus = model.LogProb(x).mean().item<double>();
                    entry.add_(eps);
                }
                double numeric = (plus - minus) / (2 * eps);
                Assert.True(Math.Abs(numeric - grad[k]) < 1e-6 * Math.Max(1, Math.Abs(numeric)),
                    $"{name}: d mean ln Q / d {pname}[{k}] = {grad[k]:R} by autograd, {numeric:R} by central differences");
                checkedEntries++;
            }
        }
        Assert.True(checkedEntries > 0);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void RejectsMalformedInput(string name)
    {
        const int n = 4;
        using var model = ArchitectureCases.Create(name, n);
        using var scope = NewDisposeScope();
        var wrongShape = ones(3, n + 1, dtype: ScalarType.Float64);
        Assert.Contains("shape", Assert.Throws<ArgumentException>(() => model.LogProb(wrongShape)).Message);
        var wrongType = ones(3, n, dtype: ScalarType.Int64);
        Assert.Contains("float32 or float64", Assert.Throws<ArgumentException>(() => model.LogProb(wrongType)).Message);
        Assert.Throws<InvalidOperationException>(() => model.to(ScalarType.Float32)); // built in float64: no silent conversion
        var notSpins = zeros(3, n, dtype: ScalarType.Float64);
        Assert.Contains("-1 and +1", Assert.Throws<ArgumentException>(() => model.Logits(notSpins)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Sample(0));
    }
}
