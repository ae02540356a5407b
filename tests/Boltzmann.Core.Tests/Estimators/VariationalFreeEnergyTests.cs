using Boltzmann.Estimators;
using Boltzmann.Statistics;

namespace Boltzmann.Core.Tests.Estimators;

public class VariationalFreeEnergyTests
{
    [Fact]
    public void GibbsFreeEnergyAndReverseKlOfGaussiansMatchClosedForms()
    {
        var g = new GaussianCase([0.3, -0.1], [1.2, 0.8], [0.0, 0.0], [1.0, 1.0], LogC: 2.0);
        var s = g.SampleQ(40_000, seed: 40);
        const double beta = 0.5;
        // F_q = (1/beta)(KL(q||p) - ln Z); F = -ln Z / beta.
        double exactF = -g.ExactLnZ / beta, exactGibbs = (g.ExactReverseKl - g.ExactLnZ) / beta;
        var gibbs = VariationalFreeEnergy.Gibbs(s.LogTarget, s.LogQ, beta);
        Assert.True(gibbs.Deviation(exactGibbs) < 4, $"F_q = {gibbs}, exact {exactGibbs}");
        Assert.True(gibbs.Mean > exactF);

        var kl = VariationalFreeEnergy.ReverseKl(s.LogTarget, s.LogQ, g.ExactLnZ);
        Assert.True(kl.Deviation(g.ExactReverseKl) < 4, $"KL = {kl}, exact {g.ExactReverseKl}");
        var klFromF = VariationalFreeEnergy.ReverseKlFromFreeEnergy(s.LogTarget, s.LogQ, beta, new Estimate(exactF, 0, double.NaN, double.NaN, 0));
        Assert.Equal(kl.Mean, klFromF.Mean, 12);
        Assert.Equal(beta * (gibbs.Mean - exactF), kl.Mean, 12);

        // A reference with an error: the errors add in quadrature.
        var klRef = VariationalFreeEnergy.ReverseKl(s.LogTarget, s.LogQ, new Estimate(g.ExactLnZ, 0.01, double.NaN, double.NaN, 100));
        Assert.Equal(Math.Sqrt(kl.StdError * kl.StdError + 1e-4), klRef.StdError, 14);
    }

    [Fact]
    public void GibbsHelmholtzComparisonEstimatesKlWithoutAReference()
    {
        var g = GaussianCase.OneD(0.3, 1.3, 0.0, 1.0, logC: -1.0);
        var s = g.SampleQ(40_000, seed: 41);
        const double beta = 2.0;
        var c = VariationalFreeEnergy.Compare(s.LogTarget, s.LogQ, beta);
        Assert.True(c.ReverseKl.Deviation(g.ExactReverseKl) < 4, $"KL = {c.ReverseKl}, exact {g.ExactReverseKl}");
        Assert.True(c.Helmholtz.ToEstimate().Deviation(-g.ExactLnZ / beta) < 4, c.Helmholtz.ToString());
        Assert.True(c.Gibbs.Mean >= c.Helmholtz.Value, "F_q >= F for every sample set (Jensen)");
        Assert.Equal(beta * (c.Gibbs.Mean - c.Helmholtz.BiasCorrected), c.ReverseKl.Mean, 12);
        // The joint error is smaller than the uncorrelated sum: the two estimates share their samples.
        Assert.True(c.ReverseKl.StdError < beta * Math.Sqrt(c.Gibbs.StdError * c.Gibbs.StdError + c.Helmholtz.Variance));
    }

    [Fact]
    public void ReverseBoundHoldsForAGoodReferenceAndFailsForAWrongOne()
    {
        var t = new DiscreteTable(seed: 7);
        var (lt, lq, _, _) = t.DrawFromQ(20_000, seed: 42);
        var check = VariationalFreeEnergy.CheckBound(lt, lq, t.ExactLnZ);
        Assert.True(check.Holds(), check.ToString());
        Assert.True(Math.Abs(check.Margin - t.ExactReverseKl) < 4 * check.MarginStdError, $"{check}; exact KL {t.ExactReverseKl}");
        Assert.True(check.MarginInSigma > 10, check.ToString());
        // A reference ln Z too small by 1 + KL puts the loss 1 nat below the claimed bound: must be flagged.
        var wrong = VariationalFreeEnergy.CheckBound(lt, lq, t.ExactLnZ - 1 - t.ExactReverseKl);
        Assert.False(wrong.Holds(), wrong.ToString());
        Assert.True(wrong.MarginInSigma < -20);
    }

    [Fact]
    public void QEqualToPSitsExactlyOnTheBound()
    {
        var t = new DiscreteTable(seed: 31, qEqualsP: true);
        var (lt, lq, _, _) = t.DrawFromQ(1000, seed: 43);
        var check = VariationalFreeEnergy.CheckBound(lt, lq, t.ExactLnZ);
        Assert.True(Math.Abs(check.Margin) < 1e-12, check.ToString());
        Assert.True(Math.Abs(check.MarginInSigma) < 4, check.ToString());
        Assert.True(check.Holds());
        var c = VariationalFreeEnergy.Compare(lt, lq, 1.0);
        Assert.True(Math.Abs(c.ReverseKl.Mean) < 1e-12);
    }

    [Fact]
    public void ForwardKlCrossEntropyAndEntropyMatchExactSums()
    {
        var t = new DiscreteTable(seed: 7);
        var (lt, lq) = t.DrawFromP(40_000, seed: 44);
        var f = ForwardKullbackLeibler.FromTargetSamples(lt, lq, t.ExactLnZ, SampleDependence.Independent);
        Assert.True(f.Divergence.Deviation(t.ExactForwardKl) < 4, $"KL(p||q) = {f.Divergence}, exact {t.ExactForwardKl}");
        Assert.True(f.Entropy.Deviation(t.ExactEntropy) < 4, $"H(p) = {f.Entropy}, exact {t.ExactEntropy}");
        double exactCross = t.ExactForwardKl + t.ExactEntropy;
        Assert.True(f.CrossEntropy.Deviation(exactCross) < 4, $"L_forward = {f.CrossEntropy}, exact {exactCross}");
        Assert.Equal(f.CrossEntropy.Mean - f.Entropy.Mean, f.Divergence.Mean, 10);
    }

    [Fact]
    public void ForwardKlOfGaussiansFromAMarkovChainMatchesClosedForm()
    {
        var g = GaussianCase.OneD(0.4, 1.2, 0.0, 1.0, logC: 1.0);
        var s = g.SamplePChain(40_000, rho: 0.7, seed: 45);
        var f = ForwardKullbackLeibler.FromTargetSamples(s.LogTarget, s.LogQ, g.ExactLnZ);
        Assert.True(f.Divergence.Deviation(g.ExactForwardKl) < 4, $"KL(p||q) = {f.Divergence}, exact {g.ExactForwardKl}");
        Assert.True(f.Entropy.Deviation(g.ExactEntropyP) < 4, $"H(p) = {f.Entropy}, exact {g.ExactEntropyP}");
        Assert.True(f.Entropy.TauInt > 1.0, "the chain's autocorrelation must enter the error");
    }

    [Fact]
    public void ModeDroppingEstimatorMeasuresTheMissingMass()
    {
        // q = 0 on the states with spins 0 and 1 both up: w-bar = Z_q / Z_p -> 1 - p(S) (Nicoli et al. 2023).
        var t = new DiscreteTable(seed: 12, dropped: k => (k & 3) == 0);
        double missing = 0;
        for (int k = 0; k < DiscreteTable.States; k++) if ((k & 3) == 0) missing += t.P[k];
        var (qlt, qlq, _, _) = t.DrawFromQ(40_000, seed: 46);
        var (plt, plq) = t.DrawFromP(40_000, seed: 47);
        var w = ModeDropping.MeanNormalizedWeight(qlt, qlq, plt, plq, SampleDependence.Independent);
        Assert.InRange(missing, 0.1, 0.5);
        Assert.True(w.Deviation(1 - missing) < 4, $"w-bar = {w}, exact {1 - missing}");

        // Without mode dropping it is 1.
        var full = new DiscreteTable(seed: 12);
        var (flt, flq, _, _) = full.DrawFromQ(40_000, seed: 48);
        var (fplt, fplq) = full.DrawFromP(40_000, seed: 49);
        var one = ModeDropping.MeanNormalizedWeight(flt, flq, fplt, fplq, SampleDependence.Independent);
        Assert.True(one.Deviation(1.0) < 4, one.ToString());
    }

    [Fact]
    public void RejectsInfiniteLossesAndBadReferences()
    {
        var ex = Assert.Throws<ArgumentException>(() => VariationalFreeEnergy.ReverseLoss([0.0, double.NegativeInfinity], [0.0, 0.0]));
        Assert.Contains("logTarget[1]", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => VariationalFreeEnergy.ReverseKl([0.0, 0.0], [0.0, 0.0], new Estimate(0, double.NaN, 0, 0, 0)));
        Assert.Contains("lnZReference.StdError", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => ForwardKullbackLeibler.FromTargetSamples([0.0, 0.0], [0.0, double.NegativeInfinity], 0.0));
        Assert.Contains("logQ[1]", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => VariationalFreeEnergy.Gibbs([0.0, 0.0], [0.0, 0.0], double.NaN));
    }
}
