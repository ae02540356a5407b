using Boltzmann.Physics.Relaxation;
using Boltzmann.Random;
using Boltzmann.Statistics;
using Xunit.Abstractions;

namespace Boltzmann.Physics.Tests.Relaxation;

/// <summary>
/// The conditionals of eqs. 6 and 7: p(s|x) against Bayes' rule, the mean and covariance of x|s, and Gibbs
/// consistency s -&gt; x -&gt; s' against the exact p(s).
/// </summary>
public class ConditionalSamplingTests(ITestOutputHelper output)
{
    /// <summary>p(s|x) = p(x|s) p(s) / sum_s' p(x|s') p(s') for all 2^N s, with the reference Gaussian and exact p(s).</summary>
    [Theory]
    [InlineData(4, 1.0, 0.3)]
    [InlineData(8, 0.7, 0.2)]
    [InlineData(8, 2.0, 0.0)]
    public void Spin_conditional_matches_bayes(int n, double beta, double fieldScale)
    {
        var inst = DenseReference.Instance(n, 505, fieldScale);
        var relax = new SkContinuousRelaxation(inst, beta);
        var reference = new RelaxationReference(inst, beta, SkContinuousRelaxation.DefaultEpsilon);
        var rng = new RandomStream(3);
        var cumulative = reference.Cumulative();
        var up = new double[n];
        for (int trial = 0; trial < 6; trial++)
        {
            var x = reference.SampleGaussian(reference.Configurations[reference.SampleSpinIndex(cumulative, ref rng)], ref rng);
            double logPx = reference.LogMarginal(x);
            var marginalUp = new double[n];
            double total = 0;
            for (int c = 0; c < reference.Configurations.Length; c++)
            {
                var s = reference.Configurations[c];
                double bayes = Math.Exp(Math.Log(reference.SpinProbabilities[c]) + reference.LogGaussian(x, s) - logPx);
                double model = Math.Exp(relax.LogProbabilitySGivenX(s, x));
                Assert.True(Math.Abs(model - bayes) <= 1e-10, $"p(s={c}|x) = {model:R} vs Bayes {bayes:R}");
                total += model;
                for (int i = 0; i < n; i++) if (s[i] == 1) marginalUp[i] += bayes;
            }
            Assert.Equal(1.0, total, 10);
            relax.SpinUpProbabilities(x, up);
            for (int i = 0; i < n; i++) Assert.True(Math.Abs(up[i] - marginalUp[i]) <= 1e-10, $"P(s_{i}=+1|x) = {up[i]:R} vs Bayes {marginalUp[i]:R}");
        }
    }

    /// <summary>x|s ~ N(s, (beta J~)^{-1}): sample mean and covariance of 100k draws against the exact values, each within
    /// 4.5 standard errors (SE of a covariance entry sqrt((S_ii S_jj + S_ij^2)/M) for Gaussian data).</summary>
    [Fact]
    public void Gaussian_conditional_has_exact_mean_and_covariance()
    {
        const int n = 5, m = 100_000;
        const double beta = 0.8;
        var inst = DenseReference.Instance(n, 606, 0.3);
        var relax = new SkContinuousRelaxation(inst, beta);
        var reference = new RelaxationReference(inst, beta, SkContinuousRelaxation.DefaultEpsilon);
        var (sigma, _) = DenseReference.GaussJordan(reference.Precision, n);
        sbyte[] s = [1, -1, 1, 1, -1];
        var spins = new sbyte[m * n];
        for (int r = 0; r < m; r++) s.CopyTo(spins, r * n);
        var xs = new double[m * n];
        var rng = RandomStreams.For(99, "physics-tests/x-given-s");
        relax.SampleXGivenS(spins, xs, ref rng);

        var mean = new double[n];
        for (int r = 0; r < m; r++) for (int i = 0; i < n; i++) mean[i] += xs[r * n + i] / m;
        var cov = new double[n * n];
        for (int r = 0; r < m; r++)
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    cov[i * n + j] += (xs[r * n + i] - mean[i]) * (xs[r * n + j] - mean[j]) / (m - 1);
        double worst = 0;
        for (int i = 0; i < n; i++)
        {
            double se = Math.Sqrt(sigma[i * n + i] / m);
            double z = Math.Abs(mean[i] - s[i]) / se;
            worst = Math.Max(worst, z);
            Assert.True(z <= 4.5, $"mean_{i} = {mean[i]:F5}, expected {s[i]}, {z:F1} sigma");
            for (int j = 0; j <= i; j++)
            {
                double sij = sigma[i * n + j];
                double seCov = Math.Sqrt((sigma[i * n + i] * sigma[j * n + j] + sij * sij) / m);
                double zc = Math.Abs(cov[i * n + j] - sij) / seCov;
                worst = Math.Max(worst, zc);
                Assert.True(zc <= 4.5, $"cov_{i}{j} = {cov[i * n + j]:F5}, expected {sij:F5}, {zc:F1} sigma");
            }
        }
        output.WriteLine($"x|s: largest deviation of 20 mean/covariance checks = {worst:F2} sigma (Sigma_00 = {sigma[0]:F3}, largest variance {Enumerable.Range(0, n).Max(i => sigma[i * n + i]):F3})");
    }

    [Fact]
    public void Samplers_consume_the_stream_row_by_row_and_float_matches_double()
    {
        const int n = 9, rows = 130;
        var relax = new SkContinuousRelaxation(DenseReference.Instance(n, 707, 0.1), 1.3);
        var gen = new RandomStream(5);
        var spins = new sbyte[rows * n];
        for (int k = 0; k < spins.Length; k++) spins[k] = gen.NextInt(2) == 1 ? (sbyte)1 : (sbyte)-1;

        var batchRng = new RandomStream(42);
        var batch = new double[rows * n];
        relax.SampleXGivenS(spins, batch, ref batchRng);
        var rowRng = new RandomStream(42);
        var single = new double[n];
        for (int r = 0; r < rows; r++)
        {
            relax.SampleXGivenS(spins.AsSpan(r * n, n), single, ref rowRng);
            for (int i = 0; i < n; i++) Assert.Equal(single[i], batch[r * n + i], 13);
        }
        Assert.Equal(batchRng.NextUInt64(), rowRng.NextUInt64());

        var floatRng = new RandomStream(42);
        var asFloat = new float[rows * n];
        relax.SampleXGivenS(spins, asFloat, ref floatRng);
        for (int k = 0; k < batch.Length; k++) Assert.Equal((float)batch[k], asFloat[k]);

        var s1 = new sbyte[rows * n];
        var s2 = new sbyte[n];
        var sRng = new RandomStream(8);
        relax.SampleSGivenX(batch, s1, ref sRng);
        var sRowRng = new RandomStream(8);
        for (int r = 0; r < rows; r++)
        {
            relax.SampleSGivenX(batch.AsSpan(r * n, n), s2, ref sRowRng);
            Assert.True(s2.AsSpan().SequenceEqual(s1.AsSpan(r * n, n)));
        }
    }

    /// <summary>
    /// Gibbs consistency: s ~ exact p(s), x ~ p(x|s) (eq. 6), s' ~ p(s'|x) (eq. 7) must give s' ~ p(s). 200k independent
    /// triples, so the histogram of s' is multinomial: chi^2 over bins (bins with expectation &lt; 20 pooled) must stay
    /// below dof + 4 sqrt(2 dof). A negative control draws x at the wrong temperature and must fail that bound.
    /// </summary>
    [Theory]
    [InlineData(6, 1.0, 0.3)]
    [InlineData(8, 0.5, 0.2)]
    public void Spin_to_x_to_spin_preserves_exact_distribution(int n, double beta, double fieldScale)
    {
        const int m = 200_000;
        var inst = DenseReference.Instance(n, 808, fieldScale);
        var relax = new SkContinuousRelaxation(inst, beta);
        var wrong = new SkContinuousRelaxation(inst, 1.6 * beta);
        var reference = new RelaxationReference(inst, beta, SkContinuousRelaxation.DefaultEpsilon);
        var cumulative = reference.Cumulative();
        var rng = RandomStreams.For(77, "physics-tests/gibbs", n);
        var spins = new sbyte[m * n];
        for (int r = 0; r < m; r++) reference.Configurations[reference.SampleSpinIndex(cumulative, ref rng)].CopyTo(spins, r * n);

        double Chi2(SkContinuousRelaxation xSampler, ref RandomStream stream, out int dof)
        {
            var xs = new double[m * n];
            xSampler.SampleXGivenS(spins, xs, ref stream);
            var next = new sbyte[m * n];
            relax.SampleSGivenX(xs, next, ref stream);
            var counts = new long[1 << n];
            for (int r = 0; r < m; r++) counts[RelaxationReference.IndexOf(next.AsSpan(r * n, n))]++;
            double chi2 = 0, pooledObserved = 0, pooledExpected = 0;
            int bins = 0;
            for (int c = 0; c < counts.Length; c++)
            {
                double expected = m * reference.SpinProbabilities[c];
                if (expected < 20) { pooledObserved += counts[c]; pooledExpected += expected; continue; }
                chi2 += (counts[c] - expected) * (counts[c] - expected) / expected;
                bins++;
            }
            if (pooledExpected > 0) { chi2 += (pooledObserved - pooledExpected) * (pooledObserved - pooledExpected) / pooledExpected; bins++; }
            dof = bins - 1;
            return chi2;
        }

        double chi2 = Chi2(relax, ref rng, out int dof);
        double bound = dof + 4 * Math.Sqrt(2.0 * dof);
        double control = Chi2(wrong, ref rng, out int dofControl);
        output.WriteLine($"N={n} beta={beta}: chi^2 = {chi2:F1} for {dof} dof (bound {bound:F1}); wrong-temperature control chi^2 = {control:F1} ({dofControl} dof)");
        Assert.True(chi2 <= bound, $"chi^2 = {chi2:F1} exceeds {bound:F1} ({dof} dof)");
        Assert.True(control > dofControl + 4 * Math.Sqrt(2.0 * dofControl), $"the negative control was not detected: chi^2 = {control:F1}");
    }

    /// <summary>A Gibbs chain s -&gt; x -&gt; s -&gt; ... samples p(s): &lt;H&gt; and &lt;m^2&gt; against exact values within 4 standard
    /// errors from the Gamma-method tau_int.</summary>
    [Fact]
    public void Gibbs_chain_reproduces_exact_averages()
    {
        const int n = 8, steps = 100_000;
        const double beta = 0.9;
        var inst = DenseReference.Instance(n, 909, 0.25);
        var relax = new SkContinuousRelaxation(inst, beta);
        var reference = new RelaxationReference(inst, beta, SkContinuousRelaxation.DefaultEpsilon);
        double exactE = 0, exactM2 = 0;
        for (int c = 0; c < reference.Configurations.Length; c++)
        {
            var s0 = reference.Configurations[c];
            double mag = s0.Sum(v => (double)v) / n;
            exactE += reference.SpinProbabilities[c] * inst.Energy(s0);
            exactM2 += reference.SpinProbabilities[c] * mag * mag;
        }
        var rng = RandomStreams.For(5, "physics-tests/gibbs-chain");
        var s = new sbyte[n];
        Array.Fill(s, (sbyte)1);
        var x = new double[n];
        var energies = new double[steps];
        var m2 = new double[steps];
        for (int t = 0; t < 1000 + steps; t++)
        {
            relax.SampleXGivenS(s, x, ref rng);
            relax.SampleSGivenX(x, s, ref rng);
            if (t < 1000) continue;
            energies[t - 1000] = inst.Energy(s);
            double mag = s.Sum(v => (double)v) / n;
            m2[t - 1000] = mag * mag;
        }
        var e = IntegratedAutocorrelation.Estimate(energies);
        var q = IntegratedAutocorrelation.Estimate(m2);
        output.WriteLine($"Gibbs chain: <H> = {e} vs exact {exactE:F5} ({e.Deviation(exactE):F2} sigma); <m^2> = {q} vs exact {exactM2:F5} ({q.Deviation(exactM2):F2} sigma)");
        Assert.True(e.Deviation(exactE) <= 4, $"<H> {e} vs exact {exactE}");
        Assert.True(q.Deviation(exactM2) <= 4, $"<m^2> {q} vs exact {exactM2}");
    }
}
