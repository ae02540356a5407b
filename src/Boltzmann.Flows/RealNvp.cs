using Boltzmann.Flows.Bijections;
using Boltzmann.Flows.Coupling;
using Boltzmann.Flows.Priors;
using Boltzmann.Random;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Boltzmann.Flows;

/// <summary>
/// Real NVP normalizing flow x = G(z) = g^(L) ∘ … ∘ g^(1)(z) with a unit Gaussian prior on R^N, as used by
/// Hartnett &amp; Mohseni 2020 for the continuous SK spin glass (Sec. 3, Appendix A, A.1): L affine coupling layers
/// (<see cref="AffineCoupling"/>), layer 2k on a random half of the coordinates and layer 2k+1 on its complement
/// (<see cref="CouplingMasks"/>), conditioners s and t from <see cref="ConditionerMlp"/>. It is a
/// <see cref="NormalizingFlow"/> of a <see cref="StandardNormalPrior"/> over [N] and the couplings (registered as
/// coupling0..coupling{L−1}), so densities, layers and partial flows are those of the composition.
/// <para>Reproducibility: masks and initial weights derive from <see cref="RealNvpOptions.Seed"/> only; sampling
/// randomness comes only from the generator passed in (which must live on the flow's device).</para>
/// </summary>
public sealed class RealNvp : NormalizingFlow
{
    /// <summary>Stream name under which the initial weights are drawn from the flow seed.</summary>
    public const string WeightStreamName = "realnvp-weights";

    private readonly AffineCoupling[] _couplings;

    /// <summary>A flow with masks drawn from <see cref="RealNvpOptions.Seed"/> (Appendix A.1).</summary>
    public RealNvp(RealNvpOptions options) : this(options, (IReadOnlyList<bool[]>?)null) { }

    /// <summary>
    /// A flow with explicit masks (true = coordinate acted upon in that layer), e.g. restored from a checkpoint;
    /// null draws them from the seed. Weights are always initialised from the seed.
    /// </summary>
    public RealNvp(RealNvpOptions options, IReadOnlyList<bool[]>? masks) : this(Validated(options), BuildCouplings(options, masks)) { }

    private RealNvp(RealNvpOptions options, AffineCoupling[] couplings)
        : base(nameof(RealNvp), new StandardNormalPrior([options.Dimension], options.Dtype, options.Device ?? CPU),
               couplings.Select((c, l) => ($"coupling{l}", (IBijection)c)).ToArray(), options.CheckNumerics)
    {
        Options = options;
        _couplings = couplings;
        using var generator = new Generator(RandomStreams.DeriveSeed(options.Seed, WeightStreamName), CPU);
        foreach (var c in _couplings) c.Initialize(generator);
    }

    public RealNvpOptions Options { get; }

    /// <summary>The coupling layers g^(1..L) in forward order.</summary>
    public IReadOnlyList<AffineCoupling> Couplings => _couplings;

    /// <summary>The masks of all layers as read from the (possibly loaded) buffers.</summary>
    public IReadOnlyList<bool[]> Masks => _couplings.Select(c => c.Mask).ToArray();

    /// <summary>Loads a state and refuses one whose masks differ from this flow's (<see cref="AffineCoupling.CheckMask"/>).</summary>
    public override Module load(BinaryReader reader, bool strict = true, IList<string>? skip = null, Dictionary<string, bool>? loadedParameters = null)
    {
        var module = base.load(reader, strict, skip, loadedParameters);
        CheckMasks($"{nameof(RealNvp)}.load");
        return module;
    }

    /// <summary>Loads a state dict and refuses one whose masks differ from this flow's (<see cref="AffineCoupling.CheckMask"/>).</summary>
    public override (IList<string> missing_keys, IList<string> unexpected_keyes) load_state_dict(Dictionary<string, Tensor> source, bool strict = true, IList<string>? skip = null)
    {
        var result = base.load_state_dict(source, strict, skip);
        CheckMasks($"{nameof(RealNvp)}.load_state_dict");
        return result;
    }

    private void CheckMasks(string where)
    {
        foreach (var c in _couplings) c.CheckMask(where);
    }

    private static RealNvpOptions Validated(RealNvpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    /// <summary>The couplings of validated <paramref name="options"/> (arguments run left to right, so <see cref="Validated"/> came first).</summary>
    private static AffineCoupling[] BuildCouplings(RealNvpOptions options, IReadOnlyList<bool[]>? masks)
    {
        var device = options.Device ?? CPU;
        var m = masks ?? CouplingMasks.Draw(options.Dimension, options.Layers, options.Seed);
        CouplingMasks.Validate(m, options.Dimension, options.Layers, nameof(RealNvp));
        var couplings = new AffineCoupling[options.Layers];
        for (int l = 0; l < options.Layers; l++)
            couplings[l] = new AffineCoupling($"coupling{l}", (bool[])m[l].Clone(), options.HiddenLayers, options.Width,
                                              options.NegativeSlope, options.Dtype, device);
        return couplings;
    }
}
