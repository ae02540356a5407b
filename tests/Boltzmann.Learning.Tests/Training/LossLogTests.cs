using Boltzmann.Learning.Training;

namespace Boltzmann.Learning.Tests.Training;

public class LossLogTests
{
    private static LossLog Sample()
    {
        var log = new LossLog();
        log.Add(0, 1.0 / 3.0, Math.PI, 1e-3, 0.0123, [("ess", 0.1), ("mu0", -0.0)]);
        log.Add(5, -2.7568155996140176, 1e-300, 5e-4, 1.5, [("ess", double.NaN), ("mu0", double.Epsilon)]);
        log.Add(9, 123456789.123456789, 0, 1e-5, 2.25, [("ess", 1), ("mu0", -1e308)]);
        return log;
    }

    [Fact]
    public void CsvRoundTripIsBitExact()
    {
        var log = Sample();
        using var w = new StringWriter();
        log.WriteCsv(w);
        Assert.StartsWith("step,loss,gradient_norm,learning_rate,elapsed_seconds,ess,mu0\n", w.ToString());
        var back = LossLog.ReadCsv(new StringReader(w.ToString()), "test.csv");
        Assert.Null(log.FirstDifference(back));
        Assert.Equal(log.Records.Select(r => r.ElapsedSeconds), back.Records.Select(r => r.ElapsedSeconds));
        // -0.0 keeps its sign bit.
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(back.Records[0].Extras[1]));
    }

    [Fact]
    public void ColumnsExportEveryValue()
    {
        var c = Sample().ToColumns();
        Assert.Equal([0L, 5L, 9L], c.Step);
        Assert.Equal([1.0 / 3.0, -2.7568155996140176, 123456789.123456789], c.Loss);
        Assert.Equal([1e-3, 5e-4, 1e-5], c.LearningRate);
        Assert.Equal(["ess", "mu0"], c.Extras.Keys.Order());
        Assert.Equal([-0.0, double.Epsilon, -1e308], c.Extras["mu0"]);
    }

    [Fact]
    public void FirstDifferenceFindsAOneUlpChangeButIgnoresWallTime()
    {
        var a = Sample();
        var b = new LossLog();
        foreach (var r in a.Records)
            b.Add(r.Step, r.Step == 5 ? Math.BitIncrement(r.Loss) : r.Loss, r.GradientNorm, r.LearningRate, r.ElapsedSeconds + 7,
                  a.ExtraNames.Zip(r.Extras, (n, v) => (n, v)).ToArray());
        Assert.Equal("step 5: loss -2.7568155996140176 vs -2.756815599614017", a.FirstDifference(b));
        var c = new LossLog();
        foreach (var r in a.Records)
            c.Add(r.Step, r.Loss, r.GradientNorm, r.LearningRate, r.ElapsedSeconds + 7, a.ExtraNames.Zip(r.Extras, (n, v) => (n, v)).ToArray());
        Assert.Null(a.FirstDifference(c));
    }

    [Fact]
    public void InconsistentRowsAreRejectedWithWhereAndWhat()
    {
        var log = new LossLog();
        log.Add(3, 1, 1, 1, 0, [("a", 1)]);
        Assert.Contains("extras [b] at step 4, but [a] before", Assert.Throws<ArgumentException>(() => log.Add(4, 1, 1, 1, 0, [("b", 1)])).Message);
        Assert.Contains("step 3 does not follow the last logged step 3", Assert.Throws<ArgumentException>(() => log.Add(3, 1, 1, 1, 0, [("a", 1)])).Message);
        Assert.Contains("extra name 'loss' is not allowed", Assert.Throws<ArgumentException>(() => new LossLog().Add(0, 1, 1, 1, 0, [("loss", 1)])).Message);
        var bad = "step,loss,gradient_norm,learning_rate,elapsed_seconds\n0,1,1,1,0\n1,x,1,1,0\n";
        Assert.Contains("run.csv: line 3, column loss: 'x' is not a number", Assert.Throws<InvalidDataException>(() => LossLog.ReadCsv(new StringReader(bad), "run.csv")).Message);
        Assert.Contains("line 1: header must start with", Assert.Throws<InvalidDataException>(() => LossLog.ReadCsv(new StringReader("a,b\n"), "run.csv")).Message);
    }
}
