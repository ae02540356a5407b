using System.Text.Json.Nodes;
using Boltzmann.Data.Cache;

namespace Boltzmann.Pipelines.Engine;

/// <summary>
/// One independent unit of a sharded stage (an instance × temperature of a flow training, a κ of a φ⁴ scan, a β
/// of a U(1) study). <paramref name="Index"/> is its position in the stage's output order (0-based, dense);
/// <paramref name="Label"/> is a short human name for logs and job names ("i0-T0.5", "kappa0.28");
/// <paramref name="Canonical"/> is what the unit's own cache key hashes beside the stage's key.
/// </summary>
public sealed record ShardUnit(int Index, string Label, JsonNode Canonical);

/// <summary>A unit's committed output, as the gather step sees it.</summary>
public sealed record ShardArtifact(ShardUnit Unit, string Directory, ArtifactManifest Manifest);

/// <summary>
/// A stage whose work is a set of independent units. Each unit runs on its own (its own random streams, derived
/// from the stage seed and the unit, never from the order units ran in) and is cached under its own key; the
/// gather step assembles the stage's outputs from the units' outputs in unit order, so the stage's artifact is
/// the same whether the units ran in one process or as the shards of a cluster job array.
/// </summary>
public interface IShardedStageKind : IStageKind
{
    /// <summary>The units, in output order. Depends only on the parameters and the resolved upstream stages, never on data.</summary>
    IReadOnlyList<ShardUnit> Units(object parameters, IReadOnlyDictionary<string, ResolvedStage> upstream);

    /// <summary>Runs one unit; its outputs go to <see cref="StageContext.WorkDirectory"/> of a unit-level context.</summary>
    Task RunUnitAsync(StageContext context, object parameters, ShardUnit unit);

    /// <summary>Assembles the stage's outputs from every unit's committed output (given in unit order).</summary>
    Task GatherAsync(StageContext context, object parameters, IReadOnlyList<ShardArtifact> units);
}
