namespace Boltzmann.Physics.Lattice;

/// <summary>
/// Mean plaquette &lt;cos x_P&gt; of one configuration, its integer charge Q_Z (rounded; the raw sum
/// <paramref name="QZRaw"/> differs from an integer only by rounding error), and Q_R.
/// </summary>
public readonly record struct U1PlaquetteSummary(double MeanCos, double QZ, double QZRaw, double QR);
