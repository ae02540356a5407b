using System.Runtime.InteropServices;
using Boltzmann.Pipelines.Config;

namespace Boltzmann.Stages.Sk.Tests;

/// <summary>A couplings or fields file that is not a regular file is rejected by validation instead of read.</summary>
public partial class InputFileTests
{
    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MkFifo(string path, uint mode);

    [Theory]
    [InlineData("couplings_file")]
    [InlineData("fields_file")]
    public async Task A_fifo_input_is_rejected_at_once_naming_its_path(string parameter)
    {
        if (OperatingSystem.IsWindows()) return;
        using var ws = new TestWorkspace();
        var dir = Path.Combine(ws.Root, "pipelines");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "j.csv"), "0, 0.5\n0.5, 0\n");
        var fifo = Path.Combine(dir, "pipe");
        Assert.Equal(0, MkFifo(fifo, Convert.ToUInt32("600", 8)));
        var pars = parameter == "couplings_file"
            ? """{ "couplings_file": "pipe" }"""
            : """{ "couplings_file": "j.csv", "fields_file": "pipe" }""";

        // Before the check, reading the FIFO blocked for ever: bound the wait so the test fails instead of hanging.
        var load = Task.Run(() => ws.Load($$"""{ "name": "p", "seed": 1, "stages": [ { "name": "i", "kind": "sk-instances", "params": {{pars}} } ] }"""));
        var ex = await Assert.ThrowsAsync<PipelineConfigException>(() => load.WaitAsync(TimeSpan.FromSeconds(10)));
        var e = Assert.Single(ex.Errors);
        Assert.Equal($"$.stages[0].params.{parameter}", e.Path);
        Assert.Contains(fifo, e.Message);
        Assert.Contains("not a regular file", e.Message);
    }
}
