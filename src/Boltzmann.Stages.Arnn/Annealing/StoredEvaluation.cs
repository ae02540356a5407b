using System.Text.Json;
using System.Text.Json.Serialization;
using Boltzmann.Autoregressive.Training;
using Boltzmann.Physics.SpinGlass;

namespace Boltzmann.Stages.Arnn.Annealing;

/// <summary>One temperature's evaluation as stored in the stage's scratch directory (so a resumed run keeps it), with the
/// P(q) histogram when the temperature is an overlap temperature, and the Z2-symmetrised NIS free energy and ESS (NaN when
/// a field is non-zero, see <see cref="TemperatureEvaluation.FreeEnergyNisSymmetric"/>).</summary>
public sealed record StoredEvaluation(
    int Index, double Beta, long Samples,
    double FVariational, double FVariationalErr, double FNis, double FNisErr, double FNisBias,
    double Ess, double EssErr, double Energy, double EnergyErr,
    double[]? Overlap, double[]? OverlapErr, long OverlapPairs,
    double FNisSym = double.NaN, double FNisSymErr = double.NaN, double EssSym = double.NaN, double EssSymErr = double.NaN)
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static StoredEvaluation From(int index, TemperatureEvaluation e, OverlapDistribution? p) => new(
        index, e.Beta, e.Samples,
        e.FreeEnergyVariational.Mean, e.FreeEnergyVariational.StdError, e.FreeEnergyNis.Mean, e.FreeEnergyNis.StdError, e.FreeEnergyNisBias,
        e.EffectiveSampleSize.Mean, e.EffectiveSampleSize.StdError, e.Energy.Mean, e.Energy.StdError,
        p?.Probability, p?.StdError, p?.Pairs ?? 0,
        e.FreeEnergyNisSymmetric?.Mean ?? double.NaN, e.FreeEnergyNisSymmetric?.StdError ?? double.NaN,
        e.EffectiveSampleSizeSymmetric?.Mean ?? double.NaN, e.EffectiveSampleSizeSymmetric?.StdError ?? double.NaN);
}

