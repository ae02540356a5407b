using System.Diagnostics;
using Boltzmann.Figures;
using SkiaSharp;

namespace Boltzmann.Faults.Tests;

/// <summary>
/// Figures without fonts: a typeface that draws nothing must be refused, by <c>doctor</c> and by a figure stage,
/// and no text-less picture may reach the cache or artifacts/.
/// </summary>
[Trait("Category", "Faults")]
public sealed class FontFaultTests
{
    [Fact]
    public void The_render_probe_accepts_dejavu_and_refuses_no_typeface()
    {
        Assert.NotNull(FigureFonts.RenderProblem(null));
        Assert.Null(FigureFonts.RenderProblem(SKTypeface.FromFile(FigureFonts.DefaultCandidates.First(File.Exists))));
    }

    private static bool CanHideFonts()
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/usr/share/fonts")) return false;
        try
        {
            using var p = Process.Start(new ProcessStartInfo("unshare", ["-m", "sh", "-c", "mount -t tmpfs none /usr/share/fonts"])
                { RedirectStandardError = true, RedirectStandardOutput = true })!;
            p.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no unshare
        }
    }

    /// <summary>
    /// Runs boltz on a machine without fonts: where the test may hide /usr/share/fonts in a private mount namespace
    /// (root with unshare), that is the setup, reproducing fontconfig's empty default; otherwise the font override
    /// names a file that is no font.
    /// </summary>
    private static (int Code, string Out, string Err) RunWithoutFonts(FaultRepo repo, params string[] args)
    {
        if (!CanHideFonts())
        {
            repo.Environment[FigureFonts.OverrideVariable] = repo.Write("not-a-font.ttf", "this is not a TrueType file");
            return repo.Run(args);
        }
        // unshare -m sh -c 'mount a tmpfs over the fonts; exec dotnet boltz.dll ARGS', with the repo's environment.
        return ScratchRepository.RunToEnd(repo.StartInfo(args, "unshare",
            ["-m", "sh", "-c", "mount -t tmpfs none /usr/share/fonts && exec dotnet \"$@\"", "sh"]));
    }

    [Fact]
    public void Doctor_fails_when_figure_text_would_not_render()
    {
        using var repo = new FaultRepo();
        var doctor = RunWithoutFonts(repo, "doctor");
        Assert.Equal(1, doctor.Code);
        Assert.Contains("font:       FAILED", doctor.Out);
        Assert.Contains("fonts-dejavu-core", doctor.Out);
    }

    [Fact]
    public void A_figure_stage_without_fonts_fails_and_caches_and_publishes_nothing()
    {
        using var repo = new FaultRepo();
        repo.CopyRepoPipeline(SkPtReference.Pipeline);
        var run = RunWithoutFonts(repo, "run", SkPtReference.Pipeline, "--profile", "smoke", "--stage", "large-figures");
        Assert.Equal(1, run.Code);
        Assert.Contains("large-figures", run.Out + run.Err);
        Assert.Contains("fonts-dejavu-core", run.Err);
        // Upstream stages committed; the figure stage did not, and nothing was published.
        Assert.True(Directory.Exists(Path.Combine(repo.Cache, "sk-pt-observables")));
        Assert.Empty(Directory.Exists(Path.Combine(repo.Cache, "sk-pt-figures"))
            ? Directory.EnumerateDirectories(Path.Combine(repo.Cache, "sk-pt-figures")).Where(d => !Path.GetFileName(d).StartsWith('.'))
            : []);
        Assert.Empty(Directory.Exists(repo.Artifacts) ? Directory.EnumerateFiles(repo.Artifacts, "*.png", SearchOption.AllDirectories) : []);

        // With fonts back, the same run draws the figure.
        repo.Environment.Remove(FigureFonts.OverrideVariable);
        var again = repo.Run("run", SkPtReference.Pipeline, "--profile", "smoke", "--stage", "large-figures");
        Assert.Equal(0, again.Code);
        Assert.NotEmpty(Directory.EnumerateFiles(repo.Artifacts, "*.png", SearchOption.AllDirectories));
    }
}
