using Boltzmann.Random;

namespace Boltzmann.Flows.Coupling;

/// <summary>
/// The acted-upon sets A^(ℓ) of a real NVP flow (Hartnett &amp; Mohseni 2020, Appendix A.1): for each even layer
/// ℓ = 2k every index joins A^(2k) independently with probability 1/2; the next odd layer uses the complement,
/// A^(2k+1) = B^(2k), so every coordinate is transformed once every two layers. An odd L ends with a fresh
/// random mask. Draws come from a <see cref="RandomStream"/> derived from the flow seed (purpose
/// "realnvp-masks"), so the masks depend only on (seed, N, L). A mask may be empty or full with probability
/// 2^-N; that layer is then the identity or a fixed affine map, which is still a valid bijection.
/// </summary>
public static class CouplingMasks
{
    /// <summary>Stream name under which masks are drawn from the flow seed.</summary>
    public const string StreamName = "realnvp-masks";

    /// <summary>Masks for <paramref name="layers"/> coupling layers over <paramref name="dimension"/> coordinates; true = in A^(ℓ).</summary>
    public static bool[][] Draw(int dimension, int layers, ulong seed)
    {
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "CouplingMasks.Draw: dimension must be >= 1.");
        if (layers < 1) throw new ArgumentOutOfRangeException(nameof(layers), layers, "CouplingMasks.Draw: layer count must be >= 1.");
        var rng = RandomStreams.For(seed, StreamName);
        var masks = new bool[layers][];
        for (int l = 0; l < layers; l++)
        {
            masks[l] = new bool[dimension];
            if (l % 2 == 0)
                for (int i = 0; i < dimension; i++) masks[l][i] = rng.NextDouble() < 0.5;
            else
                for (int i = 0; i < dimension; i++) masks[l][i] = !masks[l - 1][i];
        }
        return masks;
    }

    /// <summary>Validates explicit masks: one per layer, each of length <paramref name="dimension"/>.</summary>
    public static void Validate(IReadOnlyList<bool[]> masks, int dimension, int layers, string where)
    {
        ArgumentNullException.ThrowIfNull(masks);
        if (masks.Count != layers)
            throw new ArgumentException($"{where}: {masks.Count} masks given for {layers} coupling layers; need exactly one per layer.", nameof(masks));
        for (int l = 0; l < masks.Count; l++)
        {
            if (masks[l] is null) throw new ArgumentException($"{where}: mask of layer {l} is null.", nameof(masks));
            if (masks[l].Length != dimension)
                throw new ArgumentException($"{where}: mask of layer {l} has length {masks[l].Length}; expected N = {dimension}.", nameof(masks));
        }
    }
}
