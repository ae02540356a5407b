using Boltzmann.Physics.Lattice;

namespace Boltzmann.Physics.Tests.Lattice;

public class Phi4ActionTests
{
    [Theory]
    [InlineData(2, 2, 0.3, 0.02)]
    [InlineData(4, 4, 0.27, 0.022)]
    [InlineData(8, 3, 0.1, 1.3)]
    [InlineData(64, 8, 0.28, 0.022)]
    [InlineData(5, 7, 0.0, 0.0)]
    [InlineData(2, 9, 0.2, 0.5)]
    public void ActionAndGradientMatchNaiveLoops(int l, int t, double kappa, double lambda)
    {
        var action = new Phi4Action(new Lattice2D(l, t), kappa, lambda);
        var phi = LatticeFields.Gaussian(l * t, 17);
        var grad = new double[l * t];
        double s = action.ActionAndGradient(phi, grad);
        double naive = LatticeFields.NaivePhi4(l, t, kappa, lambda, phi);
        LatticeFields.AssertClose(naive, s, 1e-12, "S (fused kernel)");
        LatticeFields.AssertClose(naive, action.Action(phi), 1e-12, "S (Action)");
        var naiveGrad = LatticeFields.NaivePhi4Gradient(l, t, kappa, lambda, phi);
        for (int i = 0; i < phi.Length; i++) LatticeFields.AssertClose(naiveGrad[i], grad[i], 1e-12, $"dS/dphi[{i}]");
    }

    [Theory]
    [InlineData(4, 6, 0.27, 0.022)]
    [InlineData(3, 2, 0.2, 0.8)]
    public void GradientMatchesFiniteDifferences(int l, int t, double kappa, double lambda)
    {
        var action = new Phi4Action(new Lattice2D(l, t), kappa, lambda);
        var phi = LatticeFields.Gaussian(l * t, 5);
        var grad = new double[l * t];
        action.ActionAndGradient(phi, grad);
        var fd = LatticeFields.FiniteDifferenceGradient(x => action.Action(x), phi);
        for (int i = 0; i < phi.Length; i++) LatticeFields.AssertClose(fd[i], grad[i], 1e-8, $"FD dS/dphi[{i}]");
    }

    [Fact]
    public void HoppingSumAndObservablesAreConsistentWithAction()
    {
        var lat = new Lattice2D(6, 4);
        var phi = LatticeFields.Gaussian(lat.Volume, 9);
        double kappa = 0.21, lambda = 0.1;
        double local = 0;
        foreach (double p in phi) local += (1 - 2 * lambda) * p * p + lambda * p * p * p * p;
        double h = Phi4Observables.HoppingSum(lat, phi);
        LatticeFields.AssertClose(LatticeFields.NaivePhi4(6, 4, kappa, lambda, phi), -2 * kappa * h + local, 1e-12, "S = -2 kappa H + local");
        var sums = new double[lat.T];
        Phi4Observables.TimeSliceSums(lat, phi, sums);
        LatticeFields.AssertClose(Phi4Observables.Magnetisation(phi), sums.Sum(), 1e-12, "sum of time slices = M");
        var g = new double[lat.Volume];
        Phi4Observables.TwoPoint(lat, phi, g);
        double sq = phi.Sum(p => p * p) / lat.Volume;
        LatticeFields.AssertClose(sq, g[0], 1e-12, "G(0) = mean phi^2");
        LatticeFields.AssertClose(Math.Pow(phi.Sum(), 2) / lat.Volume, g.Sum(), 1e-12, "sum_y G(y) = M^2/V");
        LatticeFields.AssertClose(h / lat.Volume, g[lat.Site(1, 0)] + g[lat.Site(0, 1)], 1e-12, "G(e0) + G(e1) = H/V");
    }

    [Theory]
    [InlineData(-0.1, 0.0)]
    [InlineData(0.1, -0.01)]
    [InlineData(double.NaN, 0.0)]
    public void RejectsNegativeCouplings(double kappa, double lambda)
        => Assert.Throws<ArgumentOutOfRangeException>(() => new Phi4Action(new Lattice2D(4, 4), kappa, lambda));
}
