namespace Boltzmann.Figures.Tests;

public sealed class FigureFontsTests
{
    [Fact]
    public void Choose_PrefersOverride_AndFindsBoldSibling()
    {
        using var dir = new TempDirectory();
        var regular = dir.Combine("Mine.ttf");
        File.WriteAllText(regular, "x");
        File.WriteAllText(dir.Combine("Mine-Bold.ttf"), "x");
        var choice = FigureFonts.Choose(regular, [dir.Combine("absent.ttf")], 0);
        Assert.Equal(FigureFontSource.Override, choice.Source);
        Assert.Equal(regular, choice.RegularPath);
        Assert.Equal(dir.Combine("Mine-Bold.ttf"), choice.BoldPath);
    }

    [Fact]
    public void Choose_MissingOverride_Throws_NamingTheVariable()
    {
        var ex = Assert.Throws<FigureFontException>(() => FigureFonts.Choose("/nonexistent/font.ttf", FigureFonts.DefaultCandidates, 10));
        Assert.Contains(FigureFonts.OverrideVariable, ex.Message);
        Assert.Contains("/nonexistent/font.ttf", ex.Message);
    }

    [Fact]
    public void Choose_FirstExistingCandidate_WithoutBoldSibling()
    {
        using var dir = new TempDirectory();
        var second = dir.Combine("Second.ttf");
        File.WriteAllText(second, "x");
        var choice = FigureFonts.Choose(null, [dir.Combine("First.ttf"), second], 0);
        Assert.Equal(FigureFontSource.DejaVuFile, choice.Source);
        Assert.Equal(second, choice.RegularPath);
        Assert.Null(choice.BoldPath);
    }

    [Fact]
    public void Choose_NoFile_FallsBackToSystemFonts()
    {
        var choice = FigureFonts.Choose("", ["/nonexistent/a.ttf"], 3);
        Assert.Equal(FigureFontSource.System, choice.Source);
        Assert.Null(choice.RegularPath);
    }

    [Fact]
    public void Choose_NoFontAtAll_ThrowsWithInstallHint()
    {
        var ex = Assert.Throws<FigureFontException>(() => FigureFonts.Choose(null, ["/nonexistent/a.ttf"], 0));
        Assert.Contains("fonts-dejavu-core", ex.Message);
        Assert.Contains(FigureFonts.OverrideVariable, ex.Message);
        Assert.Contains("/nonexistent/a.ttf", ex.Message);
    }

    [Fact]
    public void Ensure_OnThisMachine_LoadsAFontFile()
    {
        // The prerequisites install fonts-dejavu-core, so figures must not depend on whatever fonts a machine has.
        var choice = FigureFonts.Ensure();
        Assert.NotEqual(FigureFontSource.System, choice.Source);
        Assert.True(File.Exists(choice.RegularPath));
        Assert.Same(choice, FigureFonts.Ensure());
    }
}
