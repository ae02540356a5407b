using Boltzmann.Learning.Training;
using Boltzmann.Stages.SkFlow.Training;
using Xunit.Abstractions;

namespace Boltzmann.Stages.SkFlow.Tests.Training;

/// <summary>An absurd learning rate (0.5 for Adam; the paper uses 1e-4) stops the stage with a message naming the flow, step and loss, and keeps the last good checkpoint.</summary>
public class SkFlowTrainDivergenceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AbsurdLearningRateStopsWithAClearErrorAndKeepsTheLastGoodCheckpoint()
    {
        using var ws = new FlowWorkspace();
        var pipeline = ws.Load(FlowWorkspace.Pipeline(
            "\"objective\": \"reverse\", \"temperatures\": [1.0], \"steps\": 400, \"batch\": 50, \"learning_rate\": 0.5, " +
            "\"checkpoint_interval\": 1, \"log_interval\": 1, \"eval_interval\": 1, \"hidden_width\": 16", samples: 1000));
        var e = await Assert.ThrowsAsync<FlowTrainingDivergedException>(() => ws.RunAsync(pipeline));
        output.WriteLine(e.Message);
        Assert.Equal(0, e.Instance);
        Assert.Equal(1.0, e.Temperature);
        Assert.Contains("instance 0 at T = 1 ", e.Message);
        Assert.Contains($"stopped at step {e.Step} with loss ", e.Message);
        var inner = Assert.IsType<TrainingDivergedException>(e.InnerException);
        Assert.Equal(inner.Step, e.Step);
        Assert.True(e.Step >= 1, "a good step should precede the divergence, so a checkpoint exists");
        Assert.NotNull(e.LastGoodCheckpoint);
        Assert.True(Directory.Exists(e.LastGoodCheckpoint), e.LastGoodCheckpoint);
        Assert.True(inner.LastGoodStep <= e.Step, $"checkpoint step {inner.LastGoodStep} is after the failing step {e.Step}");
        Assert.Contains(e.LastGoodCheckpoint!, e.Message);
        // Nothing newer than the last good checkpoint was written.
        var newest = TrainingCheckpoint.List(Path.GetDirectoryName(e.LastGoodCheckpoint)!).Last();
        Assert.Equal(inner.LastGoodStep, newest.CompletedSteps);
    }
}
