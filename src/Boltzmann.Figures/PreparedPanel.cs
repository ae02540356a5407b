using Boltzmann.Data.Figures;

namespace Boltzmann.Figures;

/// <summary>A validated panel ready to draw: its declaration, its series, and notes to show inside it.</summary>
internal sealed record PreparedPanel(FigurePanel Panel, IReadOnlyList<PreparedSeries> Series, IReadOnlyList<string> Notes);
