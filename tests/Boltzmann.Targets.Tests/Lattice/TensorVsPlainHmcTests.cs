using Boltzmann.Learning.Runtime;
using Boltzmann.Learning.Sampling;
using Boltzmann.MonteCarlo.Hmc;
using Boltzmann.Physics.Exact;
using Boltzmann.Physics.Lattice;
using Boltzmann.Statistics;
using Boltzmann.Targets.Lattice;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Boltzmann.Targets.Tests.Lattice;

/// <summary>
/// Two independent implementations of HMC on the same action must sample the same distribution: the batched torch
/// <see cref="TensorHmc"/> (autograd forces on <see cref="Phi4Target"/> / <see cref="U1Target"/>) against the plain
/// C# <see cref="HmcChain{TAction}"/> (hand-written forces of <see cref="Phi4Action"/> / <see cref="U1WilsonAction"/>),
/// with different step sizes and random streams. Each estimate is the mean of the per-trajectory ensemble averages
/// with its automatic-window τ_int error (Madras and Sokal 1988); the two samplers agree when
/// |a − b| / √(σ_a² + σ_b²) &lt; 4. Fixed seeds.
/// </summary>
public class TensorVsPlainHmcTests
{
    private readonly ITestOutputHelper output;

    public TensorVsPlainHmcTests(ITestOutputHelper output)
    {
        this.output = output;
        TorchThreads.EnsureConfigured();
    }

    private static double Sigma(Estimate a, Estimate b) => Math.Abs(a.Mean - b.Mean) / Math.Sqrt(a.StdError * a.StdError + b.StdError * b.StdError);

    /// <summary>Series of chain-averaged observables from the tensor sampler: one row per trajectory.</summary>
    private static Estimate[] TensorSeries(TensorHmc hmc, TensorHmcState state, int burnIn, int n, params Func<Tensor, Tensor>[] observables)
    {
        for (int i = 0; i < burnIn; i++) hmc.Step(state).Dispose();
        var series = observables.Select(_ => new double[n]).ToArray();
        for (int i = 0; i < n; i++)
        {
            hmc.Step(state).Dispose();
            using var scope = NewDisposeScope();
            for (int k = 0; k < observables.Length; k++) series[k][i] = observables[k](state.Positions).mean().item<double>();
        }
        return series.Select(s => IntegratedAutocorrelation.Estimate(s)).ToArray();
    }

    /// <summary>Series of chain-averaged observables from the plain ensemble (observable of chain positions and action).</summary>
    private static Estimate[] PlainSeries<TAction>(HmcEnsemble<TAction> ensemble, int burnIn, int n, params Func<HmcChain<TAction>, double>[] observables)
        where TAction : Boltzmann.Physics.Actions.IContinuousAction
    {
        ensemble.Run(burnIn);
        int chains = ensemble.Chains.Count;
        var perChain = new double[observables.Length, chains, n];
        ensemble.Run(n, (c, chain, t) =>
        {
            for (int k = 0; k < observables.Length; k++) perChain[k, c, t.Index - burnIn] = observables[k](chain);
        });
        var result = new Estimate[observables.Length];
        for (int k = 0; k < observables.Length; k++)
        {
            var s = new double[n];
            for (int i = 0; i < n; i++)
            {
                double sum = 0;
                for (int c = 0; c < chains; c++) sum += perChain[k, c, i];
                s[i] = sum / chains;
            }
            result[k] = IntegratedAutocorrelation.Estimate(s);
        }
        return result;
    }

    [Fact]
    public void Phi4MagnetisationAndActionAgree()
    {
        const int l = 6; const double kappa = 0.2, lambda = 0.022;
        int v = l * l;
        using var target = new Phi4Target(l, l, kappa, lambda);
        using var hmc = new TensorHmc(target, new TensorHmcOptions(0.2, 6));
        using var init = zeros([128, l, l], ScalarType.Float64);
        using var state = hmc.Initialise(init, seed: 411);
        var torchEst = TensorSeries(hmc, state, 100, 800,
            x => Phi4Target.Magnetisation(x).abs(),
            x => Phi4Target.Magnetisation(x).square(),
            x => target.Action(x).div((double)v));

        var lattice = new Lattice2D(l, l);
        // Jittered step size (Mackenzie 1989) breaks the zero-mode resonance of fixed-length trajectories.
        var ensemble = HmcEnsemble<Phi4Action>.Create(_ => new Phi4Action(lattice, kappa, lambda),
            new HmcOptions(0.15, 8, StepSizeJitter: 0.2), seed: 412, stage: "tensor-vs-plain-phi4", count: 32, initial: _ => new double[v]);
        var plainEst = PlainSeries(ensemble, 200, 3000,
            ch => Math.Abs(Phi4Observables.Magnetisation(ch.Positions)) / v,
            ch => Math.Pow(Phi4Observables.Magnetisation(ch.Positions) / v, 2),
            ch => ch.Action / v);

        string[] names = ["<|m|>", "<m^2>", "<S>/V"];
        for (int k = 0; k < names.Length; k++)
        {
            double sig = Sigma(torchEst[k], plainEst[k]);
            output.WriteLine($"phi4 {l}x{l} kappa={kappa} lambda={lambda} {names[k]}: torch {torchEst[k]}, plain {plainEst[k]}: {sig:F2} sigma");
            Assert.True(sig < 4, $"{names[k]}: torch {torchEst[k]} vs plain {plainEst[k]} ({sig:F2} sigma)");
        }
        output.WriteLine($"torch acceptance {state.AcceptanceRate():F3}");
    }

    [Fact]
    public void U1PlaquetteAndChargeAgree()
    {
        const int l = 4; const double beta = 2.0;
        using var target = new U1Target(l, l, beta);
        using var hmc = new TensorHmc(target, new TensorHmcOptions(0.2, 5, WrapCompact: true));
        using var init = zeros([128, 2, l, l], ScalarType.Float64);
        using var state = hmc.Initialise(init, seed: 413);
        var torchEst = TensorSeries(hmc, state, 100, 800,
            U1TensorObservables.AveragePlaquette,
            x => U1TensorObservables.ChargeZ(x).round().square());

        var lattice = new Lattice2D(l, l);
        var ensemble = HmcEnsemble<U1WilsonAction>.Create(_ => new U1WilsonAction(lattice, beta),
            new HmcOptions(0.15, 8, CompactAngles: true, StepSizeJitter: 0.2), seed: 414, stage: "tensor-vs-plain-u1", count: 32,
            initial: _ => new double[lattice.LinkCount]);
        var plainEst = PlainSeries(ensemble, 200, 3000,
            ch => U1Observables.Summarise(lattice, ch.Positions).MeanCos,
            ch => Math.Pow(Math.Round(U1Observables.Summarise(lattice, ch.Positions).QZ), 2));

        var exact = U1Exact.Evaluate(l, l, beta);
        double[] exacts = [exact.AveragePlaquette, exact.MeanChargeSquared];
        string[] names = ["<cos x_P>", "<Q_Z^2>"];
        for (int k = 0; k < names.Length; k++)
        {
            double sig = Sigma(torchEst[k], plainEst[k]);
            output.WriteLine($"U(1) {l}x{l} beta={beta} {names[k]}: torch {torchEst[k]}, plain {plainEst[k]}: {sig:F2} sigma (exact {exacts[k]:R}: torch {torchEst[k].Deviation(exacts[k]):F2}, plain {plainEst[k].Deviation(exacts[k]):F2} sigma)");
            Assert.True(sig < 4, $"{names[k]}: torch {torchEst[k]} vs plain {plainEst[k]} ({sig:F2} sigma)");
        }
    }
}
