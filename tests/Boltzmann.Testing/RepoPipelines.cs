using System.Text.Json;
using System.Text.Json.Nodes;

namespace Boltzmann.Testing;

/// <summary>Locates the repository's pipelines/ folder from the test binary.</summary>
public static class RepoPipelines
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "Pipeline.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("repository root (Pipeline.sln) not found above the test binaries");
        }
    }

    public static string File(string name) => Path.Combine(Root, "pipelines", name + ".json");

    /// <summary>
    /// The repository pipeline <paramref name="name"/> reduced to the named stages (name, seed and their parameters and
    /// profiles unchanged), for a stage project's tests that cannot run the other projects' stage kinds of the same file.
    /// </summary>
    public static string Stages(string name, params string[] stageNames)
    {
        var text = Stages(name, stageNames.Contains);
        var count = JsonNode.Parse(text)!["stages"]!.AsArray().Count;
        if (count != stageNames.Length)
            throw new InvalidOperationException($"pipelines/{name}.json has {count} of the stages {string.Join(", ", stageNames)}");
        return text;
    }

    /// <summary>The repository pipeline <paramref name="name"/> reduced to the stages whose name passes <paramref name="keepName"/>.</summary>
    public static string Stages(string name, Func<string, bool> keepName)
    {
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        var root = JsonNode.Parse(System.IO.File.ReadAllText(File(name)), documentOptions: options)!.AsObject();
        var kept = new JsonArray();
        foreach (var stage in root["stages"]!.AsArray())
            if (keepName((string)stage!["name"]!)) kept.Add(stage.DeepClone());
        root["stages"] = kept;
        return root.ToJsonString();
    }
}
