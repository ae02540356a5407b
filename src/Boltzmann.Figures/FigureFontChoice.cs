namespace Boltzmann.Figures;

/// <summary>
/// The font family figure text is drawn with, and the files it was loaded from
/// (<see langword="null"/> paths when <see cref="Source"/> is <see cref="FigureFontSource.System"/>).
/// </summary>
public sealed record FigureFontChoice(string Family, FigureFontSource Source, string? RegularPath, string? BoldPath);
