using Boltzmann.Flows.Lattice;
using Boltzmann.Pipelines.Config;
using static TorchSharp.torch;

namespace Boltzmann.Stages.Nis.Training;

/// <summary>
/// The lattice flow of a NIS stage (<see cref="LatticeFlow"/>): couplings, conv depth, channels, kernel, whether the
/// couplings are Z2-equivariant, whether a learned per-momentum Gaussian layer (<see cref="Boltzmann.Flows.Lattice.MomentumScaling"/>) comes first and an odd zero-mode map (<see cref="Boltzmann.Flows.Lattice.ZeroModeMap"/>) after it, and the dtype (float32 trains faster; log-weights stay accurate to ~1e-5 per site).
/// </summary>
public sealed record NisFlowArchitecture(int Couplings, int HiddenLayers, int Channels, int Kernel, bool Z2Equivariant, string Dtype, bool MomentumScaling = false, bool ZeroMode = false)
{
    public static NisFlowArchitecture Read(ParameterReader r) => new(
        r.Int("couplings", 16, min: 1, max: 256),
        r.Int("hidden_layers", 2, min: 0, max: 16),
        r.Int("channels", 8, min: 1, max: 512),
        r.Int("kernel", 3, min: 1, max: 15),
        r.Bool("z2_equivariant", false),
        r.String("dtype", "float32", ["float32", "float64"]),
        r.Bool("momentum_scaling", false),
        r.Bool("zero_mode", false));

    public ScalarType ScalarType => Dtype == "float64" ? ScalarType.Float64 : ScalarType.Float32;

    public LatticeFlowOptions Options(int l, int t, ulong seed, Device? device = null) => new()
    {
        L = l, T = t, Couplings = Couplings, HiddenLayers = HiddenLayers, Channels = Channels, Kernel = Kernel,
        Z2Equivariant = Z2Equivariant, MomentumScaling = MomentumScaling, ZeroMode = ZeroMode, Seed = seed, Dtype = ScalarType, Device = device,
    };
}
