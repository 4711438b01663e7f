namespace ElbNotebooks.Cli.Commands;

/// <summary>
/// Output paths checked before the work that fills them: missing folders are created, and a path that cannot be
/// written (no permission, a parent that is a file, a folder where a file should go) is a <see cref="InvalidInputException"/>
/// naming it, so a long load is not run for nothing and the exit code is 2, not "unexpected failure".
/// </summary>
internal static class OutputPaths
{
    /// <summary>Creates the file's folder and checks the file can be written; a file that was not there is left absent.</summary>
    public static void PrepareFile(string path, string option)
    {
        var full = Checked(path, option);
        if (Directory.Exists(full)) throw Unwritable(option, path, "it is a folder");
        Create(Path.GetDirectoryName(full), option, path);
        var existed = File.Exists(full);
        Try(option, path, () =>
        {
            using (new FileStream(full, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)) { }
            if (!existed) File.Delete(full);
        });
    }

    /// <summary>Creates the folder and checks a file can be written in it.</summary>
    public static void PrepareFolder(string path, string option)
    {
        var full = Checked(path, option);
        if (File.Exists(full)) throw Unwritable(option, path, "it is a file, not a folder");
        Create(full, option, path);
        Try(option, path, () =>
        {
            using (new FileStream(Path.Combine(full, $".elb-notebooks-write-check-{Environment.ProcessId}"), FileMode.Create,
                       FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        });
    }

    /// <summary>A failure to write <paramref name="path"/> once the work is done (the disk filled, the folder went away).</summary>
    public static InvalidInputException Unwritable(string option, string path, string why) =>
        new($"{option} '{path}' cannot be written: {why}");

    private static string Checked(string path, string option)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new InvalidInputException($"{option} needs a path.");
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw Unwritable(option, path, e.Message);
        }
    }

    private static void Create(string? folder, string option, string path)
    {
        if (string.IsNullOrEmpty(folder) || Directory.Exists(folder)) return;
        // .NET says "Could not find a part of the path" or "already exists" when a parent is a file: name it instead.
        for (var parent = folder; !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
            if (File.Exists(parent)) throw Unwritable(option, path, $"'{parent}' is a file, not a folder");
        Try(option, path, () => Directory.CreateDirectory(folder));
    }

    private static void Try(string option, string path, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unwritable(option, path, e.Message);
        }
    }
}
