using System.Globalization;

namespace Boltzmann.Learning.Training;

/// <summary>
/// When a training stage counts as diverged and must stop (keeping its last good checkpoint). A NaN or ±∞
/// loss or gradient always stops training; the two optional rules below catch a loss that is finite but
/// running away. Both are evaluated on the loss of a step before its parameter update.
/// </summary>
public sealed record DivergenceRule
{
    /// <summary>Stop when a step's loss exceeds this value (e.g. a loose upper bound such as the loss at initialisation plus a margin).</summary>
    public double? MaxLoss { get; init; }

    /// <summary>
    /// Stop when the smoothed loss rises more than this above its running minimum. The smoothed loss is the
    /// exponential moving average L̄_t = L̄_{t−1} + α (L_t − L̄_{t−1}), α = 2/(<see cref="SmoothingSteps"/> + 1),
    /// started at L̄_0 = L_0; the rule is active once <see cref="SmoothingSteps"/> losses have been seen, so the
    /// noisy start of training never trips it.
    /// </summary>
    public double? MaxRiseAboveBest { get; init; }

    /// <summary>Span of the moving average used by <see cref="MaxRiseAboveBest"/>.</summary>
    public int SmoothingSteps { get; init; } = 50;

    /// <summary>Only non-finite losses and gradients stop training.</summary>
    public static DivergenceRule NonFiniteOnly { get; } = new();

    /// <summary>Problems with this rule, each naming the property, the value and what is allowed.</summary>
    public IEnumerable<string> Problems()
    {
        if (MaxLoss is double m && double.IsNaN(m))
            yield return "Divergence.MaxLoss: value NaN is not allowed; must be a number (or null for no limit)";
        if (MaxRiseAboveBest is double r && !(r > 0 && double.IsFinite(r)))
            yield return $"Divergence.MaxRiseAboveBest: value {r.ToString("R", CultureInfo.InvariantCulture)} is not allowed; must be finite and > 0 (or null)";
        if (SmoothingSteps < 1)
            yield return $"Divergence.SmoothingSteps: value {SmoothingSteps} is not allowed; must be >= 1";
    }

    /// <summary>A canonical text form, part of the resume-compatibility fingerprint.</summary>
    public string Canonical() => string.Create(CultureInfo.InvariantCulture,
        $"MaxLoss={MaxLoss?.ToString("R", CultureInfo.InvariantCulture) ?? "none"};MaxRiseAboveBest={MaxRiseAboveBest?.ToString("R", CultureInfo.InvariantCulture) ?? "none"};SmoothingSteps={SmoothingSteps}");
}
