namespace Boltzmann.Figures;

/// <summary>Paths of the index pages written by <see cref="FigureIndex.Write"/>.</summary>
public sealed record FigureIndexFiles(string MarkdownPath, string HtmlPath);
