using System.Globalization;
using Boltzmann.Autoregressive.Models;
using Boltzmann.Spins;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Architectures;

/// <summary>
/// One architecture of Biazzo 2023 by its paper name: CW_N, CW_inf, 1P, 1L, MADE_dw (e.g. MADE_21), SK_RS, SK_kRSB
/// (e.g. SK_1RSB). Parses and prints the names, gives the closed-form parameter count and builds the model for a
/// pairwise Hamiltonian. Value equality: two descriptions of the same architecture are equal.
/// </summary>
public sealed record AutoregressiveArchitecture
{
    private AutoregressiveArchitecture(ArchitectureKind kind, int depth, int width, int k, int halfKernel = 0)
    {
        Kind = kind;
        Depth = depth;
        Width = width;
        K = k;
        HalfKernel = halfKernel;
    }

    public ArchitectureKind Kind { get; }

    /// <summary>MADE: number of hidden layers d; PixelCNN: number of masked convolutions d (0 otherwise).</summary>
    public int Depth { get; }

    /// <summary>MADE: width multiplier w; PixelCNN: hidden channels w (0 otherwise).</summary>
    public int Width { get; }

    /// <summary>SK_kRSB: replica-symmetry-breaking steps k (0 otherwise, including SK_RS).</summary>
    public int K { get; }

    /// <summary>PixelCNN: half kernel size k, kernels (2k+1) x (2k+1) (0 otherwise).</summary>
    public int HalfKernel { get; }

    public static AutoregressiveArchitecture CwN { get; } = new(ArchitectureKind.CwN, 0, 0, 0);
    public static AutoregressiveArchitecture CwInf { get; } = new(ArchitectureKind.CwInf, 0, 0, 0);
    public static AutoregressiveArchitecture OneParameter { get; } = new(ArchitectureKind.OneParameter, 0, 0, 0);
    public static AutoregressiveArchitecture OneLayer { get; } = new(ArchitectureKind.OneLayer, 0, 0, 0);
    public static AutoregressiveArchitecture SkRs { get; } = new(ArchitectureKind.SkRs, 0, 0, 0);

    /// <summary>MADE with d hidden layers of width w N.</summary>
    public static AutoregressiveArchitecture Made(int depth, int width)
    {
        if (depth < 1) throw new ArgumentOutOfRangeException(nameof(depth), depth, "MADE: d must be >= 1.");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "MADE: w must be >= 1.");
        return new(ArchitectureKind.Made, depth, width, 0);
    }

    /// <summary>PixelCNN with d masked convolutions of w channels and (2k+1) x (2k+1) kernels.</summary>
    public static AutoregressiveArchitecture PixelCnn(int depth, int width, int halfKernel)
    {
        if (depth < 1) throw new ArgumentOutOfRangeException(nameof(depth), depth, "PixelCNN: d must be >= 1.");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "PixelCNN: w must be >= 1.");
        if (halfKernel < 1) throw new ArgumentOutOfRangeException(nameof(halfKernel), halfKernel, "PixelCNN: k must be >= 1.");
        return new(ArchitectureKind.PixelCnn, depth, width, 0, halfKernel);
    }

    /// <summary>SK_kRSB with k &gt;= 1 replica-symmetry-breaking steps.</summary>
    public static AutoregressiveArchitecture SkKRsb(int k)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "SK_kRSB: k must be >= 1 (k = 0 is SK_RS).");
        return new(ArchitectureKind.SkKRsb, 0, 0, k);
    }

    /// <summary>The architectures of the paper's comparisons (Figs. 4-5): CW_N, CW_inf, 1P, 1L, MADE_21, MADE_22, SK_RS, SK_1RSB, SK_2RSB.</summary>
    public static IReadOnlyList<AutoregressiveArchitecture> Paper { get; } =
        [CwN, CwInf, OneParameter, OneLayer, Made(2, 1), Made(2, 2), SkRs, SkKRsb(1), SkKRsb(2)];

    /// <summary>The paper's name, e.g. "CW_N", "MADE_21", "SK_2RSB".</summary>
    public string Name => Kind switch
    {
        ArchitectureKind.CwN => "CW_N",
        ArchitectureKind.CwInf => "CW_inf",
        ArchitectureKind.OneParameter => "1P",
        ArchitectureKind.OneLayer => "1L",
        ArchitectureKind.Made => Models.Made.ArchitectureName(Depth, Width),
        ArchitectureKind.SkRs => "SK_RS",
        ArchitectureKind.SkKRsb => Models.SkKRsb.ArchitectureName(K),
        ArchitectureKind.PixelCnn => Models.PixelCnn.ArchitectureName(Depth, Width, HalfKernel),
        _ => throw new InvalidOperationException($"Unknown architecture kind {Kind}."),
    };

    /// <summary>CW_N and CW_inf exist only for the Curie-Weiss Hamiltonian.</summary>
    public bool RequiresCurieWeiss => Kind is ArchitectureKind.CwN or ArchitectureKind.CwInf;

    public override string ToString() => Name;

    /// <summary>
    /// Parses a paper name (case-insensitive): CW_N, CW_inf, 1P, 1L, MADE_dw with single digits (MADE_21) or
    /// MADE_d_w, SK_RS, SK_kRSB (SK_1RSB), PixelCNN_d_w_k (PixelCNN_3_16_2).
    /// </summary>
    public static AutoregressiveArchitecture Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string s = name.Trim().ToUpperInvariant();
        switch (s)
        {
            case "CW_N": return CwN;
            case "CW_INF": return CwInf;
            case "1P": return OneParameter;
            case "1L": return OneLayer;
            case "SK_RS": return SkRs;
        }
        if (s.StartsWith("MADE_", StringComparison.Ordinal))
        {
            string rest = s[5..];
            var parts = rest.Split('_');
            if (parts.Length == 1 && rest.Length == 2 && char.IsAsciiDigit(rest[0]) && char.IsAsciiDigit(rest[1])
                && rest[0] != '0' && rest[1] != '0')
                return Made(rest[0] - '0', rest[1] - '0');
            if (parts.Length == 2 && TryPositive(parts[0], out int d) && TryPositive(parts[1], out int w))
                return Made(d, w);
        }
        if (s.StartsWith("PIXELCNN_", StringComparison.Ordinal))
        {
            var parts = s[9..].Split('_');
            if (parts.Length == 3 && TryPositive(parts[0], out int d) && TryPositive(parts[1], out int w) && TryPositive(parts[2], out int hk))
                return PixelCnn(d, w, hk);
        }
        if (s.StartsWith("SK_", StringComparison.Ordinal) && s.EndsWith("RSB", StringComparison.Ordinal)
            && TryPositive(s[3..^3], out int k))
            return SkKRsb(k);
        throw new FormatException(
            $"Unknown autoregressive architecture \"{name}\"; allowed: CW_N, CW_inf, 1P, 1L, MADE_dw (e.g. MADE_21 or MADE_2_10), SK_RS, SK_kRSB (e.g. SK_1RSB), PixelCNN_d_w_k (e.g. PixelCNN_3_16_2: d convolutions, w channels, kernel 2k+1).");

        static bool TryPositive(string text, out int value) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1;
    }

    /// <summary>The closed-form parameter count (fixed plus learned) for N spins.</summary>
    public long ParameterCount(int n) => Kind switch
    {
        ArchitectureKind.CwN => Models.CwN.ParameterCountFormula(n),
        ArchitectureKind.CwInf => Models.CwInf.ParameterCountFormula(n),
        ArchitectureKind.OneParameter => Models.OneParameter.ParameterCountFormula(n),
        ArchitectureKind.OneLayer => Models.OneLayer.ParameterCountFormula(n),
        ArchitectureKind.Made => Models.Made.ParameterCountFormula(n, Depth, Width),
        ArchitectureKind.SkRs => SkReplicaNetwork.ParameterCountFormula(n, 0),
        ArchitectureKind.SkKRsb => SkReplicaNetwork.ParameterCountFormula(n, K),
        ArchitectureKind.PixelCnn => Models.PixelCnn.ParameterCountFormula(Depth, Width, HalfKernel),
        _ => throw new InvalidOperationException($"Unknown architecture kind {Kind}."),
    };

    /// <summary>
    /// Builds the model for the pairwise Hamiltonian H = -sum_{i&lt;j} J_ij x_i x_j - sum_i h_i x_i at inverse
    /// temperature beta. CW_N and CW_inf need a Curie-Weiss instance (J_ij = J/N, h_i = h, see <see cref="CurieWeissCouplings"/>); the
    /// baselines use only N from it; PixelCNN takes the lattice shape from <see cref="ILatticeGeometry"/> when the
    /// Hamiltonian implements it (a 1 x N chain otherwise). <paramref name="init"/> is the CPU generator for learned parameters.
    /// </summary>
    /// <param name="dtype">Floating dtype of the model (<see cref="AutoregressiveModel.DType"/>): Float64 (default) or Float32.</param>
    public AutoregressiveModel Create(IPairwiseCouplings hamiltonian, double beta, Device? device = null, Generator? init = null,
                                      ScalarType dtype = ScalarType.Float64)
    {
        ArgumentNullException.ThrowIfNull(hamiltonian);
        int n = hamiltonian.N;
        double j = 0, h = 0;
        if (RequiresCurieWeiss && !CurieWeissCouplings.TryExtract(hamiltonian, out j, out h))
            throw new ArgumentException(
                $"{Name} is defined only for the Curie-Weiss model (all couplings J/N, all fields h); the given Hamiltonian is not of that form.",
                nameof(hamiltonian));
        return Kind switch
        {
            ArchitectureKind.CwN => new Models.CwN(n, beta, j, h, device, dtype),
            ArchitectureKind.CwInf => new Models.CwInf(n, beta, j, h, device, init, dtype),
            ArchitectureKind.OneParameter => new Models.OneParameter(n, device, init, dtype),
            ArchitectureKind.OneLayer => new Models.OneLayer(n, device, init, dtype),
            ArchitectureKind.Made => new Models.Made(n, Depth, Width, device, init, dtype),
            ArchitectureKind.SkRs => new Models.SkRs(hamiltonian, beta, device, init, dtype: dtype),
            ArchitectureKind.SkKRsb => new Models.SkKRsb(hamiltonian, beta, K, device, init, dtype: dtype),
            ArchitectureKind.PixelCnn => hamiltonian is ILatticeGeometry g
                ? new Models.PixelCnn(g.Rows, g.Columns, Depth, Width, HalfKernel, device, init, dtype)
                : new Models.PixelCnn(1, n, Depth, Width, HalfKernel, device, init, dtype),
            _ => throw new InvalidOperationException($"Unknown architecture kind {Kind}."),
        };
    }
}
