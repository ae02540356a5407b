using Boltzmann.Physics.Exact;
using Boltzmann.Statistics;

namespace Boltzmann.Stages.Lattice.Phi4;

/// <summary>
/// F(kappa)/V along an increasing kappa grid starting at 0 from per-chain series of the hopping sum
/// H = sum_x sum_mu phi(x) phi(x+mu) at every grid point (see <see cref="Phi4FreeEnergyStage"/> for the formulas).
/// Grid points are independent simulations, so their errors add in quadrature.
/// </summary>
public static class Phi4FreeEnergy
{
    public sealed record Result(Estimate[] Ratio, double[] RatioBias, Estimate[] Integration, Estimate[] Derivative);

    /// <param name="hopping">hopping[i][c] = H series of chain c at kappa_i.</param>
    public static Result Compute(double[] kappas, double[][][] hopping, double lambda, double volume, bool simpson)
    {
        int n = kappas.Length;
        if (kappas[0] != 0) throw new ArgumentException("The kappa grid must start at 0 (exact anchor F_0 = -V ln z0).");
        double f0 = -Phi4SingleSite.LnZ0(lambda);       // F_0 / V
        var ratio = new Estimate[n];
        var bias = new double[n];
        ratio[0] = new Estimate(f0, 0, double.NaN, double.NaN, 0);
        double lnZ = -f0 * volume, var = 0;
        for (int i = 0; i + 1 < n; i++)
        {
            double dk = kappas[i + 1] - kappas[i];
            // w = exp(2 dk H - c) with c = max over samples: ln r = c + ln mean(w).
            double c = hopping[i].SelectMany(h => h).Max() * 2 * dk;
            var w = hopping[i].Select(h => h.Select(x => Math.Exp(2 * dk * x - c)).ToArray()).ToArray();
            var wbar = ChainEstimates.Mean(w);
            double lnr = c + Math.Log(wbar.Mean);
            double rel = wbar.StdError / wbar.Mean;
            lnZ += lnr;
            var += rel * rel;
            bias[i + 1] = rel * rel / 2 / volume;     // delta method: E[ln w-bar] - ln E[w] ~ -Var(w-bar) / (2 w^2); on F/V, positive
            ratio[i + 1] = new Estimate(-lnZ / volume, Math.Sqrt(var) / volume, wbar.TauInt, wbar.TauIntError, wbar.Count);
        }

        var derivative = new Estimate[n];
        for (int i = 0; i < n; i++)
        {
            var h = ChainEstimates.Mean(hopping[i]);
            derivative[i] = new Estimate(2 * h.Mean, 2 * h.StdError, h.TauInt, h.TauIntError, h.Count);
        }
        var ti = new Estimate[n];
        ti[0] = ratio[0];
        var weights = new double[n];
        for (int j = 1; j < n; j++)
        {
            // ln Z(kappa_j) = ln Z(0) + int_0^{kappa_j} <2H> dkappa, quadrature weights over points 0..j.
            Array.Clear(weights);
            int start = 0;
            if (simpson)
            {
                while (start + 2 <= j && Math.Abs((kappas[start + 2] - kappas[start + 1]) - (kappas[start + 1] - kappas[start])) < 1e-12)
                {
                    double hh = kappas[start + 1] - kappas[start];
                    weights[start] += hh / 3; weights[start + 1] += 4 * hh / 3; weights[start + 2] += hh / 3;
                    start += 2;
                }
            }
            for (int i = start; i < j; i++)
            {
                double hh = kappas[i + 1] - kappas[i];
                weights[i] += hh / 2; weights[i + 1] += hh / 2;
            }
            double integral = 0, ivar = 0;
            for (int i = 0; i <= j; i++) { integral += weights[i] * derivative[i].Mean; ivar += Math.Pow(weights[i] * derivative[i].StdError, 2); }
            ti[j] = new Estimate(f0 - integral / volume, Math.Sqrt(ivar) / volume, double.NaN, double.NaN, derivative[j].Count);
        }
        return new Result(ratio, bias, ti, derivative);
    }
}
