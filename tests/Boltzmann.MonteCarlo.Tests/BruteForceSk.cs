using Boltzmann.Physics.Sk;

namespace Boltzmann.MonteCarlo.Tests;

/// <summary>
/// Exact thermodynamics of a small SK instance by enumerating all 2^N configurations (N &lt;= 20),
/// written here independently of the sampler (and of any enumeration elsewhere in the repo).
/// Energies come from <see cref="SkInstance.Energy"/>, the reference definition of H.
/// </summary>
internal sealed class BruteForceSk
{
    private readonly int _n;
    private readonly double[] _energies;
    private readonly double _eMin;

    public BruteForceSk(SkInstance instance)
    {
        _n = instance.N;
        if (_n > 20) throw new ArgumentException($"Brute force is limited to N <= 20, got {_n}.");
        int count = 1 << _n;
        _energies = new double[count];
        var s = new sbyte[_n];
        for (int x = 0; x < count; x++)
        {
            Configuration(x, s);
            _energies[x] = instance.Energy(s);
        }
        _eMin = _energies.Min();
    }

    public IReadOnlyList<double> Energies => _energies;

    /// <summary>Configuration index x: bit i set means s_i = -1.</summary>
    public void Configuration(int x, Span<sbyte> s)
    {
        for (int i = 0; i < _n; i++) s[i] = ((x >> i) & 1) != 0 ? (sbyte)-1 : (sbyte)1;
    }

    /// <summary>Normalised Boltzmann weights at inverse temperature beta.</summary>
    public double[] Weights(double beta)
    {
        var w = new double[_energies.Length];
        double z = 0;
        for (int x = 0; x < w.Length; x++) z += w[x] = Math.Exp(-beta * (_energies[x] - _eMin));
        for (int x = 0; x < w.Length; x++) w[x] /= z;
        return w;
    }

    public double MeanEnergy(double beta)
    {
        var w = Weights(beta);
        double e = 0;
        for (int x = 0; x < w.Length; x++) e += w[x] * _energies[x];
        return e;
    }

    /// <summary>Specific heat per spin beta^2 (&lt;E^2&gt; - &lt;E&gt;^2) / N.</summary>
    public double SpecificHeat(double beta)
    {
        var w = Weights(beta);
        double e = MeanEnergy(beta), v = 0;
        for (int x = 0; x < w.Length; x++) v += w[x] * (_energies[x] - e) * (_energies[x] - e);
        return beta * beta * v / _n;
    }

    /// <summary>&lt;q^2&gt; = (1/N^2) sum_{ij} &lt;s_i s_j&gt;^2 between two independent replicas (diagonal included).</summary>
    public double MeanOverlapSquared(double beta)
    {
        var w = Weights(beta);
        var corr = new double[_n, _n];
        var s = new sbyte[_n];
        for (int x = 0; x < w.Length; x++)
        {
            Configuration(x, s);
            for (int i = 0; i < _n; i++)
                for (int j = i + 1; j < _n; j++) corr[i, j] += w[x] * s[i] * s[j];
        }
        double sum = _n; // diagonal: <s_i s_i>^2 = 1
        for (int i = 0; i < _n; i++)
            for (int j = i + 1; j < _n; j++) sum += 2 * corr[i, j] * corr[i, j];
        return sum / ((double)_n * _n);
    }

    /// <summary>
    /// Exact mean acceptance of an exchange between independent equilibrium configurations at beta1 and
    /// beta2: sum_{x,y} pi1(x) pi2(y) min(1, exp[(beta1 - beta2)(E(x) - E(y))]).
    /// </summary>
    public double SwapAcceptance(double beta1, double beta2)
    {
        var w1 = Weights(beta1);
        var w2 = Weights(beta2);
        double acc = 0;
        for (int x = 0; x < w1.Length; x++)
        {
            double inner = 0;
            for (int y = 0; y < w2.Length; y++)
                inner += w2[y] * Math.Min(1.0, Math.Exp((beta1 - beta2) * (_energies[x] - _energies[y])));
            acc += w1[x] * inner;
        }
        return acc;
    }
}
