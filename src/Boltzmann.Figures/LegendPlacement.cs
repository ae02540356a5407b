namespace Boltzmann.Figures;

/// <summary>
/// Picks the corner of a panel where a box (the legend, or a note) hides the least data: the
/// corner whose box, given as fractions of the data area, contains the fewest data samples.
/// Ties prefer upper right, upper left, lower right, lower left.
/// </summary>
public static class LegendPlacement
{
    /// <summary>
    /// Chooses the corner given data samples in normalised coordinates (0 = left/bottom edge of the
    /// visible data area, 1 = right/top). Samples along lines should be included, not only markers.
    /// </summary>
    /// <param name="normalized">Data samples.</param>
    /// <param name="boxWidth">Box width as a fraction of the data area width, in (0, 1].</param>
    /// <param name="boxHeight">Box height as a fraction of the data area height, in (0, 1].</param>
    /// <param name="exclude">A corner already taken (e.g. by the legend when placing a note).</param>
    public static LegendCorner Choose(IEnumerable<(double X, double Y)> normalized, double boxWidth, double boxHeight, LegendCorner? exclude = null)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        if (!(boxWidth > 0 && boxWidth <= 1)) throw new ArgumentOutOfRangeException(nameof(boxWidth), boxWidth, "Must be in (0, 1].");
        if (!(boxHeight > 0 && boxHeight <= 1)) throw new ArgumentOutOfRangeException(nameof(boxHeight), boxHeight, "Must be in (0, 1].");
        var counts = Count(normalized, boxWidth, boxHeight);
        var best = -1;
        for (var i = 0; i < counts.Length; i++)
        {
            if (exclude.HasValue && i == (int)exclude.Value) continue;
            if (best < 0 || counts[i] < counts[best]) best = i;
        }
        return (LegendCorner)best;
    }

    /// <summary>Number of samples inside each corner box, indexed by <see cref="LegendCorner"/>.</summary>
    public static int[] Count(IEnumerable<(double X, double Y)> normalized, double boxWidth, double boxHeight)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        var counts = new int[4];
        foreach (var (x, y) in normalized)
        {
            if (!double.IsFinite(x) || !double.IsFinite(y)) continue;
            var left = x <= boxWidth;
            var right = x >= 1 - boxWidth;
            var lower = y <= boxHeight;
            var upper = y >= 1 - boxHeight;
            if (upper && right) counts[(int)LegendCorner.UpperRight]++;
            if (upper && left) counts[(int)LegendCorner.UpperLeft]++;
            if (lower && right) counts[(int)LegendCorner.LowerRight]++;
            if (lower && left) counts[(int)LegendCorner.LowerLeft]++;
        }
        return counts;
    }
}
