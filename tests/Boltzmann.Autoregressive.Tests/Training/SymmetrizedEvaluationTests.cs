using Boltzmann.Targets.Spins;
using Boltzmann.Autoregressive.Architectures;
using Boltzmann.Autoregressive.Training;
using Boltzmann.Physics.CurieWeiss;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Tests.Training;

/// <summary>
/// The Z2-symmetrised evaluation of <see cref="ModelEvaluation"/> against the exact finite-N Curie-Weiss free energy:
/// a model that samples only the M &gt; 0 half of the zero-field distribution below T_c gives a raw NIS free energy
/// ln 2/(beta N) too high with a perfect reverse ESS, while NIS with q_sym = (Q(x) + Q(-x))/2 is unbiased.
/// </summary>
public sealed class SymmetrizedEvaluationTests
{
    private const int N = 21;
    private const double Beta = 1.5;
    private readonly ITestOutputHelper _out;

    public SymmetrizedEvaluationTests(ITestOutputHelper output)
    {
        _out = output;
        torch.set_num_threads(1);
    }

    private static TemperatureEvaluation Evaluate(AutoregressiveModel model, double h, int samples, ulong seed)
    {
        using var energy = new PairwiseSpinTarget(CurieWeissPairwise.Create(N, 1.0, h));
        return ModelEvaluation.Evaluate(model, energy, energy.HasZeroFields, Beta, samples, new Generator(seed, CPU), chunk: 1000);
    }

    /// <summary>
    /// Q = the exact distribution restricted to M &gt; 0: every weight equals Z/2, so raw NIS is exactly f + ln 2/(beta N)
    /// and its ESS is 1 (the collapse is invisible to it), while q_sym is exactly the Boltzmann distribution.
    /// </summary>
    [Fact]
    public void ExactHalfModelIsBiasedByLn2RawAndExactSymmetrised()
    {
        using var model = new OneSidedCurieWeiss(N, 1.0, Beta);
        var e = Evaluate(model, 0.0, 4000, 3);
        double f = new CurieWeissExact(N, Beta).FreeEnergyPerSpin;
        double shift = Math.Log(2) / (Beta * N);
        _out.WriteLine($"raw NIS {e.FreeEnergyNis} (ess {e.EffectiveSampleSize.Mean:F4}), sym NIS {e.FreeEnergyNisSymmetric} (ess {e.EffectiveSampleSizeSymmetric?.Mean:F4}), exact {f:R}, ln2/(beta N) {shift:R}");
        Assert.Equal(f + shift, e.FreeEnergyNis.Mean, 1e-10);
        Assert.Equal(1.0, e.EffectiveSampleSize.Mean, 1e-10);
        Assert.NotNull(e.FreeEnergyNisSymmetric);
        Assert.Equal(f, e.FreeEnergyNisSymmetric!.Value.Mean, 1e-10);
        Assert.Equal(1.0, e.EffectiveSampleSizeSymmetric!.Value.Mean, 1e-10);
    }

    /// <summary>
    /// An imperfect one-sided model (the M &gt; 0 half at beta_Q = 1.3 for a target at beta = 1.5): the raw NIS value
    /// minus ln 2/(beta N) and the symmetrised NIS value both agree with the exact f within 4 sigma; the raw value itself
    /// is many sigma away.
    /// </summary>
    [Fact]
    public void ImperfectHalfModelSymmetrisedNisAgreesWithExact()
    {
        using var model = new OneSidedCurieWeiss(N, 1.0, 1.3);
        var e = Evaluate(model, 0.0, 20000, 5);
        double f = new CurieWeissExact(N, Beta).FreeEnergyPerSpin;
        double shift = Math.Log(2) / (Beta * N);
        var sym = e.FreeEnergyNisSymmetric!.Value;
        _out.WriteLine($"raw NIS {e.FreeEnergyNis} (ess {e.EffectiveSampleSize.Mean:F4}), sym NIS {sym} (ess {e.EffectiveSampleSizeSymmetric?.Mean:F4}), exact {f:R}, ln2/(beta N) {shift:R}");
        Assert.True(sym.Deviation(f) < 4, $"symmetrised NIS {sym} vs exact {f:R}");
        Assert.True((e.FreeEnergyNis with { Mean = e.FreeEnergyNis.Mean - shift }).Deviation(f) < 4, $"raw NIS {e.FreeEnergyNis} - ln2/(beta N) vs exact {f:R}");
        Assert.True(e.FreeEnergyNis.Deviation(f) > 10, $"raw NIS {e.FreeEnergyNis} should be biased against exact {f:R}");
        Assert.True(sym.StdError > 0 && sym.StdError < shift / 10);
    }

    /// <summary>A model that already covers both halves (CW_N, exact) keeps the symmetrised value equal to the raw one.</summary>
    [Fact]
    public void SymmetricModelGivesTheSameValueBothWays()
    {
        var cw = CurieWeissPairwise.Create(N, 1.0, 0.0);
        using var model = AutoregressiveArchitecture.Parse("CW_N").Create(cw, Beta, CPU, null);
        var e = Evaluate(model, 0.0, 2000, 7);
        double f = new CurieWeissExact(N, Beta).FreeEnergyPerSpin;
        Assert.Equal(f, e.FreeEnergyNis.Mean, 1e-10);
        Assert.Equal(f, e.FreeEnergyNisSymmetric!.Value.Mean, 1e-10);
        Assert.Equal(1.0, e.EffectiveSampleSizeSymmetric!.Value.Mean, 1e-10);
    }

    /// <summary>With a non-zero field the distribution is not Z2 symmetric and the symmetrised estimates are absent.</summary>
    [Fact]
    public void NonZeroFieldHasNoSymmetrisedEstimates()
    {
        var cw = CurieWeissPairwise.Create(N, 1.0, 0.1);
        using var model = AutoregressiveArchitecture.Parse("CW_N").Create(cw, Beta, CPU, null);
        var e = Evaluate(model, 0.1, 500, 9);
        Assert.Null(e.FreeEnergyNisSymmetric);
        Assert.Null(e.EffectiveSampleSizeSymmetric);
        Assert.Equal(new CurieWeissExact(N, Beta, 1.0, 0.1).FreeEnergyPerSpin, e.FreeEnergyNis.Mean, 1e-10);
    }
}
