using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Boltzmann.Estimators;
using Boltzmann.Flows;
using Boltzmann.Flows.Diagnostics;
using Boltzmann.Flows.Persistence;
using Boltzmann.Targets.Relaxation;
using Boltzmann.Flows.Training;
using Boltzmann.IO;
using Boltzmann.Learning.Training;
using Boltzmann.MonteCarlo;
using Boltzmann.Physics.Relaxation;
using Boltzmann.Physics.Sk;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Stages.Sk.Pt;
using Boltzmann.Data.Tables;
using Boltzmann.Random;
using static TorchSharp.torch;

namespace Boltzmann.Stages.SkFlow.Training;

/// <summary>
/// Trains the RealNVP flow of one (instance, temperature) of an <c>sk-flow-train</c> stage with the shared
/// <see cref="Trainer"/> and writes its checkpoint, loss table and a completion record. Objectives (Hartnett &amp;
/// Mohseni 2020): forward KL (eq. 19) on x ~ p(x|s) of the PT dataset, one x per s (footnote 3); reverse KL (eq. 17)
/// by self-sampling with q_sym (appendix A.1; plain q when the instance has a field, since then p(x) is not
/// Z2-symmetric); online forward KL on fresh PT samples streamed from a producer thread (section 6).
/// <para>Resume: the trainer's checkpoints (weights, Adam, the reverse sampler's generator, the loss log and, for online
/// training, the producer's state as an <see cref="ICheckpointState"/>) live in the stage's scratch directory; forward
/// minibatches are a pure function of (seed, step). A finished flow leaves <c>done.json</c> and is skipped on a rerun.</para>
/// </summary>
internal sealed class FlowTrainingJob
{
    private const string DoneFile = "done.json";

    private readonly StageContext _ctx;
    private readonly SkFlowTrainParameters _p;
    private readonly int _instance;
    private readonly SkInstance _model;
    private readonly int _tIndex;
    private readonly double _temperature;
    private readonly Device _device;

    public FlowTrainingJob(StageContext ctx, SkFlowTrainParameters p, int instance, SkInstance model, int temperatureIndex, Device device)
    {
        _ctx = ctx;
        _p = p;
        _instance = instance;
        _model = model;
        _tIndex = temperatureIndex;
        _temperature = p.Temperatures[temperatureIndex];
        _device = device;
    }

    /// <summary>instance-XXX/t-T: the flow's name in output and scratch paths.</summary>
    public string Key => $"instance-{_instance:D3}/t-{_temperature.ToString("R", CultureInfo.InvariantCulture)}";

    public string CheckpointPath => $"flows/{Key}.ckpt";

    public string LossTablePath => $"loss/{Key}";

    private string Scratch => Path.Combine(_ctx.ScratchDirectory, "flows", Key);

    private string Label => $"{_ctx.Name}: {_p.Objective.ToString().ToLowerInvariant()} flow, instance {_instance}, T = {_temperature.ToString("G6", CultureInfo.InvariantCulture)}";

    public async Task<TrainedFlow> RunAsync()
    {
        var done = Path.Combine(Scratch, DoneFile);
        if (File.Exists(done) && File.Exists(Path.Combine(_ctx.WorkDirectory, CheckpointPath)) && File.Exists(Path.Combine(_ctx.WorkDirectory, LossTablePath + ".parquet")))
        {
            _ctx.Log.Info($"{Label}: already trained (resumed run), skipped");
            _ctx.RecordTableRows(LossTablePath, TableFile.Read(Path.Combine(_ctx.WorkDirectory, LossTablePath + TableFile.ParquetExtension)).Rows.Count);
            return JsonSerializer.Deserialize<TrainedFlow>(File.ReadAllText(done), JsonDefaults.Indented)!;
        }

        var relaxation = new SkContinuousRelaxation(_model, 1 / _temperature, _p.Epsilon);
        int n = relaxation.N;
        var dtype = _p.ScalarType;
        PtConfigurations? configurations = null;
        if (_ctx.Upstream.TryGetValue("samples", out var samples))
            configurations = await PtConfigurations.ReadAsync(samples, _instance, _temperature, _p.Holdout, _ctx.Cancellation);
        if (_p.Objective == FlowObjective.Forward && configurations!.TrainingCount < _p.Batch)
            throw new StageInputException($"{Label}: {configurations.TrainingCount} training configurations are fewer than one batch of {_p.Batch}");

        using var target = new SkRelaxationTarget(relaxation, dtype, _device);
        using var heldOut = configurations is { HeldOutCount: >= 2 } ? ToTensor(relaxation, configurations.HeldOut, "x-given-s-heldout") : null;
        using var dataset = _p.Objective == FlowObjective.Forward ? Dataset(relaxation, configurations!) : null;
        using var flow = new RealNvp(new RealNvpOptions
        {
            Dimension = n, Layers = _p.Layers, HiddenLayers = _p.HiddenLayers, HiddenWidth = _p.HiddenWidth, Dtype = dtype, Device = _device,
            Seed = RandomStreams.DeriveSeed(_ctx.Seed, $"{_ctx.Name}/flow", _instance, _tIndex),
        });
        var options = new TrainingOptions
        {
            Steps = _p.Steps, LearningRate = _p.LearningRate, DType = dtype, Device = _device,
            CheckpointInterval = _p.CheckpointInterval, LogInterval = _p.LogInterval,
            Divergence = new DivergenceRule { MaxRiseAboveBest = _p.MaxLossRise ?? Math.Max(10, n), SmoothingSteps = 50 },
        };
        using var trainer = new Trainer(flow, options, Path.Combine(Scratch, "trainer"));
        trainer.SanityCheck = _ => LogDetSanityCheck(flow);
        using var sampler = new Generator(RandomStreams.DeriveSeed(_ctx.Seed, $"{_ctx.Name}/flow-sampler", _instance, _tIndex), _device);
        if (_p.Objective == FlowObjective.Reverse) trainer.RegisterGenerator("flow-sampler", sampler);

        var producerCheckpoint = _p.Objective == FlowObjective.Online ? new OnlineProducerCheckpoint() : null;
        if (producerCheckpoint is not null) trainer.RegisterState(producerCheckpoint);
        ResumeLog(trainer.Resume());
        byte[]? producerState = producerCheckpoint?.Restored;

        bool symmetrize = !target.HasField;
        if (_p.Objective == FlowObjective.Reverse && !symmetrize)
            _ctx.Log.Info($"{Label}: the instance has a field, so p(x) is not Z2-symmetric; training with q instead of q_sym");
        var reverse = new ReverseKlObjective(flow, target.LogProb, symmetrize);

        using var progress = _ctx.Progress.Start(Label, _p.Steps, "steps");
        progress.SetValue(trainer.CompletedSteps);
        var clock = Stopwatch.StartNew();
        long startSteps = trainer.CompletedSteps;
        NumberedMinibatchStream<OnlineMinibatch>? stream = null;
        TrainingResult result;
        try
        {
            if (_p.Objective == FlowObjective.Online)
                stream = StartProducer(relaxation, trainer.CompletedSteps, producerState);
            Func<long, StepResult> step = _p.Objective switch
            {
                FlowObjective.Forward => s =>
                {
                    var loss = ForwardKlObjective.Loss(flow, dataset!.Minibatch(s));
                    return new StepResult(loss, Extras(s, flow, heldOut, null, null));
                },
                FlowObjective.Online => s =>
                {
                    var latest = stream!.Take(s, _ctx.Cancellation);
                    producerCheckpoint!.Latest = latest;
                    var x = tensor(latest.X, [latest.Sweeps.Length, n], ScalarType.Float64).to(dtype, _device);
                    var loss = ForwardKlObjective.Loss(flow, x);
                    return new StepResult(loss, Extras(s, flow, heldOut, null, latest.Sweeps[^1]));
                },
                _ => s =>
                {
                    var batch = reverse.Evaluate(_p.Batch, sampler);
                    return new StepResult(batch.Loss, Extras(s, flow, heldOut, batch, null));
                },
            };
            result = trainer.Run(step, (completed, _) => progress.SetValue(completed), _ctx.Cancellation);
        }
        catch (TrainingDivergedException e)
        {
            throw new FlowTrainingDivergedException(_ctx.Name, _instance, _temperature, _p.Objective, e);
        }
        finally
        {
            stream?.Dispose();
        }

        double seconds = clock.Elapsed.TotalSeconds;
        _ctx.Extra[$"steps_per_second/{Key}"] = ((trainer.CompletedSteps - startSteps) / Math.Max(seconds, 1e-9)).ToString("G4", CultureInfo.InvariantCulture);
        return WriteOutputs(flow, trainer, result, n);
    }

    private void ResumeLog(ResumeInfo info)
    {
        foreach (var skipped in info.Skipped) _ctx.Log.Warn($"{Label}: {skipped}");
        if (info.Checkpoint is not null) _ctx.Log.Info($"{Label}: resuming at step {info.CompletedSteps}");
    }

    private NumberedMinibatchStream<OnlineMinibatch> StartProducer(SkContinuousRelaxation relaxation, long first, byte[]? state)
    {
        var samples = _ctx.Input("samples");
        var pt = samples.Parameters<SkPtParameters>();
        var options = new ParallelTemperingOptions(pt.Ladder.ToLadder())
        {
            Chains = pt.Chains,
            Seed = _ctx.Seed,
            StageName = $"{_ctx.Name}/online/instance-{_instance}/t-{_tIndex}",
            LocalFieldRefreshInterval = pt.LocalFieldRefresh,
            MaxDegreeOfParallelism = 1,
        };
        OnlinePtProducer? producer = null;
        return new NumberedMinibatchStream<OnlineMinibatch>((m, token) =>
        {
            producer ??= state is null
                ? OnlinePtProducer.Start(_model, options, relaxation, _temperature, _p.Batch, _p.SweepsPerSample, pt.BurnIn,
                                         _ctx.Stream("online-x-given-s", _instance, _tIndex), token)
                : OnlinePtProducer.Restore(_model, options, relaxation, _temperature, _p.Batch, _p.SweepsPerSample, state);
            return producer.Next(m, token);
        }, first, _p.Steps, capacity: 4, _ctx.Cancellation);
    }

    private ForwardKlDataset Dataset(SkContinuousRelaxation relaxation, PtConfigurations configurations)
    {
        var x = new double[configurations.Training.Length];
        var rng = _ctx.Stream("x-given-s", _instance, _tIndex);
        relaxation.SampleXGivenS(configurations.Training, x, ref rng);
        return new ForwardKlDataset(x, relaxation.N, _p.Batch, RandomStreams.DeriveSeed(_ctx.Seed, $"{_ctx.Name}/minibatches", _instance, _tIndex),
                                    _p.ScalarType, _device);
    }

    private Tensor ToTensor(SkContinuousRelaxation relaxation, sbyte[] spins, string purpose)
    {
        var x = new double[spins.Length];
        var rng = _ctx.Stream(purpose, _instance, _tIndex);
        relaxation.SampleXGivenS(spins, x, ref rng);
        using var host = tensor(x, [spins.Length / relaxation.N, relaxation.N], ScalarType.Float64);
        return host.to(_p.ScalarType, _device);
    }

    /// <summary>
    /// Extra loss-log columns of a logged step: held-out NLL (every eval_interval steps and at the last step, NaN
    /// in between), for reverse KL the batch's reverse ESS/N, for online the PT sweep count of the batch's last sample.
    /// </summary>
    private List<(string, double)>? Extras(long step, RealNvp flow, Tensor? heldOut, ReverseKlBatch? reverse, long? sweep)
    {
        bool last = step == _p.Steps - 1;
        if (step % _p.LogInterval != 0 && !last) return null;
        var extras = new List<(string, double)>();
        if (heldOut is not null)
        {
            bool evaluate = step % _p.EvalInterval == 0 || last;
            var nll = evaluate ? HeldOutLikelihood.Evaluate(flow, heldOut) : default;
            extras.Add(("heldout_nll", evaluate ? nll.Mean : double.NaN));
            extras.Add(("heldout_nll_err", evaluate ? nll.StdError : double.NaN));
        }
        if (reverse is not null) extras.Add(("ess_fraction", EffectiveSampleSize.Reverse(reverse.LogTarget, reverse.LogQ).Mean));
        if (sweep is long sw) extras.Add(("pt_sweep", sw));
        return extras.Count == 0 ? null : extras;
    }

    /// <summary>Round trip and forward/inverse log-det consistency (plus the autograd Jacobian for N ≤ 16) on fixed points.</summary>
    private void LogDetSanityCheck(RealNvp flow)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(12345, _device);
        var z = randn([8, flow.Dimension], flow.Dtype, _device, generator: generator);
        var check = FlowDiagnostics.Check(flow, z, jacobianMaxDimension: 16);
        double tolerance = flow.Dtype == ScalarType.Float64 ? 1e-6 : 1e-2;
        if (!(check.Worst <= tolerance))
            throw new InvalidOperationException($"log-det sanity check failed (tolerance {tolerance:G2}): round trip {check.MaxRoundTripError:G3}, " +
                                                $"forward/inverse log-det asymmetry {check.MaxLogDetAsymmetry:G3}, Jacobian {check.MaxJacobianLogDetError?.ToString("G3", CultureInfo.InvariantCulture) ?? "n/a"}");
    }

    private TrainedFlow WriteOutputs(RealNvp flow, Trainer trainer, TrainingResult result, int n)
    {
        RealNvpCheckpoint.Save(flow, _ctx.OutputPath(CheckpointPath));
        var columns = trainer.Log.ToColumns();
        var table = new TableBuilder();
        for (int r = 0; r < columns.Step.Length; r++)
        {
            table.Set("step", columns.Step[r]).Set("wall_seconds", columns.ElapsedSeconds[r]).Set("loss", columns.Loss[r])
                 .Set("gradient_norm", columns.GradientNorm[r]).Set("learning_rate", columns.LearningRate[r]);
            foreach (var (name, values) in columns.Extras) table.Set(name, values[r]);
            table.EndRow();
        }
        var metadata = new Dictionary<string, string>
        {
            ["stage"] = _ctx.Name, ["objective"] = _p.Objective.ToString().ToLowerInvariant(), ["instance"] = _instance.ToString(CultureInfo.InvariantCulture),
            ["temperature"] = _temperature.ToString("R", CultureInfo.InvariantCulture), ["n"] = n.ToString(CultureInfo.InvariantCulture),
            ["loss"] = _p.Objective == FlowObjective.Reverse ? "mean[ln q_sym(x) - ln p~(x)], x ~ q (eq. 17)" : "-mean ln q(x), x ~ p(x|s) (eq. 19)",
        };
        _ctx.WriteTable(LossTablePath, table, metadata);
        int tail = Math.Max(1, columns.Loss.Length / 10);
        var flowRecord = new TrainedFlow(_instance, n, _temperature, _p.Objective, _p.Epsilon, CheckpointPath, LossTablePath + ".parquet",
                                         trainer.CompletedSteps, result.Elapsed.TotalSeconds, columns.Loss[^tail..].Average());
        AtomicFile.WriteAllText(Path.Combine(Scratch, DoneFile), JsonSerializer.Serialize(flowRecord, JsonDefaults.Indented));
        // The outputs are complete: the trainer's checkpoints (weights + Adam state, tens of MB at N = 256) are no longer needed.
        trainer.DeleteCheckpoints();
        _ctx.Log.Info($"{Label}: {trainer.CompletedSteps} steps, final loss {flowRecord.FinalLoss:G6}");
        return flowRecord;
    }
}
