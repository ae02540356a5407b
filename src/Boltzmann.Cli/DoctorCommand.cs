using Boltzmann.Data.Cache;
using Boltzmann.Learning.Runtime;

namespace Boltzmann.Cli;

/// <summary>Environment check: TorchSharp native library and device, figure fonts, cache location.</summary>
public static class DoctorCommand
{
    public static int Execute(string[] args, TextWriter stdout)
    {
        var a = CliArguments.Parse(args, new HashSet<string>(), new HashSet<string> { "device" });
        var layout = RepoLayout.Discover();
        stdout.WriteLine($"repository: {layout.Root}");
        stdout.WriteLine($"cache:      {layout.Cache} ({BoltzCommand.FormatBytes(new ArtifactCache(layout.Cache).SizeOnDisk)})");
        stdout.WriteLine($"artifacts:  {layout.Artifacts}");
        var font = Boltzmann.Figures.FigureFonts.Ensure();
        stdout.WriteLine($"font:       {font.Family} ({font.Source})");
        try
        {
            var device = TorchDevice.Resolve(a.Option("device") ?? "auto");
            var smoke = TorchSmoke.Run(device);
            stdout.WriteLine($"torch:      {TorchDevice.Describe()}; autograd smoke test on {smoke.Device}: gradient error {smoke.MaxGradientError:G2}");
        }
        catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException or NotSupportedException)
        {
            stdout.WriteLine($"torch:      FAILED to load the native library ({ex.GetBaseException().Message}). " +
                             "TorchSharp 0.107 needs libstdc++ with GLIBCXX_3.4.32: run build/ensure-libstdcxx.sh (see README).");
            return 1;
        }
        return 0;
    }
}
