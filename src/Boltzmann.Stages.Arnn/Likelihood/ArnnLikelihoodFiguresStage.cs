using System.Globalization;
using System.Text.Json;
using Boltzmann.Data.Figures;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;
using Boltzmann.Data.Tables;
using Microsoft.Data.Analysis;

namespace Boltzmann.Stages.Arnn.Likelihood;

/// <summary>
/// Figure <c>biazzo-fig6</c> (Biazzo 2023, Fig. 6) from an <see cref="ArnnLikelihoodStage"/>: the scatter of the
/// absolute learned first-layer weights |W_ij| against the absolute couplings |J_ij| over all pairs, with the
/// least-squares line and the correlation coefficients in the panel title and metadata; the loss curve (training
/// minibatch NLL and held-out NLL per spin, with errors) and the correlation r(|W|, |J|) along training. Tidy data
/// (Parquet + CSV + JSON) and a PNG go to the published folder.
/// </summary>
public sealed class ArnnLikelihoodFiguresStage : StageKind<ArnnLikelihoodFiguresParameters>
{
    public const string KindName = "arnn-likelihood-figures";
    public const string Figure = "biazzo-fig6";

    public override string Kind => KindName;
    public override int Version => 1;
    public override StagePhase Phase => StagePhase.Figures;
    public override string Description => "figure biazzo-fig6: |learned first-layer weights| vs |couplings| with fit line; loss and correlation along training";
    public override IReadOnlyList<UpstreamSlot> Upstream => [new("likelihood", [ArnnLikelihoodStage.KindName])];

    protected override ArnnLikelihoodFiguresParameters Parse(ParameterReader r) => new(r.Int("fit_points", 2, min: 2, max: 1000));

    protected override Task RunAsync(StageContext ctx, ArnnLikelihoodFiguresParameters p)
    {
        var input = ctx.Input("likelihood");
        var weights = TableFile.Read(input.PathOf(ArnnLikelihoodStage.Weights + ".parquet"));
        var correlation = TableFile.Read(input.PathOf(ArnnLikelihoodStage.Correlation + ".parquet"));
        var loss = TableFile.Read(input.PathOf(ArnnLikelihoodStage.Loss + ".parquet"));
        var summary = JsonSerializer.Deserialize<LikelihoodSummary>(File.ReadAllText(input.PathOf(ArnnLikelihoodStage.SummaryFile)), JsonDefaults.Indented)
                      ?? throw new StageInputException($"{input.PathOf(ArnnLikelihoodStage.SummaryFile)}: empty summary");
        long trained = Enumerable.Range(0, (int)correlation.Rows.Count).Single(r => Convert.ToInt32(correlation["trained"][r], CultureInfo.InvariantCulture) == 1);
        double slope = D(correlation, "slope", trained), intercept = D(correlation, "intercept", trained);
        string r2 = $"{G3(D(correlation, "pearson_abs", trained))} ± {G2(D(correlation, "pearson_abs_err", trained))}";
        string rho = $"{G3(D(correlation, "spearman_abs", trained))} ± {G2(D(correlation, "spearman_abs_err", trained))}";

        var points = new List<FigurePoint>();
        double maxJ = 0;
        for (long r = 0; r < weights.Rows.Count; r++)
        {
            double x = D(weights, "abs_coupling", r);
            maxJ = Math.Max(maxJ, x);
            points.Add(new FigurePoint(Figure, "weights", "pairs (i<j)", x, D(weights, "abs_weight", r), 0));
        }
        for (int k = 0; k < p.FitPoints; k++)
        {
            double x = maxJ * k / (p.FitPoints - 1);
            points.Add(new FigurePoint(Figure, "weights", "least-squares fit", x, intercept + slope * x, 0));
        }
        int n = summary.N;
        for (long r = 0; r < loss.Rows.Count; r++)
        {
            double step = D(loss, "step", r);
            points.Add(new FigurePoint(Figure, "loss", "training minibatch", step, D(loss, "loss", r) / n, 0));
            points.Add(new FigurePoint(Figure, "loss", "held-out", step, D(loss, "holdout_nll", r) / n, D(loss, "holdout_nll_err", r) / n));
            points.Add(new FigurePoint(Figure, "correlation", "r(|W|, |J|)", step, D(loss, ArnnLikelihoodStage.CorrelationDiagnostic, r), 0));
        }
        var panels = new List<FigurePanel>
        {
            new("weights", $"|W| vs |J|: r = {r2}, rho = {rho}", "|J_ij|", "|W_ij| (learned first layer)", PlotKind.Scatter,
                LineSeries: ["least-squares fit"]),
            new("loss", "Negative log-likelihood per spin", "training step", "-ln Q / N [nats]", PlotKind.Line),
            new("correlation", "Pearson r(|W|, |J|) during training", "training step", "r", PlotKind.Line),
        };
        var meta = FigurePublisher.Metadata(ctx, input);
        meta["architecture"] = summary.Architecture;
        meta["n"] = n.ToString(CultureInfo.InvariantCulture);
        meta["beta"] = summary.Beta.ToString("R", CultureInfo.InvariantCulture);
        meta["training_samples"] = summary.TrainingSamples.ToString(CultureInfo.InvariantCulture);
        meta["steps"] = summary.Steps.ToString(CultureInfo.InvariantCulture);
        meta["trainable_parameters"] = summary.TrainableParameters.ToString(CultureInfo.InvariantCulture);
        meta["pearson_abs"] = r2;
        meta["spearman_abs"] = rho;
        meta["fit"] = $"|W| = {G(intercept)} + {G(slope)} |J|";
        var figure = new FigureTable(Figure, $"{summary.Architecture} trained by maximum likelihood on Monte Carlo samples (N = {n}, beta = {G(summary.Beta)})",
                                     panels, points, meta);
        FigurePublisher.Publish(ctx, figure);
        return Task.CompletedTask;
    }

    private static double D(DataFrame df, string col, long row) => Convert.ToDouble(df[col][row], CultureInfo.InvariantCulture);

    private static string G(double x) => x.ToString("G4", CultureInfo.InvariantCulture);

    private static string G3(double x) => x.ToString("G3", CultureInfo.InvariantCulture);

    private static string G2(double x) => x.ToString("G2", CultureInfo.InvariantCulture);
}
