using Boltzmann.Physics.Lattice;

namespace Boltzmann.Benchmarks.Lattice;

/// <summary>
/// The straightforward force kernels (per-site loops over the neighbour tables, scalar Math.SinCos): the "before"
/// against which the vectorised shifted-view kernels of Phi4Action and U1WilsonAction are measured.
/// </summary>
public static class NaiveLatticeForces
{
    public static double Phi4(Lattice2D lat, double kappa, double lambda, double[] phi, double[] grad)
    {
        var f0 = lat.Forward(0); var f1 = lat.Forward(1); var b0 = lat.Backward(0); var b1 = lat.Backward(1);
        double s = 0;
        for (int i = 0; i < phi.Length; i++)
        {
            double p = phi[i], p2 = p * p;
            s += -2 * kappa * p * (phi[f0[i]] + phi[f1[i]]) + (1 - 2 * lambda) * p2 + lambda * p2 * p2;
            grad[i] = -2 * kappa * (phi[f0[i]] + phi[b0[i]] + phi[f1[i]] + phi[b1[i]]) + 2 * (1 - 2 * lambda) * p + 4 * lambda * p2 * p;
        }
        return s;
    }

    public static double U1(Lattice2D lat, double beta, double[] links, double[] grad, double[] sinP)
    {
        int v = lat.Volume;
        var f0 = lat.Forward(0); var f1 = lat.Forward(1); var b0 = lat.Backward(0); var b1 = lat.Backward(1);
        double s = 0;
        for (int n = 0; n < v; n++)
        {
            var (sin, cos) = Math.SinCos(links[n] + links[v + f0[n]] - links[f1[n]] - links[v + n]);
            s += beta * (1 - cos);
            sinP[n] = beta * sin;
        }
        for (int n = 0; n < v; n++)
        {
            grad[n] = sinP[n] - sinP[b1[n]];
            grad[v + n] = sinP[b0[n]] - sinP[n];
        }
        return s;
    }
}
