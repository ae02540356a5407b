using Boltzmann.Random;
using Boltzmann.Stages.Nis.Evaluation;

namespace Boltzmann.Stages.Nis.Tests;

/// <summary>
/// <see cref="Phi4NisEstimates"/> on a one-dimensional two-mode target with exact answers (no flow needed): p~(x) =
/// c [N(x; a, 1) + N(x; −a, 1)] / 2 with ln Z = ln c, and (1) q = p (full support): F_q = F_p = −ln c, ŵ = 1,
/// both ESS = 1; (2) q = N(a, 1), a mode-dropping model: ŵ = 1/2 within errors, reverse ESS ≈ 1 (q is blind to the
/// missing mode) while the forward ESS collapses — the signature the mode-dropping figure shows.
/// </summary>
public class NisEstimatesTests
{
    private const double A = 6, LnC = 3.7;
    private const int N = 40_000;

    private static double LogNormal(double x, double mu) => -0.5 * (x - mu) * (x - mu) - 0.5 * Math.Log(2 * Math.PI);

    private static double LogTarget(double x) => LnC + Math.Log(0.5 * Math.Exp(LogNormal(x, A)) + 0.5 * Math.Exp(LogNormal(x, -A)));

    private static double[] Draw(ref RandomStream rng, bool bothModes)
    {
        var x = new double[N];
        for (int i = 0; i < N; i++)
        {
            double u1 = rng.NextDouble(), u2 = rng.NextDouble();
            double g = Math.Sqrt(-2 * Math.Log(1 - u1)) * Math.Cos(2 * Math.PI * u2);
            x[i] = g + (bothModes && rng.NextDouble() < 0.5 ? -A : A);
        }
        return x;
    }

    private static Phi4NisEstimates.Result Run(bool modelCoversBoth)
    {
        var rng = RandomStreams.For(7, "nis-estimates");
        double LogQ(double x) => modelCoversBoth ? LogTarget(x) - LnC : LogNormal(x, A);
        var xq = Draw(ref rng, modelCoversBoth);
        var xp = Draw(ref rng, bothModes: true);
        return Phi4NisEstimates.Compute(
            xq.Select(LogTarget).ToArray(), xq.Select(LogQ).ToArray(), xq.Select(Math.Abs).ToArray(), xq.Select(x => x * x).ToArray(), volume: 1,
            xp.Select(LogTarget).ToArray(), xp.Select(LogQ).ToArray(), RandomStreams.For(7, "nmcmc"));
    }

    [Fact]
    public void ExactModelGivesExactFreeEnergiesUnitEssAndUnitWHat()
    {
        var e = Run(modelCoversBoth: true);
        Assert.Equal(-LnC, e.Fq.BiasCorrected, 10);
        Assert.Equal(-LnC, e.Fp!.Value.BiasCorrected, 10);
        Assert.Equal(1, e.EssReverse.Mean, 10);
        Assert.Equal(1, e.EssForward!.Value.Mean, 10);
        Assert.Equal(1, e.WHat!.Value.Mean, 10);
        Assert.Equal(1, e.NmcmcAcceptance.Mean, 10);
        Assert.True(e.AbsM.Deviation(A) < 4, $"<|x|> = {e.AbsM}");
        Assert.True(e.Chi.Deviation(1) < 4, $"chi = {e.Chi}");       // Var(|x|) = 1 up to e^{-A²/2}
    }

    [Fact]
    public void ModeDroppingModelShowsHalfWHatHighReverseEssAndLowForwardEss()
    {
        var e = Run(modelCoversBoth: false);
        Assert.True(e.WHat!.Value.Deviation(0.5) < 4, $"w-hat = {e.WHat}");
        Assert.True(e.WHat.Value.StdError < 0.02);
        Assert.True(e.EssReverse.Mean > 0.99, $"reverse ESS {e.EssReverse}");
        Assert.True(e.EssForward!.Value.Mean < 0.1, $"forward ESS {e.EssForward}");
        // F_q misses ln 2: it sees only half of Z.
        Assert.True(Math.Abs(e.Fq.BiasCorrected - (-(LnC - Math.Log(2)))) < 4 * e.Fq.StdError + 1e-9, $"F_q = {e.Fq}");
    }

    [Fact]
    public void NonFiniteOrAllZeroWeightsNameStageKappaAndStep()
    {
        var ex = Assert.Throws<ImportanceWeightException>(() =>
            ImportanceWeightException.ThrowIfUnusable("eval-reverse", 0.28, 400, "flow", [0.0, double.NaN], [0.0, 1.0]));
        Assert.Contains("eval-reverse", ex.Message);
        Assert.Contains("kappa = 0.28", ex.Message);
        Assert.Contains("400 steps", ex.Message);
        ex = Assert.Throws<ImportanceWeightException>(() =>
            ImportanceWeightException.ThrowIfUnusable("eval-forward", 0.3, 12, "flow", [double.NegativeInfinity, double.NegativeInfinity], [0.0, 1.0]));
        Assert.Contains("every importance weight", ex.Message);
        Assert.Contains("kappa = 0.3", ex.Message);
    }
}
