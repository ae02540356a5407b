namespace Boltzmann.Cli.Tests;

/// <summary>Warnings go to stderr, so they are seen when stdout is piped into a file or another tool.</summary>
public class WarningOutputTests
{
    [Fact]
    public void A_corrupt_cached_output_is_warned_about_on_stderr_not_stdout()
    {
        using var b = new Boltz();
        b.WritePipeline("one", """{ "name": "one", "seed": 1, "stages": [ { "name": "i", "kind": "sk-instances", "params": { "n": 6, "count": 1 } } ] }""");
        Assert.Equal(0, b.Run("run", "one", "--profile", "smoke").Code);

        // Damage one committed output so the next run fails verification and warns that it recomputes.
        var output = Directory.EnumerateFiles(Path.Combine(b.Cache, "sk-instances"), "*", SearchOption.AllDirectories)
            .First(f => !f.Contains("/.locks/") && Path.GetFileName(f) != "manifest.json");
        File.AppendAllText(output, "corrupt");

        var rerun = b.Run("run", "one", "--profile", "smoke");
        Assert.Equal(0, rerun.Code);
        Assert.Contains("warning:", rerun.Err);
        Assert.Contains("failed verification", rerun.Err);
        Assert.DoesNotContain("warning:", rerun.Out);
    }
}
