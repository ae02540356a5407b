using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.Sk.Tests;

/// <summary>A publish to artifacts/ that fails leaves no staging folder behind and names the folder.</summary>
public class PublishFailureTests
{
    [Fact]
    public async Task A_failed_publish_removes_its_staging_copy_keeps_the_old_publication_and_names_the_path()
    {
        using var ws = new TestWorkspace();
        var p = ws.Load(TestWorkspace.SmallSk);
        await ws.RunAsync(p);
        var dest = Path.Combine(ws.Artifacts, "sk-test", "figures");
        Assert.True(Directory.Exists(dest));

        // Root ignores permissions, so the swap is made to fail another way: a file where the runner moves the
        // previous publication aside (the runner runs in this process, so its pid is ours).
        File.WriteAllText(dest + $".old-{Environment.ProcessId}", "in the way");

        var ex = await Assert.ThrowsAsync<PublishException>(() => ws.RunAsync(p));
        Assert.Contains(dest, ex.Message);
        Assert.False(Directory.Exists(dest + $".tmp-{Environment.ProcessId}"), "the staging copy was left behind");
        Assert.True(File.Exists(Path.Combine(dest, "sk-thermodynamics.png")), "the previous publication was lost");
    }
}
