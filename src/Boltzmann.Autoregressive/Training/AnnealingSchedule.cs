using System.Globalization;

namespace Boltzmann.Autoregressive.Training;

/// <summary>
/// The inverse-temperature schedule of variational annealing (Biazzo 2023, section "Results": "starting from beta = 0.1 it
/// reached beta = 2.0 with a step of 0.05", 1000 epochs per temperature): beta_k = beta_start + k beta_step for
/// k = 0..K-1 while beta_k &lt;= beta_max (+1e-9 slack for rounding), each held for <see cref="EpochsPerTemperature"/>
/// optimisation steps. Step s (0-based) of the whole run trains at beta_{s / epochs}. The values are rounded to 12
/// decimals so 0.1 + 26 x 0.05 prints as 1.4, not 1.4000000000000001.
/// </summary>
public sealed record AnnealingSchedule
{
    public AnnealingSchedule(double betaStart, double betaStep, double betaMax, int epochsPerTemperature)
    {
        if (!double.IsFinite(betaStart) || betaStart <= 0)
            throw new ArgumentOutOfRangeException(nameof(betaStart), betaStart, "Annealing: beta_start must be finite and > 0.");
        if (!double.IsFinite(betaStep) || betaStep <= 0)
            throw new ArgumentOutOfRangeException(nameof(betaStep), betaStep, "Annealing: beta_step must be finite and > 0.");
        if (!double.IsFinite(betaMax) || betaMax < betaStart)
            throw new ArgumentOutOfRangeException(nameof(betaMax), betaMax, $"Annealing: beta_max must be finite and >= beta_start = {betaStart.ToString(CultureInfo.InvariantCulture)}.");
        if (epochsPerTemperature < 1)
            throw new ArgumentOutOfRangeException(nameof(epochsPerTemperature), epochsPerTemperature, "Annealing: epochs per temperature must be >= 1.");
        BetaStart = betaStart;
        BetaStep = betaStep;
        BetaMax = betaMax;
        EpochsPerTemperature = epochsPerTemperature;
        int count = (int)Math.Floor((betaMax - betaStart) / betaStep + 1e-9) + 1;
        if (count > 100_000) throw new ArgumentOutOfRangeException(nameof(betaStep), betaStep, $"Annealing: {count} temperatures is too many (at most 100000).");
        Betas = Enumerable.Range(0, count).Select(k => Math.Round(betaStart + k * betaStep, 12)).ToArray();
    }

    public double BetaStart { get; }

    public double BetaStep { get; }

    public double BetaMax { get; }

    public int EpochsPerTemperature { get; }

    /// <summary>The inverse temperatures in training order.</summary>
    public IReadOnlyList<double> Betas { get; }

    /// <summary>Number of temperatures K.</summary>
    public int Count => Betas.Count;

    /// <summary>Total optimisation steps K x epochs.</summary>
    public long TotalSteps => (long)Count * EpochsPerTemperature;

    /// <summary>Index of the temperature that step <paramref name="step"/> (0-based) trains at.</summary>
    public int TemperatureIndex(long step)
    {
        if (step < 0 || step >= TotalSteps) throw new ArgumentOutOfRangeException(nameof(step), step, $"Annealing: step must be in 0..{TotalSteps - 1}.");
        return (int)(step / EpochsPerTemperature);
    }

    /// <summary>The inverse temperature of step <paramref name="step"/>.</summary>
    public double BetaAt(long step) => Betas[TemperatureIndex(step)];

    /// <summary>The index of the schedule temperature closest to <paramref name="beta"/> (within 1e-9), or -1.</summary>
    public int IndexOf(double beta)
    {
        for (int k = 0; k < Count; k++) if (Math.Abs(Betas[k] - beta) <= 1e-9) return k;
        return -1;
    }
}
