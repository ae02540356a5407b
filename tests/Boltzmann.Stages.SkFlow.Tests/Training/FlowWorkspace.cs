using System.Runtime.CompilerServices;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk;

namespace Boltzmann.Stages.SkFlow.Tests.Training;

/// <summary>The shared pipeline workspace with the plain SK stages and sk-flow-train, on the CPU.</summary>
internal sealed class FlowWorkspace() : PipelineWorkspace(Registry, "default", new RunOptions(Device: "cpu"), "boltz-flow-test-")
{
    public static StageRegistry Registry() => TrainingStageSet.Register(SkStages.Register(new StageRegistry()));

    /// <summary>instances (N = 10) → PT on {1, 1.5, 2} → sk-flow-train with the given params JSON (without braces).</summary>
    public static string Pipeline(string trainParams, bool withSamples = true, string ladder = "[1.0, 1.5, 2.0]", int samples = 3000) => $$"""
    {
      "name": "sk-flow-test", "seed": 11,
      "stages": [
        { "name": "instances", "kind": "sk-instances", "params": { "n": 10, "count": 1 } },
        { "name": "pt", "kind": "sk-pt", "upstream": { "instances": "instances" },
          "params": { "ladder": { "temperatures": {{ladder}} }, "burn_in": 200, "samples": {{samples}}, "samples_per_part": 1000 } },
        { "name": "train", "kind": "sk-flow-train", "upstream": { "instances": "instances"{{(withSamples ? ", \"samples\": \"pt\"" : "")}} },
          "params": { {{trainParams}} } }
      ]
    }
    """;
}

/// <summary>
/// Cancels a token once the <paramref name="flow"/>-th flow trained (0-based) reaches <paramref name="step"/> completed
/// steps: simulates Ctrl+C or a kill in the middle of a stage.
/// </summary>
internal sealed class CancelAtStep(CancellationTokenSource cts, long step, int flow = 0) : IProgressSink
{
    private int _flows;
    private CancellationTokenSource Source => cts;
    private long Step => step;

    public IProgressTask Start(string description, long total, string unit) =>
        new Task(description.Contains(" flow, ") && Interlocked.Increment(ref _flows) - 1 == flow ? this : null);

    private sealed class Task(CancelAtStep? owner) : IProgressTask
    {
        public void Increment(long amount = 1) { }
        public void SetValue(long value)
        {
            if (owner is not null && value >= owner.Step) owner.Source.Cancel();
        }
        public void Dispose() { }
    }
}

internal static class TestThreading
{
    [ModuleInitializer]
    internal static void SingleIntraOpThread() => TorchSharp.torch.set_num_threads(1);
}
