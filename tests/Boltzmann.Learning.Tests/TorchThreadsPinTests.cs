using Boltzmann.Learning.Runtime;
using static TorchSharp.torch;

namespace Boltzmann.Learning.Tests;

/// <summary>Changes libtorch's process-global thread count, so it runs alone (no test in parallel sees the change).</summary>
[CollectionDefinition(nameof(TorchThreadsCollection), DisableParallelization = true)]
public sealed class TorchThreadsCollection;

[Collection(nameof(TorchThreadsCollection))]
public class TorchThreadsPinTests
{
    [Fact]
    public void EnsureConfiguredReappliesTheRequestedCountAfterSomeoneChangedIt()
    {
        var saved = Environment.GetEnvironmentVariable(TorchThreads.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(TorchThreads.EnvironmentVariable, null);
            TorchThreads.EnsureConfigured();
            Assert.Equal(1, get_num_threads());
            // What a stage restoring a count it read before the first configuration did: libtorch's default, 2 here.
            set_num_threads(2);
            TorchThreads.EnsureConfigured();
            Assert.Equal(1, get_num_threads());
        }
        finally
        {
            Environment.SetEnvironmentVariable(TorchThreads.EnvironmentVariable, saved);
            TorchThreads.EnsureConfigured();
        }
    }

    [Fact]
    public void APinHoldsItsCountThroughConfigurationCallsAndReturnsToTheRequestedCount()
    {
        var saved = Environment.GetEnvironmentVariable(TorchThreads.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(TorchThreads.EnvironmentVariable, "2");
            TorchThreads.EnsureConfigured();
            Assert.Equal(2, get_num_threads());
            using (TorchThreads.Pin(1))
            {
                Assert.Equal(1, get_num_threads());
                TorchThreads.EnsureConfigured(); // what TorchDevice.Resolve inside a pinned stage body does
                Assert.Equal(1, get_num_threads());
                using (TorchThreads.Pin(1)) Assert.Equal(1, get_num_threads());
                Assert.Equal(1, get_num_threads()); // the outer pin still holds
                Assert.Throws<InvalidOperationException>(() => TorchThreads.Pin(3));
            }
            Assert.Equal(2, get_num_threads());
        }
        finally
        {
            Environment.SetEnvironmentVariable(TorchThreads.EnvironmentVariable, saved);
            TorchThreads.EnsureConfigured();
        }
    }
}
