namespace Boltzmann.Figures;

/// <summary>Rendering choices that are not part of the figure data itself.</summary>
/// <param name="NonPositiveLogValues">Policy for values that a log axis cannot show.</param>
/// <param name="ShowCaption">Draw the metadata caption (figure id, pipeline, profile, key, ...) under the panels.</param>
public sealed record FigureRenderOptions(
    NonPositiveLogValues NonPositiveLogValues = NonPositiveLogValues.Reject,
    bool ShowCaption = true)
{
    /// <summary>Reject non-positive log values; show the caption.</summary>
    public static FigureRenderOptions Default { get; } = new();
}
