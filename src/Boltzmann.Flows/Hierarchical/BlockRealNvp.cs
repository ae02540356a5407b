using Boltzmann.Flows.Bijections;
using Boltzmann.Learning.Numerics;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Boltzmann.Flows.Hierarchical;

/// <summary>
/// One NeuralRG bijector on the four variables of a 2 x 2 block (Li &amp; Wang 2018, arXiv:1802.02840, Fig. 2d and
/// supplement eq. S1): a real NVP whose couplings update the two halves alternately,
/// <code>
///   x_&lt; = z_&lt;,   x_&gt; = z_&gt; ⊙ exp(s(z_&lt;)) + t(z_&lt;),   ln|det ∂x/∂z| = Σ_i s_i(z_&lt;),
/// </code>
/// with s = scale ⊙ tanh(MLP_s) (a learnable scale per output, started at <see cref="NeuralRgOptions.InitialScale"/>,
/// 0 in the paper's code) and t = MLP_t linear; both MLPs use ELU hidden activations (<see cref="EluMlp"/>).
/// The halves are the two diagonals of the block, {(0,0), (1,1)} and {(0,1), (1,0)}, entries ordered
/// [x00, x01, x10, x11]; coupling j updates the first diagonal for even j and the second for odd j (the supplement
/// updates each half four times: 8 couplings). Events are [4]; a layer of blocks batches all blocks of a lattice
/// as rows (<see cref="BlockLayer"/>).
/// </summary>
public sealed class BlockRealNvp : Module, IBijection
{
    private readonly EluMlp[] _s;
    private readonly EluMlp[] _t;
    private readonly Parameter[] _scale;
    private readonly Tensor _toHalves;
    private readonly Tensor _fromHalves;

    public BlockRealNvp(string name, int couplings, int hiddenLayers, int width, ScalarType dtype, Device device)
        : base(name)
    {
        if (couplings < 1) throw new ArgumentOutOfRangeException(nameof(couplings), couplings, $"{name}: a block needs at least one coupling.");
        Couplings = couplings;
        _s = new EluMlp[couplings];
        _t = new EluMlp[couplings];
        _scale = new Parameter[couplings];
        for (int j = 0; j < couplings; j++)
        {
            _s[j] = new EluMlp($"s{j}", 2, 2, hiddenLayers, width, dtype, device);
            _t[j] = new EluMlp($"t{j}", 2, 2, hiddenLayers, width, dtype, device);
            _scale[j] = new Parameter(zeros(2, dtype: dtype, device: device));
            register_module($"s{j}", _s[j]);
            register_module($"t{j}", _t[j]);
            register_parameter($"scale{j}", _scale[j]);
        }
        // [x00, x01, x10, x11] -> [x00, x11 | x01, x10] and back.
        _toHalves = tensor(new long[] { 0, 3, 1, 2 }, device: device);
        _fromHalves = tensor(new long[] { 0, 2, 3, 1 }, device: device);
    }

    /// <summary>Number of couplings (half updates).</summary>
    public int Couplings { get; }

    public long[] EventShape => [4];

    /// <summary>
    /// Initialises every MLP from <paramref name="generator"/> (s0, t0, s1, t1, ...) and sets each scale to
    /// <paramref name="initialScale"/>; with <paramref name="zeroShift"/> the last layer of every t starts at zero,
    /// so with initialScale = 0 the block starts as the identity.
    /// </summary>
    public void Initialize(Generator generator, double initialScale, bool zeroShift)
    {
        for (int j = 0; j < Couplings; j++)
        {
            _s[j].Initialize(generator, zeroLast: false);
            _t[j].Initialize(generator, zeroLast: zeroShift);
            using var _ = no_grad();
            using var fill = full(2, initialScale, dtype: _scale[j].dtype, device: _scale[j].device);
            _scale[j].copy_(fill);
        }
    }

    public (Tensor X, Tensor LogDet) Forward(Tensor z) => Run(z, inverse: false);

    public (Tensor Z, Tensor LogDet) Inverse(Tensor x) => Run(x, inverse: true);

    private (Tensor, Tensor) Run(Tensor input, bool inverse)
    {
        if (input.dim() != 2 || input.shape[1] != 4)
            throw new ArgumentException($"BlockRealNvp: input must be [rows, 4]; got [{string.Join(", ", input.shape)}].", nameof(input));
        using var scope = NewDisposeScope();
        var halves = input.index_select(1, _toHalves);
        var first = halves.narrow(1, 0, 2);
        var second = halves.narrow(1, 2, 2);
        var logDet = zeros(input.shape[0], dtype: input.dtype, device: input.device);
        for (int k = 0; k < Couplings; k++)
        {
            int j = inverse ? Couplings - 1 - k : k;
            bool updateFirst = j % 2 == 0;
            var condition = updateFirst ? second : first;
            var updated = updateFirst ? first : second;
            var s = _s[j].call(condition).tanh().mul(_scale[j]);
            var t = _t[j].call(condition);
            Tensor result;
            if (inverse)
            {
                result = updated.sub(t).mul(s.neg().exp());
                logDet = logDet.sub(s.sum(1));
            }
            else
            {
                result = updated.mul(s.exp()).Plus(t);
                logDet = logDet.Plus(s.sum(1));
            }
            if (updateFirst) first = result; else second = result;
        }
        var output = cat([first, second], 1).index_select(1, _fromHalves);
        return scope.MoveToOuter(output, logDet);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _toHalves.Dispose();
            _fromHalves.Dispose();
        }
        base.Dispose(disposing);
    }
}
