namespace ElbNotebooks.Tests.Analysis;

/// <summary>
/// The speed work must change no answer: <c>investigate --json</c> on the sample logs and on generated incidents (every
/// scenario, all three Huawei layouts, chosen buckets and windows) must give byte for byte the JSON pinned in
/// Data/golden by the build before that work (see make-golden.sh there). Issue 24's latency sketches re-pinned the
/// percentile values (within 1% of the exact ones, checked field by field); nothing else changed.
/// </summary>
public class PinnedAnswersTests
{
    private static readonly string Golden = Path.Combine(AppContext.BaseDirectory, "Data", "golden");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in ReadCases()) data.Add(c.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Investigate_json_equals_the_pinned_answer(string name)
    {
        var c = ReadCases().Single(c => c.Name == name);
        var work = Directory.CreateTempSubdirectory("elb-pinned-");
        try
        {
            var log = Path.Combine(work.FullName, name + ".log");
            if (c.Generate.Length > 0)
            {
                var generated = TestCli.Run(["generate", "--out", log, .. c.Generate]);
                Assert.Equal(0, generated.Exit);
            }
            string[] args = ["investigate", .. c.Investigate.Select(a => a == "{log}" ? log : a.StartsWith("sample-logs") ? Path.Combine(TestPaths.RepoRoot, a) : a), "--json"];

            var (exit, json, err) = TestCli.Run(args);

            Assert.True(exit == 0, err);
            // Inputs are named as the pinning script named them: sample logs from the repository root, generated ones bare.
            json = json.Replace(work.FullName + "/", "").Replace(TestPaths.RepoRoot + "/", "");
            Assert.Equal(File.ReadAllText(Path.Combine(Golden, name + ".json")).TrimEnd(), json.TrimEnd());
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static IEnumerable<(string Name, string[] Generate, string[] Investigate)> ReadCases() =>
        File.ReadLines(Path.Combine(Golden, "cases.txt"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('|'))
            .Select(parts => (parts[0].Trim(), Words(parts[1]), Words(parts[2])));

    private static string[] Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
