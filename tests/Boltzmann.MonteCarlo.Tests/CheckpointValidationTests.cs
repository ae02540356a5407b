namespace Boltzmann.MonteCarlo.Tests;

public class CheckpointValidationTests
{
    private static readonly Boltzmann.Physics.Sk.SkInstance Instance = TestInstances.Sk(20, 2);
    private static readonly ParallelTemperingOptions Options = new(TemperatureLadder.Geometric(0.5, 2, 4)) { Seed = 6 };

    private static byte[] Checkpoint()
    {
        var pt = new ParallelTempering(Instance, Options);
        pt.Sweep(5);
        return pt.SaveState();
    }

    [Fact]
    public void MismatchedRunSettings_AreRejectedWithClearMessages()
    {
        var state = Checkpoint();
        Assert.Contains("Seed = 6", Assert.Throws<InvalidDataException>(() => ParallelTempering.Restore(Instance, Options with { Seed = 7 }, state)).Message);
        Assert.Contains("StageName", Assert.Throws<InvalidDataException>(() => ParallelTempering.Restore(Instance, Options with { StageName = "other" }, state)).Message);
        Assert.Contains("C (chains)", Assert.Throws<InvalidDataException>(() => ParallelTempering.Restore(Instance, Options with { Chains = 3 }, state)).Message);
        Assert.Contains("LocalFieldRefreshInterval", Assert.Throws<InvalidDataException>(() => ParallelTempering.Restore(Instance, Options with { LocalFieldRefreshInterval = 5 }, state)).Message);
        Assert.Contains("temperature of slot 1", Assert.Throws<InvalidDataException>(() => ParallelTempering.Restore(Instance, Options with { Ladder = TemperatureLadder.Geometric(0.5, 2.1, 4) }, state)).Message);
        Assert.Contains("R (ladder temperatures)", Assert.Throws<InvalidDataException>(() => ParallelTempering.Restore(Instance, Options with { Ladder = TemperatureLadder.Geometric(0.5, 2, 5) }, state)).Message);
        Assert.Contains("N (spins", Assert.Throws<InvalidDataException>(() => ParallelTempering.Restore(TestInstances.Sk(21, 2), Options, state)).Message);
        Assert.Contains("SK instance", Assert.Throws<InvalidDataException>(() => ParallelTempering.Restore(TestInstances.Sk(20, 3), Options, state)).Message);
        // Speed-only settings may change.
        ParallelTempering.Restore(Instance, Options with { MaxDegreeOfParallelism = 1, Scheme = ParallelScheme.ByWalker }, state);
    }

    [Fact]
    public void CorruptedOrForeignBytes_AreRejected()
    {
        var state = Checkpoint();
        var corrupted = (byte[])state.Clone();
        corrupted[corrupted.Length / 2] ^= 0x10;
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => ParallelTempering.Restore(Instance, Options, corrupted)).Message);
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => ParallelTempering.Restore(Instance, Options, state[..^1])).Message);
        Assert.Contains("BZPT", Assert.Throws<InvalidDataException>(() => ParallelTempering.Restore(Instance, Options, new byte[100])).Message);
    }
}
