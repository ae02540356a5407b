namespace Boltzmann.Pipelines.Engine;

/// <summary>
/// The usual gather step of a sharded stage: every output file of the committed units copied into the stage's work
/// directory under the same relative path, with the row counts their manifests recorded, so the gathered artifact
/// holds exactly the files a whole-stage run would have written, and the units' manifest extras (minus the unit label),
/// so its manifest records the same facts. Only files a unit's manifest lists are copied (never a leftover of an
/// interrupted write); a file an interrupted gather left is overwritten.
/// </summary>
public static class ShardOutputs
{
    /// <summary>Copies the listed outputs of every unit (those <paramref name="include"/> accepts), in unit order.</summary>
    /// <exception cref="InvalidOperationException">Two units list the same relative path (one would overwrite the other).</exception>
    public static void CopyAll(StageContext context, IReadOnlyList<ShardArtifact> units, Func<string, bool>? include = null)
    {
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var unit in units)
        {
            foreach (var (name, value) in unit.Manifest.Extra)
                if (name != PipelineRunner.UnitLabelExtra) context.Extra[name] = value;
            foreach (var output in unit.Manifest.Outputs)
            {
                if (include is not null && !include(output.Path)) continue;
                if (!owner.TryAdd(output.Path, unit.Unit.Label))
                    throw new InvalidOperationException(
                        $"Stage \"{context.Name}\": units \"{owner[output.Path]}\" and \"{unit.Unit.Label}\" both wrote '{output.Path}'; units must write distinct files.");
                var source = Path.Combine(unit.Directory, output.Path.Replace('/', Path.DirectorySeparatorChar));
                File.Copy(source, context.OutputPath(output.Path), overwrite: true);
                if (output.Rows is { } rows) context.OutputRows[output.Path] = rows;
            }
        }
    }
}
