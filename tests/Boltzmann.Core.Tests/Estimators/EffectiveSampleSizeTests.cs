using Boltzmann.Estimators;

namespace Boltzmann.Core.Tests.Estimators;

public class EffectiveSampleSizeTests
{
    [Theory]
    [InlineData(0.0, 1.5, 0.0, 1.0)]
    [InlineData(0.3, 1.0, 0.0, 1.0)]
    [InlineData(0.5, 1.2, -0.2, 0.8)]
    [InlineData(0.0, 0.8, 0.0, 1.0)]
    public void ClosedFormAgreesWithQuadrature(double muQ, double sQ, double muP, double sP)
    {
        // Independent check of GaussianCase.ExactEssFraction: 1 / int p^2/q dx by the trapezoid rule.
        var g = GaussianCase.OneD(muQ, sQ, muP, sP);
        const double lo = -40, hi = 40;
        const int steps = 400_000;
        double h = (hi - lo) / steps, integral = 0;
        double lnZ = g.ExactLnZ;
        for (int i = 0; i <= steps; i++)
        {
            double x = lo + i * h;
            double lp = g.LogTarget([x]) - lnZ, lq = g.LogQ([x]);
            double f = Math.Exp(2 * lp - lq);
            integral += (i == 0 || i == steps ? 0.5 : 1.0) * f * h;
        }
        Assert.Equal(1 / integral, g.ExactEssFraction, 9);
        // The equal-means special case sqrt(2 r^2 - 1) / r^2, r = sQ / sP.
        if (muQ == muP)
        {
            double r = sQ / sP;
            Assert.Equal(Math.Sqrt(2 * r * r - 1) / (r * r), g.ExactEssFraction, 12);
        }
    }

    [Theory]
    [InlineData(0.0, 1.5, 0.0, 1.0)]
    [InlineData(0.3, 1.2, 0.0, 1.0)]
    public void ReverseEssConvergesToClosedForm(double muQ, double sQ, double muP, double sP)
    {
        var g = GaussianCase.OneD(muQ, sQ, muP, sP, logC: 3.0);
        var s = g.SampleQ(100_000, seed: 77);
        var e = EffectiveSampleSize.Reverse(s.LogTarget, s.LogQ);
        Assert.True(e.Deviation(g.ExactEssFraction) < 4, $"{e}; exact {g.ExactEssFraction}");
        Assert.InRange(e.StdError, 1e-4, 5e-3);
        Assert.Equal(NeuralImportanceSampling.LnZ(s.LogTarget, s.LogQ).EssFraction, e.Mean, 12);
    }

    [Fact]
    public void ForwardEssFromSamplesOfPEstimatesTheSameQuantity()
    {
        // 1/(E_p[w] E_p[1/w]) = 1/E_q[w^2] for normalised w when q covers p.
        var g = GaussianCase.OneD(0.2, 1.3, 0.0, 1.0, logC: -1.0);
        var s = g.SampleP(100_000, seed: 78);
        var e = EffectiveSampleSize.Forward(s.LogTarget, s.LogQ, SampleDependence.Independent);
        Assert.True(e.Deviation(g.ExactEssFraction) < 4, $"{e}; exact {g.ExactEssFraction}");
        Assert.InRange(e.Mean, 0, 1);
    }

    [Fact]
    public void MultiDimensionalEssIsTheProductOverDimensions()
    {
        var g = new GaussianCase([0.1, 0.0, -0.1], [1.2, 1.3, 1.1], [0.0, 0.1, 0.0], [1.0, 1.0, 1.0], 0);
        double product = 1;
        for (int d = 0; d < 3; d++)
            product *= GaussianCase.OneD(g.MuQ[d], g.SigmaQ[d], g.MuP[d], g.SigmaP[d]).ExactEssFraction;
        Assert.Equal(product, g.ExactEssFraction, 12);
        var s = g.SampleQ(100_000, seed: 79);
        var e = EffectiveSampleSize.Reverse(s.LogTarget, s.LogQ);
        Assert.True(e.Deviation(g.ExactEssFraction) < 4, $"{e}; exact {g.ExactEssFraction}");
    }

    [Fact]
    public void QEqualToPGivesEssOneInBothDirections()
    {
        var g = GaussianCase.OneD(0.0, 1.0, 0.0, 1.0);
        var s = g.SampleQ(1000, seed: 4);
        var reverse = EffectiveSampleSize.Reverse(s.LogQ, s.LogQ);
        var forward = EffectiveSampleSize.Forward(s.LogQ, s.LogQ, SampleDependence.MarkovChain);
        Assert.Equal(1.0, reverse.Mean);
        Assert.Equal(0.0, reverse.StdError);
        Assert.Equal(1.0, forward.Mean);
        Assert.Equal(0.0, forward.StdError);
    }

    [Fact]
    public void ForwardEssSeesADroppedModeThatReverseEssCannot()
    {
        // q = 0 on the states with spins 0 and 1 both up (p mass ~ 1/4): samples of q never go there, so the
        // reverse ESS looks healthy; samples of p do, so the forward ESS is exactly 0.
        var t = new DiscreteTable(seed: 12, dropped: k => (k & 3) == 0);
        var (qlt, qlq, _, _) = t.DrawFromQ(20_000, seed: 1);
        var (plt, plq) = t.DrawFromP(20_000, seed: 2);
        var reverse = EffectiveSampleSize.Reverse(qlt, qlq);
        var forward = EffectiveSampleSize.Forward(plt, plq);
        Assert.True(reverse.Mean > 0.3, reverse.ToString());
        Assert.Equal(0.0, forward.Mean);
        Assert.Equal(0.0, t.ExactEssFraction);
    }
}
