using Boltzmann.Random;
using Boltzmann.Statistics;

namespace Boltzmann.Core.Tests;

/// <summary>The KSG mutual-information estimator on bivariate Gaussians, whose MI is −½ ln(1 − rho²) exactly.</summary>
public class KsgMutualInformationTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(-0.7)]
    public void Recovers_the_mutual_information_of_correlated_Gaussians(double rho)
    {
        const int datasets = 8, n = 800;
        double exact = -0.5 * Math.Log(1 - rho * rho);
        var estimates = new double[datasets];
        var rng = new RandomStream((ulong)(1000 + rho * 100));
        var x = new double[n];
        var y = new double[n];
        for (int d = 0; d < datasets; d++)
        {
            for (int i = 0; i < n; i++)
            {
                double a = rng.NextGaussian(), b = rng.NextGaussian();
                // A nonlinear monotone map of x leaves the MI unchanged (KSG is reparametrisation invariant in law).
                x[i] = d % 2 == 0 ? a : Math.Sinh(a);
                y[i] = rho * a + Math.Sqrt(1 - rho * rho) * b;
            }
            estimates[d] = KsgMutualInformation.Estimate(x, y);
        }
        double mean = estimates.Average();
        double se = Math.Sqrt(estimates.Sum(e => (e - mean) * (e - mean)) / (datasets - 1) / datasets);
        Assert.True(Math.Abs(mean - exact) <= 4 * se + 0.005, $"rho = {rho}: KSG {mean:F4} +- {se:F4}, exact {exact:F4}");
    }

    [Fact]
    public void Digamma_at_integers()
    {
        Assert.Equal(-0.57721566490153286, KsgMutualInformation.Digamma(1), 14);
        Assert.Equal(1.5 - 0.57721566490153286, KsgMutualInformation.Digamma(3), 14);
        double direct = -0.57721566490153286;
        for (int j = 1; j < 100; j++) direct += 1.0 / j;
        Assert.Equal(direct, KsgMutualInformation.Digamma(100), 12);
    }
}
