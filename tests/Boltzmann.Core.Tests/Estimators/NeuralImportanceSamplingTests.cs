using Boltzmann.Estimators;

namespace Boltzmann.Core.Tests.Estimators;

public class NeuralImportanceSamplingTests
{
    [Theory]
    [InlineData(0.0, 1.0, 0.0, 1.0, 0.0)]      // q = p up to Z
    [InlineData(0.3, 1.5, 0.0, 1.0, 2.0)]      // wider, shifted q: bounded weights
    [InlineData(-0.5, 1.2, 0.5, 1.0, -3.0)]    // larger shift
    [InlineData(0.0, 2.0, 1.0, 0.5, 10.0)]     // p much narrower than q: ESS ~ 0.3
    public void LnZOfOneDimensionalGaussianMatchesClosedForm(double muQ, double sQ, double muP, double sP, double logC)
    {
        var g = GaussianCase.OneD(muQ, sQ, muP, sP, logC);
        var s = g.SampleQ(20_000, seed: 17);
        var e = NeuralImportanceSampling.LnZ(s.LogTarget, s.LogQ);
        // The 1e-12 floor is the floating-point resolution of ln p~ - ln q: with q = p the statistical error is ~0.
        Assert.True(Math.Abs(e.BiasCorrected - g.ExactLnZ) < 4 * e.StdError + 1e-12, $"{e}; exact {g.ExactLnZ}");
        Assert.True(e.StdError < 0.02, e.ToString());
        Assert.True(e.Bias <= 0, "the q-estimator underestimates ln Z");
        Assert.Equal(-0.5 * e.StdError * e.StdError, e.Bias, 15);
        Assert.Equal(20_000, e.Count);
        Assert.InRange(e.EssFraction, g.ExactEssFraction - 0.05, Math.Min(1, g.ExactEssFraction + 0.05));
    }

    [Fact]
    public void LnZOfFourDimensionalGaussianWithHugeOffsetMatchesClosedForm()
    {
        // ln p~ ~ -5000: exp(ln p~) underflows to 0 in a naive implementation.
        var g = new GaussianCase([0.1, -0.2, 0.0, 0.3], [1.3, 1.1, 1.2, 1.0], [0.0, 0.0, 0.2, 0.2], [1.0, 0.9, 1.0, 1.1], -5000);
        var s = g.SampleQ(40_000, seed: 5);
        var e = NeuralImportanceSampling.LnZ(s.LogTarget, s.LogQ);
        Assert.True(e.Deviation(g.ExactLnZ) < 4, $"{e}; exact {g.ExactLnZ}");
        Assert.InRange(g.ExactEssFraction, 0.5, 0.9);
        Assert.True(Math.Abs(e.EssFraction - g.ExactEssFraction) < 0.03, $"ESS/N {e.EssFraction} vs exact {g.ExactEssFraction}");
    }

    [Fact]
    public void QEqualToPGivesExactLnZWithZeroVariance()
    {
        var g = GaussianCase.OneD(0.4, 1.3, 0.4, 1.3, 0);
        var s = g.SampleQ(1000, seed: 3);
        // ln p~ = ln q exactly: every log weight is exactly 0, so Z = 1 with no fluctuation at all.
        var e = NeuralImportanceSampling.LnZ(s.LogQ, s.LogQ);
        Assert.Equal(0.0, e.Value);
        Assert.Equal(0.0, e.StdError);
        Assert.Equal(0.0, e.Bias);
        Assert.Equal(1.0, e.EssFraction);

        // p~ = e^{7.5} q: log weights equal 7.5 up to rounding of ln p~.
        var shifted = s.LogQ.Select(l => l + 7.5).ToArray();
        e = NeuralImportanceSampling.LnZ(shifted, s.LogQ);
        Assert.Equal(7.5, e.Value, 12);
        Assert.True(e.StdError < 1e-13, e.ToString());
        Assert.True(e.EssFraction > 1 - 1e-13, e.ToString());
    }

    [Fact]
    public void ErrorBarsAreCalibratedOverIndependentSeeds()
    {
        // 400 independent estimates: chi^2/dof of (ln Z^ - ln Z)/sigma must be ~ 1 (sd sqrt(2/400) = 0.07;
        // [0.72, 1.28] is a 4-sigma band). A wrong factor sqrt(2) in the error would give 0.5 or 2.
        var g = GaussianCase.OneD(0.3, 1.4, 0.0, 1.0, 1.0);
        const int repeats = 400;
        double chi2 = 0;
        for (int r = 0; r < repeats; r++)
        {
            var s = g.SampleQ(1000, seed: 1000 + (ulong)r);
            var e = NeuralImportanceSampling.LnZ(s.LogTarget, s.LogQ);
            double z = (e.BiasCorrected - g.ExactLnZ) / e.StdError;
            chi2 += z * z;
        }
        Assert.InRange(chi2 / repeats, 0.72, 1.28);
    }

    [Fact]
    public void BiasCorrectionRemovesMostOfTheSmallSampleBias()
    {
        // N = 10 with relative weight variance ~ 1: the raw bias -Var(w)/(2 N E[w]^2) ~ -0.05 is many sigma
        // over 20,000 repetitions; the corrected estimator must be far less biased.
        var g = GaussianCase.OneD(0.5, 1.6, 0.0, 1.0, 0.0);
        const int repeats = 20_000, n = 10;
        double sumRaw = 0, sumRaw2 = 0, sumCor = 0, sumCor2 = 0, sumBias = 0;
        for (int r = 0; r < repeats; r++)
        {
            var s = g.SampleQ(n, seed: 50_000 + (ulong)r);
            var e = NeuralImportanceSampling.LnZ(s.LogTarget, s.LogQ);
            double raw = e.Value - g.ExactLnZ, cor = e.BiasCorrected - g.ExactLnZ;
            sumRaw += raw; sumRaw2 += raw * raw;
            sumCor += cor; sumCor2 += cor * cor;
            sumBias += e.Bias;
        }
        double rawBias = sumRaw / repeats, corBias = sumCor / repeats;
        double rawErr = Math.Sqrt((sumRaw2 / repeats - rawBias * rawBias) / repeats);
        double corErr = Math.Sqrt((sumCor2 / repeats - corBias * corBias) / repeats);
        double meanReportedBias = sumBias / repeats;
        // Population value of the O(1/N) bias: -(1/ESS_exact - 1) / (2 N).
        double exactFirstOrder = -(1 / g.ExactEssFraction - 1) / (2.0 * n);
        Assert.True(rawBias < -4 * rawErr, $"raw bias {rawBias} ± {rawErr}");
        Assert.True(Math.Abs(corBias) < 0.5 * Math.Abs(rawBias), $"corrected {corBias} ± {corErr} vs raw {rawBias} ± {rawErr}");
        Assert.True(Math.Abs(corBias) < 4 * corErr, $"corrected bias {corBias} ± {corErr} should vanish at this precision");
        Assert.True(Math.Abs(rawBias - exactFirstOrder) < 0.5 * Math.Abs(exactFirstOrder), $"raw {rawBias}, first-order {exactFirstOrder}");
        Assert.True(meanReportedBias < 0 && Math.Abs(meanReportedBias - exactFirstOrder) < 0.5 * Math.Abs(exactFirstOrder),
            $"mean reported bias {meanReportedBias}, first-order {exactFirstOrder}");
    }

    [Fact]
    public void FreeEnergyIsMinusLnZOverBetaWithPositiveBias()
    {
        var g = GaussianCase.OneD(0.2, 1.3, 0.0, 1.0, 4.0);
        var s = g.SampleQ(5000, seed: 8);
        const double beta = 2.0;
        var lnZ = NeuralImportanceSampling.LnZ(s.LogTarget, s.LogQ);
        var f = NeuralImportanceSampling.FreeEnergy(s.LogTarget, s.LogQ, beta);
        Assert.Equal(-lnZ.Value / beta, f.Value, 14);
        Assert.Equal(lnZ.StdError / beta, f.StdError, 14);
        Assert.True(f.Bias > 0);
        Assert.Equal(-lnZ.BiasCorrected / beta, f.BiasCorrected, 14);
        Assert.True(f.ToEstimate().Deviation(-g.ExactLnZ / beta) < 4, $"{f}; exact {-g.ExactLnZ / beta}");
        Assert.Throws<ArgumentOutOfRangeException>(() => NeuralImportanceSampling.FreeEnergy(s.LogTarget, s.LogQ, 0));
    }

    [Fact]
    public void PEstimatorFromIndependentTargetSamplesMatchesClosedForm()
    {
        // 1/Z = E_p[q/p~]; needs E_p[(q/p~)^2] finite: q narrower-tailed than p is the safe side here.
        var g = GaussianCase.OneD(0.2, 0.9, 0.0, 1.0, -2.0);
        var s = g.SampleP(20_000, seed: 21);
        var e = NeuralImportanceSampling.LnZFromTargetSamples(s.LogTarget, s.LogQ, SampleDependence.Independent);
        Assert.True(e.Deviation(g.ExactLnZ) < 4, $"{e}; exact {g.ExactLnZ}");
        Assert.True(e.Bias >= 0, "the p-estimator overestimates ln Z");
        Assert.Equal(0.5, e.TauInt);
        Assert.True(Math.Abs(e.EssFraction - g.ExactEssFraction) < 0.05, $"forward ESS {e.EssFraction}, exact {g.ExactEssFraction}");
        var f = NeuralImportanceSampling.FreeEnergyFromTargetSamples(s.LogTarget, s.LogQ, 1.0, SampleDependence.Independent);
        Assert.True(f.Bias <= 0);
        Assert.Equal(-e.Value, f.Value, 14);
    }

    [Fact]
    public void PEstimatorFromAMarkovChainHasHonestTauIntError()
    {
        // AR(1) samples of p with rho = 0.8 (tau_int of each coordinate 4.5): the Gamma-method error must exceed
        // the naive one by ~ sqrt(2 tau) of the weight series, and cover the exact value.
        var g = GaussianCase.OneD(0.2, 0.9, 0.0, 1.0, 0.0);
        var s = g.SamplePChain(40_000, rho: 0.8, seed: 33);
        var chain = NeuralImportanceSampling.LnZFromTargetSamples(s.LogTarget, s.LogQ, SampleDependence.MarkovChain);
        var naive = NeuralImportanceSampling.LnZFromTargetSamples(s.LogTarget, s.LogQ, SampleDependence.Independent);
        Assert.Equal(naive.Value, chain.Value);
        Assert.InRange(chain.TauInt, 1.0, 5.0);
        Assert.InRange(chain.StdError / naive.StdError, Math.Sqrt(2 * chain.TauInt) * 0.99, Math.Sqrt(2 * chain.TauInt) * 1.01);
        Assert.True(chain.Deviation(g.ExactLnZ) < 4, $"{chain}; exact {g.ExactLnZ}");
    }

    [Fact]
    public void RejectsUnusableInput()
    {
        var ex = Assert.Throws<ArgumentException>(() => NeuralImportanceSampling.LnZ([double.NegativeInfinity, double.NegativeInfinity], [0.0, 0.0]));
        Assert.Contains("zero", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => NeuralImportanceSampling.LnZ([0.0], [0.0]));
        Assert.Contains("at least 2", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => NeuralImportanceSampling.LnZFromTargetSamples([0.0, double.NegativeInfinity], [0.0, 0.0]));
        Assert.Contains("logTarget[1]", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => NeuralImportanceSampling.LnZFromTargetSamples([0.0, 0.0], [double.NegativeInfinity, double.NegativeInfinity]));
        Assert.Contains("q = 0 at every sample", ex.Message);
    }
}
