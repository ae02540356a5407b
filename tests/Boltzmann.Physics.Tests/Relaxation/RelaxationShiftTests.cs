using Boltzmann.Physics.Numerics;
using Boltzmann.Physics.Relaxation;
using Boltzmann.Physics.Sk;

namespace Boltzmann.Physics.Tests.Relaxation;

/// <summary>The shift Delta and J~ of eq. 5, the eq. 4 constant, and input validation.</summary>
public class RelaxationShiftTests
{
    [Theory]
    [InlineData(1, 0.01, 1.0)]
    [InlineData(6, 0.01, 0.5)]
    [InlineData(20, 0.01, 2.0)]
    [InlineData(20, 0.3, 1.0)]
    [InlineData(64, 0.01, 1.0)]
    public void Shift_follows_eq5_and_agrees_with_authors_code(int n, double eps, double beta)
    {
        var inst = DenseReference.Instance(n, 101, 0.2);
        var relax = new SkContinuousRelaxation(inst, beta, eps);
        var (shifted, lambdaMin, delta) = DenseReference.Shift(inst, eps);
        Assert.True(Math.Abs(relax.LambdaMin - lambdaMin) <= 1e-11, $"lambda_1 {relax.LambdaMin:R} vs Jacobi {lambdaMin:R}");
        Assert.True(Math.Abs(relax.Delta - delta) <= 1e-11, $"Delta {relax.Delta:R} vs {delta:R}");
        // Authors' code: Sigma_inv = beta J + (max(0, -lambda_min(beta J)) + 0.01 beta) I, i.e. shift max(0, -lambda_1) + eps.
        double codeShift = Math.Max(0, -lambdaMin) + eps;
        Assert.True(Math.Abs(relax.Delta - codeShift) <= 1e-11, $"paper Delta {relax.Delta:R} vs authors' code {codeShift:R}");
        for (int k = 0; k < n * n; k++) Assert.True(Math.Abs(relax.ShiftedCouplings[k] - shifted[k]) <= 1e-11);
        // lambda_1(J~) = max(lambda_1(J), eps): here lambda_1(J) <= 0 (zero trace), so exactly eps.
        double shiftedMin = SymmetricEigenvalues.Smallest(relax.ShiftedCouplings, n);
        Assert.True(Math.Abs(shiftedMin - eps) <= 1e-11, $"lambda_1(J~) = {shiftedMin:R}, expected eps = {eps}");

        // eq. 4 constant from the reference's own eigenvalues of beta J~.
        var reference = DenseReference.Jacobi(shifted.Select(v => beta * v).ToArray(), n).Values;
        double logDet = reference.Sum(Math.Log);
        double expected = 0.5 * n * Math.Log(2 * Math.PI) - 0.5 * logDet + 0.5 * n * beta * delta;
        Assert.True(Math.Abs(relax.LogDetPrecision - logDet) <= 1e-9 * Math.Max(1, Math.Abs(logDet)));
        Assert.True(Math.Abs(relax.LnZxMinusLnZs - expected) <= 1e-9 * Math.Max(1, Math.Abs(expected)));
        Assert.Equal(-3.25, relax.LnZxFromLnZs(-3.25) - relax.LnZxMinusLnZs, 12);
        Assert.Equal(-3.25, relax.LnZsFromLnZx(relax.LnZxFromLnZs(-3.25)), 12);
    }

    [Fact]
    public void Exact_lnzx_uses_enumeration_and_checks_the_instance()
    {
        var inst = DenseReference.Instance(10, 5, 0.3);
        var relax = new SkContinuousRelaxation(inst, 0.7);
        var reference = new RelaxationReference(inst, 0.7, SkContinuousRelaxation.DefaultEpsilon);
        Assert.True(Math.Abs(relax.ExactLnZx() - reference.LnZx) <= 1e-10 * Math.Abs(reference.LnZx));
        var enumeration = new SkExactEnumeration(inst);
        Assert.Equal(relax.ExactLnZx(), relax.ExactLnZx(enumeration), 12);
        var other = new SkExactEnumeration(DenseReference.Instance(10, 6, 0.3));
        Assert.Throws<ArgumentException>(() => relax.ExactLnZx(other));
        var big = new SkContinuousRelaxation(DenseReference.Instance(30, 5, 0), 1.0);
        Assert.Throws<InvalidOperationException>(() => big.ExactLnZx());
    }

    [Fact]
    public void Rejects_bad_input()
    {
        var inst = DenseReference.Instance(4, 1, 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SkContinuousRelaxation(inst, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SkContinuousRelaxation(inst, double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SkContinuousRelaxation(inst, 1, 0));
        Assert.Throws<ArgumentNullException>(() => new SkContinuousRelaxation(null!, 1));

        var diag = inst.Couplings.ToArray();
        diag[5] = 0.3;   // J_11
        var ex = Assert.Throws<ArgumentException>(() => new SkContinuousRelaxation(new SkInstance(4, diag), 1));
        Assert.Contains("J_(1,1)", ex.Message);

        var relax = new SkContinuousRelaxation(inst, 1);
        Assert.Throws<ArgumentException>(() => relax.HamiltonianDensity(new double[3]));
        Assert.Throws<ArgumentException>(() => relax.HamiltonianDensities(new double[7], new double[1]));
        Assert.Throws<ArgumentException>(() => relax.HamiltonianDensities(new double[8], new double[1]));
        Assert.Throws<ArgumentException>(() => relax.HamiltonianDensities([0, 0, double.NaN, 0], new double[1]));
        var rng = new Boltzmann.Random.RandomStream(1);
        var badSpins = Assert.Throws<ArgumentException>(() => relax.SampleXGivenS(new sbyte[] { 1, -1, 0, 1 }, new double[4], ref rng));
        Assert.Contains("[0, 2]", badSpins.Message);
        Assert.Throws<ArgumentException>(() => relax.SampleXGivenS(new sbyte[] { 1, -1, 1, 1 }, new double[8], ref rng));
        Assert.Throws<ArgumentException>(() => relax.LogProbabilitySGivenX(new sbyte[] { 1, 2, 1, 1 }, new double[4]));
    }
}
