using Boltzmann.Learning.Numerics;
using Boltzmann.Flows.Bijections;
using Boltzmann.Flows.Coupling;
using Boltzmann.Flows.Numerics;
using Boltzmann.Learning.Models;
using Boltzmann.Random;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Boltzmann.Flows;

/// <summary>
/// Real NVP normalizing flow x = G(z) = g^(L) ∘ … ∘ g^(1)(z) with a unit Gaussian prior on R^N, as used by
/// Hartnett &amp; Mohseni 2020 for the continuous SK spin glass (Sec. 3, Appendix A, A.1): L affine coupling layers
/// (<see cref="AffineCoupling"/>), layer 2k on a random half of the coordinates and layer 2k+1 on its complement
/// (<see cref="CouplingMasks"/>), conditioners s and t from <see cref="ConditionerMlp"/>.
/// <para>Densities: ln q(x) = ln N(G⁻¹(x)) + ln|det ∂G⁻¹/∂x| (Eq. 10), with the log-det the sum over layers of
/// Eq. 26 (Eq. 28). Every intermediate layer z^(ℓ) is exposed with its own normalised density (Eqs. 11-14) for
/// the layer-wise analysis of Sec. 5, and any partial flow G^(ℓ) can be sampled.</para>
/// <para>Reproducibility: masks and initial weights derive from <see cref="RealNvpOptions.Seed"/> only; sampling
/// randomness comes only from the generator passed in (which must live on the flow's device). Autograd: when gradients are enabled, <see cref="Sample"/>
/// keeps the reparametrised graph (reverse-KL training, Eq. 17) and <see cref="LogProb"/> is differentiable in
/// the parameters (forward-KL training, Eq. 19); wrap evaluation in <c>no_grad()</c>.</para>
/// <para>Numerics: <see cref="RealNvpOptions.Dtype"/> switches float32/float64; with <see cref="RealNvpOptions.CheckNumerics"/>
/// every pass ends in one NaN/∞ and log-det-bound check (<see cref="NumericSentinel"/>, ~10% of a training step). Hot paths
/// avoid implicit TorchSharp Scalars (<see cref="ScalarArithmetic"/>), so memory stays flat over long runs.</para>
/// </summary>
public sealed class RealNvp : Module, IBijection, ILayeredFlow
{
    /// <summary>Stream name under which the initial weights are drawn from the flow seed.</summary>
    public const string WeightStreamName = "realnvp-weights";

    private readonly AffineCoupling[] _couplings;

    /// <summary>A flow with masks drawn from <see cref="RealNvpOptions.Seed"/> (Appendix A.1).</summary>
    public RealNvp(RealNvpOptions options) : this(options, null) { }

    /// <summary>
    /// A flow with explicit masks (true = coordinate acted upon in that layer), e.g. restored from a checkpoint;
    /// null draws them from the seed. Weights are always initialised from the seed.
    /// </summary>
    public RealNvp(RealNvpOptions options, IReadOnlyList<bool[]>? masks) : base(nameof(RealNvp))
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Device = options.Device ?? CPU;
        var m = masks ?? CouplingMasks.Draw(options.Dimension, options.Layers, options.Seed);
        CouplingMasks.Validate(m, options.Dimension, options.Layers, nameof(RealNvp));
        _couplings = new AffineCoupling[options.Layers];
        for (int l = 0; l < options.Layers; l++)
        {
            _couplings[l] = new AffineCoupling($"coupling{l}", (bool[])m[l].Clone(), options.HiddenLayers, options.Width,
                                               options.NegativeSlope, options.Dtype, Device);
            register_module($"coupling{l}", _couplings[l]);
        }
        using var generator = new Generator(RandomStreams.DeriveSeed(options.Seed, WeightStreamName), CPU);
        foreach (var c in _couplings) c.Initialize(generator);
    }

    public RealNvpOptions Options { get; }

    public int Dimension => Options.Dimension;

    public int LayerCount => _couplings.Length;

    public ScalarType Dtype => Options.Dtype;

    public Device Device { get; }

    /// <summary>The coupling layers g^(1..L) in forward order.</summary>
    public IReadOnlyList<AffineCoupling> Couplings => _couplings;

    /// <summary>The masks of all layers as read from the (possibly loaded) buffers.</summary>
    public IReadOnlyList<bool[]> Masks => _couplings.Select(c => c.Mask).ToArray();

    public (Tensor X, Tensor LogDet) Forward(Tensor z) => Propagate(z, LayerCount, inverse: false, "RealNvp.Forward", "z", null);

    public (Tensor Z, Tensor LogDet) Inverse(Tensor x) => Propagate(x, LayerCount, inverse: true, "RealNvp.Inverse", "x", null);

    /// <summary>z^(ℓ) = G^(ℓ)(z) through the first <paramref name="layers"/> couplings, with ln|det ∂G^(ℓ)/∂z|.</summary>
    public (Tensor X, Tensor LogDet) ForwardPartial(Tensor z, int layers)
        => Propagate(z, CheckLayer(layers, "RealNvp.ForwardPartial"), inverse: false, $"RealNvp.ForwardPartial(layers {layers})", "z", null);

    /// <summary>z = (G^(ℓ))⁻¹(z^(ℓ)) with ln|det ∂(G^(ℓ))⁻¹/∂z^(ℓ)|.</summary>
    public (Tensor Z, Tensor LogDet) InversePartial(Tensor state, int layers)
        => Propagate(state, CheckLayer(layers, "RealNvp.InversePartial"), inverse: true, $"RealNvp.InversePartial(layers {layers})", "state", null);

    public (Tensor Samples, Tensor LogProb) Sample(long batch, Generator? generator = null) => SamplePartial(batch, LayerCount, generator);

    /// <summary>Samples of the partial flow G^(ℓ) (Sec. 5: sample the prior, evolve only ℓ layers) with their log densities.</summary>
    public (Tensor Samples, Tensor LogProb) SamplePartial(long batch, int layers, Generator? generator = null)
    {
        FlowInput.RequireBatch(batch, "RealNvp.Sample");
        CheckLayer(layers, "RealNvp.SamplePartial");
        using var scope = NewDisposeScope();
        var z = randn([batch, Dimension], Dtype, Device, generator: generator);
        var (x, logDet) = Propagate(z, layers, inverse: false, "RealNvp.Sample", "z", null);
        var logProb = StandardNormal.LogDensity(z).sub(logDet);
        return scope.MoveToOuter(x, logProb);
    }

    public Tensor LogProb(Tensor samples) => LayerLogProb(LayerCount, samples, "RealNvp.LogProb");

    public Tensor LayerLogProb(int layer, Tensor state) => LayerLogProb(layer, state, $"RealNvp.LayerLogProb(layer {layer})");

    public FlowLayers SampleLayers(long batch, Generator? generator = null)
    {
        FlowInput.RequireBatch(batch, "RealNvp.SampleLayers");
        using var scope = NewDisposeScope();
        var z = randn([batch, Dimension], Dtype, Device, generator: generator);
        var layers = ForwardLayers(z);
        scope.MoveToOuter(layers.States);
        scope.MoveToOuter(layers.LogDensities);
        return layers;
    }

    public FlowLayers ForwardLayers(Tensor z)
    {
        var states = new List<Tensor>(LayerCount + 1);
        var cumulative = new List<Tensor>(LayerCount);
        using var scope = NewDisposeScope();
        var (x, _) = Propagate(z, LayerCount, inverse: false, "RealNvp.ForwardLayers", "z", (state, logDet) =>
        {
            states.Add(state);
            cumulative.Add(logDet);
        });
        var prior = StandardNormal.LogDensity(z);
        var logDensities = new List<Tensor>(LayerCount + 1) { prior };
        logDensities.AddRange(cumulative.Select(c => prior.sub(c)));
        states.Insert(0, z.alias());
        scope.MoveToOuter(states);
        scope.MoveToOuter(logDensities);
        return new FlowLayers(states, logDensities);
    }

    public IExactSampler PartialFlow(int layer) => new PartialFlow(this, CheckLayer(layer, "RealNvp.PartialFlow"));

    private Tensor LayerLogProb(int layer, Tensor state, string where)
    {
        CheckLayer(layer, where);
        using var scope = NewDisposeScope();
        var (z, logDet) = Propagate(state, layer, inverse: true, where, "state", null);
        return StandardNormal.LogDensity(z).Plus(logDet).MoveToOuterDisposeScope();
    }

    private int CheckLayer(int layer, string where)
    {
        if (layer < 0 || layer > LayerCount)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"{where}: layer {layer} does not exist; must be in 0..{LayerCount} (0 = prior, {LayerCount} = full flow).");
        return layer;
    }

    /// <summary>
    /// Runs the first <paramref name="layers"/> couplings forward (or those same couplings backwards), summing
    /// log-dets; <paramref name="observe"/> sees each output and the running log-det (kept alive for the caller).
    /// One numeric-sentinel synchronisation at the end when <see cref="RealNvpOptions.CheckNumerics"/> is on.
    /// </summary>
    private (Tensor Output, Tensor LogDet) Propagate(Tensor input, int layers, bool inverse, string where, string what,
                                                     Action<Tensor, Tensor>? observe)
    {
        FlowInput.Require(input, what, where, Dimension, Dtype, Device);
        using var scope = NewDisposeScope();
        var sentinel = Options.CheckNumerics ? new NumericSentinel(where) : null;
        sentinel?.Input(input, what);
        var kept = new List<Tensor>();
        var h = input.alias();
        var total = zeros([input.shape[0]], Dtype, Device);
        for (int k = 0; k < layers; k++)
        {
            int l = inverse ? layers - 1 - k : k;
            var coupling = _couplings[l];
            var (y, logDet) = inverse ? coupling.Inverse(h) : coupling.Forward(h);
            sentinel?.Layer(l, y, logDet, coupling.LogDetBound());
            total = total.Plus(logDet);
            h = y;
            if (observe is not null)
            {
                observe(y, total);
                kept.Add(y);
                kept.Add(total);
            }
        }
        sentinel?.ThrowIfFailed();
        kept.RemoveAll(t => ReferenceEquals(t, h) || ReferenceEquals(t, total));
        scope.MoveToOuter(kept);
        return scope.MoveToOuter(h, total);
    }
}
