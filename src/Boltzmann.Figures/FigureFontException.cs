namespace Boltzmann.Figures;

/// <summary>
/// Thrown when no usable font exists for figure text. A picture whose labels silently vanish is
/// worse than no picture, so rendering stops with instructions instead.
/// </summary>
public sealed class FigureFontException : Exception
{
    public FigureFontException(string message) : base(message) { }
}
