using Boltzmann.Physics.CurieWeiss;
using Boltzmann.Autoregressive.Architectures;
using Boltzmann.Physics.Sk;
using Boltzmann.Random;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Tests;

/// <summary>
/// Every registered architecture, built for a test Hamiltonian: Curie-Weiss (J = 1.2, h = 0.15) for CW_N and CW_inf,
/// a random SK instance with random fields for the others (PixelCNN sees it as a 1 x N chain; its 2D lattices are
/// tested in PixelCnnTests), beta = 0.8. "Rough" parameters redraw every learned
/// parameter from N(0, 0.7^2) so the nonlinear layers matter (the paper's small initial values make them nearly linear).
/// </summary>
internal static class ArchitectureCases
{
    public const double Beta = 0.8;
    public const double CwJ = 1.2;
    public const double CwH = 0.15;

    public static readonly string[] Names = ["CW_N", "CW_inf", "1P", "1L", "MADE_11", "MADE_22", "MADE_31", "SK_RS", "SK_1RSB", "SK_2RSB",
                                            "PixelCNN_1_1_1", "PixelCNN_3_4_1", "PixelCNN_2_3_2"];

    public static IEnumerable<object[]> All => Names.Select(n => new object[] { n });

    public static SkInstance Hamiltonian(AutoregressiveArchitecture architecture, int n, ulong seed = 7)
    {
        if (architecture.RequiresCurieWeiss) return CurieWeissPairwise.Create(n, CwJ, CwH);
        var rng = RandomStreams.For(seed, "autoregressive-tests", n);
        var sk = SkInstance.Generate(n, ref rng);
        var fields = new double[n];
        for (int i = 0; i < n; i++) fields[i] = 0.3 * rng.NextGaussian();
        return new SkInstance(n, sk.Couplings.ToArray(), fields);
    }

    public static AutoregressiveModel Create(string name, int n, bool rough = true, ulong seed = 7, ScalarType dtype = ScalarType.Float64)
    {
        var architecture = AutoregressiveArchitecture.Parse(name);
        var model = architecture.Create(Hamiltonian(architecture, n, seed), Beta, CPU, new Generator(seed, CPU), dtype);
        if (rough) Roughen(model, 0.7, seed + 1);
        return model;
    }

    public static void Roughen(AutoregressiveModel model, double std, ulong seed)
    {
        var g = new Generator(seed, CPU);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var p in model.parameters())
            p.copy_(randn(p.shape, dtype: ScalarType.Float64, generator: g) * std);
    }

    public static double[] ToArray(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().cpu().contiguous().data<double>().ToArray();
    }
}
