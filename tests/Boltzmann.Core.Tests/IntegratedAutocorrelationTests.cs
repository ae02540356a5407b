using Boltzmann.Statistics;

namespace Boltzmann.Core.Tests;

public class IntegratedAutocorrelationTests
{
    [Fact]
    public void Ar1WithRho09HasTau95WithinFourErrors()
    {
        var x = Ar1.Series(0.9, 400_000, seed: 11);
        var r = IntegratedAutocorrelation.Compute(x);
        Assert.Equal(9.5, Ar1.ExactTau(0.9), 12);
        Assert.True(Math.Abs(r.TauInt - 9.5) < 4 * r.TauIntError, $"tau_int = {r.TauInt} ± {r.TauIntError}, exact 9.5");
        Assert.InRange(r.TauIntError, 0.01, 0.5);
        Assert.InRange(r.Window, 20, 200);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.95)]
    public void TauMatchesClosedFormAcrossCorrelations(double rho)
    {
        var x = Ar1.Series(rho, 300_000, seed: 5 + (ulong)(rho * 100));
        var r = IntegratedAutocorrelation.Compute(x);
        double exact = Ar1.ExactTau(rho);
        Assert.True(Math.Abs(r.TauInt - exact) < 4 * r.TauIntError + 0.02, $"rho={rho}: tau_int = {r.TauInt} ± {r.TauIntError}, exact {exact}");
    }

    [Fact]
    public void ErrorOfMeanIsCalibratedOverIndependentChains()
    {
        // 40 independent AR(1) chains: the reported errors must describe the actual scatter of the means
        // (chi^2 per degree of freedom near 1; 40 dof gives sd ~ 0.22, so [0.45, 1.8] is ~ 4 sigma wide).
        const int chains = 40;
        double chi2 = 0;
        for (int c = 0; c < chains; c++)
        {
            var e = IntegratedAutocorrelation.Estimate(Ar1.Series(0.9, 20_000, seed: 1000 + (ulong)c));
            chi2 += (e.Mean / e.StdError) * (e.Mean / e.StdError); // exact mean is 0
        }
        Assert.InRange(chi2 / chains, 0.45, 1.8);
    }

    [Fact]
    public void ConstantSeriesHasNoFluctuations()
    {
        var r = IntegratedAutocorrelation.Compute(Enumerable.Repeat(3.0, 100).ToArray());
        Assert.Equal(3.0, r.Mean);
        Assert.Equal(0.5, r.TauInt);
        Assert.Equal(0.0, r.StdErrorOfMean);
    }

    [Fact]
    public void RejectsTooShortSeries()
    {
        var ex = Assert.Throws<ArgumentException>(() => IntegratedAutocorrelation.Compute(new double[] { 1 }));
        Assert.Contains("at least 2 samples", ex.Message);
    }
}
