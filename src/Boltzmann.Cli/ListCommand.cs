using System.CommandLine;
namespace Boltzmann.Cli;

public static class ListCommand
{
    public static Command Create()
    {
        var profile = CliOptions.Profile();
        var command = new Command("list", "pipelines, their stages and stage kinds") { profile };
        command.SetAction(r => Execute(r.GetRequiredValue(profile), r.InvocationConfiguration.Output));
        return command;
    }

    public static int Execute(string profile, TextWriter stdout)
    {
        var layout = RepoLayout.Discover();
        var loader = BoltzCommand.Loader();
        foreach (var name in layout.PipelineNames())
        {
            var p = loader.LoadFile(layout.PipelineFile(name), profile);
            stdout.WriteLine($"{p.Name}: {p.Description}");
            foreach (var s in p.Stages)
            {
                var ups = s.Upstream.Count == 0 ? "" : "  <- " + string.Join(", ", s.Upstream.Select(u => $"{u.Key}={u.Value}"));
                stdout.WriteLine($"  {s.Name,-22} {s.Kind.Kind,-20} [{s.Kind.Phase.ToString().ToLowerInvariant()}]{ups}");
            }
        }
        stdout.WriteLine();
        stdout.WriteLine("stage kinds:");
        foreach (var k in StageCatalog.CreateRegistry().All.OrderBy(k => k.Kind))
            stdout.WriteLine($"  {k.Kind,-22} v{k.Version} [{k.Phase.ToString().ToLowerInvariant()}] {k.Description}");
        return 0;
    }
}
