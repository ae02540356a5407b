using SkiaSharp;

namespace Boltzmann.Figures;

/// <summary>
/// Chooses and registers the font for figure text. ScottPlot draws text through SkiaSharp, which
/// asks fontconfig for fonts; on a bare Debian machine that may find nothing, and text disappears.
/// Loading a known file (DejaVu Sans from Debian's <c>fonts-dejavu-core</c>, or any .ttf named by
/// <c>BOLTZMANN_FIGURE_FONT</c>) makes labels render, and render the same on every machine.
/// Without such a file the platform default is used if the platform has any font at all; with no
/// font anywhere, <see cref="Ensure"/> throws a <see cref="FigureFontException"/> saying what to install.
/// </summary>
public static class FigureFonts
{
    /// <summary>Environment variable naming a TrueType file to use instead of DejaVu Sans.</summary>
    public const string OverrideVariable = "BOLTZMANN_FIGURE_FONT";

    /// <summary>Family name figure text is registered under when a font file is loaded.</summary>
    public const string RegisteredFamily = "Boltzmann Figure Sans";

    /// <summary>Standard locations of DejaVu Sans (Debian/Ubuntu, Fedora, Arch, Alpine, macOS Homebrew).</summary>
    public static IReadOnlyList<string> DefaultCandidates { get; } =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/local/share/fonts/DejaVuSans.ttf",
        "/opt/homebrew/share/fonts/DejaVuSans.ttf",
    ];

    private static readonly Lazy<LoadedFont> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Chooses the font without touching global state: the override file if given (it must exist),
    /// else the first existing candidate (its bold sibling <c>*-Bold.ttf</c> if present), else the
    /// system default when <paramref name="systemFamilyCount"/> &gt; 0.
    /// </summary>
    /// <exception cref="FigureFontException">The override file is missing, or there is no font at all.</exception>
    public static FigureFontChoice Choose(string? overridePath, IEnumerable<string> candidates, int systemFamilyCount)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (!string.IsNullOrWhiteSpace(overridePath))
        {
            if (!File.Exists(overridePath))
                throw new FigureFontException(
                    $"{OverrideVariable} names the font file '{overridePath}', which does not exist. " +
                    "Point it at a TrueType (.ttf) file or unset it to use DejaVu Sans.");
            return new FigureFontChoice(RegisteredFamily, FigureFontSource.Override, overridePath, BoldSibling(overridePath));
        }

        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
                return new FigureFontChoice(RegisteredFamily, FigureFontSource.DejaVuFile, candidate, BoldSibling(candidate));
        }

        if (systemFamilyCount > 0)
            return new FigureFontChoice(ScottPlot.Fonts.Default, FigureFontSource.System, null, null);

        throw new FigureFontException(
            "No font is available to draw figure text: DejaVu Sans was not found (looked in " +
            string.Join(", ", candidates) + ") and SkiaSharp sees no system font. " +
            $"Install it (Debian/Ubuntu: 'apt-get install -y fonts-dejavu-core') or set {OverrideVariable} to a .ttf file.");
    }

    /// <summary>
    /// Chooses (from <see cref="OverrideVariable"/>, <see cref="DefaultCandidates"/>, system fonts),
    /// loads and registers the figure font with ScottPlot once per process, and returns the choice.
    /// Safe to call from several threads.
    /// </summary>
    /// <exception cref="FigureFontException">No usable font; the message says what to install.</exception>
    public static FigureFontChoice Ensure() => Loaded.Value.Choice;

    /// <summary>The typeface for text drawn outside ScottPlot (figure title, caption).</summary>
    internal static SKTypeface Typeface(bool bold)
    {
        var loaded = Loaded.Value;
        return bold ? loaded.Bold : loaded.Regular;
    }

    /// <summary>Text every figure font must draw: letters, digits and the signs axis labels use.</summary>
    public const string ProbeText = "Boltzmann T = 0.25, <q^2>";

    /// <summary>
    /// Draws <see cref="ProbeText"/> with <paramref name="typeface"/> and measures it: every character must map to a
    /// glyph, the text must have a width, and it must leave ink on the bitmap. A typeface that fails draws figures
    /// with no title, ticks or legend: a "font" that exists but renders nothing (an empty system default when
    /// fontconfig finds no font, a file with no Latin glyphs).
    /// </summary>
    /// <returns>Null when the text renders, else what is wrong.</returns>
    public static string? RenderProblem(SKTypeface? typeface)
    {
        if (typeface is null) return "no typeface";
        using var font = new SKFont(typeface, 24);
        var glyphs = font.GetGlyphs(ProbeText);
        int missing = glyphs.Count(g => g == 0);
        if (glyphs.Length == 0 || missing > 0)
            return $"the typeface '{typeface.FamilyName}' has no glyph for {missing} of the {ProbeText.Length} characters of \"{ProbeText}\"";
        float width = font.MeasureText(ProbeText);
        if (!(width > 0)) return $"\"{ProbeText}\" measures {width} pixels wide in '{typeface.FamilyName}'";
        using var bitmap = new SKBitmap(512, 48);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true })
        {
            canvas.Clear(SKColors.White);
            canvas.DrawText(ProbeText, 4, 34, SKTextAlign.Left, font, paint);
        }
        int ink = 0;
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
                if (bitmap.GetPixel(x, y).Red < 128) ink++;
        return ink > 0 ? null : $"\"{ProbeText}\" drawn in '{typeface.FamilyName}' leaves no ink";
    }

    private static LoadedFont Load()
    {
        var loaded = LoadUnchecked();
        // ScottPlot draws axes, ticks and legends by family name; the title and caption use our typefaces.
        var plotFace = ScottPlot.Fonts.GetTypeface(loaded.Choice.Family, bold: false, italic: false);
        var problem = RenderProblem(loaded.Regular) ?? RenderProblem(loaded.Bold) ?? RenderProblem(plotFace);
        if (problem is not null)
            throw new FigureFontException(
                $"Figure text would not render with the font '{loaded.Choice.Family}' ({loaded.Choice.Source}{(loaded.Choice.RegularPath is { } f ? ", " + f : "")}): {problem}. " +
                $"Install DejaVu Sans (Debian/Ubuntu: 'apt-get install -y fonts-dejavu-core') or set {OverrideVariable} to a .ttf file.");
        return loaded;
    }

    private static LoadedFont LoadUnchecked()
    {
        var choice = Choose(Environment.GetEnvironmentVariable(OverrideVariable), DefaultCandidates, SKFontManager.Default.FontFamilyCount);
        if (choice.Source == FigureFontSource.System)
        {
            var regular = SKFontManager.Default.MatchFamily(choice.Family, SKFontStyle.Normal) ?? SKTypeface.Default;
            var bold = SKFontManager.Default.MatchFamily(choice.Family, SKFontStyle.Bold) ?? regular;
            return new LoadedFont(choice, regular, bold);
        }

        var regularFace = SKTypeface.FromFile(choice.RegularPath!)
            ?? throw new FigureFontException($"The font file '{choice.RegularPath}' could not be loaded as a typeface (is it a .ttf/.otf file?).");
        var boldFace = choice.BoldPath is null ? regularFace : SKTypeface.FromFile(choice.BoldPath) ?? regularFace;
        ScottPlot.Fonts.AddFontFile(choice.Family, choice.RegularPath!, bold: false, italic: false);
        ScottPlot.Fonts.AddFontFile(choice.Family, choice.BoldPath ?? choice.RegularPath!, bold: true, italic: false);
        return new LoadedFont(choice, regularFace, boldFace);
    }

    private static string? BoldSibling(string regularPath)
    {
        var directory = Path.GetDirectoryName(regularPath) ?? ".";
        var bold = Path.Combine(directory, Path.GetFileNameWithoutExtension(regularPath) + "-Bold" + Path.GetExtension(regularPath));
        return File.Exists(bold) ? bold : null;
    }

    private sealed record LoadedFont(FigureFontChoice Choice, SKTypeface Regular, SKTypeface Bold);
}
