using Boltzmann.Flows.Bijections;
using Boltzmann.Flows.Hierarchical;
using Boltzmann.Flows.Lattice;
using Boltzmann.Flows.Priors;
using Boltzmann.Learning.Symmetry;
using Boltzmann.Learning.Models;
using static TorchSharp.torch;

namespace Boltzmann.Flows.Tests;

/// <summary>A flow under test: the sampler, what owns its parameters, and what it supports.</summary>
public sealed class FlowInstance(IExactSampler sampler, IDisposable owner) : IDisposable
{
    public IExactSampler Sampler { get; } = sampler;

    public IBijection? Bijection => Sampler as IBijection;

    public ILayeredFlow? Layered => Sampler as ILayeredFlow;

    public void Dispose() => owner.Dispose();
}

/// <summary>One registered flow configuration of the contract suite, over events of <see cref="EventShape"/>.</summary>
public sealed record FlowCase(string Name, long[] EventShape, ScalarType Dtype, Func<FlowInstance> Create)
{
    /// <summary>Entries of one event (N for [N], L·T for [L, T]).</summary>
    public int Dimension => (int)EventShape.Aggregate(1L, (a, b) => a * b);

    /// <summary>[batch, ..EventShape].</summary>
    public long[] Shape(long batch) => [batch, .. EventShape];

    /// <summary>Round trip tolerance required of every flow: 1e-5 (float32), 1e-10 (float64).</summary>
    public double RoundTripTolerance => Dtype == ScalarType.Float64 ? 1e-10 : 1e-5;

    /// <summary>Agreement of two computations of the same log density (different op order).</summary>
    public double LogProbTolerance => Dtype == ScalarType.Float64 ? 1e-10 : 2e-4;

    /// <summary>Analytic log-det against ln|det J| of the autograd Jacobian.</summary>
    public double JacobianTolerance => Dtype == ScalarType.Float64 ? 1e-10 : 1e-4;

    public override string ToString() => Name;
}

/// <summary>
/// Every flow the contract suite runs over. A new flow registers with one line here: <see cref="Composed"/> for a
/// prior + layers composition over any event shape, or a <see cref="FlowCase"/> with its own factory. Each [Theory]
/// picks the cases that support what it checks (bijection, layers, ≤ 8 entries for the Jacobian, [N ≤ 2] for quadrature).
/// </summary>
public static class FlowRegistry
{
    /// <summary>Masks with both sets non-empty in every layer for N = 2, so the 2D quadrature sees a coupled, non-affine flow.</summary>
    private static readonly bool[][] Mixed2 = [[true, false], [false, true], [false, true], [true, false]];

    public static readonly IReadOnlyList<FlowCase> All =
    [
        RealNvpCase("realnvp-n1-L4-f64", 1, 4, 11, ScalarType.Float64),
        RealNvpCase("realnvp-n2-L4-f64", 2, 4, 12, ScalarType.Float64, Mixed2),
        RealNvpCase("realnvp-n2-L4-f32", 2, 4, 12, ScalarType.Float32, Mixed2),
        RealNvpCase("realnvp-n5-L3-f64", 5, 3, 13, ScalarType.Float64),
        RealNvpCase("realnvp-n8-L6-f64", 8, 6, 14, ScalarType.Float64),
        RealNvpCase("realnvp-n8-L4-f32", 8, 4, 15, ScalarType.Float32),
        RealNvpCase("realnvp-n64-L4-f64", 64, 4, 16, ScalarType.Float64),
        RealNvpCase("realnvp-n64-L4-f32", 64, 4, 16, ScalarType.Float32),
        new FlowCase("partial-2of4-realnvp-n2-f64", [2], ScalarType.Float64, () =>
        {
            var flow = NewRealNvp(2, 4, 17, ScalarType.Float64, Mixed2);
            return new FlowInstance(flow.PartialFlow(2), flow);
        }),
        new FlowCase("z2-realnvp-n2-L4-f64", [2], ScalarType.Float64, () =>
        {
            var flow = NewRealNvp(2, 4, 18, ScalarType.Float64, Mixed2);
            return new FlowInstance(new Z2Symmetrized(flow), flow);
        }),
        new FlowCase("z2-realnvp-n6-L4-f32", [6], ScalarType.Float32, () =>
        {
            var flow = NewRealNvp(6, 4, 19, ScalarType.Float32);
            return new FlowInstance(new Z2Symmetrized(flow), flow);
        }),
        // Compositions: a flow of flows (RealNvp as one layer) and shape-generic layers on lattice-like events.
        Composed("composed-realnvp-affine-n4-f64", [4], ScalarType.Float64, (shape, dtype, g) =>
            [("realnvp", NewRealNvp(4, 2, 21, dtype)), ("affine", new AffineConstant("affine", shape, dtype, init: g))]),
        Composed("composed-affine-2x3-f64", [2, 3], ScalarType.Float64, (shape, dtype, g) =>
            [("a0", new AffineConstant("a0", shape, dtype, init: g)), ("a1", new AffineConstant("a1", shape, dtype, init: g))]),
        Composed("composed-affine-2x2x3-f32", [2, 2, 3], ScalarType.Float32, (shape, dtype, g) =>
            [("a0", new AffineConstant("a0", shape, dtype, init: g))]),
        new FlowCase("z2-composed-affine-2x3-f64", [2, 3], ScalarType.Float64, () =>
        {
            var flow = Composed("inner", [2, 3], ScalarType.Float64, (shape, dtype, g) =>
                [("a0", new AffineConstant("a0", shape, dtype, init: g))]).Create();
            return new FlowInstance(new Z2Symmetrized(flow.Sampler), flow);
        }),
        // NeuralRG (Li & Wang 2018): MERA and TEBD-like structures of 2 x 2 real NVP blocks over L x L fields.
        NeuralRgCase("neuralrg-mera-L2-f64", 2, NeuralRgArchitecture.Mera, ScalarType.Float64),
        NeuralRgCase("neuralrg-mera-L4-f64", 4, NeuralRgArchitecture.Mera, ScalarType.Float64),
        NeuralRgCase("neuralrg-mera-L8-f64", 8, NeuralRgArchitecture.Mera, ScalarType.Float64),
        NeuralRgCase("neuralrg-mera-L4-f32", 4, NeuralRgArchitecture.Mera, ScalarType.Float32),
        NeuralRgCase("neuralrg-tebd-L4-f64", 4, NeuralRgArchitecture.Tebd, ScalarType.Float64),
        new FlowCase("z2-neuralrg-mera-L4-f64", [4, 4], ScalarType.Float64, () =>
        {
            var flow = NewNeuralRg(4, NeuralRgArchitecture.Mera, ScalarType.Float64);
            return new FlowInstance(new Z2Symmetrized(flow), flow);
        }),
        // Checkerboard conv couplings on a torus (Albergo et al. 2019), plain and Z2-equivariant, and q_sym of the plain one.
        LatticeCase("lattice-2x4-f64", 2, 4, z2: false, ScalarType.Float64),
        LatticeCase("lattice-z2-2x4-f64", 2, 4, z2: true, ScalarType.Float64),
        LatticeCase("lattice-2x4-f32", 2, 4, z2: false, ScalarType.Float32),
        LatticeCase("lattice-4x4-f64", 4, 4, z2: false, ScalarType.Float64),
        LatticeCase("lattice-z2-4x4-f64", 4, 4, z2: true, ScalarType.Float64),
        new FlowCase("z2sym-lattice-2x4-f64", [2, 4], ScalarType.Float64, () =>
        {
            var flow = NewLattice(2, 4, z2: false, ScalarType.Float64);
            return new FlowInstance(new Z2Symmetrized(flow), flow);
        }),
        // The learned per-momentum Gaussian layer alone (random log-scales), and first in a Z2-equivariant lattice flow.
        Composed("momentum-scaling-4x2-f64", [4, 2], ScalarType.Float64, (shape, dtype, g) => [("momentum", new MomentumScaling("momentum", shape, dtype, init: g))]),
        Composed("zero-mode-4x2-f64", [4, 2], ScalarType.Float64, (shape, dtype, g) => [("zero_mode", new ZeroModeMap("zero_mode", shape, dtype, g: 0.7, h: -0.3))]),
        Composed("momentum-lattice-z2-4x4-f64", [4, 4], ScalarType.Float64, (shape, dtype, g) =>
        [
            ("momentum", new MomentumScaling("momentum", shape, dtype, init: g)),
            ("zero_mode", new ZeroModeMap("zero_mode", shape, dtype, g: 0.5, h: 0.2)),
            .. Enumerable.Range(0, 2).Select(k => ($"coupling{k}", (IBijection)InitializedCoupling(new CheckerboardAffineCoupling(
                $"coupling{k}", shape, k % 2, z2Equivariant: true, hiddenLayers: 1, channels: 4, kernel: 3, outputScale: 1.0, dtype, CPU), g))),
        ]),
    ];

    /// <summary>A NeuralRG flow with non-trivial initial weights (scale 0.4, random shifts), so the contract bites.</summary>
    internal static NormalizingFlow NewNeuralRg(int l, NeuralRgArchitecture architecture, ScalarType dtype, int? depth = null) =>
        NeuralRgFlow.Create(new NeuralRgOptions
        {
            L = l, Architecture = architecture, Depth = depth, Couplings = 4, HiddenLayers = 1, HiddenWidth = 6,
            InitialScale = 0.4, ZeroShift = false, Seed = (ulong)(l * 31 + (int)architecture), Dtype = dtype,
        });

    private static FlowCase NeuralRgCase(string name, int l, NeuralRgArchitecture architecture, ScalarType dtype) =>
        new(name, [l, l], dtype, () =>
        {
            var flow = NewNeuralRg(l, architecture, dtype);
            return new FlowInstance(flow, flow);
        });

    /// <summary>
    /// A <see cref="NormalizingFlow"/> of a standard normal prior over <paramref name="eventShape"/> and the layers
    /// <paramref name="layers"/> builds (from the shape, dtype and a seeded CPU generator for their initial weights).
    /// </summary>
    public static FlowCase Composed(string name, long[] eventShape, ScalarType dtype,
                                    Func<long[], ScalarType, Generator, (string, IBijection)[]> layers) =>
        new(name, eventShape, dtype, () =>
        {
            using var g = new Generator((ulong)name.Length * 7919 + 13, CPU);
            var flow = new NormalizingFlow(name, new StandardNormalPrior(eventShape, dtype), layers(eventShape, dtype, g));
            return new FlowInstance(flow, flow);
        });

    public static FlowCase Get(string name) =>
        All.FirstOrDefault(c => c.Name == name) ?? throw new ArgumentException($"No registered flow named '{name}'.");

    public static IEnumerable<object[]> Names() => All.Select(c => new object[] { c.Name });

    public static IEnumerable<object[]> Bijections() => Where(c => c.Bijection is not null);

    public static IEnumerable<object[]> SmallBijections() => Where(c => c.Bijection is not null && c.Sampler.Dimension <= 8);

    public static IEnumerable<object[]> Layered() => Where(c => c.Layered is not null);

    public static IEnumerable<object[]> LowDimensional() => All.Where(c => c.EventShape.Length == 1 && c.Dimension <= 2).Select(c => new object[] { c.Name });

    internal static RealNvp NewRealNvp(int n, int layers, ulong seed, ScalarType dtype, bool[][]? masks = null) =>
        new(new RealNvpOptions { Dimension = n, Layers = layers, Seed = seed, Dtype = dtype }, masks);

    private static CheckerboardAffineCoupling InitializedCoupling(CheckerboardAffineCoupling coupling, Generator g)
    {
        coupling.Initialize(g);
        return coupling;
    }

    /// <summary>A 4-coupling lattice flow with full-scale initial weights (so every check sees a strongly non-linear flow).</summary>
    internal static NormalizingFlow NewLattice(int l, int t, bool z2, ScalarType dtype) =>
        LatticeFlow.Create(new LatticeFlowOptions { L = l, T = t, Couplings = 4, Channels = 4, OutputScale = 1.0, Z2Equivariant = z2, Seed = (ulong)(31 * l + t + (z2 ? 7 : 0)), Dtype = dtype });

    private static FlowCase LatticeCase(string name, int l, int t, bool z2, ScalarType dtype) =>
        new(name, [l, t], dtype, () =>
        {
            var flow = NewLattice(l, t, z2, dtype);
            return new FlowInstance(flow, flow);
        });

    private static FlowCase RealNvpCase(string name, int n, int layers, ulong seed, ScalarType dtype, bool[][]? masks = null) =>
        new(name, [n], dtype, () =>
        {
            var flow = NewRealNvp(n, layers, seed, dtype, masks);
            return new FlowInstance(flow, flow);
        });

    private static IEnumerable<object[]> Where(Func<FlowInstance, bool> predicate)
    {
        foreach (var c in All)
        {
            using var instance = c.Create();
            if (predicate(instance)) yield return [c.Name];
        }
    }
}
