using Boltzmann.Physics.Sk;
using Boltzmann.Physics.SpinGlass;
using Boltzmann.Statistics;

namespace Boltzmann.Physics.Tests.SpinGlass;

public class ThermodynamicIntegrationTests
{
    private static Estimate Exact(double v) => new(v, 0, double.NaN, double.NaN, 0);

    [Fact]
    public void HermiteIntegrationOfExactMomentsReproducesExactLnZWithinItsQuadratureError()
    {
        var instance = TestInstances.Sk(14, 11);
        var enumeration = new SkExactEnumeration(instance);
        // A geometric 20-temperature ladder over 0.2 <= T <= 5, like the paper's PT.
        var temps = Enumerable.Range(0, 20).Select(k => 0.2 * Math.Pow(25, k / 19.0)).OrderByDescending(t => t).ToArray();
        var thermo = temps.Select(t => enumeration.AtTemperature(t, includeOverlap: false)).ToArray();
        var points = thermo.Select(th => new EnergyMoments(th.Beta, Exact(th.MeanEnergy), Exact(th.MeanEnergySquared - th.MeanEnergy * th.MeanEnergy))).ToList();
        var result = ThermodynamicIntegration.Integrate(points, Exact(thermo[0].LnZ));
        for (int k = 0; k < result.Count; k++)
        {
            double dev = Math.Abs(result[k].LnZ - thermo[k].LnZ);
            Assert.True(dev <= Math.Max(4 * result[k].QuadratureError, 1e-9), $"T = {temps[k]:F3}: TI {result[k].LnZ:F6} vs exact {thermo[k].LnZ:F6}, quadrature error {result[k].QuadratureError:G3}");
            Assert.True(dev < 0.05, $"T = {temps[k]:F3}: deviation {dev:G3} is not small");
        }
        // The Hermite correction matters: the plain trapezoid rule is visibly worse at the low-temperature end.
        double trapezoid = thermo[0].LnZ;
        for (int k = 1; k < thermo.Length; k++) trapezoid -= 0.5 * (thermo[k].Beta - thermo[k - 1].Beta) * (thermo[k].MeanEnergy + thermo[k - 1].MeanEnergy);
        Assert.True(Math.Abs(result[^1].LnZ - thermo[^1].LnZ) < Math.Abs(trapezoid - thermo[^1].LnZ));
    }

    [Fact]
    public void ErrorsPropagateLinearly()
    {
        var pts = new List<EnergyMoments>
        {
            new(1.0, new Estimate(-1, 0.1, 0.5, 0, 10), new Estimate(2, 0, 0.5, 0, 10)),
            new(2.0, new Estimate(-2, 0.2, 0.5, 0, 10), new Estimate(2, 0, 0.5, 0, 10)),
        };
        var r = ThermodynamicIntegration.Integrate(pts, new Estimate(5, 0.3, double.NaN, double.NaN, 0));
        Assert.Equal(5 + 1.5, r[1].LnZ, 12);
        Assert.Equal(Math.Sqrt(0.09 + 0.25 * 0.01 + 0.25 * 0.04), r[1].StatisticalError, 12);
        Assert.Throws<ArgumentException>(() => ThermodynamicIntegration.Integrate([pts[1], pts[0]], Exact(0)));
    }

    [Fact]
    public void HighTemperatureAnchorAgreesWithExactEnumerationWithinItsErrorModel()
    {
        // At T = 5 the anchor's error (cycle sum) is ~3e-3; check a handful of instances at N = 16.
        foreach (ulong seed in new ulong[] { 1, 2, 3, 4, 5 })
        {
            var instance = TestInstances.Sk(16, 100 + seed);
            var exact = new SkExactEnumeration(instance).AtTemperature(5.0, includeOverlap: false).LnZ;
            var anchor = HighTemperatureLnZ.Anchor(instance, 0.2);
            Assert.True(anchor.StdError > 0);
            Assert.True(anchor.Deviation(exact) < 4, $"seed {seed}: anchor {anchor} vs exact {exact:F6}");
        }
        Assert.Throws<ArgumentException>(() => HighTemperatureLnZ.Anchor(TestInstances.Sk(8, 1, fieldScale: 0.3), 0.2));
    }

    [Fact]
    public void ReplicaSymmetricValueIsWithinItsErrorOfExactAboveTc()
    {
        foreach (ulong seed in new ulong[] { 1, 2, 3 })
        {
            var instance = TestInstances.Sk(16, 200 + seed);
            foreach (double t in new[] { 2.0, 3.0 })
            {
                var exact = new SkExactEnumeration(instance).AtTemperature(t, includeOverlap: false).LnZ;
                var rs = HighTemperatureLnZ.ReplicaSymmetric(16, 1 / t, 1.0);
                Assert.True(rs.Deviation(exact) < 4, $"seed {seed}, T = {t}: RS {rs} vs exact {exact:F5}");
            }
        }
        Assert.Throws<ArgumentException>(() => HighTemperatureLnZ.ReplicaSymmetric(16, 1.5, 1.0));
    }
}
