using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Boltzmann.Learning.Numerics;
using Boltzmann.Learning.Training.Optimizers;
using Boltzmann.Random;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Training;

/// <summary>
/// The shared training driver of the neural samplers (flows, autoregressive networks). It minimises a loss
/// built by a closure — <c>step =&gt; loss</c>, where the closure draws its own samples from the model and its
/// own <see cref="Generator"/> — with Adam (Kingma &amp; Ba 2015, Algorithm 1; <see cref="AdamOptimizer"/>, bit-identical
/// to TorchSharp's <c>torch.optim.Adam</c> but safe against the Scalar finalizer race of docs/platform.md, the
/// default) or SGD (<see cref="SgdOptimizer"/>; <see cref="TrainingOptions.Optimizer"/>), one step per
/// <see cref="NewDisposeScope"/> so no native tensor outlives its step.
/// <para>
/// Numerical guards: the model is converted to <see cref="TrainingOptions.DType"/> (the float64 switch); a
/// NaN/±∞ loss or gradient, or a <see cref="DivergenceRule"/>, stops the stage with
/// <see cref="TrainingDivergedException"/> naming the step and loss, before that step's update; the optional
/// <see cref="SanityCheck"/> (e.g. a log-det check) runs periodically and before every checkpoint, so no
/// checkpoint is ever written from a state that fails it.
/// </para>
/// <para>
/// Checkpoints (<see cref="TrainingCheckpoint"/>) hold the parameters and buffers, the optimizer's state, every
/// registered generator and <see cref="RandomStream"/> state, every registered <see cref="ICheckpointState"/>
/// (a job's own state, e.g. an online sample producer), the divergence monitor, the step and the loss log, so <see cref="Resume()"/> + <see cref="Run"/> reproduces an uninterrupted run bit for bit on the same
/// machine (same thread count). Usage: construct, register generators/streams, call <see cref="Resume()"/>
/// (restores the newest intact checkpoint, or starts at step 0 if there is none), then <see cref="Run"/>.
/// </para>
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly ParameterOptimizer _optimizer;
    private readonly DivergenceMonitor _monitor;
    private readonly List<(string Name, Generator Generator)> _generators = [];
    private readonly List<(string Name, StrongBox<RandomStream> Stream)> _streams = [];
    private readonly List<ICheckpointState> _states = [];
    private LossLog _log = new();
    private double _elapsedSeconds;
    private long? _lastCheckpointSteps;
    private bool _startDecided;
    private bool _disposed;

    /// <summary>
    /// Takes over <paramref name="model"/> for training: converts it to the options' device and dtype (tensors
    /// obtained from it before this call are stale) and creates the optimizer over its parameters.
    /// </summary>
    /// <param name="model">The model; its floating parameters and buffers become <see cref="TrainingOptions.DType"/>.</param>
    /// <param name="options">Validated here; every problem is reported at once.</param>
    /// <param name="checkpointRoot">Directory that holds this stage's checkpoints (created when needed).</param>
    public Trainer(nn.Module model, TrainingOptions options, string checkpointRoot)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpointRoot);
        options.Validate();
        Runtime.NativeHeap.EnsureTuned();
        Model = model;
        Options = options;
        CheckpointRoot = Path.GetFullPath(checkpointRoot);
        model.to(options.Device);
        model.to(options.DType);
        _parameters = model.parameters().ToArray();
        if (_parameters.Length == 0)
            throw new ArgumentException("Trainer: the model has no parameters to train.", nameof(model));
        foreach (var (name, p) in model.named_parameters())
            if (p.dtype != options.DType)
                throw new ArgumentException($"Trainer: parameter '{name}' has dtype {p.dtype} after conversion to {options.DType}; trainable parameters must be floating point.", nameof(model));
        _optimizer = options.Optimizer switch
        {
            OptimizerKind.Sgd => new SgdOptimizer(_parameters, options.LearningRate, options.WeightDecay),
            _ => new AdamOptimizer(_parameters, options.LearningRate, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay),
        };
        _monitor = new DivergenceMonitor(options.Divergence);
    }

    public nn.Module Model { get; }

    public TrainingOptions Options { get; }

    public string CheckpointRoot { get; }

    /// <summary>Steps completed so far (restored by <see cref="Resume()"/>).</summary>
    public long CompletedSteps { get; private set; }

    /// <summary>The loss log so far (including records restored from a checkpoint).</summary>
    public LossLog Log => _log;

    /// <summary>The newest checkpoint written or restored (null before the first one).</summary>
    public string? LastCheckpoint { get; private set; }

    /// <summary>
    /// Optional check of the model's numerical health, called with the completed step count every
    /// <see cref="TrainingOptions.SanityCheckInterval"/> steps and before every checkpoint; it throws to signal a
    /// failure (which stops training as diverged). Typical use: compare a flow's analytic log-det with autograd.
    /// </summary>
    public Action<long>? SanityCheck { get; set; }

    /// <summary>Registers a torch generator whose state goes into every checkpoint (e.g. the closure's sampler).</summary>
    public void RegisterGenerator(string name, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        EnsureUniqueName(name);
        _generators.Add((name, generator));
    }

    /// <summary>Registers a xoshiro256** stream (boxed, so the caller draws from <c>ref box.Value</c>) whose state goes into every checkpoint.</summary>
    public void RegisterRandomStream(string name, StrongBox<RandomStream> stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        EnsureUniqueName(name);
        _streams.Add((name, stream));
    }

    /// <summary>
    /// Registers a job's own state (<see cref="ICheckpointState"/>): saved into every checkpoint and restored with it,
    /// so a resume never pairs a trainer checkpoint with another step's job state.
    /// </summary>
    public void RegisterState(ICheckpointState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        EnsureUniqueName(state.Name);
        if (state.Name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || state.Name.Contains('.'))
            throw new ArgumentException($"Trainer: state name '{state.Name}' must be a plain file-name stem (no dots or path characters).", nameof(state));
        _states.Add(state);
    }

    /// <summary>
    /// Restores the newest intact checkpoint under <see cref="CheckpointRoot"/>. A corrupt or incomplete one
    /// (missing file, hash mismatch) is moved aside to "corrupt-step-…" and the previous one is tried; with
    /// none left, training starts at step 0. A checkpoint of a different setup throws
    /// <see cref="CheckpointMismatchException"/> (an older one would not match either).
    /// </summary>
    public ResumeInfo Resume()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        TrainingCheckpoint.CleanTemporary(CheckpointRoot);
        var skipped = new List<string>();
        var all = TrainingCheckpoint.List(CheckpointRoot);
        for (int i = all.Count - 1; i >= 0; i--)
        {
            try
            {
                Restore(all[i].Path);
                _startDecided = true;
                return new ResumeInfo(all[i].Path, CompletedSteps, skipped);
            }
            catch (CheckpointCorruptException e)
            {
                string moved = TrainingCheckpoint.Quarantine(all[i].Path);
                skipped.Add($"{e.Message} Moved to {moved}.");
            }
        }
        _startDecided = true;
        return new ResumeInfo(null, CompletedSteps, skipped);
    }

    /// <summary>
    /// Restores exactly the checkpoint in <paramref name="checkpoint"/> (no fallback): throws
    /// <see cref="CheckpointCorruptException"/> if it is damaged, <see cref="CheckpointMismatchException"/> if it
    /// belongs to another setup. Later checkpoints of the root are overwritten as training proceeds.
    /// </summary>
    public ResumeInfo ResumeFrom(string checkpoint)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        TrainingCheckpoint.CleanTemporary(CheckpointRoot);
        Restore(Path.GetFullPath(checkpoint));
        _startDecided = true;
        return new ResumeInfo(checkpoint, CompletedSteps, []);
    }

    /// <summary>
    /// Runs steps <see cref="CompletedSteps"/> … Steps−1. For each step: zero the gradients, call
    /// <paramref name="step"/>(index), check the loss, back-propagate, check (and optionally clip) the gradient,
    /// take the optimizer step, log, and checkpoint at the interval and at the end.
    /// </summary>
    /// <param name="step">Builds the scalar loss of one step from the model (tensors it creates are disposed with the step's scope).</param>
    /// <param name="progress">Called after every step with (completed, total).</param>
    /// <param name="cancellationToken">Checked before every step; on cancellation a checkpoint of the last
    /// completed step is written (if <see cref="TrainingOptions.CheckpointOnCancel"/>) and
    /// <see cref="OperationCanceledException"/> is thrown.</param>
    public TrainingResult Run(Func<long, StepResult> step, Action<long, long>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(step);
        if (!_startDecided)
        {
            var existing = TrainingCheckpoint.List(CheckpointRoot);
            if (existing.Count > 0)
                throw new InvalidOperationException(
                    $"Checkpoint directory {CheckpointRoot} already holds checkpoints (newest: {Path.GetFileName(existing[^1].Path)}): " +
                    "call Resume() to continue from them, or delete them to start over.");
            TrainingCheckpoint.CleanTemporary(CheckpointRoot);
            _startDecided = true;
        }

        long total = Options.Steps;
        long startedAt = CompletedSteps;
        double lastLoss = _log.Count > 0 ? _log.Records[^1].Loss : double.NaN;
        double elapsedBase = _elapsedSeconds;
        var clock = Stopwatch.StartNew();
        Model.train();

        while (CompletedSteps < total)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                _elapsedSeconds = elapsedBase + clock.Elapsed.TotalSeconds;
                if (Options.CheckpointOnCancel && CompletedSteps > 0 && LastCheckpointSteps() != CompletedSteps)
                    WriteCheckpoint(lastLoss);
                cancellationToken.ThrowIfCancellationRequested();
            }

            long s = CompletedSteps;
            double lr = Options.LearningRateAt(s);
            _optimizer.LearningRate = lr;
            using (var scope = NewDisposeScope())
            {
                // Gradients set to none rather than zeroed: backward then stores each fresh gradient as the parameter's
                // (no zeroing pass, no accumulation pass); the values are the same (0 + g = g).
                Model.zero_grad(set_to_none: true);
                StepResult result = step(s);
                var lossTensor = result.Loss ?? throw new InvalidOperationException($"The training closure returned a null loss at step {s}.");
                if (lossTensor.numel() != 1)
                    throw new InvalidOperationException($"The training closure returned a loss of shape [{string.Join(", ", lossTensor.shape)}] at step {s}; it must be a scalar.");
                if (!lossTensor.requires_grad)
                    throw new InvalidOperationException($"The loss returned at step {s} does not require a gradient: build it from the model's parameters (not under no_grad).");
                double loss = ReadLoss(lossTensor);
                string? why = _monitor.Observe(loss);
                if (why is not null) throw Diverged(s, loss, why);

                lossTensor.backward();
                double gradientNorm = GradientNorm();
                if (!double.IsFinite(gradientNorm))
                    throw Diverged(s, loss, $"the gradient norm is {DivergenceMonitor.Format(gradientNorm)} (not finite) although the loss {DivergenceMonitor.Format(loss)} is finite");
                if (Options.MaxGradientNorm is double maxNorm && gradientNorm > maxNorm)
                    ScaleGradients(maxNorm / gradientNorm);
                // Log before the update, so a rejected record (inconsistent extras) leaves the parameters untouched.
                if (s % Options.LogInterval == 0 || s == total - 1)
                    _log.Add(s, loss, gradientNorm, lr, elapsedBase + clock.Elapsed.TotalSeconds, result.Extras);
                _optimizer.Step();
                lastLoss = loss;
            }
            CompletedSteps = s + 1;
            _elapsedSeconds = elapsedBase + clock.Elapsed.TotalSeconds;

            if (Options.GarbageCollectionInterval > 0 && CompletedSteps % Options.GarbageCollectionInterval == 0)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
            if (Options.SanityCheckInterval > 0 && CompletedSteps % Options.SanityCheckInterval == 0)
                RunSanityCheck(lastLoss);
            if (CompletedSteps % Options.CheckpointInterval == 0 || CompletedSteps == total)
                WriteCheckpoint(lastLoss);
            progress?.Invoke(CompletedSteps, total);
        }

        if (LastCheckpointSteps() != CompletedSteps) WriteCheckpoint(lastLoss);
        return new TrainingResult(CompletedSteps, lastLoss, _log, LastCheckpoint!, TimeSpan.FromSeconds(_elapsedSeconds), CompletedSteps - startedAt);
    }

    /// <summary>Writes a checkpoint of the current state now (after running the sanity check) and returns its directory.</summary>
    public string SaveCheckpoint()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        WriteCheckpoint(_log.Count > 0 ? _log.Records[^1].Loss : double.NaN);
        return LastCheckpoint!;
    }

    /// <summary>
    /// Deletes every checkpoint under <see cref="CheckpointRoot"/> (and the root itself when it is left empty), for a
    /// job whose outputs are complete (a later <see cref="Resume()"/> would start over at step 0).
    /// </summary>
    public void DeleteCheckpoints()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        TrainingCheckpoint.CleanTemporary(CheckpointRoot);
        foreach (var (_, path) in TrainingCheckpoint.List(CheckpointRoot)) Directory.Delete(path, recursive: true);
        if (Directory.Exists(CheckpointRoot) && !Directory.EnumerateFileSystemEntries(CheckpointRoot).Any()) Directory.Delete(CheckpointRoot);
        LastCheckpoint = null;
        _lastCheckpointSteps = null;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _optimizer.Dispose();
    }

    private void EnsureUniqueName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (_generators.Any(g => g.Name == name) || _streams.Any(r => r.Name == name) || _states.Any(x => x.Name == name))
            throw new ArgumentException($"Trainer: a generator, random stream or state named '{name}' is already registered.", nameof(name));
        if (_startDecided)
            throw new InvalidOperationException($"Trainer: register '{name}' before Resume()/Run(), so its state is restored and checkpointed from the start.");
    }

    private long? LastCheckpointSteps() => _lastCheckpointSteps;

    private TrainingDivergedException Diverged(long step, double loss, string reason, Exception? inner = null) =>
        new(step, loss, reason, LastCheckpoint, LastCheckpointSteps(), inner);

    /// <summary>The scalar loss as a double, read in its own dtype (no conversion kernel, no temporaries).</summary>
    private static double ReadLoss(Tensor loss) => loss.dtype switch
    {
        ScalarType.Float64 => loss.item<double>(),
        ScalarType.Float32 => loss.item<float>(),
        _ => ReadConverted(loss),
    };

    private static double ReadConverted(Tensor loss)
    {
        using var _ = no_grad();
        using var converted = loss.detach().to(ScalarType.Float64);
        return converted.item<double>();
    }

    /// <summary>
    /// ‖g‖₂ over all parameters (inside the caller's dispose scope): one read of each gradient in its own dtype
    /// (<see cref="GradientNorms"/>), no conversion, one host read. It doubles as the non-finite-gradient guard (a NaN or
    /// ±∞ element makes it non-finite), so it runs every step; it is a small fraction of the backward pass's traffic.
    /// </summary>
    private double GradientNorm() => GradientNorms.Norm(_parameters);

    private void ScaleGradients(double factor)
    {
        using var f = factor.ToScalar();
        using var _ = no_grad();
        foreach (var p in _parameters)
        {
            var g = p.grad;
            g?.mul_(f);
        }
    }

    private void RunSanityCheck(double lastLoss)
    {
        if (SanityCheck is null) return;
        try
        {
            using var scope = NewDisposeScope();
            SanityCheck(CompletedSteps);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Diverged(CompletedSteps - 1, lastLoss, $"the sanity check after {CompletedSteps} completed steps failed: {e.Message}", e);
        }
    }

    private void WriteCheckpoint(double lastLoss)
    {
        RunSanityCheck(lastLoss);
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            foreach (var (name, t) in Model.named_parameters())
                if (!t.isfinite().all().item<bool>())
                    throw Diverged(CompletedSteps - 1, lastLoss, $"parameter '{name}' holds non-finite values after {CompletedSteps} steps");
        }

        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [TrainingCheckpoint.ModelFile] = Serialize(w => Model.save(w)),
            [TrainingCheckpoint.OptimizerFile] = Serialize(_optimizer.Save),
            [TrainingCheckpoint.GeneratorsFile] = Serialize(WriteGenerators),
        };
        foreach (var state in _states)
            files[TrainingCheckpoint.StateFile(state.Name)] = state.Save(CompletedSteps)
                ?? throw new InvalidOperationException($"Trainer: state '{state.Name}' returned null at {CompletedSteps} completed steps.");
        using (var text = new StringWriter(CultureInfo.InvariantCulture))
        {
            _log.WriteCsv(text);
            files[TrainingCheckpoint.LossLogFile] = new UTF8Encoding(false).GetBytes(text.ToString());
        }
        var manifest = new CheckpointManifest(
            TrainingCheckpoint.FormatVersion,
            CompletedSteps,
            _elapsedSeconds,
            Options.NumericsFingerprint().ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
            DescribeTensors(),
            _generators.Select(g => g.Name).ToArray(),
            _streams.ToDictionary(r => r.Name, r => r.Stream.Value.GetState(), StringComparer.Ordinal),
            _monitor.State,
            [],
            typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown",
            _states.Count == 0 ? null : _states.Select(x => x.Name).ToArray());
        LastCheckpoint = TrainingCheckpoint.Write(CheckpointRoot, manifest, files);
        _lastCheckpointSteps = CompletedSteps;
        TrainingCheckpoint.Prune(CheckpointRoot, Options.KeepCheckpoints);
    }

    private void WriteGenerators(BinaryWriter w)
    {
        w.Write(_generators.Count);
        foreach (var (name, generator) in _generators)
        {
            using var state = generator.get_state();
            w.Write(name);
            var bytes = state.cpu().bytes;
            w.Write(bytes.Length);
            w.Write(bytes);
        }
    }

    private CheckpointTensorInfo[] DescribeTensors() =>
        Model.state_dict().Select(kv => new CheckpointTensorInfo(kv.Key, kv.Value.shape, kv.Value.dtype.ToString())).ToArray();

    private void Restore(string checkpoint)
    {
        using var scope = NewDisposeScope();
        var (manifest, files) = TrainingCheckpoint.ReadVerified(checkpoint);

        var differences = new List<string>();
        var expected = Options.NumericsFingerprint().ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        foreach (var key in expected.Keys.Union(manifest.Options.Keys).Order(StringComparer.Ordinal))
        {
            manifest.Options.TryGetValue(key, out var saved);
            expected.TryGetValue(key, out var now);
            if (saved != now) differences.Add($"option {key}: checkpoint {saved ?? "(absent)"}, now {now ?? "(absent)"}");
        }
        if (manifest.CompletedSteps > Options.Steps)
            differences.Add($"the checkpoint has {manifest.CompletedSteps} completed steps, more than TrainingOptions.Steps = {Options.Steps}");
        var tensors = DescribeTensors();
        if (!tensors.Select(t => t.Describe()).SequenceEqual(manifest.Tensors.Select(t => t.Describe())))
            differences.Add($"model tensors: checkpoint [{string.Join("; ", manifest.Tensors.Select(t => t.Describe()))}], " +
                            $"model [{string.Join("; ", tensors.Select(t => t.Describe()))}]");
        var generatorNames = _generators.Select(g => g.Name).ToArray();
        if (!generatorNames.SequenceEqual(manifest.Generators))
            differences.Add($"generators: checkpoint [{string.Join(", ", manifest.Generators)}], registered [{string.Join(", ", generatorNames)}]");
        var streamNames = _streams.Select(r => r.Name).Order(StringComparer.Ordinal).ToArray();
        var savedStreams = manifest.RandomStreams.Keys.Order(StringComparer.Ordinal).ToArray();
        if (!streamNames.SequenceEqual(savedStreams))
            differences.Add($"random streams: checkpoint [{string.Join(", ", savedStreams)}], registered [{string.Join(", ", streamNames)}]");
        var stateNames = _states.Select(x => x.Name).ToArray();
        var savedStates = manifest.States ?? [];
        if (!stateNames.SequenceEqual(savedStates))
            differences.Add($"job states: checkpoint [{string.Join(", ", savedStates)}], registered [{string.Join(", ", stateNames)}]");
        if (differences.Count > 0) throw new CheckpointMismatchException(checkpoint, differences);

        // Parse everything before changing any state, so a failure leaves the trainer untouched.
        LossLog log;
        try
        {
            using var reader = new StringReader(new UTF8Encoding(false, true).GetString(files[TrainingCheckpoint.LossLogFile]));
            log = LossLog.ReadCsv(reader, Path.Combine(checkpoint, TrainingCheckpoint.LossLogFile));
        }
        catch (Exception e) when (e is InvalidDataException or DecoderFallbackException)
        {
            throw new CheckpointCorruptException(checkpoint, e.Message);
        }
        if (log.Count > 0 && log.Records[^1].Step >= manifest.CompletedSteps)
            throw new CheckpointCorruptException(checkpoint, $"the loss log reaches step {log.Records[^1].Step} but only {manifest.CompletedSteps} steps were completed");
        var generatorStates = ReadGenerators(checkpoint, files[TrainingCheckpoint.GeneratorsFile], generatorNames);
        var streamStates = new List<(StrongBox<RandomStream> Box, RandomStream State)>();
        foreach (var (name, box) in _streams)
        {
            try
            {
                streamStates.Add((box, RandomStream.FromState(manifest.RandomStreams[name])));
            }
            catch (ArgumentException e)
            {
                throw new CheckpointCorruptException(checkpoint, $"random stream '{name}': {e.Message}");
            }
        }

        // Job states first: a state that rejects its bytes marks the checkpoint corrupt before the model changes.
        foreach (var state in _states)
        {
            try
            {
                state.Load(files[TrainingCheckpoint.StateFile(state.Name)], manifest.CompletedSteps);
            }
            catch (InvalidDataException e)
            {
                throw new CheckpointCorruptException(checkpoint, $"state '{state.Name}': {e.Message}");
            }
        }
        using (no_grad())
        {
            using (var r = new BinaryReader(new MemoryStream(files[TrainingCheckpoint.ModelFile])))
                Model.load(r, strict: true);
            using (var r = new BinaryReader(new MemoryStream(files[TrainingCheckpoint.OptimizerFile])))
                _optimizer.Load(r);
        }
        for (int i = 0; i < _generators.Count; i++)
        {
            using var state = tensor(generatorStates[i]);
            _generators[i].Generator.set_state(state);
        }
        foreach (var (box, state) in streamStates) box.Value = state;
        _monitor.Restore(manifest.Divergence);
        _log = log;
        _elapsedSeconds = manifest.ElapsedSeconds;
        CompletedSteps = manifest.CompletedSteps;
        LastCheckpoint = checkpoint;
        _lastCheckpointSteps = manifest.CompletedSteps;
    }

    private static List<byte[]> ReadGenerators(string checkpoint, byte[] bytes, string[] names)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes));
            int count = r.ReadInt32();
            if (count != names.Length)
                throw new CheckpointCorruptException(checkpoint, $"{TrainingCheckpoint.GeneratorsFile} holds {count} generator states, the manifest lists {names.Length}");
            var states = new List<byte[]>();
            for (int i = 0; i < count; i++)
            {
                string name = r.ReadString();
                if (name != names[i])
                    throw new CheckpointCorruptException(checkpoint, $"{TrainingCheckpoint.GeneratorsFile}: generator {i} is '{name}', expected '{names[i]}'");
                int length = r.ReadInt32();
                var state = r.ReadBytes(length);
                if (length <= 0 || state.Length != length)
                    throw new CheckpointCorruptException(checkpoint, $"{TrainingCheckpoint.GeneratorsFile}: state of generator '{name}' is truncated");
                states.Add(state);
            }
            return states;
        }
        catch (EndOfStreamException)
        {
            throw new CheckpointCorruptException(checkpoint, $"{TrainingCheckpoint.GeneratorsFile} is truncated");
        }
    }

    private static byte[] Serialize(Action<BinaryWriter> write)
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            write(w);
            w.Flush();
        }
        return ms.ToArray();
    }
}
