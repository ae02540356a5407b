namespace Boltzmann.Testing;

/// <summary>
/// A fresh directory under the system temp folder, deleted on dispose. Every test that touches the file system
/// works in one, so tests never see each other's files and leave nothing behind.
/// </summary>
public class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "boltz-test-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        // A file still held open (e.g. by a reader under test on another platform) must not fail the test run.
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        GC.SuppressFinalize(this);
    }
}
