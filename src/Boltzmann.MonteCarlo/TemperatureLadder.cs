namespace Boltzmann.MonteCarlo;

/// <summary>
/// The temperatures of a parallel-tempering run, slot 0 being the coldest. Immutable.
/// <para>
/// A geometric ladder T_k = Tmin (Tmax/Tmin)^{k/(R-1)} keeps the ratio of neighbouring temperatures
/// fixed, which gives roughly uniform swap acceptance when the specific heat varies slowly
/// (Hukushima &amp; Nemoto, J. Phys. Soc. Jpn. 65 (1996) 1604; Earl &amp; Deem, PCCP 7 (2005) 3910).
/// </para>
/// <para>
/// <see cref="Geometric"/> and <see cref="Explicit"/> reject duplicates, because two equal temperatures
/// in a ladder are almost always a typing error. <see cref="Repeated"/> builds such a ladder on
/// purpose: exchanges between equal temperatures are always accepted (the swap ratio is exactly 1), so
/// it runs R x C independent replicas at one temperature and exercises the exchange bookkeeping.
/// </para>
/// </summary>
public sealed class TemperatureLadder
{
    private readonly double[] _temperatures;
    private readonly double[] _betas;

    private TemperatureLadder(double[] temperatures)
    {
        _temperatures = temperatures;
        _betas = new double[temperatures.Length];
        for (int k = 0; k < temperatures.Length; k++) _betas[k] = 1.0 / temperatures[k];
    }

    /// <summary>Number of temperatures R (slots per chain).</summary>
    public int Count => _temperatures.Length;

    /// <summary>Temperatures in increasing order (slot 0 is the coldest).</summary>
    public IReadOnlyList<double> Temperatures => _temperatures;

    /// <summary>Inverse temperatures beta_k = 1 / T_k, in slot order (so decreasing).</summary>
    public IReadOnlyList<double> Betas => _betas;

    /// <summary>True when every temperature appears once (false only for <see cref="Repeated"/> ladders with R &gt; 1).</summary>
    public bool IsStrictlyIncreasing
    {
        get
        {
            for (int k = 1; k < _temperatures.Length; k++)
                if (!(_temperatures[k] > _temperatures[k - 1])) return false;
            return true;
        }
    }

    internal ReadOnlySpan<double> TemperatureSpan => _temperatures;
    internal ReadOnlySpan<double> BetaSpan => _betas;

    /// <summary>R temperatures spaced geometrically from <paramref name="tMin"/> to <paramref name="tMax"/> (both included).</summary>
    public static TemperatureLadder Geometric(double tMin, double tMax, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "A temperature ladder needs at least one temperature (R >= 1).");
        CheckTemperature(tMin, nameof(tMin), "Tmin");
        CheckTemperature(tMax, nameof(tMax), "Tmax");
        if (count == 1)
        {
            if (tMin != tMax) throw new ArgumentException($"A ladder with one temperature needs Tmin == Tmax, got Tmin = {tMin}, Tmax = {tMax}.", nameof(count));
            return new TemperatureLadder([tMin]);
        }
        if (!(tMax > tMin)) throw new ArgumentException($"Tmax must be greater than Tmin for a ladder of {count} temperatures, got Tmin = {tMin}, Tmax = {tMax}.", nameof(tMax));
        var t = new double[count];
        double ratio = tMax / tMin;
        for (int k = 0; k < count; k++) t[k] = tMin * Math.Pow(ratio, (double)k / (count - 1));
        // Pin the end points exactly to what was asked for (Pow may be one ulp off).
        t[0] = tMin;
        t[count - 1] = tMax;
        return Validated(t, "geometric ladder");
    }

    /// <summary>An explicit list of temperatures, in any order; it is sorted increasing.</summary>
    public static TemperatureLadder Explicit(IEnumerable<double> temperatures)
    {
        ArgumentNullException.ThrowIfNull(temperatures);
        var t = temperatures.ToArray();
        if (t.Length == 0) throw new ArgumentException("A temperature ladder needs at least one temperature (R >= 1), got an empty list.", nameof(temperatures));
        for (int k = 0; k < t.Length; k++) CheckTemperature(t[k], nameof(temperatures), $"temperature #{k}");
        Array.Sort(t);
        return Validated(t, "explicit ladder");
    }

    /// <summary>
    /// <paramref name="count"/> copies of one temperature: independent replicas whose exchanges are always
    /// accepted (see the class remarks). Round trips are not meaningful on such a ladder.
    /// </summary>
    public static TemperatureLadder Repeated(double temperature, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "A temperature ladder needs at least one temperature (R >= 1).");
        CheckTemperature(temperature, nameof(temperature), "temperature");
        var t = new double[count];
        Array.Fill(t, temperature);
        return new TemperatureLadder(t);
    }

    private static TemperatureLadder Validated(double[] sorted, string what)
    {
        for (int k = 1; k < sorted.Length; k++)
            if (!(sorted[k] > sorted[k - 1]))
                throw new ArgumentException(
                    $"The {what} contains the temperature {sorted[k]} twice (slots {k - 1} and {k} after sorting); temperatures must be distinct. Use TemperatureLadder.Repeated for replicas at one temperature.");
        return new TemperatureLadder(sorted);
    }

    private static void CheckTemperature(double t, string paramName, string what)
    {
        if (!double.IsFinite(t)) throw new ArgumentOutOfRangeException(paramName, t, $"The {what} must be finite, got {t}.");
        if (!(t > 0)) throw new ArgumentOutOfRangeException(paramName, t, $"The {what} must be positive, got {t}.");
    }

    public override string ToString() => $"TemperatureLadder(R={Count}: {string.Join(", ", _temperatures.Select(x => x.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)))})";
}
