using Boltzmann.Pipelines.Config;

namespace Boltzmann.Stages.Sk.Exact;

/// <summary>A uniform temperature grid for smooth exact curves.</summary>
public sealed record TemperatureGrid(double Tmin, double Tmax, int Points)
{
    public double[] Values() =>
        Enumerable.Range(0, Points).Select(i => Points == 1 ? Tmin : Tmin + (Tmax - Tmin) * i / (Points - 1)).ToArray();

    internal static TemperatureGrid Read(ParameterReader r)
    {
        double lo = r.Double("tmin", min: TemperatureRange.Min, max: TemperatureRange.Max);
        double hi = r.Double("tmax", min: TemperatureRange.Min, max: TemperatureRange.Max);
        int pts = r.Int("points", 41, min: 1, max: 10_000);
        if (hi < lo) r.Error("tmax", $"value {hi} is below tmin = {lo}; must be >= tmin");
        return new TemperatureGrid(lo, hi, pts);
    }
}
