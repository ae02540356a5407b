using Boltzmann.Flows.Training;

namespace Boltzmann.Flows.Tests.Training;

public class ShuffledMinibatchesTests
{
    [Fact]
    public void EveryEpochVisitsDistinctRowsAndEpochsDiffer()
    {
        var batches = new ShuffledMinibatches(count: 103, batch: 10, seed: 4);
        Assert.Equal(10, batches.BatchesPerEpoch);
        var buffer = new long[10];
        var epochs = new List<long[]>();
        for (int e = 0; e < 3; e++)
        {
            var seen = new List<long>();
            for (int k = 0; k < 10; k++)
            {
                batches.Indices(e * 10 + k, buffer);
                seen.AddRange(buffer);
            }
            Assert.Equal(100, seen.Distinct().Count());
            Assert.All(seen, i => Assert.InRange(i, 0, 102));
            epochs.Add(seen.ToArray());
        }
        Assert.NotEqual(epochs[0], epochs[1]);
    }

    [Fact]
    public void IndicesArePureFunctionsOfSeedAndStep()
    {
        var a = new ShuffledMinibatches(50, 7, 9);
        var b = new ShuffledMinibatches(50, 7, 9);
        var c = new ShuffledMinibatches(50, 7, 10);
        var x = new long[7];
        var y = new long[7];
        // b jumps straight to step 40 (as a resumed run does) and still agrees with a, which walked there.
        for (long s = 0; s <= 40; s++) a.Indices(s, x);
        b.Indices(40, y);
        Assert.Equal(x, y);
        c.Indices(40, y);
        Assert.NotEqual(x, y);
        a.Indices(3, x);
        b.Indices(3, y);
        Assert.Equal(x, y);
    }

    [Fact]
    public void RejectsADatasetSmallerThanABatch()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ShuffledMinibatches(5, 10, 1));
        Assert.Contains("fewer than one batch", e.Message);
    }
}
