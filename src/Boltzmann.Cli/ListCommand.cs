namespace Boltzmann.Cli;

public static class ListCommand
{
    public static int Execute(string[] args, TextWriter stdout)
    {
        var a = CliArguments.Parse(args, new HashSet<string>(), new HashSet<string> { "profile" });
        if (a.Positional.Count > 0) throw new UsageException("list takes no arguments");
        var layout = RepoLayout.Discover();
        var loader = BoltzCommand.Loader();
        var profile = BoltzCommand.Profile(a);
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
