using Boltzmann.Physics.Lattice;
using Boltzmann.Random;

namespace Boltzmann.Physics.Tests.Lattice;

public class U1WilsonActionTests
{
    [Theory]
    [InlineData(4, 4, 1.0)]
    [InlineData(16, 16, 3.0)]
    [InlineData(2, 2, 2.0)]
    [InlineData(5, 3, 6.0)]
    [InlineData(8, 2, 0.5)]
    public void ActionAndGradientMatchDefinition(int l, int t, double beta)
    {
        var action = new U1WilsonAction(new Lattice2D(l, t), beta);
        var links = LatticeFields.Angles(2 * l * t, 23);
        var grad = new double[links.Length];
        double s = action.ActionAndGradient(links, grad);
        double naive = LatticeFields.NaiveU1(l, t, beta, links);
        LatticeFields.AssertClose(naive, s, 1e-12, "S");
        LatticeFields.AssertClose(naive, action.Action(links), 1e-12, "S (Action)");
        var fd = LatticeFields.FiniteDifferenceGradient(x => LatticeFields.NaiveU1(l, t, beta, x), links);
        for (int i = 0; i < links.Length; i++) LatticeFields.AssertClose(fd[i], grad[i], 1e-8, $"dS/dx[{i}]");
    }

    [Fact]
    public void ActionAndChargeAreGaugeInvariant()
    {
        var lat = new Lattice2D(8, 6);
        var action = new U1WilsonAction(lat, 2.5);
        var links = LatticeFields.Angles(lat.LinkCount, 3);
        var alpha = LatticeFields.Angles(lat.Volume, 4);
        // x_mu(n) -> x_mu(n) + alpha(n) - alpha(n + mu): U_mu(n) -> Omega(n) U_mu(n) Omega(n+mu)^dagger.
        var gauged = new double[links.Length];
        for (int mu = 0; mu < 2; mu++)
            for (int n = 0; n < lat.Volume; n++)
                gauged[lat.Link(mu, n)] = U1Observables.Wrap(links[lat.Link(mu, n)] + alpha[n] - alpha[lat.Forward(mu)[n]]);
        LatticeFields.AssertClose(action.Action(links), action.Action(gauged), 1e-12, "S after a gauge transformation");
        var before = U1Observables.Summarise(lat, links);
        var after = U1Observables.Summarise(lat, gauged);
        Assert.Equal(before.QZ, after.QZ);
        LatticeFields.AssertClose(before.QR, after.QR, 1e-12, "Q_R after a gauge transformation");
        LatticeFields.AssertClose(before.MeanCos, after.MeanCos, 1e-12, "<cos x_P> after a gauge transformation");
    }

    [Fact]
    public void TopologicalChargeIsIntegerOnRandomConfigurations()
    {
        var lat = new Lattice2D(6, 10);
        for (ulong seed = 0; seed < 50; seed++)
        {
            var q = U1Observables.Summarise(lat, LatticeFields.Angles(lat.LinkCount, seed));
            Assert.True(Math.Abs(q.QZRaw - Math.Round(q.QZRaw)) < 1e-10, $"Q_Z = {q.QZRaw:R} is not an integer");
            Assert.Equal(Math.Round(q.QZRaw), q.QZ);
        }
    }

    /// <summary>
    /// Constant field strength with total flux 2 pi Q: x_1(x, t) = 2 pi Q x / V on every site and
    /// x_0(L-1, t) = -2 pi Q t / T on the last row (the transition function closing the torus). Every plaquette
    /// then has wrap(x_P) = 2 pi Q / V, so Q_Z = Q exactly, Q_R = V sin(2 pi Q / V) / 2 pi, S = beta V (1 - cos(2 pi Q / V)).
    /// </summary>
    [Theory]
    [InlineData(8, 8, 1)]
    [InlineData(8, 8, -1)]
    [InlineData(16, 16, 3)]
    [InlineData(12, 6, -2)]
    [InlineData(64, 8, 5)]
    public void ConstantFluxInstantonHasChargeQ(int l, int t, int charge)
    {
        var lat = new Lattice2D(l, t);
        int v = lat.Volume;
        var links = new double[2 * v];
        for (int x = 0; x < l; x++)
            for (int tt = 0; tt < t; tt++)
            {
                links[lat.Link(1, lat.Site(x, tt))] = U1Observables.Wrap(2 * Math.PI * charge * x / v);
                if (x == l - 1) links[lat.Link(0, lat.Site(x, tt))] = U1Observables.Wrap(-2 * Math.PI * charge * tt / t);
            }
        var q = U1Observables.Summarise(lat, links);
        Assert.Equal(charge, q.QZ);
        double f = 2 * Math.PI * charge / v;
        LatticeFields.AssertClose(v * Math.Sin(f) / (2 * Math.PI), q.QR, 1e-10, "Q_R");
        LatticeFields.AssertClose(Math.Cos(f), q.MeanCos, 1e-12, "<cos x_P>");
        LatticeFields.AssertClose(3.0 * v * (1 - Math.Cos(f)), new U1WilsonAction(lat, 3.0).Action(links), 1e-9, "S");
    }

    [Fact]
    public void WrapMapsIntoHalfOpenInterval()
    {
        Assert.Equal(Math.PI, U1Observables.Wrap(Math.PI));
        Assert.Equal(Math.PI, U1Observables.Wrap(-Math.PI), 14);
        Assert.Equal(0.5, U1Observables.Wrap(0.5 + 4 * Math.PI), 12);
        var rng = new RandomStream(1);
        for (int i = 0; i < 1000; i++)
        {
            double w = U1Observables.Wrap(40 * (rng.NextDouble() - 0.5));
            Assert.True(w > -Math.PI && w <= Math.PI);
        }
    }

    [Fact]
    public void RejectsNonPositiveBeta()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new U1WilsonAction(new Lattice2D(4, 4), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new U1WilsonAction(new Lattice2D(4, 4), -1));
    }
}
