using Boltzmann.MonteCarlo.Hmc;
using Boltzmann.Physics.Actions;
using Boltzmann.Physics.Lattice;
using Boltzmann.Random;

namespace Boltzmann.MonteCarlo.Tests.Hmc;

public class HmcReversibilityTests
{
    public static TheoryData<HmcIntegrator> Integrators => new() { HmcIntegrator.Leapfrog, HmcIntegrator.Omelyan };

    [Theory]
    [MemberData(nameof(Integrators))]
    public void Phi4TrajectoryReversesToStart(HmcIntegrator integrator)
    {
        var action = new Phi4Action(new Lattice2D(8, 4), 0.27, 0.022);
        AssertReversible(action, Gaussian(action.Dimension, 1), integrator, compact: false);
    }

    [Theory]
    [MemberData(nameof(Integrators))]
    public void CompactU1TrajectoryReversesToStart(HmcIntegrator integrator)
    {
        var action = new U1WilsonAction(new Lattice2D(8, 8), 3.0);
        var x = Gaussian(action.Dimension, 2);
        U1Observables.WrapInPlace(x);
        AssertReversible(action, x, integrator, compact: true);
    }

    private static void AssertReversible<TAction>(TAction action, double[] x0, HmcIntegrator integrator, bool compact)
        where TAction : IContinuousAction
    {
        var p0 = Gaussian(x0.Length, 7);
        var x = (double[])x0.Clone();
        var p = (double[])p0.Clone();
        var g = new double[x.Length];
        double s0 = action.ActionAndGradient(x, g);
        double h0 = s0 + MolecularDynamics.Kinetic(p);
        double s1 = MolecularDynamics.Integrate(action, x, p, g, 0.05, 40, integrator, compact);
        Assert.True(Math.Abs(s1 + MolecularDynamics.Kinetic(p) - h0) < 0.5, "energy roughly conserved along the trajectory");
        Assert.True(MaxAbs(x, x0, compact) > 1e-2, "the trajectory moved");
        for (int i = 0; i < p.Length; i++) p[i] = -p[i];
        double s2 = MolecularDynamics.Integrate(action, x, p, g, 0.05, 40, integrator, compact);
        Assert.True(MaxAbs(x, x0, compact) < 1e-12, $"x returns to start: max |dx| = {MaxAbs(x, x0, compact):G3}");
        for (int i = 0; i < p.Length; i++) p[i] = -p[i];
        Assert.True(MaxAbs(p, p0, false) < 1e-12, $"p returns to start: max |dp| = {MaxAbs(p, p0, false):G3}");
        Assert.True(Math.Abs(s2 - s0) < 1e-10 * Math.Max(1, Math.Abs(s0)));
    }

    private static double MaxAbs(double[] a, double[] b, bool angles)
    {
        double m = 0;
        for (int i = 0; i < a.Length; i++)
            m = Math.Max(m, Math.Abs(angles ? U1Observables.Wrap(a[i] - b[i]) : a[i] - b[i]));
        return m;
    }

    internal static double[] Gaussian(int n, ulong seed)
    {
        var rng = new RandomStream(seed);
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = rng.NextGaussian();
        return x;
    }
}
