using Boltzmann.Flows.Bijections;
using Boltzmann.Flows.Numerics;
using Boltzmann.Flows.Priors;
using Boltzmann.Learning.Models;
using Boltzmann.Learning.Numerics;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Boltzmann.Flows;

/// <summary>
/// A normalizing flow x = G(z) = g^(L) ∘ … ∘ g^(1)(z), z ~ q0: a prior (<see cref="IPrior"/>) and a sequence of
/// bijections (<see cref="IBijection"/>) over one event shape (Papamakarios et al. 2021, Sec. 2; the composition of
/// normflows' NormalizingFlow(q0, flows)). Densities by change of variables, ln q(x) = ln q0(G⁻¹(x)) + ln|det ∂G⁻¹/∂x|
/// (Hartnett &amp; Mohseni 2020, Eq. 10) with the log-det the sum over layers (their Eq. 28). Every intermediate
/// layer z^(ℓ) is exposed with its own normalised density (their Eqs. 11-14) and any partial flow G^(ℓ) is a sampler.
/// <para>Layers that are modules are registered under the given names, so their parameters and buffers are the
/// flow's state dict (and <c>ModuleCheckpoint</c> saves any flow without flow-specific code). Autograd: with
/// gradients enabled, <see cref="Sample"/> keeps the reparametrised graph (reverse KL, their Eq. 17) and
/// <see cref="LogProb"/> is differentiable in the parameters (forward KL, Eq. 19).</para>
/// <para>Numerics: with <c>checkNumerics</c> every pass ends in one NaN/∞ and log-det-bound check
/// (<see cref="NumericSentinel"/>, one host synchronisation per pass); no implicit Scalars (<see cref="ScalarArithmetic"/>).</para>
/// </summary>
public class NormalizingFlow : Module, IBijection, ILayeredFlow
{
    private readonly IBijection[] _layers;
    private readonly long[] _eventShape;
    private readonly string _name;

    /// <summary>A flow named <paramref name="name"/> (prefix of error messages) from its prior and named layers.</summary>
    public NormalizingFlow(string name, IPrior prior, IReadOnlyList<(string Name, IBijection Layer)> layers, bool checkNumerics = true)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(prior);
        ArgumentNullException.ThrowIfNull(layers);
        _name = name;
        Prior = prior;
        CheckNumerics = checkNumerics;
        _eventShape = prior.EventShape;
        _layers = new IBijection[layers.Count];
        for (int l = 0; l < layers.Count; l++)
        {
            var (layerName, layer) = layers[l];
            ArgumentNullException.ThrowIfNull(layer, $"layers[{l}]");
            if (!layer.EventShape.AsSpan().SequenceEqual(_eventShape))
                throw new ArgumentException(
                    $"{name}: layer {l} ('{layerName}') acts on events [{string.Join(", ", layer.EventShape)}], the prior on [{string.Join(", ", _eventShape)}].", nameof(layers));
            _layers[l] = layer;
            if (layer is Module module) register_module(layerName, module);
        }
    }

    /// <summary>The base distribution q0 (layer 0).</summary>
    public IPrior Prior { get; }

    /// <summary>The bijections g^(1..L) in forward order.</summary>
    public IReadOnlyList<IBijection> Layers => _layers;

    /// <summary>Whether every pass runs the NaN/∞ and log-det-bound sentinel.</summary>
    public bool CheckNumerics { get; }

    public long[] EventShape => (long[])_eventShape.Clone();

    /// <summary>Number of entries of one event (N for [N], L·T for [L, T]).</summary>
    public int Dimension => checked((int)_eventShape.Aggregate(1L, (a, b) => a * b));

    public int LayerCount => _layers.Length;

    public ScalarType Dtype => Prior.Dtype;

    public Device Device => Prior.Device;

    public (Tensor X, Tensor LogDet) Forward(Tensor z) => Propagate(z, LayerCount, inverse: false, $"{_name}.Forward", "z", null);

    public (Tensor Z, Tensor LogDet) Inverse(Tensor x) => Propagate(x, LayerCount, inverse: true, $"{_name}.Inverse", "x", null);

    /// <summary>z^(ℓ) = G^(ℓ)(z) through the first <paramref name="layers"/> layers, with ln|det ∂G^(ℓ)/∂z|.</summary>
    public (Tensor X, Tensor LogDet) ForwardPartial(Tensor z, int layers)
        => Propagate(z, CheckLayer(layers, $"{_name}.ForwardPartial"), inverse: false, $"{_name}.ForwardPartial(layers {layers})", "z", null);

    /// <summary>z = (G^(ℓ))⁻¹(z^(ℓ)) with ln|det ∂(G^(ℓ))⁻¹/∂z^(ℓ)|.</summary>
    public (Tensor Z, Tensor LogDet) InversePartial(Tensor state, int layers)
        => Propagate(state, CheckLayer(layers, $"{_name}.InversePartial"), inverse: true, $"{_name}.InversePartial(layers {layers})", "state", null);

    public (Tensor Samples, Tensor LogProb) Sample(long batch, Generator? generator = null) => SamplePartial(batch, LayerCount, generator);

    /// <summary>Samples of the partial flow G^(ℓ) (sample the prior, evolve only ℓ layers) with their log densities.</summary>
    public (Tensor Samples, Tensor LogProb) SamplePartial(long batch, int layers, Generator? generator = null)
    {
        FlowInput.RequireBatch(batch, $"{_name}.Sample");
        CheckLayer(layers, $"{_name}.SamplePartial");
        using var scope = NewDisposeScope();
        var z = Prior.Sample(batch, generator);
        var (x, logDet) = Propagate(z, layers, inverse: false, $"{_name}.Sample", "z", null);
        var logProb = Prior.LogProb(z).sub(logDet);
        return scope.MoveToOuter(x, logProb);
    }

    public Tensor LogProb(Tensor samples) => LayerLogProb(LayerCount, samples, $"{_name}.LogProb");

    public Tensor LayerLogProb(int layer, Tensor state) => LayerLogProb(layer, state, $"{_name}.LayerLogProb(layer {layer})");

    public FlowLayers SampleLayers(long batch, Generator? generator = null)
    {
        FlowInput.RequireBatch(batch, $"{_name}.SampleLayers");
        using var scope = NewDisposeScope();
        var z = Prior.Sample(batch, generator);
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
        Propagate(z, LayerCount, inverse: false, $"{_name}.ForwardLayers", "z", (state, logDet) =>
        {
            states.Add(state);
            cumulative.Add(logDet);
        });
        var prior = Prior.LogProb(z);
        var logDensities = new List<Tensor>(LayerCount + 1) { prior };
        logDensities.AddRange(cumulative.Select(c => prior.sub(c)));
        states.Insert(0, z.alias());
        scope.MoveToOuter(states);
        scope.MoveToOuter(logDensities);
        return new FlowLayers(states, logDensities);
    }

    public IExactSampler PartialFlow(int layer) => new PartialFlow(this, CheckLayer(layer, $"{_name}.PartialFlow"));

    private Tensor LayerLogProb(int layer, Tensor state, string where)
    {
        CheckLayer(layer, where);
        using var scope = NewDisposeScope();
        var (z, logDet) = Propagate(state, layer, inverse: true, where, "state", null);
        return Prior.LogProb(z).Plus(logDet).MoveToOuterDisposeScope();
    }

    private int CheckLayer(int layer, string where)
    {
        if (layer < 0 || layer > LayerCount)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"{where}: layer {layer} does not exist; must be in 0..{LayerCount} (0 = prior, {LayerCount} = full flow).");
        return layer;
    }

    /// <summary>
    /// Runs the first <paramref name="layers"/> layers forward (or those same layers backwards), summing log-dets;
    /// <paramref name="observe"/> sees each output and the running log-det (kept alive for the caller). One
    /// numeric-sentinel synchronisation at the end when <see cref="CheckNumerics"/> is on.
    /// </summary>
    private (Tensor Output, Tensor LogDet) Propagate(Tensor input, int layers, bool inverse, string where, string what,
                                                     Action<Tensor, Tensor>? observe)
    {
        FlowInput.Require(input, what, where, _eventShape, Dtype, Device);
        using var scope = NewDisposeScope();
        var sentinel = CheckNumerics ? new NumericSentinel(where) : null;
        sentinel?.Input(input, what);
        var kept = new List<Tensor>();
        var h = input.alias();
        var total = zeros([input.shape[0]], Dtype, Device);
        for (int k = 0; k < layers; k++)
        {
            int l = inverse ? layers - 1 - k : k;
            var layer = _layers[l];
            var (y, logDet) = inverse ? layer.Inverse(h) : layer.Forward(h);
            sentinel?.Layer(l, y, logDet, layer.LogDetBound());
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
