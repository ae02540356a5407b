using Boltzmann.Benchmarks.Data;

namespace Boltzmann.Benchmarks.Tests;

public class SpinDatasetBenchmarkTests
{
    [Fact]
    public void Uniformly_random_spins_take_at_most_1_1_bits_per_spin_on_disk()
    {
        var r = SpinDatasetBenchmark.Run(rows: 20_000, n: 256);

        Assert.Equal(20_000, r.Rows);
        Assert.Equal(256, r.SpinCount);
        // Goal: whole file (spins, a sweep column, footer) <= 1.1 bits per spin.
        Assert.True(r.BytesPerSpin <= SpinDatasetBenchmarkResult.GoalBytesPerSpin, $"{r.BytesPerSpin:F5} B/spin exceeds the goal {SpinDatasetBenchmarkResult.GoalBytesPerSpin}");
        Assert.True(r.MeetsGoal);
        // Random spins carry 1 bit of entropy each: no lossless file can be smaller. Below it, data were lost.
        Assert.True(r.SpinColumnBytesPerSpin >= 0.125, $"spins column {r.SpinColumnBytesPerSpin:F5} B/spin is below the entropy floor");
        Assert.True(r.FileBytes >= r.SpinColumnBytes);
        Assert.Equal(8 * r.BytesPerSpin, r.BitsPerSpin, 12);
        Assert.All(new[] { r.PackSpinsPerSecond, r.UnpackSpinsPerSecond, r.WriteSpinsPerSecond, r.ReadSpinsPerSecond, r.ScalarReadRowsPerSecond, r.OverlapSpinsPerSecond },
            s => Assert.True(s > 0 && double.IsFinite(s)));
    }
}
