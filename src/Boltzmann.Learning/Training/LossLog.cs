using System.Globalization;
using System.Text;

namespace Boltzmann.Learning.Training;

/// <summary>
/// The loss curve of a training stage: one <see cref="LossRecord"/> per logged step, in step order. It is
/// part of every checkpoint (as CSV with round-trip number formatting, so a resumed run continues with the
/// exact values) and exports as a column table (<see cref="ToColumns"/>) for figure data.
/// </summary>
public sealed class LossLog
{
    private static readonly string[] FixedColumns = ["step", "loss", "gradient_norm", "learning_rate", "elapsed_seconds"];
    private readonly List<LossRecord> _records = [];
    private string[]? _extraNames;

    /// <summary>Names of the extra scalar columns (empty until a record with extras arrives, or if none ever does).</summary>
    public IReadOnlyList<string> ExtraNames => _extraNames ?? [];

    public IReadOnlyList<LossRecord> Records => _records;

    public int Count => _records.Count;

    /// <summary>
    /// Appends a record. Steps must increase; the extras must carry the same names in the same order as the
    /// first record's (the first record fixes them).
    /// </summary>
    public void Add(long step, double loss, double gradientNorm, double learningRate, double elapsedSeconds,
                    IReadOnlyList<(string Name, double Value)>? extras)
    {
        if (_records.Count > 0 && step <= _records[^1].Step)
            throw new ArgumentException($"LossLog: step {step} does not follow the last logged step {_records[^1].Step}.", nameof(step));
        var names = extras?.Select(e => e.Name).ToArray() ?? [];
        if (_records.Count == 0)
        {
            foreach (var n in names) ValidateName(n);
            if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
                throw new ArgumentException($"LossLog: duplicate extra names [{string.Join(", ", names)}] at step {step}.", nameof(extras));
            _extraNames = names;
        }
        else if (!names.SequenceEqual(ExtraNames, StringComparer.Ordinal))
            throw new ArgumentException(
                $"LossLog: the training closure returned extras [{string.Join(", ", names)}] at step {step}, " +
                $"but [{string.Join(", ", ExtraNames)}] before; extras must have the same names in the same order every step.", nameof(extras));
        _records.Add(new LossRecord(step, loss, gradientNorm, learningRate, elapsedSeconds, extras?.Select(e => e.Value).ToArray() ?? []));
    }

    /// <summary>The log as columns (copies).</summary>
    public LossLogColumns ToColumns()
    {
        var extras = new Dictionary<string, double[]>(StringComparer.Ordinal);
        for (int j = 0; j < ExtraNames.Count; j++)
            extras[ExtraNames[j]] = _records.Select(r => r.Extras[j]).ToArray();
        return new LossLogColumns(
            _records.Select(r => r.Step).ToArray(),
            _records.Select(r => r.Loss).ToArray(),
            _records.Select(r => r.GradientNorm).ToArray(),
            _records.Select(r => r.LearningRate).ToArray(),
            _records.Select(r => r.ElapsedSeconds).ToArray(),
            extras);
    }

    /// <summary>
    /// Null when both logs hold bit-identical values (steps, losses, gradient norms, learning rates and extras;
    /// wall times are ignored since they never repeat), else a description of the first difference.
    /// </summary>
    public string? FirstDifference(LossLog other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!ExtraNames.SequenceEqual(other.ExtraNames, StringComparer.Ordinal))
            return $"extra columns differ: [{string.Join(", ", ExtraNames)}] vs [{string.Join(", ", other.ExtraNames)}]";
        for (int i = 0; i < Math.Min(Count, other.Count); i++)
        {
            var a = _records[i];
            var b = other._records[i];
            if (a.Step != b.Step) return $"row {i}: step {a.Step} vs {b.Step}";
            if (!Same(a.Loss, b.Loss)) return $"step {a.Step}: loss {F(a.Loss)} vs {F(b.Loss)}";
            if (!Same(a.GradientNorm, b.GradientNorm)) return $"step {a.Step}: gradient norm {F(a.GradientNorm)} vs {F(b.GradientNorm)}";
            if (!Same(a.LearningRate, b.LearningRate)) return $"step {a.Step}: learning rate {F(a.LearningRate)} vs {F(b.LearningRate)}";
            for (int j = 0; j < a.Extras.Count; j++)
                if (!Same(a.Extras[j], b.Extras[j])) return $"step {a.Step}: {ExtraNames[j]} {F(a.Extras[j])} vs {F(b.Extras[j])}";
        }
        return Count == other.Count ? null : $"lengths differ: {Count} vs {other.Count} rows";
    }

    /// <summary>Writes the log as CSV (header, then one row per record; numbers in round-trip form).</summary>
    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(string.Join(",", FixedColumns.Concat(ExtraNames)));
        writer.Write('\n');
        var sb = new StringBuilder();
        foreach (var r in _records)
        {
            sb.Clear();
            sb.Append(r.Step.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(F(r.Loss)).Append(',').Append(F(r.GradientNorm)).Append(',')
              .Append(F(r.LearningRate)).Append(',').Append(F(r.ElapsedSeconds));
            foreach (var e in r.Extras) sb.Append(',').Append(F(e));
            sb.Append('\n');
            writer.Write(sb);
        }
    }

    /// <summary>Reads a log written by <see cref="WriteCsv"/>; <paramref name="source"/> names the file in errors.</summary>
    public static LossLog ReadCsv(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var header = reader.ReadLine() ?? throw new InvalidDataException($"{source}: empty loss log (no header).");
        var columns = header.Split(',');
        if (columns.Length < FixedColumns.Length || !columns.Take(FixedColumns.Length).SequenceEqual(FixedColumns))
            throw new InvalidDataException($"{source}: line 1: header must start with {string.Join(",", FixedColumns)}; found '{header}'.");
        var extraNames = columns.Skip(FixedColumns.Length).ToArray();
        var log = new LossLog();
        int lineNo = 1;
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            lineNo++;
            var cells = line.Split(',');
            if (cells.Length != columns.Length)
                throw new InvalidDataException($"{source}: line {lineNo}: {cells.Length} fields, expected {columns.Length}.");
            if (!long.TryParse(cells[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long step))
                throw new InvalidDataException($"{source}: line {lineNo}, column step: '{cells[0]}' is not an integer.");
            var v = new double[cells.Length];
            for (int c = 1; c < cells.Length; c++)
                if (!double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out v[c]))
                    throw new InvalidDataException($"{source}: line {lineNo}, column {columns[c]}: '{cells[c]}' is not a number.");
            var extras = new (string, double)[extraNames.Length];
            for (int j = 0; j < extras.Length; j++) extras[j] = (extraNames[j], v[FixedColumns.Length + j]);
            try
            {
                log.Add(step, v[1], v[2], v[3], v[4], extras);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{source}: line {lineNo}: {e.Message}", e);
            }
        }
        if (log.Count == 0) log._extraNames = extraNames;
        return log;
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny([',', '\n', '\r', '"']) >= 0 || FixedColumns.Contains(name))
            throw new ArgumentException($"LossLog: extra name '{name}' is not allowed; must be non-empty, without commas, quotes or newlines, and not one of {string.Join(", ", FixedColumns)}.");
    }

    private static bool Same(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    private static string F(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
