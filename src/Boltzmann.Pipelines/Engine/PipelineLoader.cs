using System.Text.Json;
using System.Text.Json.Nodes;
using Boltzmann.Pipelines.Config;
using Boltzmann.Random;

namespace Boltzmann.Pipelines.Engine;

/// <summary>
/// Reads a pipeline file (pipelines/*.json), applies a profile, parses every stage's typed parameters and
/// checks the graph. All problems are collected and thrown together as a <see cref="PipelineConfigException"/>,
/// each naming its JSON path, the value and what is allowed.
/// </summary>
/// <remarks>
/// Format:
/// <code>
/// { "name": "sk-pt", "description": "...", "seed": 1,
///   "stages": [ { "name": "instances", "kind": "sk-instances", "description": "...",
///                 "upstream": { "role": "stage-name" }, "seed": 7 (optional),
///                 "params": { ... }, "profiles": { "smoke": { ... }, "paper": { ... } },
///                 "resources": { "cpus": 2, "memory": "4G", "time": "02:00:00", "gpus": 1 } (optional) } ] }
/// </code>
/// </remarks>
public sealed class PipelineLoader(StageRegistry registry)
{
    public ResolvedPipeline LoadFile(string path, string profile)
    {
        if (!File.Exists(path))
            throw new PipelineConfigException([new ConfigError(path, "$", "file does not exist")]);
        return Load(File.ReadAllText(path), path, profile);
    }

    public ResolvedPipeline Load(string json, string file, string profile)
    {
        var errors = new List<ConfigError>();
        if (!Profiles.All.Contains(profile))
            throw new PipelineConfigException([new ConfigError(file, "--profile", $"profile \"{profile}\" is not allowed; must be one of {string.Join(", ", Profiles.All)}")]);

        JsonNode? root;
        try
        {
            // Duplicate keys first: the node parser would keep one value (or throw) without saying where.
            var duplicates = DuplicateKeyCheck.Find(json, file);
            if (duplicates.Count > 0) throw new PipelineConfigException(duplicates);
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new PipelineConfigException([new ConfigError(file, $"line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}", $"not valid JSON: {ex.Message}")]);
        }
        if (root is not JsonObject top)
            throw new PipelineConfigException([new ConfigError(file, "$", "the pipeline must be a JSON object")]);

        var r = new ParameterReader(top, file, "$", errors);
        string name = r.String("name");
        if (name.Length > 0 && !IsIdentifier(name)) r.Error("name", $"value \"{name}\" is not allowed; use letters, digits, '-' and '_'");
        string description = r.String("description", "");
        ulong seed = r.ULong("seed");
        var stagesNode = top["stages"];
        r.Has("stages");
        var stageObjects = new List<(JsonObject obj, string path)>();
        if (stagesNode is JsonArray arr && arr.Count > 0)
        {
            for (int i = 0; i < arr.Count; i++)
            {
                if (arr[i] is JsonObject so) stageObjects.Add((so, $"$.stages[{i}]"));
                else errors.Add(new ConfigError(file, $"$.stages[{i}]", $"value {ParameterReader.Show(arr[i])} is not a stage object"));
            }
        }
        else errors.Add(new ConfigError(file, "$.stages", stagesNode is null ? "required key is missing; must be a non-empty list of stages" : "must be a non-empty list of stages"));
        r.Accept("stages"); // read by hand above
        r.Finish();

        // First pass: names, kinds, upstream references, profile merge.
        var raw = new List<(string name, IStageKind? kind, JsonObject parameters, Dictionary<string, string> upstream, string path, ulong seed, string description, StageResources? resources)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        // Stages whose inputs are not well formed (unknown role, missing or wrong-kind upstream): their
        // cross-stage Validate, which reads the upstream stages' typed parameters, must not run.
        var graphErrors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (so, path) in stageObjects)
        {
            var sr = new ParameterReader(so, file, path, errors);
            string sname = sr.String("name");
            if (sname.Length > 0 && !IsIdentifier(sname)) sr.Error("name", $"value \"{sname}\" is not allowed; use letters, digits, '-' and '_'");
            if (sname.Length > 0 && !names.Add(sname)) sr.Error("name", $"stage name \"{sname}\" is used twice; names must be unique");
            string kindName = sr.String("kind");
            IStageKind? kind = null;
            if (kindName.Length > 0 && !registry.TryGet(kindName, out kind))
            {
                sr.Error("kind", $"unknown stage kind \"{kindName}\"; known kinds: {string.Join(", ", registry.Names)}");
                kind = null;
            }
            string sdesc = sr.String("description", "");
            ulong sseed = sr.Has("seed") ? sr.ULong("seed") : RandomStreams.DeriveSeed(seed, "stage-seed/" + sname);
            var upstream = new Dictionary<string, string>(StringComparer.Ordinal);
            sr.OptionalObject("upstream", ur =>
            {
                foreach (var (role, value) in ((JsonObject)so["upstream"]!))
                {
                    string stageRef = ur.String(role);
                    upstream[role] = stageRef;
                }
                return new object();
            });
            var parameters = (so["params"] as JsonObject)?.DeepClone() as JsonObject ?? new JsonObject();
            if (so["params"] is not null and not JsonObject) sr.Error("params", $"value {ParameterReader.Show(so["params"])} is not an object");
            sr.Accept("params");
            if (so["profiles"] is JsonObject profiles)
            {
                foreach (var (pname, overrides) in profiles)
                {
                    if (!Profiles.All.Contains(pname))
                        errors.Add(new ConfigError(file, $"{path}.profiles.{pname}", $"unknown profile \"{pname}\"; must be one of {string.Join(", ", Profiles.All)}"));
                    else if (overrides is not JsonObject)
                        errors.Add(new ConfigError(file, $"{path}.profiles.{pname}", $"value {ParameterReader.Show(overrides)} is not an object of parameter overrides"));
                }
                if (profiles[profile] is JsonObject ov) Merge(parameters, ov);
            }
            else if (so["profiles"] is not null) sr.Error("profiles", "must be an object mapping profile names to parameter overrides");
            sr.Accept("profiles");
            // Where the stage runs on a cluster, not what it computes: validated here, never hashed into the key.
            var resources = sr.OptionalObject(StageResources.Key, StageResources.Read);
            sr.Finish();
            raw.Add((sname, kind, parameters, upstream, path, sseed, sdesc, resources));
        }

        // Upstream references must name earlier-or-later stages that exist, fill declared roles, and form no cycle.
        var byName = raw.Where(s => s.name.Length > 0).GroupBy(s => s.name).ToDictionary(g => g.Key, g => g.First());
        foreach (var s in raw)
        {
            if (s.kind is null) continue;
            foreach (var (role, target) in s.upstream)
            {
                var slot = s.kind.Upstream.FirstOrDefault(u => u.Role == role);
                if (slot is null)
                {
                    graphErrors.Add(s.path);
                    errors.Add(new ConfigError(file, $"{s.path}.upstream.{role}", $"stage kind \"{s.kind.Kind}\" has no input \"{role}\"; its inputs: {Inputs(s.kind)}"));
                    continue;
                }
                if (!byName.TryGetValue(target, out var up))
                {
                    graphErrors.Add(s.path);
                    errors.Add(new ConfigError(file, $"{s.path}.upstream.{role}", $"missing upstream: no stage named \"{target}\"; stages: {string.Join(", ", byName.Keys)}"));
                }
                else if (up.kind is null || !slot.Kinds.Contains(up.kind.Kind))
                {
                    graphErrors.Add(s.path);
                    if (up.kind is not null) errors.Add(new ConfigError(file, $"{s.path}.upstream.{role}", $"stage \"{target}\" is of kind \"{up.kind.Kind}\"; input \"{role}\" takes {string.Join(" or ", slot.Kinds)}"));
                }
            }
            foreach (var slot in s.kind.Upstream.Where(u => u.Required && !s.upstream.ContainsKey(u.Role)))
            {
                graphErrors.Add(s.path);
                errors.Add(new ConfigError(file, $"{s.path}.upstream.{slot.Role}", $"missing upstream: stage kind \"{s.kind.Kind}\" requires input \"{slot.Role}\" ({string.Join(" or ", slot.Kinds)})"));
            }
        }
        // Keep going so parameter errors are reported together with graph errors; references to missing
        // stages are left out of the ordering (already reported above).
        var order = TopologicalOrder(
            raw.Where(s => s.name.Length > 0 && byName[s.name].path == s.path)
               .Select(s => (s.name, (IEnumerable<string>)s.upstream.Values.Where(byName.ContainsKey).ToList())).ToList(), file, errors);

        // Second pass in dependency order: typed parameters, then cross-stage validation.
        var resolved = new Dictionary<string, ResolvedStage>(StringComparer.Ordinal);
        var list = new List<ResolvedStage>();
        foreach (var sname in order)
        {
            var s = byName[sname];
            if (s.kind is null) continue;
            var pr = new ParameterReader(s.parameters, file, $"{s.path}.params", errors);
            int before = errors.Count;
            object typed = s.kind!.Parse(pr);
            pr.Finish();
            var ups = s.upstream.ToDictionary(kv => kv.Key, kv => resolved.TryGetValue(kv.Value, out var u) ? u : null!)
                                .Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value);
            bool wellFormed = !graphErrors.Contains(s.path) && ups.Count == s.upstream.Count;
            if (errors.Count == before && wellFormed) s.kind.Validate(typed, ups, pr);
            if (errors.Count > before || !wellFormed) continue;
            var stage = new ResolvedStage(sname, s.kind, typed, s.kind.Canonical(typed), s.seed, s.upstream, s.description, s.resources);
            resolved[sname] = stage;
            list.Add(stage);
        }
        if (errors.Count > 0) throw new PipelineConfigException(errors);
        return new ResolvedPipeline(name, description, file, profile, seed, list);
    }

    private static string Inputs(IStageKind kind) =>
        kind.Upstream.Count == 0 ? "none" : string.Join(", ", kind.Upstream.Select(u => $"{u.Role} ({string.Join("|", u.Kinds)})"));

    private static void Merge(JsonObject target, JsonObject overrides)
    {
        foreach (var (key, value) in overrides)
        {
            if (value is JsonObject vo && target[key] is JsonObject to) Merge(to, vo);
            else target[key] = value?.DeepClone();
        }
    }

    private static List<string> TopologicalOrder(List<(string name, IEnumerable<string> deps)> nodes, string file, List<ConfigError> errors)
    {
        var deps = nodes.ToDictionary(n => n.name, n => n.deps.ToList());
        var order = new List<string>();
        var state = new Dictionary<string, int>(); // 0 new, 1 visiting, 2 done
        foreach (var (name, _) in nodes) Visit(name, new Stack<string>());
        return order;

        void Visit(string n, Stack<string> path)
        {
            state.TryGetValue(n, out int st);
            if (st == 2) return;
            if (st == 1)
            {
                var cycle = path.Reverse().SkipWhile(p => p != n).Append(n);
                errors.Add(new ConfigError(file, "$.stages", $"upstream references form a cycle: {string.Join(" -> ", cycle)}"));
                return;
            }
            state[n] = 1;
            path.Push(n);
            foreach (var d in deps[n]) Visit(d, path);
            path.Pop();
            state[n] = 2;
            order.Add(n);
        }
    }

    private static bool IsIdentifier(string s) => s.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_');
}
