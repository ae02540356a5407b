namespace Boltzmann.Benchmarks.Cost;

/// <summary>
/// Counted work (<see cref="StepCost"/>) of one single-spin Metropolis flip attempt of parallel tempering on an SK
/// instance with N spins and incremental local fields (float64), at flip acceptance a:
/// <code>
///   transcendentals  1                 (the threshold −T ln u of the uniform u)
///   element-wise     12 + 4 + a · N    (xoshiro256** draw and its conversion to a double; ΔE = 2 sᵢfᵢ, compare,
///                                       spin/energy bookkeeping; on acceptance fⱼ += −2sᵢJᵢⱼ over the row, one fused
///                                       multiply-add per entry)
/// </code>
/// and memory traffic a · 8N bytes: the coupling row (N doubles; the whole 2J matrix, 8N² bytes = 512 KB at N = 256, lives
/// in L2, a walker's fields in L1). Replica exchanges (one per temperature pair per sweep) are O(1/N) per attempt and not
/// counted. Limit (<see cref="Seconds"/>): t = 2/R_exp + 16/R_ew + max(2aN/R_ew, 8aN/B_L2) — the threshold's logarithm
/// and the row update in float64 (half the float32 lanes: R/2), the 16 scalar operations counted as fast as float32
/// vector elements (optimistic), and the row update bound by whichever is slower, the vector units or the L2 stream.
/// </summary>
public static class ParallelTemperingCostModel
{
    public static StepCost FlipAttempt(int n, double acceptance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (!(acceptance >= 0 && acceptance <= 1)) throw new ArgumentOutOfRangeException(nameof(acceptance), acceptance, "must be in [0, 1]");
        return new StepCost($"PT SK flip attempt, N = {n}, acceptance {acceptance:F3}", 0, 1, 16 + acceptance * n);
    }

    /// <summary>Bytes streamed from L2 per attempt (the accepted flips' coupling rows).</summary>
    public static double L2Bytes(int n, double acceptance) => 8.0 * n * acceptance;

    /// <summary>Lower-bound seconds per flip attempt: the operation count's limit plus the L2 traffic.</summary>
    public static double Seconds(int n, double acceptance, MachinePeaks peaks)
    {
        var cost = FlipAttempt(n, acceptance);
        double row = acceptance * n;
        return 2 * cost.Transcendentals / peaks.TranscendentalsPerSecond + (cost.ElementwiseOps - row) / peaks.ElementwisePerSecond
               + Math.Max(2 * row / peaks.ElementwisePerSecond, L2Bytes(n, acceptance) / peaks.L2BytesPerSecond);
    }

    /// <summary>The limit in flip attempts per second on one core.</summary>
    public static double PerSecond(int n, double acceptance, MachinePeaks peaks) => 1.0 / Seconds(n, acceptance, peaks);
}
