using Boltzmann.Random;

namespace Boltzmann.Core.Tests;

/// <summary>AR(1) chain x_t = r x_{t-1} + sqrt(1 - r^2) eps_t: unit variance, rho(t) = r^t, tau_int = (1+r)/(2(1-r)).</summary>
internal static class Ar1
{
    public static double[] Series(double r, int n, ulong seed)
    {
        var rng = new RandomStream(seed);
        var x = new double[n];
        double v = rng.NextGaussian(); // start in equilibrium: no burn-in needed
        double c = Math.Sqrt(1 - r * r);
        for (int t = 0; t < n; t++)
        {
            v = r * v + c * rng.NextGaussian();
            x[t] = v;
        }
        return x;
    }

    public static double ExactTau(double r) => (1 + r) / (2 * (1 - r));
}
