using static TorchSharp.torch;

namespace Boltzmann.Flows.Hierarchical;

/// <summary>The two network structures of Li &amp; Wang 2018: MERA-like (Figs. 1a, 2c) and disentanglers only (TEBD-like, Fig. 2a).</summary>
public enum NeuralRgArchitecture
{
    /// <summary>Per scale a disentangler and a decimator layer; decimators pass one of four outputs to the next, dilated scale.</summary>
    Mera,

    /// <summary>The same number of layers, all on the finest scale with alternating block offsets (equal parameter count).</summary>
    Tebd,
}

/// <summary>
/// Options of a NeuralRG flow (<see cref="NeuralRgFlow"/>). Defaults follow the supplement and the authors' public
/// code: 8 couplings per block (each half updated four times), ELU MLPs with one hidden layer of width 10 (the paper's
/// command line; the supplement mentions 64), scale of s started at 0 (identity start), log2 L scales.
/// </summary>
public sealed record NeuralRgOptions
{
    /// <summary>Linear size L (a power of two, &gt;= 2).</summary>
    public required int L { get; init; }

    public NeuralRgArchitecture Architecture { get; init; } = NeuralRgArchitecture.Mera;

    /// <summary>Depth cut-off: the number of scales (each a disentangler and a decimator layer); null = log2 L.</summary>
    public int? Depth { get; init; }

    /// <summary>Couplings (half updates) per 2 x 2 bijector.</summary>
    public int Couplings { get; init; } = 8;

    public int HiddenLayers { get; init; } = 1;

    public int HiddenWidth { get; init; } = 10;

    /// <summary>Initial value of the learnable scale of s (0: the flow starts as the identity when <see cref="ZeroShift"/>).</summary>
    public double InitialScale { get; init; }

    /// <summary>Start the last layer of every t at zero (with InitialScale = 0 the flow is exactly the identity).</summary>
    public bool ZeroShift { get; init; } = true;

    public ulong Seed { get; init; } = 1;

    public ScalarType Dtype { get; init; } = ScalarType.Float64;

    /// <summary>log2 L.</summary>
    public int Log2L => System.Numerics.BitOperations.Log2((uint)L);

    /// <summary>The number of scales used: min(Depth, log2 L).</summary>
    public int Scales => Math.Min(Depth ?? Log2L, Log2L);

    /// <summary>What is wrong with these options (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (L < 2 || (L & (L - 1)) != 0) problems.Add($"L = {L} is not allowed; the MERA needs a power of two >= 2 (2 x 2 blocks at every scale).");
        if (Depth is < 1) problems.Add($"Depth = {Depth} is not allowed; must be >= 1.");
        if (Couplings < 1) problems.Add($"Couplings = {Couplings} is not allowed; must be >= 1.");
        if (HiddenLayers < 0) problems.Add($"HiddenLayers = {HiddenLayers} is not allowed; must be >= 0.");
        if (HiddenWidth < 1) problems.Add($"HiddenWidth = {HiddenWidth} is not allowed; must be >= 1.");
        if (!double.IsFinite(InitialScale)) problems.Add("InitialScale must be finite.");
        if (Dtype is not (ScalarType.Float32 or ScalarType.Float64)) problems.Add($"Dtype {Dtype} is not allowed; must be Float32 or Float64.");
        return problems;
    }
}
