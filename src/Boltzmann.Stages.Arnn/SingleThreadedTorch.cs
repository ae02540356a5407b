namespace Boltzmann.Stages.Arnn;

/// <summary>
/// Runs a stage body with one TorchSharp intra-op thread (restored afterwards): autoregressive networks are small
/// sequential tensor loops, and libtorch's spinning worker threads slow them by large factors when another process
/// holds a core (docs/platform.md); one thread also keeps results independent of the machine's core count.
/// </summary>
internal static class SingleThreadedTorch
{
    public static void Run(Action body)
    {
        using var pin = Boltzmann.Learning.Runtime.TorchThreads.Pin(1);
        body();
    }
}
