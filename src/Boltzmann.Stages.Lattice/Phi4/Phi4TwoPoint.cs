using Boltzmann.Data.Tables;
using Boltzmann.Physics.Lattice;

namespace Boltzmann.Stages.Lattice.Phi4;

/// <summary>
/// The connected two-point function of lattice phi^4 along the lattice axes, averaged over translations,
/// <code>  G(r e_mu) = &lt;(1/V) sum_x phi(x) phi(x + r e_mu)&gt; - &lt;m&gt;^2,   m = (1/V) sum_x phi(x),  </code>
/// for mu = 0 (x, r = 0..L-1) and mu = 1 (t, r = 0..T-1), per kappa. Convention: the subtracted disconnected part is
/// &lt;m&gt;^2 = &lt;phi&gt;^2. In a finite volume the Z2 symmetry phi -> -phi is not broken, so &lt;phi&gt; = 0 exactly and
/// &lt;m&gt;^2 only removes O(1/N) noise; at lambda = 0 G equals the free propagator
/// <c>FreeScalarField.Propagator</c>. The column <c>g_abs</c> subtracts &lt;|m|&gt;^2 instead, the finite-volume proxy
/// of the broken-phase &lt;phi&gt;^2 (the usual choice for kappa &gt; kappa_c; it is not a propagator of the symmetric
/// theory). Errors: blocked jackknife over <see cref="BlocksPerChain"/> contiguous blocks per independent chain
/// (blocks much longer than tau_int), with the subtraction inside the jackknife.
/// </summary>
public sealed class Phi4TwoPoint
{
    public const string Table = "observables/two_point";
    public const int BlocksPerChain = 16;

    private readonly Lattice2D _lattice;
    private readonly int _chains, _perChain, _values;
    private readonly double[,,,] _sums;   // [kappa, chain, block, value]: L + T products, m, |m|
    private readonly long[,,] _counts;    // [kappa, chain, block]
    private readonly long[,] _seen;       // [kappa, chain]
    private readonly double[] _gx, _gt;

    /// <param name="configurationsPerChain">Stored configurations expected per chain and kappa (sets the block length).</param>
    public Phi4TwoPoint(Lattice2D lattice, int kappas, int chains, long configurationsPerChain)
    {
        _lattice = lattice;
        _chains = chains;
        _perChain = (int)Math.Max(1, configurationsPerChain);
        _values = lattice.L + lattice.T + 2;
        _sums = new double[kappas, chains, BlocksPerChain, _values];
        _counts = new long[kappas, chains, BlocksPerChain];
        _seen = new long[kappas, chains];
        _gx = new double[lattice.L];
        _gt = new double[lattice.T];
    }

    /// <summary>Adds configuration <paramref name="phi"/> (the next one of chain <paramref name="chain"/> at kappa index <paramref name="k"/>).</summary>
    public void Add(int k, int chain, ReadOnlySpan<double> phi)
    {
        Phi4Observables.AxisTwoPoint(_lattice, phi, _gx, _gt);
        double m = Phi4Observables.Magnetisation(phi) / _lattice.Volume;
        int b = (int)Math.Min(BlocksPerChain - 1, _seen[k, chain]++ * BlocksPerChain / _perChain);
        int l = _lattice.L, t = _lattice.T;
        for (int r = 0; r < l; r++) _sums[k, chain, b, r] += _gx[r];
        for (int r = 0; r < t; r++) _sums[k, chain, b, l + r] += _gt[r];
        _sums[k, chain, b, l + t] += m;
        _sums[k, chain, b, l + t + 1] += Math.Abs(m);
        _counts[k, chain, b]++;
    }

    /// <summary>Rows kappa, mu, r, g, g_err, g_abs, g_abs_err, configurations.</summary>
    public void Write(TableBuilder table, IReadOnlyList<double> kappas)
    {
        int l = _lattice.L, t = _lattice.T;
        for (int k = 0; k < kappas.Count; k++)
        {
            // Block means of every value, laid end to end over chains; empty blocks (short chains) are skipped.
            var blocks = new List<double[]>();
            long configurations = 0;
            for (int c = 0; c < _chains; c++)
                for (int b = 0; b < BlocksPerChain; b++)
                {
                    long n = _counts[k, c, b];
                    if (n == 0) continue;
                    configurations += n;
                    var mean = new double[_values];
                    for (int j = 0; j < _values; j++) mean[j] = _sums[k, c, b, j] / n;
                    blocks.Add(mean);
                }
            if (blocks.Count < 2) continue;
            for (int mu = 0; mu < 2; mu++)
            {
                int extent = mu == 0 ? l : t;
                for (int r = 0; r < extent; r++)
                {
                    int j = mu == 0 ? r : l + r;
                    double[][] columns = [blocks.Select(x => x[j]).ToArray(), blocks.Select(x => x[l + t]).ToArray(), blocks.Select(x => x[l + t + 1]).ToArray()];
                    var g = Boltzmann.Statistics.Jackknife.Estimate(columns, x => x[0] - x[1] * x[1], blocks.Count);
                    var gAbs = Boltzmann.Statistics.Jackknife.Estimate(columns, x => x[0] - x[2] * x[2], blocks.Count);
                    table.Set("kappa", kappas[k]).Set("mu", mu).Set("r", r)
                         .Set("g", g.Mean).Set("g_err", g.StdError).Set("g_abs", gAbs.Mean).Set("g_abs_err", gAbs.StdError)
                         .Set("configurations", configurations).EndRow();
                }
            }
        }
    }
}
