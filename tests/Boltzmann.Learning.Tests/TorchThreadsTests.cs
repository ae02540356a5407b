using Boltzmann.Learning.Runtime;

namespace Boltzmann.Learning.Tests;

public class TorchThreadsTests
{
    [Fact]
    public void RequestedThreadsDefaultToOneAndRejectNonsenseWithTheVariableName()
    {
        var saved = Environment.GetEnvironmentVariable(TorchThreads.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(TorchThreads.EnvironmentVariable, null);
            Assert.Equal(1, TorchThreads.Requested());
            Environment.SetEnvironmentVariable(TorchThreads.EnvironmentVariable, "3");
            Assert.Equal(3, TorchThreads.Requested());
            Environment.SetEnvironmentVariable(TorchThreads.EnvironmentVariable, "zero");
            var e = Assert.Throws<ArgumentException>(() => TorchThreads.Requested());
            Assert.Contains("BOLTZMANN_TORCH_THREADS", e.Message);
            Environment.SetEnvironmentVariable(TorchThreads.EnvironmentVariable, "0");
            Assert.Throws<ArgumentException>(() => TorchThreads.Requested());
        }
        finally
        {
            Environment.SetEnvironmentVariable(TorchThreads.EnvironmentVariable, saved);
        }
    }
}
