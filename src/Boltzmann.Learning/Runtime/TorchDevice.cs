using TorchSharp;

namespace Boltzmann.Learning.Runtime;

/// <summary>
/// Chooses the tensor device from the CLI's --device option. Every tensor code path takes the device as
/// a parameter, so the same code runs on CPU (the tested default) and on CUDA when the project is built
/// with -p:TorchBackend=cuda on a machine where TorchSharp-cuda-linux can be restored.
/// </summary>
public static class TorchDevice
{
    public static readonly IReadOnlyList<string> Choices = ["auto", "cpu", "cuda"];

    /// <summary>The device for <paramref name="requested"/>; also fixes the libtorch thread count (<see cref="TorchThreads"/>).</summary>
    public static torch.Device Resolve(string requested)
    {
        TorchThreads.EnsureConfigured();
        switch (requested)
        {
            case "cpu":
                return torch.CPU;
            case "cuda":
                if (!torch.cuda.is_available())
                    throw new InvalidOperationException(
                        "--device cuda was requested but CUDA is not available: build with -p:TorchBackend=cuda on a machine " +
                        "with an NVIDIA driver (TorchSharp-cuda-linux), or use --device cpu.");
                return torch.CUDA;
            case "auto":
                return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
            default:
                throw new ArgumentException($"--device \"{requested}\" is not allowed; must be one of {string.Join(", ", Choices)}.");
        }
    }

    /// <summary>One line describing the backend, for logs and manifests.</summary>
    public static string Describe()
    {
        bool cuda = torch.cuda.is_available();
        return $"TorchSharp {typeof(torch).Assembly.GetName().Version} ({(cuda ? $"CUDA, {torch.cuda.device_count()} device(s)" : "CPU")}, {torch.get_num_threads()} threads)";
    }
}
