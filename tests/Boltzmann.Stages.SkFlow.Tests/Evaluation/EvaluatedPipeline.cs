using Boltzmann.Pipelines.Engine;
using Boltzmann.Data.Tables;
using Microsoft.Data.Analysis;
using TorchSharp;

namespace Boltzmann.Stages.SkFlow.Tests.Evaluation;

/// <summary>Runs <see cref="FlowWorkspace.Small"/> once for all tests of <see cref="SkFlowEvaluateStageTests"/>.</summary>
public sealed class EvaluatedPipeline : IDisposable
{
    public FlowWorkspace Workspace { get; } = new();
    public RunReport Report { get; }
    public TimeSpan Elapsed { get; }

    public EvaluatedPipeline()
    {
        torch.set_num_threads(1);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Report = Workspace.RunAsync(Workspace.Load(FlowWorkspace.Small)).GetAwaiter().GetResult();
        Elapsed = clock.Elapsed;
    }

    public string Dir(string stage) => Report.Stages.Single(s => s.Stage == stage).Directory;

    public DataFrame Table(string stage, string name) => TableFile.Read(Path.Combine(Dir(stage), name + ".parquet"));

    public void Dispose() => Workspace.Dispose();
}
