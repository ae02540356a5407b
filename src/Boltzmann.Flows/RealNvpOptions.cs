using static TorchSharp.torch;

namespace Boltzmann.Flows;

/// <summary>
/// Architecture and numerics of a <see cref="RealNvp"/> flow. Defaults follow Hartnett &amp; Mohseni 2020,
/// Appendix A.1: L = 4 coupling layers, conditioners with 3 hidden layers of width N, LeakyReLU (slope 0.01,
/// PyTorch's default; the paper does not state it). The dtype switch selects float64 (default: estimators and
/// tests compare log-probabilities against exact values) or float32 (faster training).
/// </summary>
public sealed record RealNvpOptions
{
    /// <summary>Number of coordinates N (spins of the continuous relaxation).</summary>
    public required int Dimension { get; init; }

    /// <summary>Number of affine coupling layers L (paper: 4).</summary>
    public int Layers { get; init; } = 4;

    /// <summary>Seed of the masks (stream "realnvp-masks") and of the initial weights (stream "realnvp-weights").</summary>
    public ulong Seed { get; init; }

    /// <summary>Hidden layers of each conditioner s, t (paper: 3).</summary>
    public int HiddenLayers { get; init; } = 3;

    /// <summary>Width of the hidden layers; null means N (paper).</summary>
    public int? HiddenWidth { get; init; }

    /// <summary>Negative slope of the LeakyReLU activations.</summary>
    public double NegativeSlope { get; init; } = 0.01;

    /// <summary>Parameter and computation dtype: Float64 (default) or Float32.</summary>
    public ScalarType Dtype { get; init; } = ScalarType.Float64;

    /// <summary>Device of parameters and samples; null means CPU.</summary>
    public Device? Device { get; init; }

    /// <summary>NaN/∞ sentinels and log-det bound checks on every pass (one host synchronisation per pass).</summary>
    public bool CheckNumerics { get; init; } = true;

    /// <summary>The hidden width actually used.</summary>
    public int Width => HiddenWidth ?? Dimension;

    /// <summary>Throws with the offending option, its value and what is allowed.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (Dimension < 1) problems.Add($"Dimension = {Dimension} is not allowed; must be >= 1");
        if (Layers < 1) problems.Add($"Layers = {Layers} is not allowed; must be >= 1");
        if (HiddenLayers < 0) problems.Add($"HiddenLayers = {HiddenLayers} is not allowed; must be >= 0");
        if (HiddenWidth is < 1) problems.Add($"HiddenWidth = {HiddenWidth} is not allowed; must be >= 1 (or null for N)");
        if (!double.IsFinite(NegativeSlope) || NegativeSlope < 0) problems.Add($"NegativeSlope = {NegativeSlope} is not allowed; must be finite and >= 0");
        if (Dtype is not (ScalarType.Float32 or ScalarType.Float64)) problems.Add($"Dtype = {Dtype} is not allowed; must be Float32 or Float64");
        if (problems.Count > 0)
            throw new ArgumentException("RealNvpOptions: " + string.Join("; ", problems) + ".");
    }
}
