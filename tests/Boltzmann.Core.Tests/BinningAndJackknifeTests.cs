using Boltzmann.Random;
using Boltzmann.Statistics;

namespace Boltzmann.Core.Tests;

public class BinningAndJackknifeTests
{
    [Fact]
    public void BinningErrorAgreesWithExactVarianceOfTheMean()
    {
        // Var(mean) of an AR(1) chain of length n ~ 2 tau / n for n >> tau (unit variance).
        const int n = 200_000;
        var e = Binning.Mean(Ar1.Series(0.9, n, seed: 3), bins: 50);
        double exactErr = Math.Sqrt(2 * 9.5 / n);
        // The binning error itself fluctuates by ~ 1/sqrt(2 (bins-1)) = 10%: allow 4 of those.
        Assert.InRange(e.StdError / exactErr, 0.6, 1.4);
        Assert.True(Math.Abs(e.Mean) < 4 * exactErr);
        Assert.InRange(e.TauInt, 9.5 * 0.5, 9.5 * 1.5);
    }

    [Fact]
    public void JackknifeOfVarianceMatchesGaussianTheory()
    {
        // For iid N(0, sigma^2) samples, Var(s^2) = 2 sigma^4 / (n-1); our statistic is <x^2> - <x>^2.
        const int n = 100_000;
        const double sigma = 2.0;
        var rng = new RandomStream(99);
        var x = new double[n];
        var x2 = new double[n];
        for (int i = 0; i < n; i++) { x[i] = sigma * rng.NextGaussian(); x2[i] = x[i] * x[i]; }
        var est = Jackknife.Estimate([x, x2], m => m[1] - m[0] * m[0], blocks: 64);
        double exactErr = sigma * sigma * Math.Sqrt(2.0 / (n - 1));
        Assert.True(Math.Abs(est.Mean - sigma * sigma) < 4 * exactErr, $"{est} vs {sigma * sigma}");
        Assert.InRange(est.StdError / exactErr, 0.65, 1.35); // 64 blocks: ~9% scatter of the error
    }

    [Fact]
    public void JackknifeOfALinearStatisticEqualsTheBlockedStandardError()
    {
        var x = Ar1.Series(0.5, 6400, seed: 1);
        var jk = Jackknife.Estimate([x], m => m[0], blocks: 32);
        var bin = Binning.Mean(x, bins: 32);
        Assert.Equal(bin.Mean, jk.Mean, 12);
        Assert.Equal(bin.StdError, jk.StdError, 12);
    }

    [Fact]
    public void InvalidArgumentsAreNamed()
    {
        Assert.Contains("bins", Assert.Throws<ArgumentException>(() => Binning.Mean(new double[10], 32)).Message);
        Assert.Throws<ArgumentException>(() => Jackknife.Estimate([new double[10], new double[9]], m => m[0], 2));
    }
}
