using Boltzmann.Learning.Runtime;
using TorchSharp;

namespace Boltzmann.Learning.Tests;

public class TorchSmokeTests
{
    [Fact]
    public void NativeLibraryLoadsAndBackwardMatchesClosedForm()
    {
        var r = TorchSmoke.Run(torch.CPU);
        // sum(w x) = 0.5 - 2 + 6 = 4.5, y = 20.25; dy/dw = 2 * 4.5 * x exactly.
        Assert.Equal(20.25, r.Value, 12);
        Assert.Equal(0.0, r.MaxGradientError, 12);
    }

    [Fact]
    public void DeviceSelectionHonoursTheRequest()
    {
        Assert.Equal(DeviceType.CPU, TorchDevice.Resolve("cpu").type);
        var auto = TorchDevice.Resolve("auto");
        Assert.Equal(torch.cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, auto.type);
        if (!torch.cuda.is_available())
            Assert.Contains("CUDA is not available", Assert.Throws<InvalidOperationException>(() => TorchDevice.Resolve("cuda")).Message);
        Assert.Contains("must be one of", Assert.Throws<ArgumentException>(() => TorchDevice.Resolve("tpu")).Message);
    }
}
