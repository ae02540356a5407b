using Boltzmann.Estimators;

namespace Boltzmann.Core.Tests.Estimators;

public class ImportanceWeightedObservableTests
{
    [Fact]
    public void ReweightedMomentsOfGaussianMatchExactValues()
    {
        var g = GaussianCase.OneD(0.4, 1.4, -0.3, 0.9, logC: 12.0);
        var s = g.SampleQ(50_000, seed: 90);
        var mean = ImportanceWeightedObservable.Mean(s.LogTarget, s.LogQ, s.X0);
        var second = ImportanceWeightedObservable.Mean(s.LogTarget, s.LogQ, s.X0.Select(x => x * x).ToArray());
        Assert.True(mean.Deviation(-0.3) < 4, $"<x> = {mean}, exact -0.3");
        Assert.True(second.Deviation(0.81 + 0.09) < 4, $"<x^2> = {second}, exact 0.9");
        // The unweighted mean is that of q: far away in units of the error, so the reweighting did something.
        Assert.True(Math.Abs(s.X0.Average() - (-0.3)) > 20 * mean.StdError);
    }

    [Fact]
    public void ErrorBarsAreCalibratedOverIndependentSeeds()
    {
        // chi^2/dof over 400 independent estimates of <x>_p = 0: 4-sigma band sqrt(2/400) * 4 = 0.28.
        var g = GaussianCase.OneD(0.4, 1.4, 0.0, 1.0);
        const int repeats = 400;
        double chi2 = 0;
        for (int r = 0; r < repeats; r++)
        {
            var s = g.SampleQ(1000, seed: 2000 + (ulong)r);
            var e = ImportanceWeightedObservable.Mean(s.LogTarget, s.LogQ, s.X0);
            chi2 += (e.Mean / e.StdError) * (e.Mean / e.StdError);
        }
        Assert.InRange(chi2 / repeats, 0.72, 1.28);
    }

    [Fact]
    public void ReweightedVarianceOfGaussianMatchesExactValue()
    {
        // q = N(0.4, 1.4^2), p = N(-0.3, 0.9^2): Var_p(x) = 0.81; the unweighted variance is that of q (1.96).
        var g = GaussianCase.OneD(0.4, 1.4, -0.3, 0.9, logC: 12.0);
        var s = g.SampleQ(50_000, seed: 92);
        var v = ImportanceWeightedObservable.Variance(s.LogTarget, s.LogQ, s.X0.Select(x => x + 1e4).ToArray());
        Assert.True(v.Deviation(0.81) < 4, $"Var_p(x) = {v}, exact 0.81");
        Assert.True(v.StdError < 0.02, $"error {v.StdError}");
        var plain = ImportanceWeightedObservable.Variance(s.LogQ, s.LogQ, s.X0);
        Assert.True(plain.Deviation(1.96) < 4, $"Var_q(x) = {plain}, exact 1.96");
    }

    [Fact]
    public void EqualWeightsReduceToThePlainMean()
    {
        var g = GaussianCase.OneD(0.0, 1.0, 0.0, 1.0);
        var s = g.SampleQ(3000, seed: 91);
        var weighted = ImportanceWeightedObservable.Mean(s.LogQ, s.LogQ, s.X0);
        double mean = s.X0.Average();
        double naiveError = Math.Sqrt(s.X0.Sum(x => (x - mean) * (x - mean)) / (s.X0.Length - 1.0) / s.X0.Length);
        Assert.Equal(mean, weighted.Mean, 12);
        Assert.Equal(naiveError, weighted.StdError, 12);
        Assert.Equal(0.5, weighted.TauInt);
    }

    [Fact]
    public void DiscreteTableObservablesMatchExactSums()
    {
        var t = new DiscreteTable(seed: 7);
        var (lt, lq, obs, _) = t.DrawFromQ(40_000, seed: 3);
        var energy = new double[lt.Length];
        var m2 = new double[lt.Length];
        for (int i = 0; i < lt.Length; i++) { energy[i] = obs[2 * i]; m2[i] = obs[2 * i + 1]; }
        var e = ImportanceWeightedObservable.Mean(lt, lq, energy);
        var m = ImportanceWeightedObservable.Mean(lt, lq, m2);
        Assert.True(e.Deviation(t.ExactMean(t.Energy)) < 4, $"E = {e}, exact {t.ExactMean(t.Energy)}");
        Assert.True(m.Deviation(t.ExactMean(t.MagnetizationSquared)) < 4, $"m^2 = {m}, exact {t.ExactMean(t.MagnetizationSquared)}");
    }

    [Fact]
    public void RejectsMismatchedOrNonFiniteValues()
    {
        var ex = Assert.Throws<ArgumentException>(() => ImportanceWeightedObservable.Mean([0.0, 0.0], [0.0, 0.0], [1.0]));
        Assert.Contains("values has 1 entries", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => ImportanceWeightedObservable.Mean([0.0, 0.0], [0.0, 0.0], [1.0, double.PositiveInfinity]));
        Assert.Contains("values[1]", ex.Message);
    }
}
