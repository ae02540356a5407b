namespace Boltzmann.Data.Cache;

/// <summary>
/// Reads the commit a source tree is at from its <c>.git</c> directory without running git (git may be absent
/// on a compute node, and spawning it per stage is slow): HEAD, then the loose ref it names, then packed-refs.
/// </summary>
/// <remarks>
/// Handles a <c>.git</c> directory, a <c>.git</c> file (<c>gitdir: …</c>, used by worktrees and submodules) with
/// its <c>commondir</c>, detached HEADs, symbolic refs and SHA-1 or SHA-256 object names. Repositories using
/// the reftable ref storage, or anything unreadable, give null. Whether the tree has uncommitted changes is
/// not known (that needs the index and a tree walk); record it separately if it matters.
/// </remarks>
public static class GitCommitReader
{
    private const int MaxSymbolicDepth = 8;

    /// <summary>
    /// The commit (lowercase hex) of the repository containing <paramref name="directory"/> (searching parent
    /// directories for <c>.git</c>), or null when there is none or it cannot be read.
    /// </summary>
    public static string? TryRead(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        try
        {
            var gitDir = FindGitDirectory(Path.GetFullPath(directory));
            if (gitDir is null) return null;
            var commonDir = gitDir;
            var commonFile = Path.Combine(gitDir, "commondir");
            if (File.Exists(commonFile))
            {
                var text = File.ReadAllText(commonFile).Trim();
                if (text.Length > 0) commonDir = Path.GetFullPath(Path.Combine(gitDir, text));
            }
            return Resolve("HEAD", gitDir, commonDir, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The git directory for <paramref name="start"/> or its nearest ancestor that has a <c>.git</c> entry.</summary>
    private static string? FindGitDirectory(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(candidate)) return candidate;
            if (File.Exists(candidate))
            {
                var line = File.ReadAllText(candidate).Trim();
                const string prefix = "gitdir:";
                if (!line.StartsWith(prefix, StringComparison.Ordinal)) return null;
                var target = line[prefix.Length..].Trim();
                var resolved = Path.GetFullPath(Path.Combine(dir.FullName, target));
                return Directory.Exists(resolved) ? resolved : null;
            }
        }
        return null;
    }

    private static string? Resolve(string refName, string gitDir, string commonDir, int depth)
    {
        if (depth > MaxSymbolicDepth) return null;
        var content = ReadLooseRef(refName, gitDir, commonDir) ?? ReadPackedRef(refName, commonDir);
        if (content is null) return null;
        const string symbolic = "ref:";
        if (content.StartsWith(symbolic, StringComparison.Ordinal))
            return Resolve(content[symbolic.Length..].Trim(), gitDir, commonDir, depth + 1);
        return IsObjectName(content) ? content.ToLowerInvariant() : null;
    }

    private static string? ReadLooseRef(string refName, string gitDir, string commonDir)
    {
        if (refName.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(refName)) return null;
        var relative = refName.Replace('/', Path.DirectorySeparatorChar);
        var dirs = gitDir == commonDir ? new[] { gitDir } : new[] { gitDir, commonDir };
        foreach (var dir in dirs)
        {
            var path = Path.Combine(dir, relative);
            if (File.Exists(path))
            {
                var text = File.ReadAllText(path).Trim();
                if (text.Length > 0) return text;
            }
        }
        return null;
    }

    /// <summary>The object name of <paramref name="refName"/> in packed-refs ("&lt;sha&gt; &lt;ref&gt;" lines; '#' header and '^' peel lines skipped).</summary>
    private static string? ReadPackedRef(string refName, string commonDir)
    {
        var path = Path.Combine(commonDir, "packed-refs");
        if (!File.Exists(path)) return null;
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] is '#' or '^') continue;
            var space = line.IndexOf(' ');
            if (space <= 0) continue;
            if (line.AsSpan(space + 1).SequenceEqual(refName)) return line[..space];
        }
        return null;
    }

    private static bool IsObjectName(string s)
    {
        if (s.Length is not (40 or 64)) return false;
        foreach (var c in s)
            if (!char.IsAsciiHexDigit(c)) return false;
        return true;
    }
}
