using Boltzmann.Autoregressive.Likelihood;
using Boltzmann.Random;

namespace Boltzmann.Autoregressive.Tests.Likelihood;

/// <summary>
/// The Fig. 6 statistics: an exact linear relation gives r = 1 with the generating slope and intercept; Spearman with
/// ties against a hand-computed value; the jackknife error of r for independent data is calibrated (z-scores over many
/// seeds have unit variance, and the error is close to the known 1/sqrt(m)); pairs come from the strict upper triangle.
/// </summary>
public class CouplingRecoveryTests
{
    [Fact]
    public void ExactLinearRelationIsRecovered()
    {
        var rng = RandomStreams.For(1, "coupling-recovery", 0);
        var j = Enumerable.Range(0, 300).Select(_ => rng.NextGaussian()).ToArray();
        var w = j.Select(v => -(0.01 + 0.5 * Math.Abs(v)) * Math.Sign(v)).ToArray(); // |W| = 0.01 + 0.5 |J|, signs flipped
        var r = CouplingRecovery.ComparePairs(w, j);
        Assert.Equal(300, r.Pairs);
        Assert.Equal(1.0, r.PearsonAbs.Mean, 12);
        Assert.Equal(1.0, r.SpearmanAbs.Mean, 12);
        Assert.True(r.PearsonSigned.Mean < -0.99);
        Assert.Equal(0.5, r.Slope.Mean, 12);
        Assert.Equal(0.01, r.Intercept.Mean, 12);
        Assert.True(r.Slope.StdError < 1e-12 && r.PearsonAbs.StdError < 1e-12);
    }

    [Fact]
    public void SpearmanWithTiesMatchesAHandComputation()
    {
        // ranks x = (1, 2.5, 2.5, 4), y = (1, 3, 2, 4); Pearson of the ranks = 4.5 / sqrt(4.5 * 5) = 0.948683...
        Assert.Equal([1, 2.5, 2.5, 4], CouplingRecovery.Ranks([1, 2, 2, 3]));
        Assert.Equal(4.5 / Math.Sqrt(4.5 * 5), CouplingRecovery.Spearman([1, 2, 2, 3], [1, 3, 2, 4]), 12);
    }

    [Fact]
    public void PairsAreTheStrictUpperTriangle()
    {
        const int n = 4;
        var j = new double[n * n];
        var w = new double[n * n];
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
            {
                j[a * n + b] = a == b ? 100 : a < b ? a + 2 * b : -7;  // lower triangle and diagonal must be ignored
                w[a * n + b] = a == b ? -100 : a < b ? 3 * (a + 2 * b) : 55;
            }
        var r = CouplingRecovery.Compare(w, j, n);
        Assert.Equal(6, r.Pairs);
        Assert.Equal(3.0, r.Slope.Mean, 12);
        Assert.Equal(1.0, r.PearsonSigned.Mean, 12);
    }

    [Fact]
    public void JackknifeErrorOfTheCorrelationIsCalibrated()
    {
        const int m = 400, repeats = 300;
        double sumZ2 = 0, sumErr = 0;
        for (int s = 0; s < repeats; s++)
        {
            var rng = RandomStreams.For(7, "coupling-recovery/calibration", s);
            var x = Enumerable.Range(0, m).Select(_ => rng.NextGaussian()).ToArray();
            var y = Enumerable.Range(0, m).Select(_ => rng.NextGaussian()).ToArray();
            var e = CouplingRecovery.ComparePairs(y, x).PearsonSigned;   // true correlation 0
            sumZ2 += e.Mean * e.Mean / (e.StdError * e.StdError);
            sumErr += e.StdError;
        }
        double chi2PerDof = sumZ2 / repeats;      // ~ 1 +- sqrt(2/300) = 0.08 (plus jackknife-error noise)
        Assert.InRange(chi2PerDof, 0.7, 1.35);
        Assert.InRange(sumErr / repeats * Math.Sqrt(m), 0.9, 1.1); // sd of r at rho = 0 is 1/sqrt(m)
    }

    [Fact]
    public void RejectsMismatchedOrTooFewPairs()
    {
        Assert.Throws<ArgumentException>(() => CouplingRecovery.ComparePairs([1, 2, 3], [1, 2]));
        Assert.Throws<ArgumentException>(() => CouplingRecovery.ComparePairs([1, 2], [1, 2]));
        Assert.Throws<ArgumentException>(() => CouplingRecovery.ComparePairs([1, double.NaN, 3], [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => CouplingRecovery.Compare(new double[9], new double[8], 3));
    }
}
