using Boltzmann.Data.Tables;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk.Exact;
using Microsoft.Data.Analysis;

namespace Boltzmann.Stages.Sk.Observables;

/// <summary>Exact values from an sk-exact output, matched by instance and temperature.</summary>
internal sealed class ExactLookup
{
    private readonly DataFrame _thermo;
    private readonly DataFrame _overlap;

    public ExactLookup(UpstreamArtifact a)
    {
        _thermo = TableFile.Read(a.PathOf(SkExactStage.Thermo + ".parquet"));
        _overlap = TableFile.Read(a.PathOf(SkExactStage.Overlap + ".parquet"));
    }

    public sealed record Values(double Energy, double SpecificHeat, double Q2);

    public Values? Thermo(int instance, double t)
    {
        for (long r = 0; r < _thermo.Rows.Count; r++)
            if ((int)_thermo["instance"][r] == instance && (int)_thermo["grid"][r] == 0 && Same((double)_thermo["temperature"][r], t))
                return new Values((double)_thermo["energy"][r], (double)_thermo["specific_heat"][r], (double)_thermo["q2"][r]);
        return null;
    }

    public double[]? Overlap(int instance, double t)
    {
        var list = new List<double>();
        for (long r = 0; r < _overlap.Rows.Count; r++)
            if ((int)_overlap["instance"][r] == instance && Same((double)_overlap["temperature"][r], t))
                list.Add((double)_overlap["p"][r]);
        return list.Count == 0 ? null : list.ToArray();
    }

    private static bool Same(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(b));
}
