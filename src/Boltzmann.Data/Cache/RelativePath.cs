namespace Boltzmann.Data.Cache;

/// <summary>
/// Output paths inside an artifact: relative, '/'-separated, no empty, '.' or '..' segments, so a manifest
/// (which may have been edited) can never make the cache read or write outside the artifact directory.
/// </summary>
internal static class RelativePath
{
    /// <summary>The '/'-separated form of <paramref name="path"/>, or an exception naming what is wrong.</summary>
    public static string Normalize(string path, string what)
    {
        if (!TryNormalize(path, out var normalized, out var problem))
            throw new ArgumentException($"{what} '{path}' is not a valid artifact-relative path: {problem}.", nameof(path));
        return normalized;
    }

    public static bool TryNormalize(string? path, out string normalized, out string problem)
    {
        normalized = "";
        if (string.IsNullOrEmpty(path)) { problem = "it is empty"; return false; }
        if (path.Contains('\0')) { problem = "it contains a NUL character"; return false; }
        var p = path.Replace('\\', '/');
        if (p.StartsWith('/') || Path.IsPathRooted(path) || (p.Length >= 2 && p[1] == ':'))
        {
            problem = "it is absolute";
            return false;
        }
        foreach (var segment in p.Split('/'))
        {
            if (segment.Length == 0) { problem = "it has an empty segment"; return false; }
            if (segment is "." or "..") { problem = $"it has a '{segment}' segment"; return false; }
        }
        normalized = p;
        problem = "";
        return true;
    }

    /// <summary>Absolute path of a normalized relative path under <paramref name="directory"/>.</summary>
    public static string Combine(string directory, string normalized)
        => Path.Combine(directory, normalized.Replace('/', Path.DirectorySeparatorChar));
}
