using Boltzmann.Pipelines.Config;

namespace Boltzmann.Stages.SkFlow.Tests.Training;

/// <summary>Parameter and cross-stage errors of sk-flow-train name the JSON path, the value and what is allowed.</summary>
public class SkFlowTrainValidationTests
{
    private static PipelineConfigException Invalid(string json)
    {
        using var ws = new FlowWorkspace();
        return Assert.Throws<PipelineConfigException>(() => ws.Load(json));
    }

    [Fact]
    public void TemperatureNotOnTheLadderNamesItsPath()
    {
        var e = Invalid(FlowWorkspace.Pipeline("\"objective\": \"forward\", \"temperatures\": [1.0, 1.3]"));
        var error = Assert.Single(e.Errors);
        Assert.Equal("$.stages[2].params.temperatures[1]", error.Path);
        Assert.Contains("1.3", error.Message);
        Assert.Contains("ladder", error.Message);
    }

    [Fact]
    public void TemperatureWithinOneNanoOfTheLadderIsAccepted()
    {
        using var ws = new FlowWorkspace();
        var p = ws.Load(FlowWorkspace.Pipeline("\"objective\": \"online\", \"temperatures\": [1.0000000000001, 2.0]"));
        Assert.Equal(3, p.Stages.Count);
    }

    [Fact]
    public void UnknownObjectiveIsRejected()
    {
        var e = Invalid(FlowWorkspace.Pipeline("\"objective\": \"sideways\", \"temperatures\": [1.0]"));
        var error = Assert.Single(e.Errors);
        Assert.Equal("$.stages[2].params.objective", error.Path);
        Assert.Contains("\"forward\"", error.Message);
    }

    [Theory]
    [InlineData("forward")]
    [InlineData("online")]
    public void ForwardAndOnlineNeedSamplesUpstream(string objective)
    {
        var e = Invalid(FlowWorkspace.Pipeline($"\"objective\": \"{objective}\", \"temperatures\": [1.0]", withSamples: false));
        var error = Assert.Single(e.Errors);
        Assert.Equal("$.stages[2].params.objective", error.Path);
        Assert.Contains("\"samples\" upstream", error.Message);
    }

    [Fact]
    public void ReverseNeedsNoSamplesButEveryOtherRuleStillApplies()
    {
        using var ws = new FlowWorkspace();
        Assert.Equal(3, ws.Load(FlowWorkspace.Pipeline("\"objective\": \"reverse\", \"temperatures\": [0.7]", withSamples: false)).Stages.Count);
        var e = Invalid(FlowWorkspace.Pipeline(
            "\"temperatures\": [0.7, 0.7], \"log_interval\": 7, \"eval_interval\": 10, \"dtype\": \"float16\", \"instances\": [3], \"typo\": 1",
            withSamples: false));
        var paths = e.Errors.Select(x => x.Path).ToHashSet();
        Assert.Contains("$.stages[2].params.objective", paths);        // required
        Assert.Contains("$.stages[2].params.temperatures", paths);     // duplicates
        Assert.Contains("$.stages[2].params.eval_interval", paths);    // not a multiple of log_interval
        Assert.Contains("$.stages[2].params.dtype", paths);
        Assert.Contains("$.stages[2].params.typo", paths);
    }

    [Fact]
    public void InstanceIndexBeyondTheUpstreamIsRejected()
    {
        var e = Invalid(FlowWorkspace.Pipeline("\"objective\": \"reverse\", \"temperatures\": [1.0], \"instances\": [0, 4]"));
        var error = Assert.Single(e.Errors);
        Assert.Equal("$.stages[2].params.instances[1]", error.Path);
    }

    [Fact]
    public void BatchLargerThanTheTrainingDataIsRejected()
    {
        var e = Invalid(FlowWorkspace.Pipeline("\"objective\": \"forward\", \"temperatures\": [1.0], \"batch\": 5000", samples: 1000));
        var error = Assert.Single(e.Errors);
        Assert.Equal("$.stages[2].params.batch", error.Path);
        Assert.Contains("1800 training configurations", error.Message);
    }
}
