using System.Text.Json;
using Boltzmann.Data.Cache;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk.Instances;
using Boltzmann.Data.Tables;
using Boltzmann.Stages.Arnn.Likelihood;
using TorchSharp;

namespace Boltzmann.Stages.Arnn.Tests.Likelihood;

/// <summary>
/// The arnn-likelihood and arnn-likelihood-figures stages end to end on a 12-spin instance sampled by one-temperature
/// Metropolis (sk-pt): every output and the figure files exist; the weights table carries the instance's couplings
/// (ground truth, read back from the sk-instances file) for every pair; training lowers the held-out NLL and makes the
/// learned |W| correlate with |J| well beyond the untrained value; a run cancelled mid-training resumes from its
/// checkpoint and ends bit-identical to an uninterrupted one; invalid parameters are reported with their JSON path.
/// </summary>
public class LikelihoodStageTests
{
    public LikelihoodStageTests() => torch.set_num_threads(1);

    [Fact]
    public async Task TrainsOnMetropolisSamplesAndPublishesTheFigure()
    {
        using var ws = new LikelihoodWorkspace();
        var report = await ws.RunAsync(ws.Load(LikelihoodWorkspace.Pipeline()));
        var dir = report.Stages.Single(s => s.Stage == "likelihood").Directory;

        var weights = TableFile.Read(Path.Combine(dir, ArnnLikelihoodStage.Weights + ".parquet"));
        Assert.Equal(12 * 11 / 2, weights.Rows.Count);
        var instances = report.Stages.Single(s => s.Stage == "instances").Directory;
        var instance = Physics.Sk.CouplingsFile.Load(Path.Combine(instances, SkInstanceStore.FileName(0)));
        for (long r = 0; r < weights.Rows.Count; r++)
        {
            int i = (int)weights["i"][r], j = (int)weights["j"][r];
            Assert.True(i < j);
            Assert.Equal(instance.J(i, j), (double)weights["coupling"][r]);
            Assert.Equal(Math.Abs((double)weights["weight"][r]), (double)weights["abs_weight"][r]);
        }

        var summary = JsonSerializer.Deserialize<LikelihoodSummary>(File.ReadAllText(Path.Combine(dir, ArnnLikelihoodStage.SummaryFile)), JsonDefaults.Indented)!;
        Assert.Equal("SK_1RSB", summary.Architecture);
        Assert.Equal(2250, summary.TrainingSamples);
        Assert.Equal(250, summary.HoldoutSamples);
        Assert.Equal(summary.TrainableParametersFormula, summary.TrainableParameters);
        Assert.Equal(12, summary.FixedParameters);
        Assert.True(summary.HoldoutNll.Mean < summary.InitialHoldoutNll - 0.5, $"held-out NLL {summary.HoldoutNll} vs {summary.InitialHoldoutNll} untrained");
        Assert.True(Math.Abs(summary.InitialPearsonAbs.Mean) < 4 * summary.InitialPearsonAbs.StdError, $"untrained r = {summary.InitialPearsonAbs}");
        Assert.True(summary.PearsonAbs.Mean > summary.InitialPearsonAbs.Mean + 4 * summary.PearsonAbs.StdError, $"trained r = {summary.PearsonAbs}");

        var correlation = TableFile.Read(Path.Combine(dir, ArnnLikelihoodStage.Correlation + ".parquet"));
        Assert.Equal(2, correlation.Rows.Count);
        Assert.Equal(summary.PearsonAbs.Mean, (double)correlation["pearson_abs"][1]);
        var loss = TableFile.Read(Path.Combine(dir, ArnnLikelihoodStage.Loss + ".parquet"));
        Assert.Equal(16, loss.Rows.Count); // steps 0, 20, ..., 280 and the last step 299
        Assert.True(File.Exists(Path.Combine(dir, ArnnLikelihoodStage.ModelFile)));

        var published = Path.Combine(ws.Artifacts, "lik-test", "figures");
        foreach (var ext in new[] { "png", "parquet", "csv", "json" })
            Assert.True(File.Exists(Path.Combine(published, $"{ArnnLikelihoodFiguresStage.Figure}.{ext}")), $"missing {ArnnLikelihoodFiguresStage.Figure}.{ext}");
        Assert.True(new FileInfo(Path.Combine(published, ArnnLikelihoodFiguresStage.Figure + ".png")).Length > 10_000);
        var csv = File.ReadAllLines(Path.Combine(published, ArnnLikelihoodFiguresStage.Figure + ".csv"));
        Assert.Equal(66, csv.Count(l => l.Contains("pairs (i<j)")));
        Assert.Equal(2, csv.Count(l => l.Contains("least-squares fit")));
    }

    [Fact]
    public async Task CancelledTrainingResumesBitIdentically()
    {
        using var ws = new LikelihoodWorkspace();
        var p = ws.Load(LikelihoodWorkspace.Pipeline());
        var reference = await ws.RunAsync(p, cacheRoot: Path.Combine(ws.Root, "reference"));
        var refDir = reference.Stages.Single(s => s.Stage == "likelihood").Directory;

        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ws.RunAsync(p, ct: cts.Token, progress: CancelAfterProgress.OfUnit(cts, "steps", 130)));
        var cache = new ArtifactCache(ws.Cache);
        Assert.Equal(CacheLookupStatus.Miss, cache.Lookup(PipelinePlan.Keys(p)["likelihood"]).Status);

        var resumed = await ws.RunAsync(p);
        Assert.Contains(ws.Log.Lines, l => l.Contains("likelihood: resuming at step 1"));
        var dir = resumed.Stages.Single(s => s.Stage == "likelihood").Directory;
        foreach (var table in new[] { ArnnLikelihoodStage.Weights, ArnnLikelihoodStage.Correlation, ArnnLikelihoodStage.Loss })
            Assert.Equal(File.ReadAllText(Path.Combine(refDir, table + ".csv")), File.ReadAllText(Path.Combine(dir, table + ".csv")));
    }

    [Theory]
    [InlineData(""" "beta": 2.0 """, "beta", "does not match the samples")]
    [InlineData(""" "beta": 1.25, "architecture": "MADE_21" """, "architecture", "SK_RS or SK_kRSB")]
    [InlineData(""" "beta": 1.25, "architecture": "1L" """, "architecture", "SK_RS or SK_kRSB")]
    [InlineData(""" "beta": 1.25, "architecture": "SK_foo" """, "architecture", "Unknown autoregressive architecture")]
    [InlineData(""" "beta": 1.25, "batch": 2251 """, "batch", "larger than the data")]
    [InlineData(""" "beta": 1.25, "dtype": "float32" """, "dtype", "float64")]
    [InlineData(""" "beta": 1.25, "instance": 1 """, "instance", "1 instance(s)")]
    [InlineData(""" "steps": 10 """, "beta", "missing")]
    public void InvalidParametersAreReportedWithTheirJsonPath(string parameters, string key, string message)
    {
        using var ws = new LikelihoodWorkspace();
        var ex = Assert.Throws<PipelineConfigException>(() => ws.Load(LikelihoodWorkspace.Pipeline(parameters)));
        var e = Assert.Single(ex.Errors);
        Assert.Equal($"$.stages[2].params.{key}", e.Path);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void TheSmallestValidBatchIsAccepted()
    {
        using var ws = new LikelihoodWorkspace();
        var p = ws.Load(LikelihoodWorkspace.Pipeline(""" "beta": 1.25, "batch": 2250 """));
        Assert.Equal(2250, ((ArnnLikelihoodParameters)p.Stage("likelihood").Parameters).Batch);
    }
}
