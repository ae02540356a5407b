namespace Boltzmann.Physics.Lattice;

/// <summary>
/// Per-configuration observables of 2D U(1) gauge theory (Foreman, Jin &amp; Osborn 2021):
/// average plaquette (1/V) sum_P cos x_P, integer topological charge Q_Z = (1/2pi) sum_P wrap(x_P) (eq. 4)
/// with wrap to (-pi, pi], and the real-valued charge Q_R = (1/2pi) sum_P sin x_P (eq. 5).
/// </summary>
public static class U1Observables
{
    /// <summary>x wrapped into (-pi, pi]: x - 2pi ceil((x - pi) / 2pi).</summary>
    public static double Wrap(double x) => x - 2 * Math.PI * Math.Ceiling((x - Math.PI) / (2 * Math.PI));

    /// <summary>Wraps every entry into (-pi, pi] in place (compact link angles).</summary>
    public static void WrapInPlace(Span<double> x)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double a = x[i];
            if (a > Math.PI || a <= -Math.PI) x[i] = Wrap(a);
        }
    }

    /// <summary>Plaquette observables of one configuration; <paramref name="angles"/> is V-length scratch.</summary>
    public static U1PlaquetteSummary Summarise(Lattice2D lattice, ReadOnlySpan<double> links, Span<double> angles)
    {
        U1WilsonAction.PlaquetteAngles(lattice, links, angles);
        double sumCos = 0, sumWrap = 0, sumSin = 0;
        foreach (double a in angles)
        {
            sumCos += Math.Cos(a);
            sumSin += Math.Sin(a);
            sumWrap += Wrap(a);
        }
        int v = lattice.Volume;
        return new U1PlaquetteSummary(sumCos / v, Math.Round(sumWrap / (2 * Math.PI)), sumWrap / (2 * Math.PI), sumSin / (2 * Math.PI));
    }

    /// <summary>Plaquette observables of one configuration (allocates its scratch).</summary>
    public static U1PlaquetteSummary Summarise(Lattice2D lattice, ReadOnlySpan<double> links)
        => Summarise(lattice, links, new double[lattice.Volume]);
}
