namespace Boltzmann.Physics.Sk;

/// <summary>
/// The exact ground state of an instance from complete enumeration.
/// </summary>
/// <param name="Energy">Minimum of H over all 2^N configurations.</param>
/// <param name="Configuration">One minimising configuration (spins +-1); the one with the smallest
/// <see cref="SkExactEnumeration"/> index among those at the minimum energy found during enumeration.</param>
/// <param name="Degeneracy">Number of configurations with H &lt;= Energy + <see cref="SkExactEnumeration.DegeneracyTolerance"/>
/// (2 or more when all fields vanish, by the global spin-flip symmetry).</param>
public sealed record SkGroundState(double Energy, sbyte[] Configuration, long Degeneracy);
