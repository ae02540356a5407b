using static TorchSharp.torch;

namespace Boltzmann.Flows.Lattice;

/// <summary>
/// Architecture of a checkerboard affine coupling flow on an L x T torus (<see cref="LatticeFlow"/>). Defaults are
/// those of Albergo, Kanwar &amp; Shanahan's tutorial (arXiv:2101.08176): 16 couplings alternating parity, each with
/// a CNN of 2 hidden layers of 8 channels and kernel 3 (circular padding).
/// </summary>
public sealed record LatticeFlowOptions
{
    public int L { get; init; } = 8;
    public int T { get; init; } = 8;
    public int Couplings { get; init; } = 16;
    public int HiddenLayers { get; init; } = 2;
    public int Channels { get; init; } = 8;
    public int Kernel { get; init; } = 3;

    /// <summary>Scale of the last conv layer's initial weights (small: the fresh flow is near the identity).</summary>
    public double OutputScale { get; init; } = 0.1;

    /// <summary>Z2-equivariant couplings (even s, odd t): x(−z) = −x(z) and q(φ) = q(−φ) exactly.</summary>
    public bool Z2Equivariant { get; init; }

    /// <summary>A learned per-momentum scaling of z (<see cref="MomentumScaling"/>) before the couplings: the Gaussian part of p.</summary>
    public bool MomentumScaling { get; init; }

    /// <summary>A learned odd map of the zero mode (<see cref="ZeroModeMap"/>) after the momentum layer: the double well of the broken phase.</summary>
    public bool ZeroMode { get; init; }

    public ulong Seed { get; init; } = 1;
    public ScalarType Dtype { get; init; } = ScalarType.Float64;
    public Device? Device { get; init; }

    public long[] EventShape => [L, T];

    /// <summary>Every problem with these options (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        if (LatticeShape.Problem(L, T, Kernel) is string why) p.Add(why);
        if (Couplings < 1) p.Add($"couplings = {Couplings}; must be >= 1");
        if (HiddenLayers < 0) p.Add($"hidden layers = {HiddenLayers}; must be >= 0");
        if (Channels < 1) p.Add($"channels = {Channels}; must be >= 1");
        if (Dtype is not (ScalarType.Float32 or ScalarType.Float64)) p.Add($"dtype {Dtype}; must be Float32 or Float64");
        return p;
    }
}
