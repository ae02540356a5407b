using Boltzmann.Learning.Sampling.L2hmc;
using TorchSharp;
using static TorchSharp.torch;

namespace Boltzmann.Stages.L2hmc.Training;

/// <summary>What rebuilds a saved deep-learning HMC sampler: lattice, architecture, dtype, and the beta it was trained at.</summary>
public sealed record L2hmcModelOptions(int L, int LeapfrogLayers, double StepSize, int Width, int HiddenLayers, string Dtype, double Beta)
{
    public ScalarType ScalarType => Dtype == "float32" ? ScalarType.Float32 : ScalarType.Float64;

    public L2hmcSampler Build(Device device)
    {
        var sampler = new L2hmcSampler("l2hmc", L, L, new L2hmcOptions(LeapfrogLayers, StepSize, Width, HiddenLayers));
        sampler.to(ScalarType);
        sampler.to(device);
        return sampler;
    }
}
