using System.Numerics;
using Boltzmann.Physics.Numerics;

namespace Boltzmann.Physics.Tests.CurieWeiss;

/// <summary>ln k! and ln C(n, k) against exact big-integer factorials and the Stirling series.</summary>
public class LogFactorialTableTests
{
    [Fact]
    public void Matches_exact_factorials_and_stirling()
    {
        var table = new LogFactorialTable(6000);
        BigInteger factorial = 1;
        for (int k = 0; k <= 400; k++)
        {
            if (k > 0) factorial *= k;
            double exact = BigInteger.Log(factorial);
            Assert.True(Math.Abs(table.LnFactorial(k) - exact) <= 1e-13 * Math.Max(1, exact), $"ln {k}! = {table.LnFactorial(k):R} vs {exact:R}");
        }
        foreach (int k in new[] { 1000, 2500, 6000 })
        {
            // Stirling: ln k! = k ln k - k + (1/2) ln(2 pi k) + 1/(12k) - 1/(360k^3) + O(k^-5).
            double stirling = k * Math.Log(k) - k + 0.5 * Math.Log(2 * Math.PI * k) + 1.0 / (12 * k) - 1.0 / (360.0 * k * k * k);
            Assert.True(Math.Abs(table.LnFactorial(k) - stirling) <= 2e-15 * stirling, $"ln {k}! = {table.LnFactorial(k):R} vs Stirling {stirling:R}");
        }
        // ln C(n, k) against exact binomials and the symmetry C(n, k) = C(n, n - k).
        Assert.Equal(Math.Log(252), table.LnBinomial(10, 5), 13);
        Assert.Equal(0.0, table.LnBinomial(6000, 0));
        Assert.Equal(table.LnBinomial(6000, 1234), table.LnBinomial(6000, 4766), 9);
        Assert.Equal(double.NegativeInfinity, table.LnBinomial(10, 11));
        Assert.Equal(double.NegativeInfinity, table.LnBinomial(10, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => table.LnFactorial(6001));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogFactorialTable(-1));
    }
}
