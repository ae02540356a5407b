using Boltzmann.Random;

namespace Boltzmann.MonteCarlo.Tests;

public class DeterministicLogTests
{
    [Fact]
    public void AgreesWithMathLog_ToAFewUlps()
    {
        var rng = new RandomStream(42);
        var inputs = new List<double> { 1.0, 0.5, 0.25, 1.0 / (1UL << 53), 1.0 - 1.0 / (1UL << 53), Math.Sqrt(0.5), Math.BitIncrement(Math.Sqrt(0.5)), Math.BitDecrement(Math.Sqrt(0.5)), 0.7071067811865476, 1e-300, 3.0, 1e300 };
        for (int i = 0; i < 200_000; i++) inputs.Add(rng.NextDoubleOpenZero());
        for (int i = 0; i < 20_000; i++) inputs.Add(Math.Pow(2, -60 * rng.NextDouble()) * (1 - 1e-3 * rng.NextDouble()));
        double worst = 0;
        foreach (double u in inputs)
        {
            double expected = -Math.Log(u);
            double actual = DeterministicLog.NegativeLog(u);
            double err = expected == 0 ? Math.Abs(actual) : Math.Abs(actual - expected) / Math.Abs(expected);
            worst = Math.Max(worst, err);
        }
        Assert.True(worst < 1e-15, $"worst relative error {worst:G3}");
        Assert.Equal(0.0, DeterministicLog.NegativeLog(1.0));
    }

    [Fact]
    public void SimdAndScalarPaths_AreBitIdentical()
    {
        var rng = new RandomStream(7);
        var values = new double[1027]; // not a multiple of any vector width: exercises the scalar tail too
        for (int i = 0; i < values.Length; i++) values[i] = rng.NextDoubleOpenZero();
        values[5] = 1.0;
        var dispatched = (double[])values.Clone();
        DeterministicLog.NegativeLogScaled(dispatched, 0.73);
        var preferred = (double[])values.Clone();
        DeterministicLog.NegativeLogScaledVector(preferred, 0.73);
        var scalar = (double[])values.Clone();
        DeterministicLog.NegativeLogScaledScalar(scalar, 0.73, 0);
        for (int i = 0; i < values.Length; i++)
        {
            long expected = BitConverter.DoubleToInt64Bits(DeterministicLog.NegativeLog(values[i]) * 0.73);
            Assert.Equal(expected, BitConverter.DoubleToInt64Bits(scalar[i]));
            Assert.Equal(expected, BitConverter.DoubleToInt64Bits(preferred[i]));
            Assert.Equal(expected, BitConverter.DoubleToInt64Bits(dispatched[i]));
        }
    }
}
