using Boltzmann.MonteCarlo.Hmc;
using Boltzmann.Physics.Exact;
using Boltzmann.Physics.Lattice;

namespace Boltzmann.MonteCarlo.Tests.Hmc;

/// <summary>
/// HMC averages against the exact results of Boltzmann.Physics.Exact (single-site phi^4 moments, free-field Gaussian,
/// U(1) by winding sectors), within 4 standard errors (tau_int from the Gamma method).
/// </summary>
public class HmcExactnessTests
{
    [Theory]
    [InlineData(0.0, HmcIntegrator.Leapfrog)]
    [InlineData(0.022, HmcIntegrator.Omelyan)]
    [InlineData(0.5, HmcIntegrator.Leapfrog)]
    public void Phi4AtZeroKappaMatchesSingleSiteMoments(double lambda, HmcIntegrator integrator)
    {
        var lat = new Lattice2D(8, 8);
        var opts = new HmcOptions(0.3, 5, integrator);
        double v = lat.Volume;
        var phi2 = HmcSupport.Measure(_ => new Phi4Action(lat, 0, lambda), opts, 4, 50, 1500, _ => new double[lat.Volume],
            (_, x) => { double s = 0; foreach (double p in x) s += p * p; return s / v; });
        var phi4 = HmcSupport.Measure(_ => new Phi4Action(lat, 0, lambda), opts, 4, 50, 1500, _ => new double[lat.Volume],
            (_, x) => { double s = 0; foreach (double p in x) s += p * p * p * p; return s / v; }, seed: 43);
        double exact2 = Phi4SingleSite.MeanPhiSquared(lambda);
        double exact4 = Phi4SingleSite.MeanPhiFourth(lambda);
        if (lambda == 0) { Assert.Equal(0.5, exact2, 12); Assert.Equal(0.75, exact4, 12); } // Gaussian e^{-phi^2}
        Console.WriteLine($"phi4 kappa=0 lambda={lambda}: <phi^2> {phi2} exact {exact2:R} ({phi2.Deviation(exact2):F2} sigma); <phi^4> {phi4} exact {exact4:R} ({phi4.Deviation(exact4):F2} sigma)");
        HmcSupport.AssertWithin(phi2, exact2, 4, "<phi^2>");
        HmcSupport.AssertWithin(phi4, exact4, 4, "<phi^4>");
    }

    [Theory]
    [InlineData(8, 8, 0.2)]
    [InlineData(16, 4, 0.23)]
    public void FreeFieldMatchesGaussianClosedForms(int l, int t, double kappa)
    {
        var lat = new Lattice2D(l, t);
        // Trajectory length 1 keeps omega*tau < pi for every free-field mode (omega^2 = 2 (1 - 2 kappa (cos p0 + cos p1)) <= 4),
        // so no mode sits on a leapfrog resonance that would leave it unsampled.
        var opts = new HmcOptions(0.2, 5, HmcIntegrator.Leapfrog);
        double v = lat.Volume;
        double phi2Exact = FreeScalarField.Propagator(l, t, kappa, 0, 0), m2Exact = FreeScalarField.MeanMagnetizationSquared(l, t, kappa);
        var m2 = HmcSupport.Measure(_ => new Phi4Action(lat, kappa, 0), opts, 4, 200, 4000, _ => new double[lat.Volume],
            (_, x) => { double m = Phi4Observables.Magnetisation(x) / v; return m * m; });
        var phi2 = HmcSupport.Measure(_ => new Phi4Action(lat, kappa, 0), opts, 4, 200, 4000, _ => new double[lat.Volume],
            (_, x) => { double s = 0; foreach (double p in x) s += p * p; return s / v; }, seed: 7);
        var sv = HmcSupport.Measure(_ => new Phi4Action(lat, kappa, 0), opts, 4, 200, 4000, _ => new double[lat.Volume],
            (a, x) => a.Action(x) / v, seed: 8);
        Console.WriteLine($"free field {l}x{t} kappa={kappa}: <m^2> {m2} exact {m2Exact:R} ({m2.Deviation(m2Exact):F2} sigma); " +
            $"<phi^2> {phi2} exact {phi2Exact:R} ({phi2.Deviation(phi2Exact):F2} sigma); S/V {sv} exact 0.5 ({sv.Deviation(0.5):F2} sigma)");
        HmcSupport.AssertWithin(m2, m2Exact, 4, "<m^2>");
        HmcSupport.AssertWithin(phi2, phi2Exact, 4, "<phi^2>");
        HmcSupport.AssertWithin(sv, 0.5, 4, "<S>/V (equipartition)");
    }

    [Theory]
    [InlineData(4, 1.0, 3000)]
    [InlineData(4, 3.0, 3000)]
    public void U1PlaquetteAndChargeMatchCharacterExpansion(int l, double beta, int trajectories)
        => CheckU1(l, beta, trajectories);

    [Theory]
    [Trait("Category", "Slow")]
    [InlineData(8, 2.0, 20000)]
    [InlineData(8, 4.0, 20000)]
    public void U1On8x8MatchesCharacterExpansion(int l, double beta, int trajectories)
        => CheckU1(l, beta, trajectories);

    private static void CheckU1(int l, double beta, int trajectories)
    {
        var lat = new Lattice2D(l, l);
        var opts = new HmcOptions(0.2, 5, HmcIntegrator.Leapfrog, CompactAngles: true);
        var scratch = new ThreadLocal<double[]>(() => new double[lat.Volume]);
        var cos = HmcSupport.Measure(_ => new U1WilsonAction(lat, beta), opts, 4, 100, trajectories, _ => new double[lat.LinkCount],
            (_, x) => U1Observables.Summarise(lat, x, scratch.Value!).MeanCos);
        var q2 = HmcSupport.Measure(_ => new U1WilsonAction(lat, beta), opts, 4, 100, trajectories, _ => new double[lat.LinkCount],
            (_, x) => Math.Pow(U1Observables.Summarise(lat, x, scratch.Value!).QZ, 2), seed: 44);
        double cosExact = U1Exact.AveragePlaquette(l, l, beta), q2Exact = U1Exact.MeanChargeSquared(l, l, beta);
        Console.WriteLine($"U(1) {l}x{l} beta={beta}: <cos x_P> {cos} exact {cosExact:R} ({cos.Deviation(cosExact):F2} sigma); " +
            $"<Q^2> {q2} exact {q2Exact:R} ({q2.Deviation(q2Exact):F2} sigma)");
        HmcSupport.AssertWithin(cos, cosExact, 4, "<cos x_P>");
        HmcSupport.AssertWithin(q2, q2Exact, 4, "<Q_Z^2>");
    }
}
