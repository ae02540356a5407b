using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Tests;

/// <summary>
/// Float32 as a training precision: every architecture built in float32 samples float32 spins, is normalised over all
/// configurations to float32 rounding, and equals the float64 network with the same (rounded) parameters to ~1e-5 per
/// configuration; the float32 teacher-forced ln Q matches the float32 sampler's.
/// </summary>
public class Float32ContractTests
{
    public static IEnumerable<object[]> Architectures => ArchitectureCases.All;

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Float32NetworkEqualsTheFloat64NetworkAndIsNormalised(string name)
    {
        const int n = 10;
        using var single = ArchitectureCases.Create(name, n, dtype: ScalarType.Float32);
        using var reference = ArchitectureCases.Create(name, n);
        // The float64 reference with the float32 network's parameters (the same draws, rounded to float32).
        using (no_grad())
            foreach (var ((_, p32), (_, p64)) in single.named_parameters().Zip(reference.named_parameters()))
                p64.copy_(p32);
        Assert.Equal(ScalarType.Float32, single.DType);
        Assert.Equal(reference.TrainableParameterCount, single.TrainableParameterCount);
        Assert.Equal(reference.FixedParameterCount, single.FixedParameterCount);
        using var scope = NewDisposeScope();
        var all = ExactReference.ConfigurationTensor(n);
        var lnq32 = single.LogProb(all);
        Assert.Equal(ScalarType.Float32, lnq32.dtype);
        var lnq64 = reference.LogProb(all);
        double maxDiff = (lnq32.to_type(ScalarType.Float64) - lnq64).abs().max().item<double>();
        Assert.True(maxDiff < 2e-5, $"{name}: max |ln Q32 - ln Q64| = {maxDiff:E3}");
        double lnTotal = lnq32.to_type(ScalarType.Float64).logsumexp(0).item<double>();
        Assert.True(Math.Abs(lnTotal) < 2e-5, $"{name}: float32 ln sum_x Q(x) = {lnTotal:E3}");

        var (x, logq) = single.Sample(300, new Generator(5, CPU));
        Assert.Equal(ScalarType.Float32, x.dtype);
        Assert.Equal(ScalarType.Float64, logq.dtype);
        double sampled = (single.LogProb(x).to_type(ScalarType.Float64) - logq).abs().max().item<double>();
        Assert.True(sampled < 2e-5, $"{name}: float32 max |LogProb(sample) - sampled ln Q| = {sampled:E3}");
    }
}
