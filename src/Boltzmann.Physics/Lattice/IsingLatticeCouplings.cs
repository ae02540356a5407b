using Boltzmann.Physics.Actions;
using Boltzmann.Spins;

namespace Boltzmann.Physics.Lattice;

/// <summary>
/// The nearest-neighbour Ising model on a periodic L × T lattice, H(s) = −J Σ_⟨ij⟩ s_i s_j (2LT bonds, no field;
/// docs/conventions.md, "2D Ising"), written as a general pairwise Hamiltonian H = −Σ_{i&lt;j} J_ij s_i s_j with J_ij =
/// J × (number of bonds joining i and j), so the autoregressive networks, their training and the
/// <c>PairwiseSpinTarget</c> take it like any SK instance, and convolutional networks see its geometry
/// (<see cref="ILatticeGeometry"/>: rows = L, columns = T, site i = x T + t as in <see cref="Lattice2D"/>). On an
/// extent-2 direction the forward and backward neighbour coincide and the pair carries two bonds (J_ij = 2J), which
/// keeps the bond count 2LT of Kaufman's formula (<c>Exact.IsingExact</c>, tested against enumeration). The dense
/// N × N matrix costs N² doubles (0.5 MB at L = 16); the plain-C# energy and flip change use the neighbour tables.
/// </summary>
public sealed class IsingLatticeCouplings : ISpinHamiltonian, IPairwiseCouplings, ILatticeGeometry
{
    private readonly double[] _couplings;
    private readonly double[] _fields;

    /// <summary>The Ising model on <paramref name="lattice"/> with coupling <paramref name="j"/> (J = 1 by default).</summary>
    public IsingLatticeCouplings(Lattice2D lattice, double j = 1.0)
    {
        ArgumentNullException.ThrowIfNull(lattice);
        if (!double.IsFinite(j)) throw new ArgumentOutOfRangeException(nameof(j), j, "Ising: the coupling J must be finite.");
        Lattice = lattice;
        Coupling = j;
        N = lattice.Volume;
        _couplings = new double[(long)N * N];
        _fields = new double[N];
        for (int mu = 0; mu < 2; mu++)
        {
            var forward = lattice.Forward(mu);
            for (int i = 0; i < N; i++)
            {
                _couplings[i * N + forward[i]] += j;
                _couplings[forward[i] * N + i] += j;
            }
        }
    }

    /// <summary>The L × L periodic lattice with J = 1.</summary>
    public static IsingLatticeCouplings Square(int l) => new(new Lattice2D(l, l));

    public Lattice2D Lattice { get; }

    /// <summary>The nearest-neighbour coupling J.</summary>
    public double Coupling { get; }

    public int N { get; }

    public int Rows => Lattice.L;

    public int Columns => Lattice.T;

    /// <summary>Number of bonds 2LT.</summary>
    public int Bonds => 2 * N;

    public ReadOnlySpan<double> Couplings => _couplings;

    /// <summary>All zero: the model has no field (so it is Z2 symmetric).</summary>
    public ReadOnlySpan<double> Fields => _fields;

    public double J(int i, int j) => _couplings[i * N + j];

    /// <summary>H(s) = −J Σ_i Σ_μ s_i s_{i+μ̂}.</summary>
    public double Energy(ReadOnlySpan<sbyte> s)
    {
        if (s.Length != N) throw new ArgumentException($"Configuration has {s.Length} spins, the {Lattice} lattice has {N}.");
        var f0 = Lattice.Forward(0);
        var f1 = Lattice.Forward(1);
        long bonds = 0;
        for (int i = 0; i < N; i++) bonds += s[i] * (s[f0[i]] + s[f1[i]]);
        return -Coupling * bonds;
    }

    /// <summary>H(s with s_i flipped) − H(s) = 2 J s_i Σ_{neighbours} s_j (4 neighbours, counted with multiplicity).</summary>
    public double FlipEnergyChange(ReadOnlySpan<sbyte> s, int i)
    {
        if (s.Length != N) throw new ArgumentException($"Configuration has {s.Length} spins, the {Lattice} lattice has {N}.");
        if ((uint)i >= (uint)N) throw new ArgumentOutOfRangeException(nameof(i), i, $"Spin index must be in 0..{N - 1}.");
        int local = s[Lattice.Forward(0)[i]] + s[Lattice.Backward(0)[i]] + s[Lattice.Forward(1)[i]] + s[Lattice.Backward(1)[i]];
        return 2.0 * Coupling * s[i] * local;
    }
}
