using System.Runtime.CompilerServices;
using TorchSharp;

namespace Boltzmann.Flows.Tests;

/// <summary>
/// One intra-op torch thread for this test process: xunit already runs test classes in parallel on the cores, and
/// with libtorch's OpenMP pool on top, a loaded 2-core machine stalled small-tensor steps by 100x (measured: 0.3
/// instead of ~50 RealNVP training steps/s at N = 256). Results do not depend on the thread count.
/// </summary>
internal static class TestThreading
{
    [ModuleInitializer]
    internal static void SingleIntraOpThread() => torch.set_num_threads(1);
}
