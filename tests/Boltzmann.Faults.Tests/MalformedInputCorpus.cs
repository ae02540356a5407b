using System.Text.Json;
using System.Text.Json.Nodes;
using Boltzmann.Cli;
using Boltzmann.Pipelines.Engine;

namespace Boltzmann.Faults.Tests;

/// <summary>One malformed input: the pipeline file to give boltz, a fragment its error must name, and why it is wrong.</summary>
public sealed record MalformedCase(string Name, string PipelineFile, string ExpectedPath, string? AlsoNamed = null, string[]? ExtraArgs = null)
{
    public override string ToString() => Name;
}

/// <summary>
/// A seeded corpus of malformed pipeline and couplings files: mutations of the repository's real pipeline files (each
/// one change that is invalid in every profile) plus the specific defects found by fault injection (duplicate keys,
/// wrong-kind and missing upstreams, JSON null, temperatures where the computation is not finite, sizes beyond what
/// can be addressed, 1-based, overflowing, binary, FIFO, directory and empty couplings files).
/// </summary>
public static class MalformedInputCorpus
{
    public const int Seed = 20261202;

    private static readonly JsonDocumentOptions ReadOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static IReadOnlyList<MalformedCase> Generate(string directory)
    {
        var rng = new System.Random(Seed);
        var registry = StageCatalog.CreateRegistry();
        var cases = new List<MalformedCase>();
        int counter = 0;
        string Save(string name, string text)
        {
            var path = Path.Combine(directory, $"{counter++:D3}-{name}.json");
            File.WriteAllText(path, text);
            return path;
        }
        void Add(string name, JsonNode root, string expected) => cases.Add(new MalformedCase(name, Save(name, root.ToJsonString()), expected));

        foreach (var file in Directory.GetFiles(Path.Combine(RepoPipelines.Root, "pipelines"), "*.json").Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            var baseName = Path.GetFileNameWithoutExtension(file);
            JsonObject Fresh() => JsonNode.Parse(text, documentOptions: ReadOptions)!.AsObject();
            var stages = Fresh()["stages"]!.AsArray();
            int Pick() => rng.Next(stages.Count);

            // Parameters a mutation may change: present in params and overridden by no profile (so every profile sees it).
            List<(int Stage, string Key)> Params(Func<JsonNode, bool> select) =>
                [.. stages.SelectMany((s, i) => (s!["params"] as JsonObject ?? []).Where(kv => kv.Value is not null && select(kv.Value) &&
                        (s["profiles"] as JsonObject ?? []).All(pr => pr.Value is not JsonObject o || !o.ContainsKey(kv.Key)))
                    .Select(kv => (i, kv.Key)))];
            var numeric = Params(v => v is JsonValue jv && jv.GetValueKind() == JsonValueKind.Number);
            var any = Params(_ => true);

            { var r = Fresh(); int i = Pick(); r["stages"]![i]!["params"] ??= new JsonObject(); r["stages"]![i]!["params"]!["bogus_key"] = 1; Add($"{baseName}-unknown-param", r, $"$.stages[{i}].params.bogus_key"); }
            if (numeric.Count > 0)
            {
                var (i, k) = numeric[rng.Next(numeric.Count)];
                var r = Fresh(); r["stages"]![i]!["params"]![k] = "oops"; Add($"{baseName}-number-as-string", r, $"$.stages[{i}].params.{k}");
                (i, k) = numeric[rng.Next(numeric.Count)];
                r = Fresh(); r["stages"]![i]!["params"]![k] = true; Add($"{baseName}-number-as-bool", r, $"$.stages[{i}].params.{k}");
            }
            if (any.Count > 0)
            {
                var (i, k) = any[rng.Next(any.Count)];
                var r = Fresh(); r["stages"]![i]!["params"]![k] = null; Add($"{baseName}-null-param", r, $"$.stages[{i}].params.{k}");
                (i, k) = any[rng.Next(any.Count)];
                r = Fresh();
                var ps = r["stages"]![i]!["params"]!.AsObject();
                ps.Insert(0, "__duplicate__", ps[k]!.DeepClone());
                cases.Add(new MalformedCase($"{baseName}-duplicate-key", Save($"{baseName}-duplicate-key", r.ToJsonString().Replace("\"__duplicate__\"", $"\"{k}\"", StringComparison.Ordinal)),
                    $"$.stages[{i}].params.{k}"));
            }
            { var r = Fresh(); int i = Pick(); r["stages"]![i]!["kind"] = "no-such-kind"; Add($"{baseName}-unknown-kind", r, $"$.stages[{i}].kind"); }
            { var r = Fresh(); int i = Pick(); r["stages"]![i]!["name"] = "bad name!"; Add($"{baseName}-bad-stage-name", r, $"$.stages[{i}].name"); }
            {
                var r = Fresh(); int i = rng.Next(1, stages.Count);
                r["stages"]![i]!["name"] = stages[0]!["name"]!.GetValue<string>();
                Add($"{baseName}-duplicate-stage-name", r, $"$.stages[{i}].name");
            }
            { var r = Fresh(); int i = Pick(); r["stages"]![i]!["profiles"] = new JsonObject { ["fast"] = new JsonObject() }; Add($"{baseName}-unknown-profile", r, $"$.stages[{i}].profiles.fast"); }
            { var r = Fresh(); r["seed"] = -1; Add($"{baseName}-negative-seed", r, "$.seed"); }
            { var r = Fresh(); r["bogus_top"] = "x"; Add($"{baseName}-unknown-top-key", r, "$.bogus_top"); }
            { var r = Fresh(); int i = Pick(); r["stages"]![i] = 42; Add($"{baseName}-stage-not-object", r, $"$.stages[{i}]"); }
            { var r = Fresh(); r.Remove("stages"); Add($"{baseName}-no-stages", r, "$.stages"); }

            var withUpstream = stages.Select((s, i) => (s, i)).Where(x => x.s!["upstream"] is JsonObject { Count: > 0 }).Select(x => x.i).ToList();
            if (withUpstream.Count > 0)
            {
                int i = withUpstream[rng.Next(withUpstream.Count)];
                var role = stages[i]!["upstream"]!.AsObject().First().Key;
                var r = Fresh(); r["stages"]![i]!["upstream"]![role] = "no-such-stage"; Add($"{baseName}-missing-upstream-stage", r, $"$.stages[{i}].upstream.{role}");
                registry.TryGet(stages[i]!["kind"]!.GetValue<string>(), out var upKind);
                if (upKind.Upstream.Any(u => u.Required))
                {
                    r = Fresh(); r["stages"]![i]!.AsObject().Remove("upstream"); Add($"{baseName}-required-upstream-removed", r, $"$.stages[{i}].upstream.");
                }
                r = Fresh(); r["stages"]![i]!["upstream"]![role] = stages[i]!["name"]!.GetValue<string>(); Add($"{baseName}-self-upstream", r, $"$.stages");
                r = Fresh(); r["stages"]![i]!["upstream"]!["no_such_role"] = stages[0]!["name"]!.GetValue<string>(); Add($"{baseName}-unknown-role", r, $"$.stages[{i}].upstream.no_such_role");

                // Wrong kind: an existing stage whose kind this role does not take.
                registry.TryGet(stages[i]!["kind"]!.GetValue<string>(), out var kind);
                var slot = kind.Upstream.First(u => u.Role == role);
                var wrong = stages.Select(s => s!).FirstOrDefault(s => !slot.Kinds.Contains(s["kind"]!.GetValue<string>()) && s["name"]!.GetValue<string>() != stages[i]!["name"]!.GetValue<string>());
                if (wrong is not null)
                {
                    r = Fresh(); r["stages"]![i]!["upstream"]![role] = wrong["name"]!.GetValue<string>(); Add($"{baseName}-wrong-kind-upstream", r, $"$.stages[{i}].upstream.{role}");
                }
            }
            {
                // Cut the real file (comments and all) at a random point past its opening.
                int cut = rng.Next(text.Length / 4, text.Length * 3 / 4);
                cases.Add(new MalformedCase($"{baseName}-truncated", Save($"{baseName}-truncated", text[..cut]), "not valid JSON"));
            }
        }

        // The SK defects, on the real sk-pt file.
        var skPt = File.ReadAllText(RepoPipelines.File("sk-pt"));
        JsonObject Sk() => JsonNode.Parse(skPt, documentOptions: ReadOptions)!.AsObject();
        int Index(JsonObject r, string stage) => r["stages"]!.AsArray().Select((s, i) => (s, i)).Single(x => x.s!["name"]!.GetValue<string>() == stage).i;
        { var r = Sk(); int i = Index(r, "small-exact"); r["stages"]![i]!["params"]!["temperatures"]![0] = 1e-300; Add("sk-pt-temperature-1e-300", r, $"$.stages[{i}].params.temperatures[0]"); }
        { var r = Sk(); int i = Index(r, "small-exact"); r["stages"]![i]!["params"]!["grid"]!["tmax"] = 1e300; Add("sk-pt-grid-tmax-1e300", r, $"$.stages[{i}].params.grid.tmax"); }
        { var r = Sk(); int i = Index(r, "large-pt"); r["stages"]![i]!["params"]!["ladder"]!["tmin"] = 1e-300; r["stages"]![i]!.AsObject().Remove("profiles"); Add("sk-pt-ladder-tmin-1e-300", r, $"$.stages[{i}].params.ladder.tmin"); }
        { var r = Sk(); int i = Index(r, "small-pt"); r["stages"]![i]!["params"]!["ladder"]!["temperatures"]![2] = 1e-300; Add("sk-pt-ladder-temperature-1e-300", r, $"$.stages[{i}].params.ladder.temperatures[2]"); }
        {
            var r = Sk(); int i = Index(r, "small-pt"); r["stages"]![i]!.AsObject().Remove("profiles");
            r["stages"]![i]!["params"]!["samples"] = 1_000_000_000; r["stages"]![i]!["params"]!["samples_per_part"] = 100_000_000;
            Add("sk-pt-samples-per-part-1e8", r, $"$.stages[{i}].params.samples_per_part");
        }
        { var r = Sk(); r["stages"]![0]!["params"]!["n"] = 50000; r["stages"]![0]!.AsObject().Remove("profiles"); Add("sk-pt-n-50000", r, "$.stages[0].params.n"); }
        { var r = Sk(); r["stages"]![0]!["params"]!["n"] = 65536; r["stages"]![0]!.AsObject().Remove("profiles"); Add("sk-pt-n-65536", r, "$.stages[0].params.n"); }
        { var r = Sk(); cases.Add(new MalformedCase("sk-pt-until-number-0", Save("sk-pt-until-0", r.ToJsonString()), "Argument '0' not recognized", null, ["--until", "0"])); }
        { var r = Sk(); cases.Add(new MalformedCase("sk-pt-until-number-7", Save("sk-pt-until-7", r.ToJsonString()), "Argument '7' not recognized", null, ["--until", "7"])); }
        { var r = Sk(); cases.Add(new MalformedCase("sk-pt-stage-bogus", Save("sk-pt-stage-bogus", r.ToJsonString()), "bogus", null, ["--stage", "bogus"])); }

        // Couplings files, each loaded by a one-stage pipeline.
        void Couplings(string name, Action<string> create, string? declaredN = null)
        {
            var couplings = Path.Combine(directory, $"{counter:D3}-{name}.couplings");
            create(couplings);
            var n = declaredN is null ? "" : $", \"n\": {declaredN}";
            var json = $$"""{ "name": "c", "seed": 1, "stages": [ { "name": "i", "kind": "sk-instances", "params": { "couplings_file": {{JsonSerializer.Serialize(couplings)}}{{n}} } } ] }""";
            cases.Add(new MalformedCase($"couplings-{name}", Save($"couplings-{name}", json), "$.stages[0].params.couplings_file", couplings));
        }
        Couplings("binary", p => { var b = new byte[200 * 1024]; rng.NextBytes(b); File.WriteAllBytes(p, b); });
        Couplings("one-based", p => File.WriteAllText(p, "1 2 1.0\n2 3 -1.0\n1 3 0.5\n"));
        Couplings("index-50000", p => File.WriteAllText(p, "0,50000,1.0\n"));
        Couplings("directory", p => Directory.CreateDirectory(p));
        Couplings("empty", p => File.WriteAllText(p, ""));
        Couplings("word", p => File.WriteAllText(p, "0 1 one\n"));
        Couplings("missing", _ => { });
        if (!OperatingSystem.IsWindows()) Couplings("fifo", p => System.Diagnostics.Process.Start("mkfifo", [p])!.WaitForExit());
        for (int m = 0; m < 3; m++)
        {
            // Random damage to a valid triplet file: a line with a token replaced by garbage.
            int bad = rng.Next(3);
            Couplings($"damaged-triplets-{m}", p => File.WriteAllText(p, string.Join('\n', new[] { "0 1 0.5", "1 2 -0.5", "0 2 0.25" }
                .Select((l, i) => i == bad ? l.Replace(" ", " x", StringComparison.Ordinal) : l))));
        }
        return cases;
    }
}
