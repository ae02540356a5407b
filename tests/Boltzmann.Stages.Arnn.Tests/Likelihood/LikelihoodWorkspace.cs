using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk;

namespace Boltzmann.Stages.Arnn.Tests.Likelihood;

/// <summary>The shared pipeline workspace with the plain SK stages and the likelihood stages registered.</summary>
internal sealed class LikelihoodWorkspace() : PipelineWorkspace(Registry, "default", prefix: "boltz-likelihood-stage-")
{
    public static StageRegistry Registry() => LikelihoodStageSet.Register(SkStages.Register(new StageRegistry()));

    /// <summary>One 12-spin instance, Metropolis at T = 0.8 (a one-temperature ladder), SK_1RSB by maximum likelihood, the figure.</summary>
    public static string Pipeline(string likelihoodParams = """ "beta": 1.25, "steps": 300, "batch": 200, "log_interval": 20, "checkpoint_interval": 50 """) => $$"""
    { "name": "lik-test", "seed": 11,
      "stages": [
        { "name": "instances", "kind": "sk-instances", "params": { "n": 12, "count": 1 } },
        { "name": "metropolis", "kind": "sk-pt", "upstream": { "instances": "instances" },
          "params": { "ladder": { "temperatures": [0.8] }, "chains": 1, "burn_in": 500, "thin": 20, "samples": 2500, "samples_per_part": 500 } },
        { "name": "likelihood", "kind": "arnn-likelihood", "upstream": { "instances": "instances", "samples": "metropolis" },
          "params": { {{likelihoodParams}} } },
        { "name": "figures", "kind": "arnn-likelihood-figures", "upstream": { "likelihood": "likelihood" }, "params": {} } ] }
    """;
}
