using System.Globalization;

namespace Boltzmann.Benchmarks.Cost;

/// <summary>
/// The cost model's limit: the lower-bound time of a step whose work is <see cref="StepCost"/> on one thread of a
/// machine with <see cref="MachinePeaks"/>, t_min = FLOPs / R_gemm + transcendentals / R_exp + element-wise / R_ew
/// + fused log-sigmoids / R_ls (R_ls: the fused kernels' own vector log-sigmoid, float32 or float64; the four kinds of work run one after another on one core, each at its best measured rate; memory stalls, kernel
/// launch overheads and Python/.NET dispatch are not counted, so no implementation reaches it).
/// </summary>
public static class CostLimit
{
    /// <summary>Lower-bound seconds of one step of <paramref name="cost"/> (float64 GEMM rate when <paramref name="float64"/>).</summary>
    public static double Seconds(StepCost cost, MachinePeaks peaks, bool float64 = false)
    {
        ArgumentNullException.ThrowIfNull(cost);
        ArgumentNullException.ThrowIfNull(peaks);
        double gemm = float64 ? peaks.GemmFlopsFloat64 : peaks.GemmFlopsFloat32;
        // Element-wise and transcendental peaks are measured in float32; float64 vectors hold half the lanes.
        double lanes = float64 ? 0.5 : 1.0;
        double fused = float64 ? peaks.FusedLogSigmoidsPerSecondFloat64 : peaks.FusedLogSigmoidsPerSecond;
        return cost.Flops / gemm + cost.Transcendentals / (peaks.TranscendentalsPerSecond * lanes) + cost.ElementwiseOps / (peaks.ElementwisePerSecond * lanes)
               + (cost.FusedLogSigmoids > 0 ? cost.FusedLogSigmoids / fused : 0);
    }

    /// <summary>The limit as steps (or units) per second.</summary>
    public static double PerSecond(StepCost cost, MachinePeaks peaks, bool float64 = false) => 1.0 / Seconds(cost, peaks, float64);

    /// <summary>"measured X (limit Y, Z % of it)" for a rate in units per second.</summary>
    public static string Describe(double measuredPerSecond, double limitPerSecond) => string.Create(CultureInfo.InvariantCulture,
        $"measured {measuredPerSecond:G4} (limit {limitPerSecond:G4}, {100 * measuredPerSecond / limitPerSecond:F0} % of it)");
}
