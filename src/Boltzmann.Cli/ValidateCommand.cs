using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Cli;

public static class ValidateCommand
{
    /// <summary>Validates the pipeline(s) for one profile or all; errors throw PipelineConfigException (exit 2).</summary>
    public static int Execute(string[] args, TextWriter stdout)
    {
        var a = CliArguments.Parse(args, new HashSet<string>(), new HashSet<string> { "profile" });
        var layout = RepoLayout.Discover();
        var name = BoltzCommand.Single(a, "pipeline name, file or 'all'");
        var profiles = a.Option("profile") is null ? Profiles.All : [BoltzCommand.Profile(a)];
        var loader = BoltzCommand.Loader();
        var errors = new List<Boltzmann.Pipelines.Config.ConfigError>();
        foreach (var file in layout.PipelineFiles(name))
            foreach (var profile in profiles)
            {
                try
                {
                    var p = loader.LoadFile(file, profile);
                    stdout.WriteLine($"ok: {p.Name} ({profile}): {p.Stages.Count} stages");
                }
                catch (Boltzmann.Pipelines.Config.PipelineConfigException ex)
                {
                    errors.AddRange(ex.Errors.Select(e => e with { Path = $"[{profile}] {e.Path}" }));
                }
            }
        if (errors.Count > 0) throw new Boltzmann.Pipelines.Config.PipelineConfigException(errors.Distinct().ToList());
        return 0;
    }
}
