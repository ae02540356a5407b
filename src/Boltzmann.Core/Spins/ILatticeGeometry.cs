namespace Boltzmann.Spins;

/// <summary>
/// Spins that sit on the sites of a Rows × Columns lattice, numbered in raster order i = r Columns + c (row r, column
/// c; the last index is contiguous, as in <c>Boltzmann.Physics.Lattice.Lattice2D</c>). A pairwise Hamiltonian that
/// also implements this interface lets convolutional autoregressive networks (the PixelCNN of Wu, Wang &amp; Zhang,
/// PRL 122, 080602 (2019)) see its geometry; without it they treat the spins as a 1 × N chain.
/// </summary>
public interface ILatticeGeometry
{
    /// <summary>Number of rows.</summary>
    int Rows { get; }

    /// <summary>Number of columns (sites per row).</summary>
    int Columns { get; }
}
