using Boltzmann.Statistics;

namespace Boltzmann.Physics.SpinGlass;

/// <summary>Mean and variance of the total energy at one inverse temperature, each with its error (e.g. from parallel tempering).</summary>
public readonly record struct EnergyMoments(double Beta, Estimate Energy, Estimate Variance);
