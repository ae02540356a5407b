namespace Boltzmann.Stages.Arnn.Ising;

/// <summary>Parameters of <see cref="IsingNisEvaluateStage"/>: the number of independent ancestral samples per network and β.</summary>
public sealed record IsingNisEvaluateParameters(int Samples);
