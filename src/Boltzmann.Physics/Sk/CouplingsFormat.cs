namespace Boltzmann.Physics.Sk;

/// <summary>Text layouts understood by <see cref="CouplingsFile"/>.</summary>
public enum CouplingsFormat
{
    /// <summary>Decide from the content (see <see cref="CouplingsFile.DetectFormat"/>).</summary>
    Auto = 0,

    /// <summary>Full N x N symmetric matrix, one row per line, zero diagonal.</summary>
    Matrix = 1,

    /// <summary>One coupling per line as <c>i,j,J</c> with 0-based spin indices; optional non-numeric header line.</summary>
    Triplets = 2,
}
