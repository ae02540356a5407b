using Boltzmann.Flows;
using Boltzmann.Flows.Lattice;
using Boltzmann.Learning.Persistence;

namespace Boltzmann.Stages.Nis.Training;

/// <summary>What a trained NIS flow file stores next to its weights: the target, the architecture and how it was trained.</summary>
public sealed record NisFlowHeader(
    int L, int T, double Kappa, double Lambda, string Objective, NisFlowArchitecture Flow, ulong Seed,
    long Steps, double TrainingSeconds, double FinalLoss);

/// <summary>Saves and loads trained lattice flows with <see cref="ModuleCheckpoint"/> (checksummed, strict load).</summary>
public static class NisFlowCheckpoint
{
    public static void Save(string path, NisFlowHeader header, NormalizingFlow flow) => ModuleCheckpoint.Save(path, header, flow);

    public static NisFlowHeader ReadHeader(string path) => ModuleCheckpoint.ReadOptions<NisFlowHeader>(path);

    public static NormalizingFlow Load(string path, TorchSharp.torch.Device? device = null) =>
        ModuleCheckpoint.Load<NisFlowHeader, NormalizingFlow>(path, h => LatticeFlow.Create(h.Flow.Options(h.L, h.T, h.Seed, device), $"nis-flow-kappa-{h.Kappa}"));
}
