using System.Text.Json.Serialization;

namespace Boltzmann.Stages.Sk.Pt;

/// <summary>Parameters of <see cref="SkParallelTemperingStage"/>. Sweeps: one Metropolis sweep of every walker + one exchange round.</summary>
public sealed record SkPtParameters(
    LadderParameters Ladder,
    int Chains,
    int BurnIn,
    int Samples,
    int Thin,
    int SamplesPerPart,
    int LocalFieldRefresh)
{
    /// <summary>Threads do not change results (walkers have their own streams), so they are not in the key.</summary>
    [JsonIgnore] public int Threads { get; init; } = -1;

    public int PartsPerInstance => (Samples + SamplesPerPart - 1) / SamplesPerPart;
}
