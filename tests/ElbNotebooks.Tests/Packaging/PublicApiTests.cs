using ElbNotebooks.Loading;
using PublicApiGenerator;

namespace ElbNotebooks.Tests.Packaging;

/// <summary>
/// The public surface of ElbNotebooks.dll, written out as C# declarations and compared with the approved file
/// <c>tests/ElbNotebooks.Tests/Packaging/ElbNotebooks.approved.txt</c>, so any change to what users can call is a
/// diff someone reviews. When the change is meant, regenerate the file and commit it with the change:
/// <code>ELB_APPROVE_API=1 dotnet test tests/ElbNotebooks.Tests --filter FullyQualifiedName~PublicApiTests</code>
/// On a mismatch the surface as built is written next to it as <c>ElbNotebooks.received.txt</c> (not committed) to diff.
/// </summary>
public class PublicApiTests
{
    [Fact]
    public void The_public_surface_is_the_approved_one()
    {
        var api = Normalize(typeof(AccessLog).Assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false }));
        var folder = Path.Combine(SourceRoot(), "tests", "ElbNotebooks.Tests", "Packaging");
        var approved = Path.Combine(folder, "ElbNotebooks.approved.txt");
        var received = Path.Combine(folder, "ElbNotebooks.received.txt");

        if (Environment.GetEnvironmentVariable("ELB_APPROVE_API") == "1")
        {
            File.WriteAllText(approved, api);
            File.Delete(received);
            return;
        }

        var expected = File.Exists(approved) ? Normalize(File.ReadAllText(approved)) : "";
        if (expected == api)
        {
            File.Delete(received);
            return;
        }
        File.WriteAllText(received, api);
        Assert.Fail($"The public API of ElbNotebooks.dll changed: diff {approved} {received}; if the change is meant, " +
                    "approve it with ELB_APPROVE_API=1 (see this test's comment) and commit the approved file.");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd() + "\n";

    private static string SourceRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "ElbNotebooks.sln")))
            dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("ElbNotebooks.sln not found above " + AppContext.BaseDirectory);
        return dir;
    }
}
