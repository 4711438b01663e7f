using System.Security.Cryptography;
using System.Text;

namespace ElbNotebooks.Generation;

/// <summary>Ids that look like cloud uuids but are a pure function of names, so every run and every seed agree.</summary>
internal static class StableId
{
    private static byte[] Hash(string kind, string name) =>
        SHA256.HashData(Encoding.UTF8.GetBytes("elbnotebooks/" + kind + "/" + name));

    /// <summary>A version-4-shaped uuid, lowercase with dashes.</summary>
    public static string Uuid(string kind, string name)
    {
        var b = Hash(kind, name);
        b[6] = (byte)((b[6] & 0x0F) | 0x40);
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(b.AsSpan(0, 16));
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }

    /// <summary>32 lowercase hex digits, like a Huawei project (tenant) id.</summary>
    public static string Hex32(string kind, string name) => Convert.ToHexStringLower(Hash(kind, name).AsSpan(0, 16));
}
