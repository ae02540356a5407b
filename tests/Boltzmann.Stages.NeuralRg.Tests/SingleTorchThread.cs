using System.Runtime.CompilerServices;

namespace Boltzmann.Stages.NeuralRg.Tests;

/// <summary>One intra-op torch thread in this test process (libtorch's pool stalls small-tensor steps on a loaded machine).</summary>
internal static class SingleTorchThread
{
    [ModuleInitializer]
    internal static void Configure() => TorchSharp.torch.set_num_threads(1);
}
