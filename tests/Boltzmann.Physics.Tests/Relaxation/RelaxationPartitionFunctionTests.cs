using Boltzmann.Physics.Relaxation;
using Boltzmann.Random;
using Xunit.Abstractions;

namespace Boltzmann.Physics.Tests.Relaxation;

/// <summary>
/// ln Z_x from eq. 4 (with exact ln Z_s) against independent evaluations of Z_x = integral e^{-beta H_beta(x)} dx:
/// the pointwise mixture identity, deterministic quadrature (N = 2, 3) and importance sampling (N = 8, 10).
/// </summary>
public class RelaxationPartitionFunctionTests(ITestOutputHelper output)
{
    /// <summary>
    /// e^{-beta H_beta(x)} / Z_x = sum_s p(s) N(x; s, (beta J~)^{-1}) at every x: eqs. 3 and 4 together, checked pointwise
    /// against the reference mixture (own eigen-decomposition, own p(s)).
    /// </summary>
    [Theory]
    [InlineData(1, 1.0, 0.5)]
    [InlineData(3, 0.5, 0.3)]
    [InlineData(6, 1.0, 0.3)]
    [InlineData(9, 2.0, 0.2)]
    [InlineData(9, 0.2, 0.0)]
    public void Density_equals_gaussian_mixture_pointwise(int n, double beta, double fieldScale)
    {
        var inst = DenseReference.Instance(n, 202, fieldScale);
        var relax = new SkContinuousRelaxation(inst, beta);
        var reference = new RelaxationReference(inst, beta, SkContinuousRelaxation.DefaultEpsilon);
        double lnZx = relax.LnZxFromLnZs(reference.LnZs);
        var rng = new RandomStream(77);
        var cumulative = reference.Cumulative();
        for (int trial = 0; trial < 40; trial++)
        {
            // Points from the mixture itself plus far-out points (scaled by 3) to probe the tails.
            var s = reference.Configurations[reference.SampleSpinIndex(cumulative, ref rng)];
            var x = reference.SampleGaussian(s, ref rng);
            if (trial % 4 == 3) for (int i = 0; i < n; i++) x[i] *= 3;
            double lhs = relax.LogUnnormalizedDensity(x) - lnZx;
            double rhs = reference.LogMarginal(x);
            Assert.True(Math.Abs(lhs - rhs) <= 1e-9 * Math.Max(1, Math.Abs(rhs)), $"N={n} beta={beta} trial {trial}: ln p(x) {lhs:R} vs mixture {rhs:R}");
        }
    }

    /// <summary>Z_x by the trapezoid rule on a grid aligned with the eigenvectors of beta J~ (exponentially convergent
    /// for this entire integrand), against eq. 4 with ln Z_s from <c>SkExactEnumeration</c>.</summary>
    [Theory]
    [InlineData(2, 1.0, 0.4)]
    [InlineData(2, 3.0, 0.0)]
    [InlineData(3, 0.5, 0.3)]
    [InlineData(3, 1.5, 0.3)]
    public void Quadrature_matches_eq4(int n, double beta, double fieldScale)
    {
        var inst = DenseReference.Instance(n, 303, fieldScale);
        var relax = new SkContinuousRelaxation(inst, beta);
        var reference = new RelaxationReference(inst, beta, SkContinuousRelaxation.DefaultEpsilon);
        var kappa = reference.PrecisionEigenvalues;
        var v = reference.PrecisionEigenvectors;
        var sigma = kappa.Select(k => 1 / Math.Sqrt(k)).ToArray();
        var step = sigma.Select(s => s / 4).ToArray();
        var half = sigma.Select(s => (int)Math.Ceiling((Math.Sqrt(n) + 12 * s) / (s / 4))).ToArray();
        var counts = half.Select(h => 2 * h + 1).ToArray();
        int lineLength = counts[n - 1];
        var line = new double[lineLength * n];
        var values = new double[lineLength];
        double sum = 0, offset = relax.LogUnnormalizedDensity(new double[n]);   // fixed offset keeps exp() in range
        var index = new int[n - 1];
        while (true)
        {
            for (int p = 0; p < lineLength; p++)
            {
                for (int i = 0; i < n; i++) line[p * n + i] = 0;
                for (int k = 0; k < n; k++)
                {
                    double y = k == n - 1 ? (p - half[k]) * step[k] : (index[k] - half[k]) * step[k];
                    for (int i = 0; i < n; i++) line[p * n + i] += v[i * n + k] * y;
                }
            }
            relax.LogUnnormalizedDensities(line, values);
            foreach (double lv in values) sum += Math.Exp(lv - offset);
            int d = 0;
            while (d < n - 1 && ++index[d] == counts[d]) { index[d] = 0; d++; }
            if (d == n - 1) break;
        }
        double cell = step.Aggregate(1.0, (a, b) => a * b);
        double lnZxQuadrature = Math.Log(sum * cell) + offset;
        double lnZxExact = relax.ExactLnZx();
        output.WriteLine($"N={n} beta={beta}: quadrature ln Z_x = {lnZxQuadrature:R}, eq. 4 = {lnZxExact:R}, reference eq. 4 = {reference.LnZx:R}");
        Assert.True(Math.Abs(lnZxQuadrature - lnZxExact) <= 1e-9, $"quadrature {lnZxQuadrature:R} vs eq. 4 {lnZxExact:R}");
    }

    /// <summary>
    /// Importance sampling of Z_x with the uniform Gaussian mixture q(x) = 2^{-N} sum_s N(x; s, (beta J~)^{-1}), which
    /// does not know p(s): w = e^{-beta H_beta(x)} / q(x) has E_q[w] = Z_x. IID draws, so the error is the plain standard
    /// error of the mean of w / Z_x; the check is |mean - 1| &lt;= 4 standard errors.
    /// </summary>
    [Theory]
    [InlineData(8, 0.7, 0.3, 30000)]
    [InlineData(10, 0.6, 0.2, 12000)]
    public void Importance_sampling_matches_eq4(int n, double beta, double fieldScale, int samples)
    {
        var inst = DenseReference.Instance(n, 404, fieldScale);
        var relax = new SkContinuousRelaxation(inst, beta);
        var reference = new RelaxationReference(inst, beta, SkContinuousRelaxation.DefaultEpsilon);
        double lnZx = relax.ExactLnZx();
        var rng = RandomStreams.For(2026, "physics-tests/relaxation-is", n);
        var xs = new double[samples * n];
        var logQ = new double[samples];
        var s = new sbyte[n];
        for (int r = 0; r < samples; r++)
        {
            for (int i = 0; i < n; i++) s[i] = rng.NextInt(2) == 1 ? (sbyte)1 : (sbyte)-1;
            var x = reference.SampleGaussian(s, ref rng);
            x.CopyTo(xs, r * n);
            logQ[r] = reference.LogUniformMixture(x);
        }
        var logP = new double[samples];
        relax.LogUnnormalizedDensities(xs, logP);
        var w = new double[samples];
        for (int r = 0; r < samples; r++) w[r] = Math.Exp(logP[r] - lnZx - logQ[r]);
        double mean = w.Average();
        double sd = Math.Sqrt(w.Sum(v => (v - mean) * (v - mean)) / (samples - 1));
        double se = sd / Math.Sqrt(samples);
        output.WriteLine($"N={n} beta={beta}: E_q[w]/Z_x = {mean:F5} +- {se:F5} (ln Z_x IS = {lnZx + Math.Log(mean):F5}, eq. 4 = {lnZx:F5}; ESS/N = {mean * mean / (sd * sd + mean * mean):F3})");
        Assert.True(Math.Abs(mean - 1) <= 4 * se, $"E_q[w]/Z_x = {mean} +- {se}: {Math.Abs(mean - 1) / se:F1} sigma from 1");
        Assert.True(se < 0.05, $"standard error {se} too large for a meaningful check");
    }
}
