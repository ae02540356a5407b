namespace Boltzmann.Stages.Sk.Instances;

/// <summary>
/// Checks a file named by a pipeline before it is read. A FIFO, device or socket passes <see cref="File.Exists"/>
/// but reading it blocks for ever (a FIFO with no writer) or never ends (/dev/zero), so validation would hang.
/// .NET exposes no file type on Unix, but such files report a length of 0 and an empty couplings or fields file
/// is invalid anyway, so a zero length is rejected before anything opens the file.
/// </summary>
internal static class InputFileCheck
{
    /// <summary>Why <paramref name="path"/> cannot be read as an input file, or null when it can.</summary>
    public static string? Problem(string path)
    {
        if (Directory.Exists(path)) return $"\"{path}\" is a directory, not a regular file";
        var info = new FileInfo(path);
        if (!info.Exists) return $"file \"{path}\" does not exist";
        if (info.Length == 0)
            return $"file \"{path}\" is empty or not a regular file (a FIFO, device or socket cannot be used as input); give a regular, non-empty file";
        return null;
    }
}
