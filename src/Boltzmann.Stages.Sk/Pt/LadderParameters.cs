using Boltzmann.MonteCarlo;
using Boltzmann.Pipelines.Config;

namespace Boltzmann.Stages.Sk.Pt;

/// <summary>
/// Temperature ladder: geometric between tmin and tmax with count temperatures, or an explicit list.
/// </summary>
public sealed record LadderParameters(double? Tmin, double? Tmax, int? Count, double[]? Temperatures)
{
    public TemperatureLadder ToLadder() =>
        Temperatures is { Length: > 0 } ts ? TemperatureLadder.Explicit(ts) : TemperatureLadder.Geometric(Tmin!.Value, Tmax!.Value, Count!.Value);

    internal static LadderParameters Read(ParameterReader r)
    {
        if (r.Has("temperatures"))
        {
            var ts = r.OptionalDoubleList("temperatures", min: TemperatureRange.Min, max: TemperatureRange.Max);
            r.Accept("tmin", "tmax", "count");
            if (r.Has("tmin") || r.Has("tmax") || r.Has("count")) r.Error("temperatures", "give either an explicit list of temperatures or tmin/tmax/count, not both");
            if (ts is not null && ts.Distinct().Count() != ts.Length) r.Error("temperatures", "the ladder contains duplicate temperatures");
            return new LadderParameters(null, null, null, ts?.Order().ToArray());
        }
        double lo = r.Double("tmin", min: TemperatureRange.Min, max: TemperatureRange.Max);
        double hi = r.Double("tmax", min: TemperatureRange.Min, max: TemperatureRange.Max);
        int count = r.Int("count", min: 1, max: 1000);
        if (hi <= lo && count > 1) r.Error("tmax", $"value {hi} is not allowed; must be > tmin = {lo}");
        return new LadderParameters(lo, hi, count, null);
    }
}
