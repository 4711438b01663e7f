using System.Runtime.InteropServices;

namespace ElbNotebooks.Loading;

/// <summary>
/// Whether a path names something other than a regular file or a folder: a named pipe (FIFO), a socket, a device.
/// .NET cannot tell (FileSystemInfo and FileSystemEntry call them all <see cref="FileAttributes.Normal"/>, length 0,
/// as for an empty file), and opening a FIFO to read waits for a writer, forever if none comes; so the system is asked:
/// <c>statx</c> on Linux (its buffer is laid out the same on every architecture), which gives the file's device and
/// inode in the same call, and <c>stat</c> on macOS, for the type alone. Elsewhere, or when the call is missing (a
/// glibc before 2.28) or fails, nothing is known and the file is read as before.
/// </summary>
internal static partial class FileTypes
{
    private const int TypeMask = 0xF000;

    /// <summary>
    /// What the path (its links followed) is, from one call to the system: <c>Special</c>, what it is when it is not a
    /// regular file or a folder, in words for the parse report ("a named pipe (FIFO)", "a socket", "a character
    /// device", "a block device"), null for a regular file, a folder, a path that names nothing, or when it cannot be
    /// told; and <c>Identity</c>, the file it names as its device and inode (<c>8:1:1234567</c>: major, minor, inode),
    /// so that two hard links to one file are known as one, which its real path cannot tell; null where it cannot be
    /// told (not Linux, no statx).
    /// </summary>
    public static (string? Special, string? Identity) Describe(string path)
    {
        // struct statx: stx_mask a u32 at 0, stx_mode a u16 at 28, stx_ino a u64 at 32, stx_dev_major and stx_dev_minor
        // u32s at 136 and 140. Its type and its identity come from one call: a folder walk makes a source per file.
        Span<byte> buffer = stackalloc byte[StatxBytes];
        if (!OperatingSystem.IsLinux()) return (SpecialType(MacMode(path, buffer)), null);
        if (!Statx(path, StatxType | StatxIno, buffer)) return (null, null);
        var mask = MemoryMarshal.Read<uint>(buffer);
        var special = (mask & StatxType) != 0 ? SpecialType(MemoryMarshal.Read<ushort>(buffer[28..])) : null;
        if ((mask & StatxIno) == 0) return (special, null);
        var (major, minor, inode) = (MemoryMarshal.Read<uint>(buffer[136..]), MemoryMarshal.Read<uint>(buffer[140..]), MemoryMarshal.Read<ulong>(buffer[32..]));
        return (special, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{major}:{minor}:{inode}"));
    }

    private static string? SpecialType(int mode) => (mode & TypeMask) switch
    {
        0x1000 => "a named pipe (FIFO)",
        0x2000 => "a character device",
        0x6000 => "a block device",
        0xC000 => "a socket",
        _ => null,
    };

    /// <summary>The st_mode of the path on macOS, links followed; 0 when unknown or elsewhere.</summary>
    private static unsafe int MacMode(string path, Span<byte> buffer)
    {
        // struct stat on macOS (64-bit inodes) is 144 bytes, st_mode a u16 at 4.
        if (!OperatingSystem.IsMacOS()) return 0;
        try
        {
            fixed (byte* bytes = buffer)
            {
                var result = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? stat_inode64(path, bytes) : stat(path, bytes);
                return result == 0 ? MemoryMarshal.Read<ushort>(buffer[4..]) : 0;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 0; // no such call in this C library: the file is read, as it was before this check
        }
    }

    /// <summary>
    /// Fills <paramref name="buffer"/> (a struct statx) for the path, links followed, asking for <paramref name="mask"/>;
    /// false when the call fails or this C library lacks it (a glibc before 2.28).
    /// </summary>
    private static unsafe bool Statx(string path, uint mask, Span<byte> buffer)
    {
        try
        {
            fixed (byte* bytes = buffer) return statx(AtFdCwd, path, 0, mask, bytes) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private const int StatxBytes = 256;
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const uint StatxIno = 0x100;

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int statx(int directory, string path, int flags, uint mask, byte* buffer);

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int stat(string path, byte* buffer);

    /// <summary>On Intel macOS, <c>stat</c> is the old call of 32-bit inodes; the 64-bit one, laid out as on Apple silicon, has this name.</summary>
    [LibraryImport("libc", EntryPoint = "stat$INODE64", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int stat_inode64(string path, byte* buffer);
}
