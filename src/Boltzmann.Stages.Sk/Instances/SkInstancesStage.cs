using System.Security.Cryptography;
using Boltzmann.Physics.Sk;
using Boltzmann.Pipelines.Config;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Stages.Sk.Instances;

/// <summary>Produces SK disorder instances: instances/instance-NNN.csv (exact round-trip matrix) + instances.json.</summary>
public sealed class SkInstancesStage : StageKind<SkInstancesParameters>
{
    public const string KindName = "sk-instances";
    public override string Kind => KindName;
    public override int Version => 1;
    public override StagePhase Phase => StagePhase.Generate;
    /// <summary>Errors of one couplings file listed before the rest are summarised as "and N more".</summary>
    public const int MaxListedFileErrors = 5;

    public override string Description => "SK disorder instances: generated J_ij ~ N(0, J^2/N) or loaded from a couplings file";

    protected override SkInstancesParameters Parse(ParameterReader r)
    {
        string? file = r.OptionalString("couplings_file");
        string? fields = r.OptionalString("fields_file");
        if (file is null)
        {
            if (fields is not null) r.Error("fields_file", "a fields file needs a couplings_file");
            int n = r.Int("n", min: 2, max: SkInstance.MaxN);
            int count = r.Int("count", 1, min: 1, max: 10_000);
            double j = r.Double("j", 1.0, greaterThan: 0);
            double h = r.Double("h", 0.0);
            return new SkInstancesParameters(n, count, j, h, null, null, null, null);
        }

        // A loaded instance is validated now, so a bad file is a configuration error (exit 2, nothing written).
        var baseDir = Path.GetDirectoryName(Path.GetFullPath(r.File)) ?? ".";
        string path = Path.GetFullPath(Path.Combine(baseDir, file));
        string? fieldsPath = fields is null ? null : Path.GetFullPath(Path.Combine(baseDir, fields));
        int? declared = r.Has("n") ? r.Int("n", min: 2, max: SkInstance.MaxN) : null;
        r.Accept("count", "j", "h");
        if (r.Has("count") || r.Has("j") || r.Has("h")) r.Error("couplings_file", "count, j and h describe generated instances; remove them when loading a couplings file");
        if (InputFileCheck.Problem(path) is { } couplingsProblem) { r.Error("couplings_file", couplingsProblem); return new(0, 1, 1, 0, file, null, fields, null); }
        if (fieldsPath is not null && InputFileCheck.Problem(fieldsPath) is { } fieldsProblem) { r.Error("fields_file", fieldsProblem); return new(0, 1, 1, 0, file, null, fields, null); }
        try
        {
            var instance = Physics.Sk.CouplingsFile.Load(path, fieldsPath, CouplingsFormat.Auto, declared);
            return new SkInstancesParameters(instance.N, 1, 1.0, 0.0, file, Sha256(path), fields, fieldsPath is null ? null : Sha256(fieldsPath))
            {
                CouplingsPath = path,
                FieldsPath = fieldsPath,
            };
        }
        catch (CouplingsFormatException ex)
        {
            // A few errors locate the problem; a binary or wholly wrong file would otherwise give one per line.
            foreach (var e in ex.Errors.Take(MaxListedFileErrors)) r.Error("couplings_file", e.ToString());
            if (ex.Errors.Count > MaxListedFileErrors)
                r.Error("couplings_file", $"{path}: and {ex.Errors.Count - MaxListedFileErrors} more error(s) like those above; is it a couplings file (text: \"i j J_ij\" triplets or an N x N matrix)?");
            return new(0, 1, 1, 0, file, null, fields, null);
        }
    }

    protected override Task RunAsync(StageContext ctx, SkInstancesParameters p)
    {
        var entries = new List<SkInstanceEntry>();
        for (int i = 0; i < p.Count; i++)
        {
            ctx.Cancellation.ThrowIfCancellationRequested();
            SkInstance instance;
            string source;
            if (p.CouplingsPath is not null)
            {
                instance = Physics.Sk.CouplingsFile.Load(p.CouplingsPath, p.FieldsPath);
                source = $"file:{p.CouplingsFile}";
            }
            else
            {
                var rng = ctx.Stream("couplings", replica: i);
                instance = SkInstance.Generate(p.N, ref rng, p.J, p.H);
                source = "generated";
            }
            var rel = SkInstanceStore.FileName(i);
            Physics.Sk.CouplingsFile.Save(instance, ctx.OutputPath(rel), CouplingsFormat.Matrix, ctx.OutputPath(SkInstanceStore.FieldsFileName(i)));
            entries.Add(new SkInstanceEntry(i, instance.N, instance.ContentHash(), source, rel));
        }
        ctx.WriteJson(SkInstanceStore.IndexFile, entries);
        ctx.OutputRows[SkInstanceStore.IndexFile] = entries.Count;
        return Task.CompletedTask;
    }

    private static string Sha256(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }
}
