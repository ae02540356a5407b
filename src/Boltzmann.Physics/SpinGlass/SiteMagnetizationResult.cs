using Boltzmann.Statistics;

namespace Boltzmann.Physics.SpinGlass;

/// <summary>
/// Per-site magnetisations of a sampler (<see cref="SiteMagnetization"/>).
/// </summary>
/// <param name="N">Number of spins.</param>
/// <param name="Sites">m_i = &lt;s_i&gt; with blocked errors, i = 0..N-1.</param>
/// <param name="MeanAbsolute">(1/N) sum_i |m^_i| (plug-in; biased upwards by noise, about sqrt(2/(pi M)) for M independent samples at m_i = 0).</param>
/// <param name="CollapseIndicator">C = (1/N) sum_i m_i^2, bias-free block U-statistic with jackknife error: 0 for a Z2-symmetric sampler, about q_EA for a collapsed one.</param>
/// <param name="Blocks">Number of blocks the errors come from.</param>
public sealed record SiteMagnetizationResult(int N, Estimate[] Sites, double MeanAbsolute, Estimate CollapseIndicator, int Blocks)
{
    /// <summary>Total magnetisation per spin M/N = (1/N) sum_i m_i, error from the site errors in quadrature (an
    /// approximation: site estimates from the same samples are correlated).</summary>
    public Estimate MeanMagnetization
    {
        get
        {
            double m = 0, v = 0;
            foreach (var s in Sites) { m += s.Mean; v += s.StdError * s.StdError; }
            return new Estimate(m / N, Math.Sqrt(v) / N, double.NaN, double.NaN, Sites.Length == 0 ? 0 : Sites[0].Count);
        }
    }
}
