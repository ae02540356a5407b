using Boltzmann.Learning.Training;
using Boltzmann.Random;
using Boltzmann.Statistics;
using static TorchSharp.torch;

namespace Boltzmann.Autoregressive.Likelihood;

/// <summary>
/// Maximum-likelihood training of an autoregressive network on a data set of configurations (Biazzo 2023, SI
/// section IV, eq. 48): minimise LL = -(1/m) sum_m ln Q(x_m) over minibatches with the shared <see cref="Trainer"/>
/// (Adam, checkpoints, divergence guards). Its minimum over all Q is reached at Q = the data distribution, where for
/// samples of p the expected loss is the entropy S of p; the excess is KL(p||Q).
/// <para>
/// Minibatches: every epoch is a permutation of the training set drawn from a stream derived from
/// (<see cref="MaximumLikelihoodOptions.ShuffleSeed"/>, epoch) only, cut into floor(M / batch) batches (the remainder
/// of a permutation is skipped), so step s always sees the same batch and a resumed run is bit-identical. On every
/// logged step (<see cref="TrainingOptions.LogInterval"/>, and the last step) the held-out NLL and its naive standard
/// error are added to the loss log (extras <c>holdout_nll</c>, <c>holdout_nll_err</c>), followed by the optional
/// <see cref="Diagnostics"/>; like the loss they describe the parameters at the start of the step (before its update).
/// </para>
/// </summary>
public sealed class MaximumLikelihoodTrainer : IDisposable
{
    public const string HoldoutNllColumn = "holdout_nll";
    public const string HoldoutNllErrorColumn = "holdout_nll_err";

    private readonly AutoregressiveModel _model;
    private readonly Tensor _training;
    private readonly Tensor _holdout;
    private readonly long _batchesPerEpoch;
    private long _epoch = -1;
    private long[] _permutation = [];

    /// <param name="model">The network to fit (float64; its device is used for all tensors).</param>
    /// <param name="training">Training configurations [M, N] of +-1 (float64, on the model's device).</param>
    /// <param name="holdout">Held-out configurations [M_h, N], M_h &gt;= 2, never trained on.</param>
    /// <param name="options">Validated against M.</param>
    /// <param name="checkpointRoot">Checkpoint directory of the <see cref="Trainer"/>.</param>
    public MaximumLikelihoodTrainer(AutoregressiveModel model, Tensor training, Tensor holdout, MaximumLikelihoodOptions options, string checkpointRoot)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(holdout);
        ArgumentNullException.ThrowIfNull(options);
        if (training.dim() != 2 || training.shape[1] != model.N)
            throw new ArgumentException($"The training set must have shape [M, {model.N}], got [{string.Join(", ", training.shape)}].", nameof(training));
        if (holdout.dim() != 2 || holdout.shape[1] != model.N || holdout.shape[0] < 2)
            throw new ArgumentException($"The held-out set must have shape [M_h >= 2, {model.N}], got [{string.Join(", ", holdout.shape)}].", nameof(holdout));
        var problems = options.Problems(training.shape[0]);
        if (problems.Count > 0) throw new ArgumentException("Invalid maximum-likelihood options: " + string.Join("; ", problems) + ".", nameof(options));
        _model = model;
        _training = training;
        _holdout = holdout;
        Options = options;
        _batchesPerEpoch = training.shape[0] / options.BatchSize;
        Trainer = new Trainer(model, options.Training, checkpointRoot);
    }

    public MaximumLikelihoodOptions Options { get; }

    /// <summary>The shared training driver (checkpoints, loss log).</summary>
    public Trainer Trainer { get; }

    /// <summary>Training-set size M.</summary>
    public long TrainingCount => _training.shape[0];

    /// <summary>Held-out-set size M_h.</summary>
    public long HoldoutCount => _holdout.shape[0];

    /// <summary>Minibatches per epoch, floor(M / batch).</summary>
    public long BatchesPerEpoch => _batchesPerEpoch;

    /// <summary>
    /// Extra scalars recorded on every logged step after the held-out NLL (e.g. the correlation of the learned
    /// couplings with the true ones); the same names in the same order every time. Set before <see cref="Run"/>.
    /// </summary>
    public Func<IReadOnlyList<(string Name, double Value)>>? Diagnostics { get; set; }

    /// <summary>Restores the newest intact checkpoint, if any (see <see cref="Trainer.Resume()"/>).</summary>
    public ResumeInfo Resume() => Trainer.Resume();

    /// <summary>Runs the remaining steps, then evaluates the final training and held-out NLL.</summary>
    public MaximumLikelihoodResult Run(Action<long, long>? progress = null, CancellationToken cancellationToken = default)
    {
        long total = Options.Training.Steps;
        long logInterval = Options.Training.LogInterval;
        var result = Trainer.Run(step =>
        {
            var index = tensor(BatchIndices(step), dtype: ScalarType.Int64, device: _model.Device);
            var loss = -_model.LogProb(_training.index_select(0, index)).mean();
            if (step % logInterval != 0 && step != total - 1) return loss;
            var holdout = PerConfigurationNll(_holdout);
            double mean = holdout.Average();
            double variance = holdout.Sum(v => (v - mean) * (v - mean)) / (holdout.Length - 1);
            var extras = new List<(string, double)> { (HoldoutNllColumn, mean), (HoldoutNllErrorColumn, Math.Sqrt(variance / holdout.Length)) };
            if (Diagnostics is not null) extras.AddRange(Diagnostics());
            return new StepResult(loss, extras);
        }, progress, cancellationToken);
        return new MaximumLikelihoodResult(result, NegativeLogLikelihood(_training), NegativeLogLikelihood(_holdout));
    }

    /// <summary>Mean -ln Q(x) over <paramref name="data"/> with its error from the integrated autocorrelation in data order.</summary>
    public Estimate NegativeLogLikelihood(Tensor data) => IntegratedAutocorrelation.Estimate(PerConfigurationNll(data));

    /// <summary>-ln Q(x_m) for every row of <paramref name="data"/>, in chunks, without gradients.</summary>
    public double[] PerConfigurationNll(Tensor data)
    {
        ArgumentNullException.ThrowIfNull(data);
        long m = data.shape[0];
        var nll = new double[m];
        using var noGrad = no_grad();
        for (long start = 0; start < m; start += Options.EvaluationChunk)
        {
            using var scope = NewDisposeScope();
            long end = Math.Min(m, start + Options.EvaluationChunk);
            var lnq = _model.LogProb(data.slice(0, start, end, 1)).to_type(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
            for (long k = 0; k < lnq.Length; k++) nll[start + k] = -lnq[k];
        }
        return nll;
    }

    /// <summary>The training-set rows of 0-based step <paramref name="step"/>: batch (step mod B) of epoch (step div B)'s permutation.</summary>
    public long[] BatchIndices(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        long epoch = step / _batchesPerEpoch;
        if (epoch != _epoch)
        {
            _permutation = Permutation(TrainingCount, Options.ShuffleSeed, epoch);
            _epoch = epoch;
        }
        long first = step % _batchesPerEpoch * Options.BatchSize;
        return _permutation.AsSpan((int)first, Options.BatchSize).ToArray();
    }

    /// <summary>Fisher-Yates permutation of 0..m-1 from the stream (seed, "likelihood/epoch", epoch).</summary>
    public static long[] Permutation(long m, ulong seed, long epoch)
    {
        var rng = RandomStreams.For(seed, "likelihood/epoch", epoch);
        var perm = new long[m];
        for (long k = 0; k < m; k++) perm[k] = k;
        for (long k = m - 1; k > 0; k--)
        {
            long r = (long)(rng.NextUInt64() % (ulong)(k + 1)); // modulo bias < (k+1)/2^64: negligible
            (perm[k], perm[r]) = (perm[r], perm[k]);
        }
        return perm;
    }

    public void Dispose() => Trainer.Dispose();
}
