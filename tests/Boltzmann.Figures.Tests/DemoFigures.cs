using Boltzmann.Data.Figures;

namespace Boltzmann.Figures.Tests;

/// <summary>
/// Realistic figure tables (shapes and error sizes like real pipeline output) used both by tests
/// and to look at the pictures: energy per spin of the 1D Ising chain (exact -tanh(1/T) versus a
/// noisy "PT" estimate), tau_int on a log axis, swap acceptance of 19 neighbouring pairs, and an
/// overlap distribution P(q) at three temperatures.
/// </summary>
internal static class DemoFigures
{
    public static FigureTable EnergyVersusTemperature()
    {
        var random = new System.Random(12345);
        var points = new List<FigurePoint>();
        for (var i = 0; i < 16; i++)
        {
            var t = 0.5 + i * (2.5 / 15);
            var exact = -Math.Tanh(1 / t);
            points.Add(new FigurePoint("energy", "energy", "exact", t, exact, 0));
            var err = 0.004 + 0.01 * t / 3;
            points.Add(new FigurePoint("energy", "energy", "PT", t, exact + err * Gaussian(random), err));
            var tau = 0.8 * Math.Exp(2.2 / t);
            points.Add(new FigurePoint("energy", "tau", "PT", t, tau, 0.1 * tau));
        }
        return new FigureTable(
            "energy",
            "1D Ising chain, N = 256: energy and autocorrelation",
            [
                new FigurePanel("energy", "Energy per spin", "temperature T", "E / N", PlotKind.Line),
                new FigurePanel("tau", "Integrated autocorrelation time", "temperature T", "τ_int (sweeps)", PlotKind.Scatter, LogY: true),
            ],
            points,
            new Dictionary<string, string>
            {
                ["pipeline"] = "ising1d-pt",
                ["profile"] = "smoke",
                ["key"] = "3f9a2c71",
                ["seed"] = "20261123",
                ["replicas"] = "16",
            });
    }

    public static FigureTable SwapAcceptance()
    {
        var random = new System.Random(777);
        var points = new List<FigurePoint>();
        for (var pair = 0; pair < 19; pair++)
        {
            var acceptance = 0.32 + 0.18 * Math.Sin(pair / 4.0) + 0.02 * Gaussian(random);
            points.Add(new FigurePoint("swap", "swap", "PT", pair, acceptance, 0.01 + 0.005 * random.NextDouble()));
        }
        return new FigureTable(
            "swap",
            "Replica-exchange acceptance per neighbouring pair",
            [new FigurePanel("swap", "Swap acceptance", "pair (k, k+1)", "acceptance rate", PlotKind.Bar)],
            points,
            new Dictionary<string, string> { ["pipeline"] = "sk-pt", ["profile"] = "full", ["key"] = "b71e09aa" });
    }

    public static FigureTable OverlapDistribution()
    {
        const int n = 64;
        var points = new List<FigurePoint>();
        foreach (var (label, qEa, width) in new[] { ("T = 0.4", 0.78, 0.12), ("T = 0.8", 0.45, 0.2), ("T = 1.5", 0.0, 0.16) })
        {
            var weights = new double[n + 1];
            for (var k = 0; k <= n; k++)
            {
                var q = -1 + 2.0 * k / n;
                weights[k] = Math.Exp(-Math.Pow(q - qEa, 2) / (2 * width * width)) + Math.Exp(-Math.Pow(q + qEa, 2) / (2 * width * width));
            }
            var norm = weights.Sum() * (2.0 / n);
            for (var k = 0; k <= n; k++)
            {
                var q = -1 + 2.0 * k / n;
                var density = weights[k] / norm;
                points.Add(new FigurePoint("pq", "pq", label, q, density, 0.03 * Math.Sqrt(density)));
            }
        }
        return new FigureTable(
            "pq",
            "SK model, N = 64: overlap distribution P(q)",
            [new FigurePanel("pq", "P(q) from parallel tempering", "overlap q", "P(q)", PlotKind.Histogram)],
            points,
            new Dictionary<string, string> { ["pipeline"] = "sk-pt", ["profile"] = "full", ["key"] = "c0ffee12", ["instance"] = "sk-n64-seed7" });
    }

    /// <summary>One figure with a panel of every kind plus log panels, for layout checks.</summary>
    public static FigureTable AllKinds()
    {
        var energy = EnergyVersusTemperature();
        var swap = SwapAcceptance();
        var pq = OverlapDistribution();
        var points = new List<FigurePoint>();
        points.AddRange(energy.Points.Select(p => p with { Figure = "all" }));
        points.AddRange(swap.Points.Select(p => p with { Figure = "all" }));
        points.AddRange(pq.Points.Select(p => p with { Figure = "all" }));
        points.AddRange(pq.Points.Where(p => p.Series == "T = 1.5").Select(p => p with { Figure = "all", Panel = "pqlog" }));
        var panels = energy.Panels.Concat(swap.Panels).Concat(pq.Panels)
            .Append(new FigurePanel("pqlog", "P(q), log scale", "overlap q", "P(q)", PlotKind.Histogram, LogY: true))
            .ToList();
        return new FigureTable("all", "Every panel kind", panels, points,
            new Dictionary<string, string> { ["pipeline"] = "demo", ["profile"] = "smoke", ["key"] = "0000" });
    }

    private static double Gaussian(System.Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
