using Boltzmann.Random;
using Boltzmann.Statistics;

namespace Boltzmann.Physics.SpinGlass;

/// <summary>
/// Ultrametricity test of Hartnett &amp; Mohseni (2020, section 4.5, Figs. 5 and 7): triangles between triplets of
/// low-energy states, their sorted sides d = (1 - q)/2 and the fractions of equilateral / acute isosceles / other
/// triangles (Parisi's RSB solution of SK: 1/4 equilateral, 3/4 acute isosceles, none other).
/// <para>
/// <b>Selection rule (the paper says only "low energy states").</b> The states are sorted by energy (ties by
/// arrival order) and the lowest ceil(f M) of the M states are kept, f = <c>lowEnergyFraction</c>. The kept states
/// are shuffled with the given random stream and cut into disjoint consecutive triples (3k, 3k+1, 3k+2), at most
/// <c>maxTriangles</c> of them; disjoint triples keep the triangles as independent as the states are, so the
/// fractions get binomial errors. Feed states that are themselves (nearly) independent: flow samples, or PT
/// samples thinned by more than tau_int.
/// </para>
/// </summary>
public static class UltrametricTriangles
{
    /// <summary>
    /// Triangles of the low-energy states among <paramref name="states"/> (row-major, count x <paramref name="n"/>, +-1),
    /// with energies <paramref name="energies"/> (one per state; any monotone energy, e.g. H(s)).
    /// </summary>
    public static TriangleStatistics Analyze(
        ReadOnlySpan<sbyte> states,
        int n,
        ReadOnlySpan<double> energies,
        double lowEnergyFraction,
        double tolerance,
        bool absoluteOverlap,
        ref RandomStream rng,
        int maxTriangles = int.MaxValue)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "Spin count must be >= 1.");
        if (states.Length % n != 0) throw new ArgumentException($"States length {states.Length} is not a multiple of N = {n}.", nameof(states));
        int count = states.Length / n;
        if (energies.Length != count) throw new ArgumentException($"{energies.Length} energies for {count} states.", nameof(energies));
        if (!(lowEnergyFraction > 0 && lowEnergyFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(lowEnergyFraction), lowEnergyFraction, "The low-energy fraction must be in (0, 1].");
        if (!(tolerance >= 0) || !double.IsFinite(tolerance))
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "Tolerance must be finite and >= 0.");
        if (maxTriangles < 1) throw new ArgumentOutOfRangeException(nameof(maxTriangles), maxTriangles, "At least one triangle must be allowed.");
        for (int i = 0; i < energies.Length; i++)
            if (!double.IsFinite(energies[i])) throw new ArgumentException($"Energy {i} is {energies[i]}; energies must be finite.", nameof(energies));

        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        var e = energies.ToArray();
        Array.Sort(order, (a, b) => e[a] != e[b] ? e[a].CompareTo(e[b]) : a.CompareTo(b));
        int kept = (int)Math.Ceiling(lowEnergyFraction * count);
        if (kept < 3) throw new ArgumentException($"Only {kept} low-energy states (fraction {lowEnergyFraction} of {count}); a triangle needs 3.", nameof(lowEnergyFraction));
        var chosen = order.AsSpan(0, kept).ToArray();
        for (int i = kept - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (chosen[i], chosen[j]) = (chosen[j], chosen[i]);
        }
        int triangles = Math.Min(maxTriangles, kept / 3);
        var list = new List<TriangleSides>(triangles);
        long eq = 0, iso = 0, other = 0;
        for (int t = 0; t < triangles; t++)
        {
            var a = states.Slice(chosen[3 * t] * n, n);
            var b = states.Slice(chosen[3 * t + 1] * n, n);
            var c = states.Slice(chosen[3 * t + 2] * n, n);
            var sides = TriangleSides.FromOverlaps(Overlap(a, b), Overlap(a, c), Overlap(b, c), absoluteOverlap);
            list.Add(sides);
            switch (sides.Classify(tolerance))
            {
                case TriangleShape.Equilateral: eq++; break;
                case TriangleShape.AcuteIsosceles: iso++; break;
                default: other++; break;
            }
        }
        return new TriangleStatistics(list, Fraction(eq, triangles), Fraction(iso, triangles), Fraction(other, triangles), kept, tolerance, absoluteOverlap);
    }

    /// <summary>q = (1/N) sum_i a_i b_i.</summary>
    public static double Overlap(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        int dot = 0;
        for (int i = 0; i < a.Length; i++) dot += a[i] * b[i];
        return (double)dot / a.Length;
    }

    private static Estimate Fraction(long hits, int total)
    {
        double f = (double)hits / total;
        return new Estimate(f, Math.Sqrt(f * (1 - f) / total), 0.5, 0, total);
    }
}
