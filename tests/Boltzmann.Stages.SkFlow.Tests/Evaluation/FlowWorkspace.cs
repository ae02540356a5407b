using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk;

namespace Boltzmann.Stages.SkFlow.Tests.Evaluation;

/// <summary>The shared pipeline workspace for sk-flow pipelines, with the untrained-flow fixture as sk-flow-train.</summary>
public sealed class FlowWorkspace() : PipelineWorkspace(Registry, "default", prefix: "boltz-skflow-")
{
    public static StageRegistry Registry() => EvaluationStageSet.Register(SkStages.Register(new StageRegistry()).Add(new UntrainedFlowStage()));

    /// <summary>N = 8 against exact enumeration: PT ladder 0.5..5, untrained flows at T = 0.5 and 2 for all three objectives.</summary>
    public const string Small = """
    {
      "name": "skflow-test", "seed": 11,
      "stages": [
        { "name": "instances", "kind": "sk-instances", "params": { "n": 8, "count": 1 } },
        { "name": "exact", "kind": "sk-exact", "upstream": { "instances": "instances" }, "params": { "temperatures": [0.5, 2.0] } },
        { "name": "pt", "kind": "sk-pt", "upstream": { "instances": "instances" },
          "params": { "ladder": { "temperatures": [0.5, 0.6, 0.75, 0.9, 1.1, 1.4, 2.0, 3.0, 5.0] }, "burn_in": 500, "samples": 6000, "samples_per_part": 3000 } },
        { "name": "forward", "kind": "sk-flow-train", "upstream": { "instances": "instances", "samples": "pt" }, "params": { "objective": "forward", "temperatures": [0.5, 2.0] } },
        { "name": "reverse", "kind": "sk-flow-train", "upstream": { "instances": "instances" }, "params": { "objective": "reverse", "temperatures": [0.5, 2.0] } },
        { "name": "online", "kind": "sk-flow-train", "upstream": { "instances": "instances", "samples": "pt" }, "params": { "objective": "online", "temperatures": [2.0] } },
        { "name": "evaluate", "kind": "sk-flow-evaluate",
          "upstream": { "forward": "forward", "reverse": "reverse", "online": "online", "instances": "instances", "samples": "pt", "exact": "exact" },
          "params": { "samples": 20000, "batch": 1000, "pt_samples": 6000, "layer_samples": 1200, "blocks": 20 } },
        { "name": "figures", "kind": "sk-flow-figures", "upstream": { "evaluation": "evaluate" }, "params": { "instance": 0 } }
      ]
    }
    """;
}
