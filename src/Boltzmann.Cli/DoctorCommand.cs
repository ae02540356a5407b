using System.CommandLine;
using Boltzmann.Data.Cache;
using Boltzmann.Learning.Runtime;

namespace Boltzmann.Cli;

/// <summary>Environment check: TorchSharp native library and device, figure fonts, cache location.</summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var device = CliOptions.Device();
        var command = new Command("doctor", "environment check: TorchSharp native library, device, fonts, cache") { device };
        command.SetAction(r => Execute(r.GetRequiredValue(device), r.InvocationConfiguration.Output));
        return command;
    }

    public static int Execute(string deviceName, TextWriter stdout)
    {
        var layout = RepoLayout.Discover();
        stdout.WriteLine($"repository: {layout.Root}");
        stdout.WriteLine($"cache:      {layout.Cache} ({BoltzCommand.FormatBytes(new ArtifactCache(layout.Cache).SizeOnDisk)})");
        stdout.WriteLine($"artifacts:  {layout.Artifacts}");
        int status = 0;
        try
        {
            // Ensure draws and measures a probe string: a font that exists but renders nothing fails here.
            var font = Boltzmann.Figures.FigureFonts.Ensure();
            stdout.WriteLine($"font:       {font.Family} ({font.Source}{(font.RegularPath is { } f ? ", " + f : "")}); probe text renders");
        }
        catch (Boltzmann.Figures.FigureFontException ex)
        {
            stdout.WriteLine($"font:       FAILED: {ex.Message}");
            status = 1;
        }
        try
        {
            var device = TorchDevice.Resolve(deviceName);
            var smoke = TorchSmoke.Run(device);
            stdout.WriteLine($"torch:      {TorchDevice.Describe()}; autograd smoke test on {smoke.Device}: gradient error {smoke.MaxGradientError:G2}");
        }
        catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException or NotSupportedException)
        {
            stdout.WriteLine($"torch:      FAILED to load the native library ({ex.GetBaseException().Message}). " +
                             "TorchSharp 0.107 needs libstdc++ with GLIBCXX_3.4.32: run build/ensure-libstdcxx.sh (see README).");
            return 1;
        }
        return status;
    }
}
