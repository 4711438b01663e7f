namespace ElbNotebooks.Cli.Commands;

/// <summary>Process exit codes; documented in README.</summary>
public static class ExitCodes
{
    /// <summary>The command ran, whatever it found.</summary>
    public const int Ok = 0;
    /// <summary>Unexpected failure (a bug, or an I/O fault such as a full disk while writing).</summary>
    public const int Failure = 1;
    /// <summary>Bad usage: unknown option, missing input path, bad value, an output path that cannot be written (<see cref="OutputPaths"/>).</summary>
    public const int Usage = 2;
    /// <summary>Input read, but not one line could be parsed; or the selection (--from/--to, --listener) holds no request.</summary>
    public const int NothingParsed = 3;
}
