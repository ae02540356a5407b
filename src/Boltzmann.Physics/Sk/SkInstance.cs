using Boltzmann.Physics.Actions;
using Boltzmann.Random;
using Boltzmann.Spins;

namespace Boltzmann.Physics.Sk;

/// <summary>
/// One Sherrington-Kirkpatrick disorder instance: H(s) = -sum_{i&lt;j} J_ij s_i s_j - sum_i h_i s_i,
/// J_ij ~ N(0, J^2/N) for i&lt;j, symmetric, zero diagonal (docs/conventions.md, "Spin models").
/// Couplings are stored as a dense row-major N x N matrix (both triangles), which is what the
/// local-field updates of the samplers read row by row.
/// </summary>
public sealed class SkInstance : ISpinHamiltonian, IPairwiseCouplings
{
    private readonly double[] _couplings;
    private readonly double[] _fields;

    /// <summary>
    /// The largest N this dense, int-indexed N x N layout can address (N * N must fit in an int and an array):
    /// 46340^2 &lt; 2^31 - 1 &lt; 46341^2. Inputs are checked against it so a larger N is a validation error, not an
    /// overflow at run time.
    /// </summary>
    public const int MaxN = 46_340;

    public int N { get; }

    /// <summary>Row-major N x N symmetric coupling matrix with zero diagonal.</summary>
    public ReadOnlySpan<double> Couplings => _couplings;

    /// <summary>External fields h_i (all zero unless given).</summary>
    public ReadOnlySpan<double> Fields => _fields;

    public double J(int i, int j) => _couplings[i * N + j];

    public ReadOnlySpan<double> Row(int i) => _couplings.AsSpan(i * N, N);

    public SkInstance(int n, double[] couplings, double[]? fields = null)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "N must be positive.");
        if (couplings.Length != n * n) throw new ArgumentException($"Coupling matrix must have N*N = {n * n} entries, got {couplings.Length}.", nameof(couplings));
        fields ??= new double[n];
        if (fields.Length != n) throw new ArgumentException($"Field vector must have N = {n} entries, got {fields.Length}.", nameof(fields));
        N = n;
        _couplings = couplings;
        _fields = fields;
    }

    /// <summary>Draws J_ij ~ N(0, J^2/N) for i&lt;j from the given stream; optional uniform field h_i = h.</summary>
    public static SkInstance Generate(int n, ref RandomStream rng, double j = 1.0, double h = 0.0)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "N must be positive.");
        var c = new double[n * n];
        double sd = j / Math.Sqrt(n);
        for (int a = 0; a < n; a++)
            for (int b = a + 1; b < n; b++)
            {
                double v = sd * rng.NextGaussian();
                c[a * n + b] = v;
                c[b * n + a] = v;
            }
        var f = new double[n];
        Array.Fill(f, h);
        return new SkInstance(n, c, f);
    }

    /// <summary>H(s) for spins s_i in {-1, +1}.</summary>
    public double Energy(ReadOnlySpan<sbyte> s)
    {
        if (s.Length != N) throw new ArgumentException($"Configuration has {s.Length} spins, instance has {N}.");
        double e = 0;
        for (int i = 0; i < N; i++)
        {
            var row = Row(i);
            double acc = 0;
            for (int k = i + 1; k < N; k++) acc += row[k] * s[k];
            e -= s[i] * (acc + _fields[i]);
        }
        return e;
    }

    /// <summary>H(s with s_i flipped) − H(s) = 2 s_i (Σ_j J_ij s_j + h_i), the Metropolis energy change of one flip.</summary>
    public double FlipEnergyChange(ReadOnlySpan<sbyte> s, int i)
    {
        if (s.Length != N) throw new ArgumentException($"Configuration has {s.Length} spins, instance has {N}.");
        if ((uint)i >= (uint)N) throw new ArgumentOutOfRangeException(nameof(i), i, $"Spin index must be in 0..{N - 1}.");
        var row = Row(i);
        double local = _fields[i];
        for (int k = 0; k < N; k++) local += row[k] * s[k];
        return 2.0 * s[i] * local;
    }

    /// <summary>A stable hash of the couplings and fields (SHA-256 of their IEEE bytes), recorded in dataset metadata.</summary>
    public string ContentHash()
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        sha.AppendData(BitConverter.GetBytes(N));
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_couplings.AsSpan()));
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_fields.AsSpan()));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
