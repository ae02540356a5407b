using Boltzmann.Physics.Exact;
using Boltzmann.Physics.Numerics;

namespace Boltzmann.Physics.Tests.Exact;

public class Phi4SingleSiteTests
{
    [Theory]
    [InlineData(0.01)]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [InlineData(0.45)]
    public void QuadratureMatchesBesselKFormBelowOneHalf(double lambda)
    {
        double a = 1 - 2 * lambda, z = a * a / (8 * lambda);
        double closed = Math.Sqrt(a / (4 * lambda)) * Math.Exp(z) * BesselReference.KQuarter(z);
        double z0 = Phi4SingleSite.Z0(lambda);
        Assert.True(Math.Abs(z0 / closed - 1) < 1e-12, $"{z0} vs {closed}");
    }

    [Theory]
    [InlineData(0.6)]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(5.0)]
    public void QuadratureMatchesBesselIFormAboveOneHalf(double lambda)
    {
        double a = 1 - 2 * lambda, z = a * a / (8 * lambda);
        double closed = 0.5 * Math.PI * Math.Sqrt(Math.Abs(a) / (2 * lambda)) * Math.Exp(z)
                        * (BesselReference.I(-0.25, z) + BesselReference.I(0.25, z));
        double z0 = Phi4SingleSite.Z0(lambda);
        Assert.True(Math.Abs(z0 / closed - 1) < 1e-12, $"{z0} vs {closed}");
    }

    [Fact]
    public void GaussianAndQuarticLimits()
    {
        // λ = 0: ∫ e^{−φ²} = √π, ⟨φ²⟩ = 1/2, ⟨φ⁴⟩ = 3/4. λ = 1/2 (pure quartic): ∫ e^{−φ⁴/2} = 2^{1/4} Γ(1/4)/2.
        Assert.True(Math.Abs(Phi4SingleSite.Z0(0) - Math.Sqrt(Math.PI)) < 1e-14);
        Assert.True(Math.Abs(Phi4SingleSite.MeanPhiSquared(0) - 0.5) < 1e-14);
        Assert.True(Math.Abs(Phi4SingleSite.MeanPhiFourth(0) - 0.75) < 1e-14);
        double quartic = Math.Pow(2, 0.25) * BesselReference.GammaQuarter / 2;
        Assert.True(Math.Abs(Phi4SingleSite.Z0(0.5) / quartic - 1) < 1e-13);
    }

    [Theory]
    [InlineData(0.02)]
    [InlineData(0.5)]
    [InlineData(1.5)]
    [InlineData(10)]
    public void MomentsSatisfyTheSchwingerDysonIdentity(double lambda)
    {
        // Integration by parts: ⟨φ ∂S/∂φ⟩ = 1, i.e. 2(1 − 2λ)⟨φ²⟩ + 4λ⟨φ⁴⟩ = 1.
        double lhs = 2 * (1 - 2 * lambda) * Phi4SingleSite.MeanPhiSquared(lambda) + 4 * lambda * Phi4SingleSite.MeanPhiFourth(lambda);
        Assert.True(Math.Abs(lhs - 1) < 1e-12, $"{lhs}");
        double density = (1 - 2 * lambda) * Phi4SingleSite.MeanPhiSquared(lambda) + lambda * Phi4SingleSite.MeanPhiFourth(lambda);
        Assert.Equal(density, Phi4SingleSite.ActionDensity(lambda), 14);
    }
}

public class FreeScalarFieldTests
{
    [Theory]
    [InlineData(3, 4, 0.2)]
    [InlineData(4, 4, 0.24)]
    [InlineData(2, 3, -0.1)]
    [InlineData(4, 4, 0.0)]
    public void MatchesDenseGaussianAlgebra(int l, int t, double kappa)
    {
        int v = l * t;
        var a = HoppingMatrix(l, t, kappa);
        var chol = new CholeskyFactorization(a, v);
        double lnZDense = 0.5 * v * Math.Log(Math.PI) - 0.5 * chol.LogDeterminant;
        Assert.True(Math.Abs(FreeScalarField.LnZ(l, t, kappa) - lnZDense) < 1e-12);

        // ⟨φφᵀ⟩ = A⁻¹/2 column by column.
        var cov = FreeScalarField.Covariance(l, t, kappa);
        var e = new double[v]; var col = new double[v];
        double maxDiff = 0, sumAll = 0, hop = 0;
        for (int j = 0; j < v; j++)
        {
            Array.Clear(e); e[j] = 1; chol.Solve(e, col);
            for (int i = 0; i < v; i++) { maxDiff = Math.Max(maxDiff, Math.Abs(0.5 * col[i] - cov[i * v + j])); sumAll += 0.5 * col[i]; }
        }
        Assert.True(maxDiff < 1e-13, $"propagator max diff {maxDiff}");
        Assert.True(Math.Abs(sumAll / ((double)v * v) - FreeScalarField.MeanMagnetizationSquared(l, t, kappa)) < 1e-13);

        // ∂ ln Z/∂κ = ⟨2 Σ_x Σ_μ φ_x φ_{x+μ}⟩ from the dense covariance, and equals a central difference of ln Z.
        for (int x = 0; x < l; x++)
            for (int y = 0; y < t; y++)
            {
                int s = x * t + y;
                hop += 2 * cov[s * v + ((x + 1) % l) * t + y] + 2 * cov[s * v + x * t + (y + 1) % t];
            }
        Assert.True(Math.Abs(FreeScalarField.DLnZDKappa(l, t, kappa) - hop) < 1e-12, $"{FreeScalarField.DLnZDKappa(l, t, kappa)} vs {hop}");
        double h = 1e-6;
        double fd = (FreeScalarField.LnZ(l, t, kappa + h) - FreeScalarField.LnZ(l, t, kappa - h)) / (2 * h);
        Assert.True(Math.Abs(fd - hop) < 1e-6 * Math.Max(1, Math.Abs(hop)), $"{fd} vs {hop}");

        // ⟨S⟩ = ⟨φᵀAφ⟩ = Tr(A · A⁻¹/2) = V/2.
        double trace = 0;
        for (int i = 0; i < v; i++) for (int j = 0; j < v; j++) trace += a[i * v + j] * cov[j * v + i];
        Assert.True(Math.Abs(trace / v - FreeScalarField.ActionDensity(l, t, kappa)) < 1e-13);
    }

    [Fact]
    public void RejectsKappaAboveTheZeroModeInstability() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FreeScalarField.LnZ(4, 4, 0.25));

    // A = 1 − κ𝒜 from S = Σ_x [φ_x² − 2κ Σ_μ φ_x φ_{x+μ}] = φᵀAφ (each forward bond split symmetrically).
    private static double[] HoppingMatrix(int l, int t, double kappa)
    {
        int v = l * t;
        var a = new double[v * v];
        for (int x = 0; x < l; x++)
            for (int y = 0; y < t; y++)
            {
                int s = x * t + y;
                a[s * v + s] += 1;
                foreach (int n in new[] { ((x + 1) % l) * t + y, x * t + (y + 1) % t })
                {
                    a[s * v + n] -= kappa;
                    a[n * v + s] -= kappa;
                }
            }
        return a;
    }
}

/// <summary>Bessel functions of fractional order for the closed-form checks only (series and integral forms).</summary>
internal static class BesselReference
{
    public const double GammaQuarter = 3.6256099082219083119306851558676720029951676828800654674333799956991924353872;

    /// <summary>I_ν(z) = Σ_k (z/2)^{2k+ν}/(k! Γ(k+ν+1)) for ν = ±1/4, with Γ(5/4) = Γ(1/4)/4 and Γ(3/4) = π√2/Γ(1/4).</summary>
    public static double I(double nu, double z)
    {
        double gamma = nu > 0 ? GammaQuarter / 4 : Math.PI * Math.Sqrt(2) / GammaQuarter; // Γ(ν + 1)
        double term = Math.Pow(z / 2, nu) / gamma, sum = term, q = z * z / 4;
        for (int k = 0; k < 10000; k++)
        {
            term *= q / ((k + 1) * (k + 1 + nu));
            sum += term;
            if (term < 1e-18 * sum && k > z) break;
        }
        return sum;
    }

    /// <summary>K_{1/4}(z) = ∫_0^∞ e^{−z cosh t} cosh(t/4) dt by the trapezoid rule (doubly exponential decay).</summary>
    public static double KQuarter(double z)
    {
        const double h = 0.005;
        double sum = 0.5 * Math.Exp(-z);
        for (int i = 1; ; i++)
        {
            double t = i * h, f = Math.Exp(-z * Math.Cosh(t)) * Math.Cosh(0.25 * t);
            sum += f;
            if (f < 1e-20 * sum) break;
        }
        return sum * h;
    }
}
