using System.CommandLine;
using Boltzmann.Cli.Slurm;

namespace Boltzmann.Cli;

/// <summary><c>boltz cancel P</c>: scancel the recorded SLURM jobs of a pipeline that are still pending or running.</summary>
public static class CancelCommand
{
    public static Command Create()
    {
        var pipeline = CliOptions.Pipeline("pipeline name or 'all'");
        var command = new Command("cancel", "cancel the SLURM jobs submitted for a pipeline (--executor slurm) that are still pending or running") { pipeline };
        command.SetAction(r => Execute(r.GetRequiredValue(pipeline), new SlurmCommands(), r.InvocationConfiguration.Output));
        return command;
    }

    public static int Execute(string name, ISlurmClient slurm, TextWriter stdout)
    {
        var layout = RepoLayout.Discover();
        var loader = BoltzCommand.Loader();
        foreach (var file in layout.PipelineFiles(name))
        {
            // The pipeline's name as submitted (its file's "name"), validated in the default profile.
            var p = loader.LoadFile(file, Boltzmann.Pipelines.Engine.Profiles.Default);
            SlurmStatus.Cancel(slurm, layout.Cache, p.Name, stdout);
        }
        return 0;
    }
}
