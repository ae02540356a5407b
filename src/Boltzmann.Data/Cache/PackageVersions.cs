using System.Reflection;
using System.Runtime.InteropServices;

namespace Boltzmann.Data.Cache;

/// <summary>
/// Versions of the runtime and of loaded libraries, for artifact manifests: an artifact made with a different
/// Parquet writer or numerics library may differ byte-wise, and the manifest should say which one was used.
/// </summary>
public static class PackageVersions
{
    /// <summary>
    /// Assembly names of the packages this project's outputs depend on (Parquet.Net's assembly is "Parquet").
    /// Only those already loaded are reported by <see cref="FromLoadedAssemblies"/>.
    /// </summary>
    public static IReadOnlyList<string> DefaultAssemblyNames { get; } =
    [
        "Parquet", "Microsoft.Data.Analysis", "Apache.Arrow", "ParquetSharp", "DuckDB.NET.Data",
        "TorchSharp", "MathNet.Numerics", "ScottPlot", "SkiaSharp",
    ];

    /// <summary>The .NET runtime, e.g. ".NET 10.0.0".</summary>
    public static string RuntimeVersion => RuntimeInformation.FrameworkDescription;

    /// <summary>
    /// Versions of the loaded assemblies whose simple names match <paramref name="patterns"/> (exact, ordinal
    /// ignoring case; a trailing '*' matches a prefix, e.g. "Boltzmann.*"), by assembly name.
    /// </summary>
    public static Dictionary<string, string> FromLoadedAssemblies(IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var list = patterns.ToList();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            var name = assembly.GetName().Name;
            if (name is null || !list.Any(p => Matches(name, p))) continue;
            if (VersionOf(assembly) is { } v) result.TryAdd(name, v);
        }
        return result;
    }

    /// <summary>Informational version of an assembly (what the package was published as), else its assembly version.</summary>
    public static string? VersionOf(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var info = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return !string.IsNullOrEmpty(info) ? info : assembly.GetName().Version?.ToString();
    }

    private static bool Matches(string name, string pattern)
        => pattern.EndsWith('*')
            ? name.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase)
            : string.Equals(name, pattern, StringComparison.OrdinalIgnoreCase);
}
