namespace Boltzmann.Figures;

/// <summary>Where the font used for figure text came from.</summary>
public enum FigureFontSource
{
    /// <summary>The file named by the <c>BOLTZMANN_FIGURE_FONT</c> environment variable.</summary>
    Override,
    /// <summary>A DejaVu Sans file found in a standard location (Debian: package <c>fonts-dejavu-core</c>).</summary>
    DejaVuFile,
    /// <summary>No DejaVu file was found; the platform's default family is used (looks different across machines).</summary>
    System,
}
