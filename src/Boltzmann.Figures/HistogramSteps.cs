namespace Boltzmann.Figures;

/// <summary>
/// Turns a histogram given as bin centres and heights into the outline of its bars (a step
/// curve), the usual way to overlay several distributions such as exact and parallel-tempering
/// P(q) without the bars hiding one another.
/// </summary>
public static class HistogramSteps
{
    /// <summary>
    /// Bin edges from strictly increasing bin centres: inner edges are midpoints between
    /// neighbouring centres; the outer edges lie half the neighbouring bin width beyond the first
    /// and last centre. A single bin gets width 1 (no neighbour defines its width).
    /// </summary>
    /// <exception cref="ArgumentException">Empty, non-finite or not strictly increasing centres.</exception>
    public static double[] Edges(ReadOnlySpan<double> centres)
    {
        if (centres.IsEmpty) throw new ArgumentException("A histogram needs at least one bin centre.", nameof(centres));
        for (var i = 0; i < centres.Length; i++)
        {
            if (!double.IsFinite(centres[i]))
                throw new ArgumentException($"Bin centre {i} is {centres[i]}; centres must be finite.", nameof(centres));
            if (i > 0 && centres[i] <= centres[i - 1])
                throw new ArgumentException(
                    $"Bin centres must be strictly increasing; centre {i} ({centres[i]}) follows {centres[i - 1]}.", nameof(centres));
        }

        var edges = new double[centres.Length + 1];
        if (centres.Length == 1)
        {
            edges[0] = centres[0] - 0.5;
            edges[1] = centres[0] + 0.5;
            return edges;
        }
        for (var i = 1; i < centres.Length; i++)
            edges[i] = 0.5 * (centres[i - 1] + centres[i]);
        edges[0] = centres[0] - (edges[1] - centres[0]);
        edges[^1] = centres[^1] + (centres[^1] - edges[^2]);
        return edges;
    }

    /// <summary>
    /// Vertices of the step outline: up from <paramref name="baseline"/> at the left edge, across
    /// each bin at its height, down to the baseline at the right edge. A <see langword="null"/>
    /// baseline (log axes, where zero does not exist) leaves the two ends open.
    /// </summary>
    public static (double[] X, double[] Y) Outline(ReadOnlySpan<double> centres, ReadOnlySpan<double> heights, double? baseline)
    {
        if (heights.Length != centres.Length)
            throw new ArgumentException($"{centres.Length} bin centres but {heights.Length} heights.", nameof(heights));
        var edges = Edges(centres);
        var n = centres.Length;
        var extra = baseline.HasValue ? 2 : 0;
        var xs = new double[2 * n + extra];
        var ys = new double[2 * n + extra];
        var k = 0;
        if (baseline.HasValue)
        {
            xs[k] = edges[0];
            ys[k++] = baseline.Value;
        }
        for (var i = 0; i < n; i++)
        {
            xs[k] = edges[i];
            ys[k++] = heights[i];
            xs[k] = edges[i + 1];
            ys[k++] = heights[i];
        }
        if (baseline.HasValue)
        {
            xs[k] = edges[n];
            ys[k] = baseline.Value;
        }
        return (xs, ys);
    }
}
