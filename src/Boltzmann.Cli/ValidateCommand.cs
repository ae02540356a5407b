using System.CommandLine;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Cli;

public static class ValidateCommand
{
    public static Command Create()
    {
        var pipeline = CliOptions.Pipeline("pipeline name, a pipeline file (file.json), or 'all'");
        var profile = CliOptions.OptionalProfile("check this profile only (default: every profile)");
        var command = new Command("validate", "check a pipeline file (all profiles unless --profile)") { pipeline, profile };
        command.SetAction(r => Execute(r.GetRequiredValue(pipeline), r.GetValue(profile), r.InvocationConfiguration.Output));
        return command;
    }

    /// <summary>Validates the pipeline(s) for one profile or all; errors throw PipelineConfigException (exit 2).</summary>
    public static int Execute(string name, string? profile, TextWriter stdout)
    {
        var layout = RepoLayout.Discover();
        var profiles = profile is null ? Profiles.All : [profile];
        var loader = BoltzCommand.Loader();
        var errors = new List<Boltzmann.Pipelines.Config.ConfigError>();
        foreach (var file in layout.PipelineFiles(name))
            foreach (var checkedProfile in profiles)
            {
                try
                {
                    var p = loader.LoadFile(file, checkedProfile);
                    stdout.WriteLine($"ok: {p.Name} ({checkedProfile}): {p.Stages.Count} stages");
                }
                catch (Boltzmann.Pipelines.Config.PipelineConfigException ex)
                {
                    errors.AddRange(ex.Errors.Select(e => e with { Path = $"[{checkedProfile}] {e.Path}" }));
                }
            }
        if (errors.Count > 0) throw new Boltzmann.Pipelines.Config.PipelineConfigException(errors.Distinct().ToList());
        return 0;
    }
}
