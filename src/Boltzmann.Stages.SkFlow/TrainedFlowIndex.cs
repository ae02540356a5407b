using System.Text.Json;
using Boltzmann.IO;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.SkFlow;

/// <summary>How a flow was trained (Hartnett &amp; Mohseni): forward KL on a fixed PT dataset (eq. 19),
/// reverse KL by self-sampling with the Z2-symmetrised density (eq. 17, appendix A.1), or online forward KL
/// on fresh PT samples streamed into the trainer (the extension proposed in the paper's outlook).</summary>
public enum FlowObjective { Forward, Reverse, Online }

/// <summary>
/// One trained flow in an <c>sk-flow-train</c> output. Paths are relative to the stage's output directory.
/// </summary>
/// <param name="Instance">Index of the SK instance in the upstream sk-instances stage.</param>
/// <param name="N">Number of spins (= flow dimension).</param>
/// <param name="Temperature">T = 1/beta of the Boltzmann distribution the flow was trained for.</param>
/// <param name="Objective">The training objective.</param>
/// <param name="Epsilon">eps of the relaxation shift Delta = max(0, eps - lambda_min(J)) (paper eq. 5).</param>
/// <param name="Checkpoint">The final weights, a <c>RealNvpCheckpoint</c> file.</param>
/// <param name="LossTable">Tidy loss log (Parquet): step, wall_seconds, loss, and any extras (e.g. held-out NLL).</param>
/// <param name="Steps">Optimizer steps taken.</param>
/// <param name="WallSeconds">Training wall time (excluding data loading before the first step).</param>
/// <param name="FinalLoss">Mean loss over the last logged steps.</param>
public sealed record TrainedFlow(
    int Instance,
    int N,
    double Temperature,
    FlowObjective Objective,
    double Epsilon,
    string Checkpoint,
    string LossTable,
    long Steps,
    double WallSeconds,
    double FinalLoss);

/// <summary>The index file <c>flows.json</c> of an <c>sk-flow-train</c> output: the contract its consumers read.</summary>
public static class TrainedFlowIndex
{
    public const string FileName = "flows.json";

    public static void Write(StageContext context, IReadOnlyList<TrainedFlow> flows) => context.WriteJson(FileName, flows);

    public static IReadOnlyList<TrainedFlow> Read(UpstreamArtifact artifact)
    {
        var path = artifact.PathOf(FileName);
        if (!File.Exists(path)) throw new StageInputException($"{path}: missing trained-flow index");
        try
        {
            return JsonSerializer.Deserialize<List<TrainedFlow>>(File.ReadAllText(path), JsonDefaults.Indented)
                   ?? throw new StageInputException($"{path}: empty trained-flow index");
        }
        catch (JsonException e)
        {
            throw new StageInputException($"{path}: corrupt trained-flow index ({e.Message})");
        }
    }
}
