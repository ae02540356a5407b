namespace Boltzmann.Stages.Sk.Pt;

/// <summary>
/// One row of an sk-pt dataset: the configuration held by ladder slot <see cref="Slot"/> of chain
/// <see cref="Chain"/> after <see cref="Sweep"/> sweeps. <see cref="Walker"/> is the replica that sits in the
/// slot at that moment (replica exchange moves walkers between slots, Hukushima &amp; Nemoto 1996);
/// <see cref="Energy"/> is the total H(s), <see cref="Magnetization"/> is sum(s)/N. The spins themselves
/// are written next to the row (see <see cref="PtDatasetSchema.Append"/>).
/// </summary>
public readonly record struct PtSample(
    int Instance,
    int Chain,
    int Slot,
    int Walker,
    double Beta,
    double Temperature,
    long Sweep,
    double Energy,
    double Magnetization);
