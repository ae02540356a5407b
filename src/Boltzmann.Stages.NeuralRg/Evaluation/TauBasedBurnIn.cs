using Boltzmann.Statistics;

namespace Boltzmann.Stages.NeuralRg.Evaluation;

/// <summary>
/// A burn-in measured in units of the integrated autocorrelation time: the chains are run for burn_in + trajectories,
/// tau_int of the structure factor is measured on the last <c>trajectories</c> (Gamma method, averaged over the
/// independent chains), and while the discarded part is shorter than <c>multiple</c> × tau_int the chains are continued
/// so that the measured window moves later. At the critical point both samplers start far from equilibrium (prior /
/// hot start) and the structure factor relaxes on a time of the order of tau_int: a fixed short burn-in biases ⟨m²⟩
/// low (the physical chains at L = 8 with 40 trajectories: −2.6 sigma).
/// </summary>
public static class TauBasedBurnIn
{
    public const double DefaultMultiple = 20;
    public const int MaxExtensions = 4;

    /// <summary>
    /// <paramref name="run"/>(n) continues the chains for n trajectories and returns their series. Returns the measured
    /// window (the last <paramref name="trajectories"/>) and the number of trajectories discarded before it.
    /// </summary>
    public static (HmcSeries Window, int Discarded) Run(Func<int, HmcSeries> run, int burnIn, int trajectories, double multiple)
    {
        ArgumentNullException.ThrowIfNull(run);
        var all = run(burnIn + trajectories);
        int discarded = burnIn;
        for (int k = 0; k < MaxExtensions; k++)
        {
            double tau = IndependentChains.Mean(all.Skip(discarded).MagnetizationSquared).TauInt;
            int required = double.IsFinite(tau) ? (int)Math.Ceiling(multiple * tau) : discarded;
            if (required <= discarded) break;
            all = all.Append(run(required - discarded));
            discarded = required;
        }
        return (all.Skip(discarded), discarded);
    }
}
