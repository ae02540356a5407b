namespace Boltzmann.Stages.Arnn.Ising;

/// <summary>Parameters of <see cref="IsingNisFiguresStage"/>: points of the exact Kaufman curves drawn under the estimates.</summary>
public sealed record IsingNisFiguresParameters(int ExactPoints);
