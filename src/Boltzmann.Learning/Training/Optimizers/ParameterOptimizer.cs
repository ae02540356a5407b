using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Training.Optimizers;

/// <summary>
/// A first-order optimizer over a fixed list of parameters (one parameter group), written for the
/// <see cref="Trainer"/> instead of TorchSharp's <c>torch.optim</c> classes. TorchSharp 0.107's optimizers pass
/// temporary <see cref="Scalar"/>s (β₁, 1 − β₁, ε, −lr/bc₁ …) to native calls without keeping them reachable, so a
/// garbage collection on another thread can finalize (free) a Scalar while libtorch still reads it — the
/// "toDouble" / "Unknown scalar type" crashes of docs/platform.md (TorchSharp section). Here every Scalar handed to
/// native code is either a field of the optimizer (kept alive by <see cref="GC.KeepAlive"/> at the end of
/// <see cref="Step"/>) or a local in a <c>using</c> that ends after the call.
/// <para>
/// The numbers and the checkpoint bytes are those of the TorchSharp optimizer they replace (same op order, same
/// <c>save_state_dict</c> format, tested bit for bit), so checkpoints written before the switch resume unchanged.
/// </para>
/// </summary>
public abstract class ParameterOptimizer : IDisposable
{
    private bool _disposed;

    protected ParameterOptimizer(IEnumerable<Parameter> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters.ToArray();
        if (Parameters.Length == 0) throw new ArgumentException("The optimizer needs at least one parameter.", nameof(parameters));
        if (!(learningRate >= 0)) throw new ArgumentException($"Invalid learning rate: {learningRate}", nameof(learningRate));
        LearningRate = learningRate;
        InitialLearningRate = learningRate;
    }

    /// <summary>The parameters, in the order of the checkpoint's per-parameter states.</summary>
    protected Parameter[] Parameters { get; }

    /// <summary>The learning rate of the next <see cref="Step"/> (the Trainer sets it from its schedule every step).</summary>
    public double LearningRate { get; set; }

    /// <summary>The learning rate at construction (stored in checkpoints as TorchSharp does).</summary>
    public double InitialLearningRate { get; private set; }

    /// <summary>Zeroes every existing gradient in place (as TorchSharp's <c>zero_grad</c>: gradients stay allocated).</summary>
    public void ZeroGrad()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var p in Parameters)
        {
            using var grad = p.grad;
            grad?.zero_();
        }
    }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using (no_grad())
        using (NewDisposeScope())
        {
            for (int i = 0; i < Parameters.Length; i++)
            {
                var grad = Parameters[i].grad;
                if (grad is null) continue;
                Update(i, Parameters[i], grad);
            }
        }
        // The cached Scalars are fields: keep their owner reachable until every native call above has returned.
        GC.KeepAlive(this);
    }

    /// <summary>Updates parameter <paramref name="index"/> in place (inside no_grad and a dispose scope).</summary>
    protected abstract void Update(int index, Parameter parameter, Tensor grad);

    /// <summary>The TorchSharp type name that heads the state (TorchSharp checks it on load).</summary>
    protected abstract string TypeName { get; }

    /// <summary>Writes the hyper-parameters after the two learning rates (TorchSharp's Options.SaveStateDict order).</summary>
    protected abstract void SaveOptions(BinaryWriter writer);

    /// <summary>Reads what <see cref="SaveOptions"/> wrote.</summary>
    protected abstract void LoadOptions(BinaryReader reader);

    /// <summary>Writes the state of parameter <paramref name="index"/> (TorchSharp's State.SaveStateDict).</summary>
    protected abstract void SaveState(BinaryWriter writer, int index);

    /// <summary>Reads what <see cref="SaveState"/> wrote.</summary>
    protected abstract void LoadState(BinaryReader reader, int index);

    /// <summary>Writes the state in TorchSharp's <c>OptimizerHelper.save_state_dict(BinaryWriter)</c> format.</summary>
    public void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ObjectDisposedException.ThrowIf(_disposed, this);
        writer.Write(TypeName);
        WriteLeb128(writer, 1);                  // parameter groups
        WriteLeb128(writer, Parameters.Length);  // per-parameter states
        writer.Write(InitialLearningRate);
        writer.Write(LearningRate);
        SaveOptions(writer);
        for (int i = 0; i < Parameters.Length; i++) SaveState(writer, i);
    }

    /// <summary>Reads a state written by <see cref="Save"/> or by the TorchSharp optimizer of the same kind.</summary>
    /// <exception cref="InvalidDataException">Another optimizer's state, or a feature this class does not implement.</exception>
    /// <exception cref="ArgumentException">A different number of parameter groups or parameters (as TorchSharp).</exception>
    public void Load(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ObjectDisposedException.ThrowIf(_disposed, this);
        string name = reader.ReadString();
        if (name != TypeName)
            throw new InvalidDataException($"Mismatched optimizer type: expected '{TypeName}', but found '{name}' in the loaded stream.");
        long groups = ReadLeb128(reader), states = ReadLeb128(reader);
        if (groups != 1) throw new ArgumentException("Invalid optimizer state -- different number of parameter groups.");
        if (states != Parameters.Length) throw new ArgumentException("Invalid optimizer state -- different number of states.");
        InitialLearningRate = reader.ReadDouble();
        LearningRate = reader.ReadDouble();
        LoadOptions(reader);
        using (no_grad())
            for (int i = 0; i < Parameters.Length; i++) LoadState(reader, i);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing) { }

    /// <summary>Unsigned LEB128, as TorchSharp's internal LEB128Codec writes counts.</summary>
    private static void WriteLeb128(BinaryWriter writer, long value)
    {
        while (true)
        {
            long b = value & 0x7f;
            value >>= 7;
            if (value == 0) { writer.Write((byte)b); return; }
            writer.Write((byte)(b | 0x80));
        }
    }

    private static long ReadLeb128(BinaryReader reader)
    {
        long result = 0;
        for (int i = 0; ; i++)
        {
            long b = reader.ReadByte();
            result += (b & 0x7f) << (i * 7);
            if ((b & 0x80) == 0) return result;
            if (i >= 9) throw new InvalidDataException("Invalid LEB128 count in the optimizer state.");
        }
    }
}
