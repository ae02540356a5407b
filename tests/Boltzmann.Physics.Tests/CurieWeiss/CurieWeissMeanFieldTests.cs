using Boltzmann.Physics.CurieWeiss;
using Xunit.Abstractions;

namespace Boltzmann.Physics.Tests.CurieWeiss;

/// <summary>The N -&gt; infinity solution and the approach of the exact finite-N free energy to it.</summary>
public class CurieWeissMeanFieldTests(ITestOutputHelper output)
{
    /// <summary>Damped fixed-point iteration m &lt;- (m + tanh(beta (J m + h)))/2 from m = +-1 (the branch aligned with h),
    /// independent of the library's grid + bisection; the damping keeps it contracting for J &lt; 0 too.</summary>
    private static double FixedPoint(double beta, double j, double h, double start)
    {
        double m = start;
        for (int k = 0; k < 100_000; k++) m = 0.5 * (m + Math.Tanh(beta * (j * m + h)));
        return m;
    }

    [Theory]
    [InlineData(0.5, 1.0, 0.0)]
    [InlineData(2.0, 1.0, 0.0)]
    [InlineData(1.3, 1.0, 0.2)]
    [InlineData(0.8, 1.0, -0.4)]
    [InlineData(1.5, -1.0, 0.3)]
    [InlineData(3.0, 0.0, 0.1)]
    public void Solution_is_the_global_minimum_of_the_mean_field_free_energy(double beta, double j, double h)
    {
        var mf = CurieWeissMeanField.Solve(beta, j, h);
        double start = h < 0 ? -1 : 1;
        double m = FixedPoint(beta, j, h, start);
        if (h == 0 && j > 0) m = Math.Abs(m);
        Assert.True(Math.Abs(mf.Magnetization - m) <= 1e-9, $"m* = {mf.Magnetization:R} vs fixed point {m:R}");
        Assert.True(Math.Abs(mf.Magnetization - Math.Tanh(beta * (j * mf.Magnetization + h))) <= 1e-12, "m = tanh(beta (J m + h))");
        double F(double x)
        {
            double a = (1 + x) / 2, b = (1 - x) / 2;
            double s = -(a > 0 ? a * Math.Log(a) : 0) - (b > 0 ? b * Math.Log(b) : 0);
            return -h * x - j * x * x / 2 - s / beta;
        }
        Assert.Equal(F(mf.Magnetization), mf.FreeEnergyPerSpin, 12);
        for (int k = 0; k <= 20000; k++)
            Assert.True(F(-1 + k / 10000.0) >= mf.FreeEnergyPerSpin - 1e-13, $"f(m) below f(m*) at m = {-1 + k / 10000.0}");
        Assert.Equal(h == 0 && j > 0 && beta * j > 1 ? 2 : 1, mf.SaddlePoints);
    }

    [Fact]
    public void Paramagnetic_and_critical_closed_forms()
    {
        var para = CurieWeissMeanField.Solve(0.6, 1.0, 0.0);
        Assert.Equal(0.0, para.Magnetization);
        Assert.Equal(-Math.Log(2) / 0.6, para.FreeEnergyPerSpin, 13);
        Assert.Equal(-0.3 - 0.5 * Math.Log(0.4), para.LnZFiniteSizeCorrection, 13);
        Assert.True(double.IsNaN(CurieWeissMeanField.Solve(1.0, 1.0, 0.0).LnZFiniteSizeCorrection));
        Assert.Throws<ArgumentOutOfRangeException>(() => CurieWeissMeanField.Solve(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => para.LnZLargeN(0));
    }

    /// <summary>
    /// f_N - f_inf = O(1/N) with the known coefficient: the residual r_N = ln Z_N - (-N beta f_inf + c_1) must vanish like 1/N
    /// (N r_N stays bounded and halves r when N doubles), while N (f_N - f_inf) tends to -c_1/beta != 0.
    /// </summary>
    [Theory]
    [InlineData(0.5, 1.0, 0.0)]
    [InlineData(1.5, 1.0, 0.0)]
    [InlineData(1.0, 1.0, 0.3)]
    [InlineData(0.7, -1.0, 0.2)]
    [InlineData(2.5, 1.0, 0.0)]
    public void Finite_n_free_energy_approaches_mean_field_like_one_over_n(double beta, double j, double h)
    {
        var mf = CurieWeissMeanField.Solve(beta, j, h);
        int[] sizes = [250, 500, 1000, 2000, 4000];
        var residual = new double[sizes.Length];
        for (int k = 0; k < sizes.Length; k++)
        {
            int n = sizes[k];
            var cw = new CurieWeissExact(n, beta, j, h);
            residual[k] = cw.LnZ - mf.LnZLargeN(n);
            double scaled = n * (cw.FreeEnergyPerSpin - mf.FreeEnergyPerSpin);
            output.WriteLine($"beta={beta} J={j} h={h} N={n}: f_N - f_inf = {cw.FreeEnergyPerSpin - mf.FreeEnergyPerSpin:E4}, N (f_N - f_inf) = {scaled:F6} "
                + $"(-c_1/beta = {-mf.LnZFiniteSizeCorrection / beta:F6}), residual r_N = {residual[k]:E3}, N r_N = {n * residual[k]:F5}");
        }
        for (int k = 1; k < sizes.Length; k++)
        {
            double ratio = residual[k] / residual[k - 1];
            Assert.InRange(ratio, 0.4, 0.6);
        }
        Assert.True(Math.Abs(residual[^1]) <= 5e-3, $"r_4000 = {residual[^1]:E3}");
    }
}
