using Boltzmann.Data.Figures;

namespace Boltzmann.Cli.Tests;

/// <summary>
/// Physics checks on the figure data the learned pipelines publish in the smoke profile. Training is not
/// deterministic across CPUs, so these are statistical statements (4 sigma of the published error bars, or
/// inequalities that hold for any sampler) rather than snapshots. The smoke profile trains for a few dozen steps,
/// so only what such short runs support is claimed: e.g. the flows at T = 0.3 are mode-collapsed and the ARNNs
/// after 3-4 epochs do not reproduce P(q), so neither is asserted to match the exact result.
/// </summary>
internal static class PublishedFigureValues
{
    private const double Sigmas = 4;

    /// <summary>Error floor of a histogram bin: a bin with no samples has a zero error bar but is not exact.</summary>
    private const double BinErrorFloor = 5e-3;

    public static void Check(string pipeline, string artifacts)
    {
        switch (pipeline)
        {
            case "sk-flow": SkFlow(Path.Combine(artifacts, pipeline)); break;
            case "cw-arnn": CwArnn(Path.Combine(artifacts, pipeline)); break;
            case "sk-arnn": SkArnn(Path.Combine(artifacts, pipeline)); break;
            case "l2hmc": L2hmc(Path.Combine(artifacts, pipeline)); break;
            case "neuralrg": NeuralRg(Path.Combine(artifacts, pipeline)); break;
            case "phi4-nis": Phi4Nis(Path.Combine(artifacts, pipeline)); break;
            default: throw new ArgumentOutOfRangeException(nameof(pipeline), pipeline, "no value checks for this pipeline");
        }
    }

    private static void SkFlow(string dir)
    {
        // Fig. 4, N = 8 against exact enumeration: PT samples P_J(q) at both temperatures; the flows trained on
        // data (forward and online KL) do so in the paramagnetic phase T = 2, where they are not mode-collapsed.
        var fig4 = Read(dir, "small-figures/hartnett-fig4");
        foreach (var panel in new[] { "T=0.3", "T=2" })
        {
            AssertNormalisedAndSymmetric(fig4, panel, "exact");
            AssertHistogramMatchesExact(fig4, panel, "PT");
        }
        AssertHistogramMatchesExact(fig4, "T=2", "forward");
        AssertHistogramMatchesExact(fig4, "T=2", "online");

        foreach (var figures in new[] { "small-figures", "large-figures" })
        {
            // Fig. 2 (reverse-KL flows): the Gibbs free energy G_x = F_x + T KL(q || p) is a variational upper bound
            // on the Helmholtz free energy (exact for N = 8, thermodynamic integration of PT for N = 24) ...
            var fig2 = Read(dir, $"{figures}/hartnett-fig2");
            var helmholtz = Series(fig2, "free-energy", "Helmholtz F_x/N (reference)");
            foreach (var g in Series(fig2, "free-energy", "Gibbs G_x/N"))
            {
                var f = helmholtz.Single(p => p.X == g.X);
                Assert.True(g.Y >= f.Y - Sigmas * (g.YErr + f.YErr), $"{figures} T = {g.X}: G_x/N = {g.Y} +- {g.YErr} below F_x/N = {f.Y}");
            }
            // ... and the NIS estimate of ln Z_x cannot exceed the true one beyond noise (Jensen: E ln Z_NIS <= ln Z),
            // so the KL computed with the NIS F_x is not above the one computed with the reference F_x.
            var klReference = Series(fig2, "kl", "reverse KL");
            foreach (var nis in Series(fig2, "kl", "reverse KL (NIS F_x)"))
            {
                var reference = klReference.Single(p => p.X == nis.X);
                Assert.True(nis.Y <= reference.Y + Sigmas * (nis.YErr + reference.YErr),
                    $"{figures} T = {nis.X}: NIS ln Z above the reference (KL with NIS F_x {nis.Y} +- {nis.YErr} > {reference.Y} +- {reference.YErr})");
                Assert.True(reference.Y >= -Sigmas * reference.YErr, $"{figures} T = {reference.X}: negative KL {reference.Y} +- {reference.YErr}");
            }
        }
    }

    private static void NeuralRg(string dir)
    {
        // The variational ln Z_x of every model is a lower bound of the exact value (within 4 sigma of the batch noise),
        // and the relative free-energy error of every logged epoch is above -10% (exact bound; smoke noise is ~2%).
        var lnz = Read(dir, "neuralrg-figures/li-wang-lnz");
        foreach (var p in lnz.Points.Where(p => p.Series.StartsWith("variational", StringComparison.Ordinal)))
            Assert.True(p.Y <= 4 * p.YErr, $"L = {p.X} {p.Series}: variational ln Z_x - exact = {p.Y} +- {p.YErr}");
        var fig3 = Read(dir, "neuralrg-figures/li-wang-fig3");
        Assert.Contains(fig3.Points, p => p.Panel == "structure-factor" && p.Series.StartsWith("latent", StringComparison.Ordinal));
        foreach (var p in fig3.Points.Where(p => p.Panel == "free-energy"))
            Assert.True(p.Y > -0.1, $"{p.Series} epoch {p.X}: relative free-energy error {p.Y} below the exact bound");
        var fig4 = Read(dir, "neuralrg-figures/li-wang-fig4");
        Assert.Equal(6, fig4.Panels.Count);
    }

    private static void CwArnn(string dir)
    {
        var fig4 = Read(dir, "figures/biazzo-fig4");
        // CW_N is the exact autoregressive factorisation of the Curie-Weiss Boltzmann distribution: its free energy
        // is exact to rounding at every beta and N, without training.
        foreach (var panel in new[] { "A1", "A2", "A3" })
            foreach (var p in Series(fig4, panel, "CW_N"))
                Assert.True(p.Y <= 1e-12, $"{panel} beta = {p.X}: CW_N relative free-energy error {p.Y}");
        // At beta = 0.1 the distribution is nearly uniform: every architecture gets f within 10%, even after 4 epochs.
        foreach (var p in fig4.Points.Where(p => p.Panel.StartsWith('A') && Math.Abs(p.X - 0.1) < 1e-9))
            Assert.True(p.Y < 0.1, $"{p.Panel} {p.Series} at beta = 0.1: relative free-energy error {p.Y}");
        // P(q) at beta = 1.3, N = 16: CW_N samples the exact distribution.
        AssertNormalisedAndSymmetric(fig4, "C", "exact");
        AssertHistogramMatchesExact(fig4, "C", "CW_N");
    }

    private static void SkArnn(string dir)
    {
        var fig5 = Read(dir, "figures/biazzo-fig5");
        foreach (var panel in new[] { "C", "D" }) AssertNormalisedAndSymmetric(fig5, panel, "exact");
        // Fig. 6: maximum likelihood on Metropolis samples lowers the held-out NLL, and the learned first-layer
        // weights |W| come to correlate with the couplings |J| that generated the samples.
        var fig6 = Read(dir, "likelihood-figures/biazzo-fig6");
        var nll = Series(fig6, "loss", "held-out").OrderBy(p => p.X).ToList();
        Assert.True(nll[^1].Y < nll[0].Y - Sigmas * (nll[^1].YErr + nll[0].YErr), $"held-out NLL {nll[0].Y} -> {nll[^1].Y}");
        var r = fig6.Points.Where(p => p.Panel == "correlation").MaxBy(p => p.X);
        Assert.True(r.Y > 0.2, $"r(|W|, |J|) = {r.Y} at the end of training");
    }

    private static void L2hmc(string dir)
    {
        // Fig. 3: N_LF x tau_int is at least N_LF / 2 (tau_int >= 1/2 in the Sokal convention) for every sampler.
        var fig3 = Read(dir, "l2hmc-figures-8/foreman-fig3");
        Assert.NotEmpty(fig3.Points);
        foreach (var pt in fig3.Points) Assert.True(double.IsFinite(pt.Y) && pt.Y >= 0.5, $"{pt.Series} beta {pt.X}: N_LF tau_int {pt.Y}");
        // Fig. 4: Q_Z is an integer along both chains.
        var fig4 = Read(dir, "l2hmc-figures-8/foreman-fig4");
        Assert.Contains(fig4.Points, q => q.Series == "trained");
        foreach (var q in fig4.Points) Assert.Equal(Math.Round(q.Y), q.Y);
        // Fig. 5: every beta has the start plus one point per layer in each panel, and the plaquette deviation is a
        // difference of averages of cosines (|.| <= 2).
        var fig5 = Read(dir, "l2hmc-figures-8/foreman-fig5");
        foreach (var g in fig5.Points.GroupBy(q => (q.Panel, q.Series))) Assert.True(g.Count() >= 2, $"{g.Key}: {g.Count()} layers");
        foreach (var q in fig5.Points.Where(q => q.Panel == "a")) Assert.InRange(q.Y, -2, 2);
    }

    private static void Phi4Nis(string dir)
    {
        // A few dozen training steps support no accuracy claim; what holds for any flow: ESS/N in (0, 1], w-hat > 0,
        // every free energy finite, and every family and the HMC reference present.
        var md = Read(dir, "figures/figures-mode-dropping");
        foreach (var panel in new[] { "ess-reverse", "ess-forward" })
        {
            var points = md.Points.Where(q => q.Panel == panel).ToList();
            Assert.NotEmpty(points);
            Assert.All(points, q => Assert.InRange(q.Y, 0, 1 + 1e-12));
        }
        Assert.All(md.Points.Where(q => q.Panel == "w-hat"), q => Assert.True(q.Y >= 0 && double.IsFinite(q.Y), $"w-hat {q.Y}"));
        Assert.Equal(4, md.Points.Select(q => q.Series).Distinct().Count());   // reverse, q_sym of reverse, Z2, forward
        var tte = Read(dir, "figures/figures-time-to-error");
        Assert.Contains(tte.Points, q => q.Series.StartsWith("HMC", StringComparison.Ordinal));
        Assert.All(tte.Points, q => Assert.True(q.Y > 0 && double.IsFinite(q.Y), $"{q.Series} at {q.X}: {q.Y} s"));
        var fe = Read(dir, "figures/figures-free-energy");
        Assert.Contains(fe.Points, q => q.Series.StartsWith("HMC", StringComparison.Ordinal));
        Assert.All(fe.Points.Where(q => q.Panel == "f"), q => Assert.True(double.IsFinite(q.Y) && double.IsFinite(q.YErr), $"{q.Series} at {q.X}: {q.Y}"));
        var gradients = Read(dir, "figures/figures-gradients");
        Assert.All(gradients.Points.Where(q => q.Panel == "ess"), q => Assert.InRange(q.Y, 0, 1 + 1e-12));
        // The Ising part (L = 4 at smoke): every variational F lies above Kaufman's exact F and MADE's NIS F agrees with it
        // below beta_c.
        var ising = Read(dir, "ising-figures/ising-nis");
        foreach (var q in ising.Points.Where(q => q.Panel == "f-diff" && q.Series.EndsWith(" variational", StringComparison.Ordinal)))
            Assert.True(q.Y > -Sigmas * q.YErr, $"{q.Series} beta = {q.X}: F_q - F = {q.Y} +- {q.YErr}");
        // NIS accuracy in the disordered phase only at this budget (see IsingNisStageTests).
        foreach (var q in Series(ising, "f-diff", "MADE_21 NIS").Where(q => q.X < Boltzmann.Physics.Exact.IsingExact.CriticalBeta))
            Assert.True(Math.Abs(q.Y) < Sigmas * q.YErr, $"MADE_21 NIS beta = {q.X}: F - F_exact = {q.Y} +- {q.YErr}");
    }

    private static FigureTable Read(string dir, string figure) => FigureDataReader.Read(Path.Combine(dir, figure + ".parquet"));

    private static List<FigurePoint> Series(FigureTable t, string panel, string series)
    {
        var points = t.Points.Where(p => p.Panel == panel && p.Series == series).ToList();
        Assert.True(points.Count > 0, $"{t.Figure}: no points of {panel}/{series}");
        return points;
    }

    private static void AssertNormalisedAndSymmetric(FigureTable t, string panel, string series)
    {
        var p = Series(t, panel, series);
        Assert.Equal(1.0, p.Sum(b => b.Y), 9);
        foreach (var b in p)
            Assert.Equal(b.Y, p.OrderBy(m => Math.Abs(m.X + b.X)).First().Y, 9);  // P(q) = P(-q): the Z2 symmetry of h = 0
    }

    private static void AssertHistogramMatchesExact(FigureTable t, string panel, string series)
    {
        var exact = Series(t, panel, "exact");
        foreach (var b in Series(t, panel, series))
        {
            var e = exact.OrderBy(x => Math.Abs(x.X - b.X)).First();
            Assert.True(Math.Abs(b.Y - e.Y) <= Sigmas * Math.Max(b.YErr, BinErrorFloor),
                $"{t.Figure} {panel} {series}: P(q = {b.X}) = {b.Y} +- {b.YErr}, exact {e.Y}");
        }
    }
}
