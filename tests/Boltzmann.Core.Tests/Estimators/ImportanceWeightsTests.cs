using Boltzmann.Estimators;

namespace Boltzmann.Core.Tests.Estimators;

public class ImportanceWeightsTests
{
    [Fact]
    public void LogSumExpIsExactForHugeAndTinyArguments()
    {
        // exp(1000) overflows a double; the shifted sum must not.
        Assert.Equal(1000 + Math.Log(4), ImportanceWeights.LogSumExp([1000, 1000 + Math.Log(3)]), 12);
        Assert.Equal(-5000 + Math.Log(2), ImportanceWeights.LogSumExp([-5000, -5000]), 12);
        Assert.Equal(double.NegativeInfinity, ImportanceWeights.LogSumExp([double.NegativeInfinity, double.NegativeInfinity]));
        Assert.Equal(3.0, ImportanceWeights.LogSumExp([3.0, double.NegativeInfinity]), 15);
        Assert.Equal(Math.Log(2.5), ImportanceWeights.LogMeanExp([Math.Log(2), Math.Log(3)]), 14);
    }

    [Fact]
    public void NormalizedWeightsSumToOneAndKeepRatios()
    {
        double[] logTarget = [-10_000.0, -10_001.0, -10_003.0, double.NegativeInfinity];
        double[] logQ = [-1.0, -1.0, -2.0, -0.5];
        var lw = ImportanceWeights.LogWeights(logTarget, logQ);
        Assert.Equal(-9_999.0, lw[0]);
        var w = ImportanceWeights.Normalized(lw);
        Assert.Equal(1.0, w.Sum(), 14);
        // ratios exp(lw_i - lw_j): 1 : e^-1 : e^-2 : 0
        double total = 1 + Math.Exp(-1) + Math.Exp(-2);
        Assert.Equal(1 / total, w[0], 14);
        Assert.Equal(Math.Exp(-1) / total, w[1], 14);
        Assert.Equal(Math.Exp(-2) / total, w[2], 14);
        Assert.Equal(0.0, w[3]);
    }

    [Fact]
    public void RejectsNaNAndImpossibleModelSamplesNamingTheIndex()
    {
        var ex = Assert.Throws<ArgumentException>(() => ImportanceWeights.LogWeights([0.0, double.NaN], [0.0, 0.0]));
        Assert.Contains("logTarget[1]", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => ImportanceWeights.LogWeights([0.0, 0.0], [double.NegativeInfinity, 0.0]));
        Assert.Contains("logQ[0]", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => ImportanceWeights.LogWeights([0.0, 0.0, 0.0], [0.0, 0.0]));
        Assert.Contains("same samples", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => ImportanceWeights.Normalized([double.NegativeInfinity, double.NegativeInfinity]));
        Assert.Contains("zero", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => ImportanceWeights.LogSumExp([1.0, double.NaN]));
        Assert.Contains("values[1]", ex.Message);
    }
}
