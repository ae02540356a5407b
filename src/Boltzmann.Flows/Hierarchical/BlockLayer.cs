using Boltzmann.Flows.Bijections;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Boltzmann.Flows.Hierarchical;

/// <summary>
/// One layer of NeuralRG bijectors on an L x L periodic field (Li &amp; Wang 2018, Fig. 2c): the same
/// <see cref="BlockRealNvp"/> (shared weights: translation invariance) acts on every 2 x 2 block
/// {(r, c), (r, c+d), (r+d, c), (r+d, c+d)} (mod L) of the sublattice with spacing d (the dilation of the scale) whose
/// origins are (o + 2 d a, o + 2 d b). Offset o = 0 is a decimator layer (its (0, 0) output is the coarse variable
/// passed to the next scale, the other three stay as latent variables), o = d a disentangler layer. Sites outside
/// the sublattice pass through unchanged. Events [L, L] (row-major site r L + c); all blocks of a batch are one
/// batched call of the block, and the layer's log-det is the sum of its blocks'.
/// </summary>
public sealed class BlockLayer : Module, IBijection
{
    private readonly BlockRealNvp _block;
    private readonly Tensor _gather;
    private readonly Tensor _rest;
    private readonly Tensor _scatter;

    public BlockLayer(string name, int l, int dilation, int offset, BlockRealNvp block)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (l < 2 || (l & (l - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(l), l, $"{name}: L must be a power of two >= 2.");
        if (dilation < 1 || l % (2 * dilation) != 0)
            throw new ArgumentOutOfRangeException(nameof(dilation), dilation, $"{name}: 2 x dilation must divide L = {l}.");
        if (offset < 0 || offset >= 2 * dilation || offset % dilation != 0)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"{name}: offset must be 0 or the dilation {dilation}.");
        L = l;
        Dilation = dilation;
        Offset = offset;
        _block = block;
        register_module("block", block);
        int n = l * l, perSide = l / (2 * dilation);
        Blocks = perSide * perSide;
        var gather = new List<long>(4 * Blocks);
        for (int a = 0; a < perSide; a++)
            for (int b = 0; b < perSide; b++)
            {
                int r = offset + 2 * dilation * a, c = offset + 2 * dilation * b;
                foreach (var (dr, dc) in new[] { (0, 0), (0, dilation), (dilation, 0), (dilation, dilation) })
                    gather.Add((r + dr) % l * l + (c + dc) % l);
            }
        var inBlock = new bool[n];
        foreach (long site in gather) inBlock[site] = true;
        var rest = Enumerable.Range(0, n).Where(i => !inBlock[i]).Select(i => (long)i).ToArray();
        var order = gather.Concat(rest).ToArray();
        var scatter = new long[n];
        for (int k = 0; k < n; k++) scatter[order[k]] = k;
        _gather = tensor(gather.ToArray());
        _rest = tensor(rest);
        _scatter = tensor(scatter);
    }

    public int L { get; }

    /// <summary>Spacing d of the sublattice this layer acts on (2^scale).</summary>
    public int Dilation { get; }

    /// <summary>0 (decimator) or d (disentangler).</summary>
    public int Offset { get; }

    /// <summary>Number of 2 x 2 blocks.</summary>
    public int Blocks { get; }

    /// <summary>The shared bijector.</summary>
    public BlockRealNvp Block => _block;

    public long[] EventShape => [L, L];

    public (Tensor X, Tensor LogDet) Forward(Tensor z) => Run(z, inverse: false);

    public (Tensor Z, Tensor LogDet) Inverse(Tensor x) => Run(x, inverse: true);

    private (Tensor, Tensor) Run(Tensor input, bool inverse)
    {
        if (input.dim() != 3 || input.shape[1] != L || input.shape[2] != L)
            throw new ArgumentException($"BlockLayer: input must be [batch, {L}, {L}]; got [{string.Join(", ", input.shape)}].", nameof(input));
        using var scope = NewDisposeScope();
        long batch = input.shape[0];
        var flat = input.reshape(batch, L * L);
        var blocks = flat.index_select(1, _gather).reshape(batch * Blocks, 4);
        var (mapped, blockLogDet) = inverse ? _block.Inverse(blocks) : _block.Forward(blocks);
        var parts = new List<Tensor> { mapped.reshape(batch, 4 * Blocks) };
        if (_rest.shape[0] > 0) parts.Add(flat.index_select(1, _rest));
        var output = cat(parts, 1).index_select(1, _scatter).reshape(batch, L, L);
        var logDet = blockLogDet.reshape(batch, Blocks).sum(1);
        return scope.MoveToOuter(output, logDet);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gather.Dispose();
            _rest.Dispose();
            _scatter.Dispose();
        }
        base.Dispose(disposing);
    }
}
