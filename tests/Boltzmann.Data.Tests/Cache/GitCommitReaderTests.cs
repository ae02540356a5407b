using Boltzmann.Data.Cache;

namespace Boltzmann.Data.Tests.Cache;

public sealed class GitCommitReaderTests : IDisposable
{
    private const string ShaLoose = "0123456789abcdef0123456789abcdef01234567";
    private const string ShaPacked = "89abcdef0123456789abcdef0123456789abcdef";
    private const string ShaOther = "fedcba9876543210fedcba9876543210fedcba98";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Repo(string name)
    {
        var repo = Path.Combine(_temp.Path, name);
        Directory.CreateDirectory(Path.Combine(repo, ".git", "refs", "heads"));
        Directory.CreateDirectory(Path.Combine(repo, "src", "deep"));
        return repo;
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private const string PackedRefs =
        "# pack-refs with: peeled fully-peeled sorted \n" +
        $"{ShaOther} refs/heads/feature\n" +
        $"{ShaPacked} refs/heads/main\n" +
        $"^{ShaOther}\n" +
        $"{ShaOther} refs/tags/v1\n";

    [Fact]
    public void Loose_ref_is_read_from_a_subdirectory()
    {
        var repo = Repo("loose");
        Write(Path.Combine(repo, ".git", "HEAD"), "ref: refs/heads/main\n");
        Write(Path.Combine(repo, ".git", "refs", "heads", "main"), ShaLoose + "\n");
        Write(Path.Combine(repo, ".git", "packed-refs"), PackedRefs);
        Assert.Equal(ShaLoose, GitCommitReader.TryRead(Path.Combine(repo, "src", "deep")));
    }

    [Fact]
    public void Packed_ref_is_read_when_there_is_no_loose_ref()
    {
        var repo = Repo("packed");
        Write(Path.Combine(repo, ".git", "HEAD"), "ref: refs/heads/main\n");
        Write(Path.Combine(repo, ".git", "packed-refs"), PackedRefs);
        Assert.Equal(ShaPacked, GitCommitReader.TryRead(repo));
    }

    [Fact]
    public void Nested_branch_names_and_crlf_files_are_handled()
    {
        var repo = Repo("nested");
        Write(Path.Combine(repo, ".git", "HEAD"), "ref: refs/heads/feature/x\r\n");
        Write(Path.Combine(repo, ".git", "refs", "heads", "feature", "x"), ShaOther.ToUpperInvariant() + "\r\n");
        Assert.Equal(ShaOther, GitCommitReader.TryRead(repo));
    }

    [Fact]
    public void Detached_head_is_read_directly()
    {
        var repo = Repo("detached");
        Write(Path.Combine(repo, ".git", "HEAD"), ShaOther + "\n");
        Assert.Equal(ShaOther, GitCommitReader.TryRead(repo));
    }

    [Fact]
    public void Worktree_git_file_uses_its_common_directory()
    {
        var main = Repo("main");
        Write(Path.Combine(main, ".git", "packed-refs"), PackedRefs);
        var wtGitDir = Path.Combine(main, ".git", "worktrees", "wt");
        Write(Path.Combine(wtGitDir, "HEAD"), "ref: refs/heads/main\n");
        Write(Path.Combine(wtGitDir, "commondir"), "../..\n");
        var worktree = Path.Combine(_temp.Path, "wt");
        Write(Path.Combine(worktree, ".git"), $"gitdir: {wtGitDir}\n");
        Assert.Equal(ShaPacked, GitCommitReader.TryRead(worktree));
    }

    [Fact]
    public void Unresolvable_repositories_give_null()
    {
        var none = Path.Combine(_temp.Path, "plain");
        Directory.CreateDirectory(none);
        // The temp folder is not inside a repository on build machines; guard the assumption explicitly.
        Assert.False(Directory.Exists(Path.Combine(Path.GetTempPath(), ".git")));

        var unborn = Repo("unborn");
        Write(Path.Combine(unborn, ".git", "HEAD"), "ref: refs/heads/main\n");
        Assert.Null(GitCommitReader.TryRead(unborn));

        var garbage = Repo("garbage");
        Write(Path.Combine(garbage, ".git", "HEAD"), "ref: refs/heads/main\n");
        Write(Path.Combine(garbage, ".git", "refs", "heads", "main"), "not-a-sha\n");
        Assert.Null(GitCommitReader.TryRead(garbage));

        var loop = Repo("loop");
        Write(Path.Combine(loop, ".git", "HEAD"), "ref: refs/heads/a\n");
        Write(Path.Combine(loop, ".git", "refs", "heads", "a"), "ref: refs/heads/b\n");
        Write(Path.Combine(loop, ".git", "refs", "heads", "b"), "ref: refs/heads/a\n");
        Assert.Null(GitCommitReader.TryRead(loop));
    }
}
