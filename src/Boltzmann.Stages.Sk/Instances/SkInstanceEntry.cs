namespace Boltzmann.Stages.Sk.Instances;

/// <summary>One instance in an sk-instances output: index, size, couplings hash, origin, file.</summary>
public sealed record SkInstanceEntry(int Index, int N, string Hash, string Source, string File);
