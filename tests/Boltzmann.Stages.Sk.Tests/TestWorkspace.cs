using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.Sk.Tests;

/// <summary>The shared pipeline workspace with the plain stage kinds, smoke profile by default.</summary>
public sealed class TestWorkspace() : PipelineWorkspace(Registry, "smoke")
{
    public static StageRegistry Registry() => SkStages.Register(new StageRegistry());

    /// <summary>A small but complete SK pipeline: instances -> exact + PT -> observables -> figures.</summary>
    public const string SmallSk = """
    {
      "name": "sk-test", "seed": 7,
      "stages": [
        { "name": "instances", "kind": "sk-instances", "params": { "n": 10, "count": 1 } },
        { "name": "exact", "kind": "sk-exact", "upstream": { "instances": "instances" },
          "params": { "temperatures": [0.5, 0.7, 1.0, 1.4, 2.0], "grid": { "tmin": 0.5, "tmax": 2.0, "points": 7 } } },
        { "name": "pt", "kind": "sk-pt", "upstream": { "instances": "instances" },
          "params": { "ladder": { "temperatures": [0.5, 0.7, 1.0, 1.4, 2.0] }, "burn_in": 200, "samples": 3000, "samples_per_part": 500 } },
        { "name": "observables", "kind": "sk-pt-observables", "upstream": { "samples": "pt", "exact": "exact" }, "params": { "blocks": 20 } },
        { "name": "figures", "kind": "sk-pt-figures", "upstream": { "observables": "observables", "exact": "exact" }, "params": {} }
      ]
    }
    """;
}
