using System.Globalization;

namespace Boltzmann.Figures;

/// <summary>
/// Tick marks for a base-10 logarithmic axis. ScottPlot 5 has no logarithmic axis type, so log
/// panels plot log10 of the data on a linear axis and label it with these ticks, written with the
/// untransformed value (0.01, 1, 100, 1e+06). Majors sit at decades; when fewer than
/// <see cref="MinimumMajorTicks"/> decades are visible, majors are added at 2x and 5x, then at
/// every integer mantissa; over a range too narrow even for that, at round values (1, 2 or 5 x
/// 10^k apart, as on a linear axis) placed at their logarithm. Minor ticks mark the other
/// mantissas 2..9.
/// </summary>
public static class LogAxisTicks
{
    /// <summary>Fewest labelled ticks a log axis should show.</summary>
    public const int MinimumMajorTicks = 3;

    /// <summary>Most labelled decades before labels are thinned to every k-th decade.</summary>
    public const int MaximumDecadeLabels = 8;

    /// <summary>A tick at <paramref name="Position"/> (in log10 units); <paramref name="Label"/> is empty for minor ticks.</summary>
    public readonly record struct Tick(double Position, string Label, bool IsMajor);

    private static readonly int[][] MantissaLevels = [[1], [1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]];

    /// <summary>Ticks inside the visible log10 range [<paramref name="log10Min"/>, <paramref name="log10Max"/>], sorted by position.</summary>
    /// <exception cref="ArgumentException">Bounds are not finite or are reversed.</exception>
    public static IReadOnlyList<Tick> Generate(double log10Min, double log10Max)
    {
        if (!double.IsFinite(log10Min) || !double.IsFinite(log10Max))
            throw new ArgumentException($"Log-axis range [{log10Min}, {log10Max}] must be finite.");
        if (log10Max < log10Min)
            throw new ArgumentException($"Log-axis range [{log10Min}, {log10Max}] is reversed.");

        var first = (int)Math.Floor(log10Min);
        var last = (int)Math.Ceiling(log10Max);
        bool Visible(double p) => p >= log10Min - 1e-9 && p <= log10Max + 1e-9;

        var decades = Enumerable.Range(first, last - first + 1).Count(d => Visible(d));
        if (decades > MaximumDecadeLabels)
        {
            // Wide range: label every k-th decade (multiples of k, so labels do not shift with the data), no minors.
            var step = (int)Math.Ceiling(decades / (double)MaximumDecadeLabels);
            return Enumerable.Range(first, last - first + 1)
                .Where(d => Visible(d))
                .Select(d => d % step == 0 ? new Tick(d, Format(1, d), true) : new Tick(d, string.Empty, false))
                .ToList();
        }

        foreach (var mantissas in MantissaLevels)
        {
            var ticks = new List<Tick>();
            for (var decade = first; decade <= last; decade++)
            {
                for (var m = 1; m <= 9; m++)
                {
                    var position = decade + Math.Log10(m);
                    if (!Visible(position)) continue;
                    var major = mantissas.Contains(m);
                    ticks.Add(new Tick(position, major ? Format(m, decade) : string.Empty, major));
                }
            }
            if (ticks.Count(t => t.IsMajor) >= MinimumMajorTicks || mantissas.Length == 9 && ticks.Count(t => t.IsMajor) >= 2)
                return ticks;
        }

        // A small fraction of a decade: round values (1, 2 or 5 x 10^k apart), placed at their logarithm.
        return NarrowRange(Math.Pow(10, log10Min), Math.Pow(10, log10Max));
    }

    private static List<Tick> NarrowRange(double lo, double hi)
    {
        var raw = (hi - lo) / 4;
        if (!(raw > 0)) return [new Tick(Math.Log10(lo), lo.ToString("G4", CultureInfo.InvariantCulture), true)];
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var normalised = raw / magnitude;
        var step = magnitude * (normalised < 1.5 ? 1 : normalised < 3.5 ? 2 : normalised < 7.5 ? 5 : 10);
        var ticks = new List<Tick>();
        for (var k = Math.Ceiling(lo / step); k * step <= hi * (1 + 1e-12); k++)
        {
            var value = k * step;
            ticks.Add(new Tick(Math.Log10(value), value.ToString("G6", CultureInfo.InvariantCulture), true));
        }
        return ticks;
    }

    /// <summary>
    /// Label for mantissa x 10^exponent: plain decimal between 1e-4 and 1e5 ("0.002", "500"), else
    /// scientific ("2e-07", "1e+06").
    /// </summary>
    public static string Format(int mantissa, int exponent)
    {
        var value = mantissa * Math.Pow(10, exponent);
        return exponent is >= -4 and <= 5
            ? value.ToString("0.#####", CultureInfo.InvariantCulture)
            : value.ToString("0e+00", CultureInfo.InvariantCulture);
    }
}
