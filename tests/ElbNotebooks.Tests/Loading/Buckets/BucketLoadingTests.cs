using System.Text.Json.Nodes;
using Amazon.Runtime;
using ElbNotebooks.Cli.Commands;
using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Loading.Buckets;

/// <summary>
/// s3:// inputs against a real S3 API (s3rver on 127.0.0.1): answers equal the local files' answers, time ranges
/// fetch only the objects whose keys can hold them, and faults are reported per object.
/// </summary>
[Collection(S3Collection.Name)]
public sealed class BucketLoadingTests(S3Server server)
{
    private LoadOptions Options(string? endpoint = null, string key = S3Server.AccessKey) => LoadOptions.Default with
    {
        Buckets = BucketOptions.Default with { EndpointUrl = endpoint ?? server.Endpoint, Credentials = new BasicAWSCredentials(key, key) },
    };

    /// <summary>The CLI reaches the server through the standard chain: a profile in a shared credentials file.</summary>
    private string[] Cli(string endpoint, params string[] args) => [.. args, "--endpoint-url", endpoint, "--profile", S3Profile.Name];

    private static JsonObject Json(string stdout, bool dropObjects = true)
    {
        var node = JsonNode.Parse(stdout)!.AsObject();
        if (dropObjects) node.Remove("objects");
        // Inputs are named by path on disk and by key in a bucket, and the summary line counts the objects.
        foreach (var key in new[] { "parse_report", "inputs", "problems" }) node.Remove(key);
        // Where the suspects' example rows are written: the same files, under the folder or under the prefix.
        foreach (var at in node["suspects"]?.AsArray().SelectMany(s => s!["example_lines"]?.AsArray() ?? []) ?? [])
            at!["file"] = ((string)at["file"]!).Split('/')[^1];
        return node;
    }

    /// <summary>The answer without the parse report's counts, which count the lines of the objects read.</summary>
    private static string Answer(string stdout)
    {
        var node = Json(stdout);
        foreach (var key in new[] { "lines", "parsed", "rejected", "blank", "formats", "out_of_range", "rejected_by_reason" }) node.Remove(key);
        // Like out_of_range, the requests the time range left out are those of the objects read.
        node["filters"]?.AsObject().Remove("requests_left_out");
        return node.ToJsonString();
    }

    private static JsonObject Objects(string stdout) => JsonNode.Parse(stdout)!["objects"]!.AsObject();

    [S3Fact]
    public void An_alb_bucket_prefix_gives_the_answer_of_the_same_files_on_disk()
    {
        S3Profile.Ensure();
        using var logs = new BucketLogs(server).WithAlb();

        var local = TestCli.Run("investigate", "--json", logs.LocalRoot);
        var bucket = TestCli.Run(Cli(server.Endpoint, "investigate", "--json", logs.S3()));

        Assert.True(bucket.Exit == ExitCodes.Ok, bucket.Err);
        Assert.Equal(ExitCodes.Ok, local.Exit);
        Assert.Equal(Json(local.Out).ToJsonString(), Json(bucket.Out).ToJsonString());
        var objects = Objects(bucket.Out);
        var inputs = JsonNode.Parse(bucket.Out)!["inputs"]!.AsArray();
        Assert.Equal(7, inputs.Count); // the 8th object, AWS's test file, is skipped as not a log: a problem, not an input
        Assert.Contains(JsonNode.Parse(bucket.Out)!["problems"]!.AsArray(), p => (string)p!["kind"]! == "not-a-log");
        Assert.All(inputs, i => Assert.StartsWith("s3://", (string)i!["file"]!));
        Assert.Equal(8, (int)objects["listed"]!);
        Assert.Equal(8, (int)objects["read"]!);
        Assert.Equal(0, (int)objects["skipped_by_time"]!);
        Assert.Equal(0, (int)objects["failed"]!);
        Assert.Equal(logs.Keys.Sum(k => new FileInfo(logs.Local(k)).Length), (long)objects["read_bytes"]!);
    }

    [S3Fact]
    public void A_time_range_on_an_alb_prefix_lists_and_fetches_only_the_objects_that_can_hold_it()
    {
        S3Profile.Ensure();
        using var logs = new BucketLogs(server).WithAlb();
        using var proxy = new RecordingProxy(server.Port);
        string[] range = ["--from", "2024-05-01T10:10:00Z", "--to", "2024-05-01T10:15:00Z"];

        var local = TestCli.Run(["investigate", "--json", logs.LocalRoot, .. range]);
        var bucket = TestCli.Run(Cli(proxy.Endpoint, ["investigate", "--json", logs.S3("AWSLogs/"), .. range]));

        Assert.True(bucket.Exit == ExitCodes.Ok, bucket.Err);
        // The answer of every file, from the files that can hold the range; their lines and no others were read.
        Assert.Equal(Answer(local.Out), Answer(bucket.Out));
        // Files ending 10:10, 10:15 and 10:20 can hold 10:10-10:15 (5 minutes each, 5 minutes' slack); so can the
        // test file, whose name tells no time. The day before is never listed.
        string[] expected = [.. new[] { "1010", "1015", "1020" }.Select(BucketLogs.AlbKey), "AWSLogs/123456789012/ELBAccessLogTestFile"];
        // (the test file is skipped in a listing as in a folder: not named, it counts no line)
        var readLocally = TestCli.Run(["investigate", "--json", .. expected.SkipLast(1).Select(logs.Local), .. range]);
        Assert.Equal(Json(readLocally.Out).ToJsonString(), Json(bucket.Out).ToJsonString());
        Assert.Equal(expected.Select(k => $"/{logs.Bucket}/{k}").Order(), proxy.ObjectGets.Order());
        Assert.DoesNotContain(proxy.Requests, r => r.Contains("prefix=AWSLogs%2F123456789012%2Felasticloadbalancing%2Feu-west-1%2F2024%2F04%2F30", StringComparison.Ordinal));
        var objects = Objects(bucket.Out);
        Assert.Equal(7, (int)objects["listed"]!);
        Assert.Equal(3, (int)objects["skipped_by_time"]!);
        Assert.Equal(4, (int)objects["read"]!);
        Assert.Equal(0, (int)objects["failed"]!);
        Assert.Equal((long)objects["listed_bytes"]!, (long)objects["skipped_bytes"]! + (long)objects["read_bytes"]!);
        var terminal = System.Text.RegularExpressions.Regex.Replace(
            TestCli.Run(Cli(server.Endpoint, ["investigate", logs.S3("AWSLogs/"), .. range])).Out, @"\s+", " "); // lines wrap at 160
        Assert.Contains("objects: 7 listed", terminal);
        Assert.Contains("3 skipped by time", terminal);
        Assert.Contains("4 read", terminal);
    }

    [S3Fact]
    public void A_huawei_lts_transfer_in_obs_gives_the_sample_answer_and_days_outside_the_range_are_not_listed()
    {
        S3Profile.Ensure();
        using var logs = new BucketLogs(server).WithLts();
        using var proxy = new RecordingProxy(server.Port);
        string[] range = ["--from", "2024-05-01T00:00:00Z", "--to", "2024-05-01T08:00:00Z"];

        var local = TestCli.Run(["investigate", "--json", logs.Local(BucketLogs.LtsDay), .. range]);
        var bucket = TestCli.Run(Cli(proxy.Endpoint, ["investigate", "--json", logs.S3("LogTanks/cn-north-4/"), .. range]));

        Assert.True(bucket.Exit == ExitCodes.Ok, bucket.Err);
        Assert.Equal(Json(local.Out).ToJsonString(), Json(bucket.Out).ToJsonString());
        Assert.Contains("10.0.2.22:9000", bucket.Out);
        // April 20th is seen as a folder name, and its objects are never listed nor fetched.
        Assert.DoesNotContain(proxy.Requests, r => r.Contains("prefix=LogTanks%2Fcn-north-4%2F2024%2F04%2F20", StringComparison.Ordinal));
        Assert.Equal(2, proxy.ObjectGets.Count);
        var objects = Objects(bucket.Out);
        Assert.Equal(2, (int)objects["listed"]!);
        Assert.Equal(2, (int)objects["read"]!);

        var everything = TestCli.Run(Cli(server.Endpoint, "investigate", "--json", logs.S3("LogTanks/")));
        Assert.Equal(3, (int)Objects(everything.Out)["read"]!);
    }

    [S3Fact]
    public void An_object_deleted_between_listing_and_reading_is_named_and_counted_failed_and_the_others_load()
    {
        using var logs = new BucketLogs(server).WithLts();
        var options = Options();
        var sources = LogSource.FromPaths([logs.S3(BucketLogs.LtsDay)], options);
        server.Delete(logs.Bucket, BucketLogs.LtsDay + "elb-web-incident.log");

        var log = AccessLog.Load(sources, options);

        var gone = Assert.Single(log.Report.Damaged);
        Assert.Equal(logs.S3(BucketLogs.LtsDay + "elb-web-incident.log"), gone.File);
        Assert.Contains("was listed but is not there any more", gone.Error);
        Assert.Equal(1, log.Report.Objects!.Failed);
        Assert.Equal(1, log.Report.Objects.Read);
        Assert.Equal(AccessLog.Load(TestPaths.SampleLog("elb-refused-and-slow.log.gz")).RequestCount, log.RequestCount);
        Assert.Contains("1 failed", log.Report.Summary);
    }

    [S3Fact]
    public void A_truncated_object_keeps_its_lines_and_is_reported_as_the_same_file_on_disk_is()
    {
        using var logs = new BucketLogs(server);
        var whole = File.ReadAllBytes(TestPaths.SampleLog("elb-refused-and-slow.log.gz"));
        var key = logs.Put("LogTanks/cn-north-4/2024/05/01/g/s/cut.log.gz", whole[..(whole.Length / 2)]);

        var local = AccessLog.Load(logs.Local(key));
        var bucket = AccessLog.Load([logs.S3(key)], Options());

        var damaged = Assert.Single(bucket.Report.Damaged);
        Assert.Contains("cut short", damaged.Error);
        Assert.Equal(Assert.Single(local.Report.Damaged).Error, damaged.Error);
        Assert.Equal(local.RequestCount, bucket.RequestCount);
        Assert.True(bucket.RequestCount > 10_000);
        Assert.Equal(1, bucket.Report.Objects!.Read);
    }

    [S3Fact]
    public void A_key_the_store_does_not_know_is_refused_with_the_prefix_named()
    {
        S3Profile.Ensure();
        using var logs = new BucketLogs(server).WithLts();

        var e = Assert.Throws<BucketAccessException>(() => AccessLog.Load([logs.S3("LogTanks/")], Options(key: "NOT-A-KEY")));
        Assert.Contains($"Access denied listing s3://{logs.Bucket}/LogTanks/", e.Message);
        Assert.Contains("InvalidAccessKeyId", e.Message);

        var cli = TestCli.Run("investigate", logs.S3("LogTanks/"), "--endpoint-url", server.Endpoint, "--profile", S3Profile.Denied);
        Assert.Equal(ExitCodes.Failure, cli.Exit);
        Assert.Contains("error: Access denied listing", cli.Err);
    }

    [S3Fact]
    public void A_bucket_that_does_not_exist_is_bad_usage_naming_it()
    {
        S3Profile.Ensure();
        var cli = TestCli.Run(Cli(server.Endpoint, "load", "s3://no-such-bucket-here/AWSLogs/"));
        Assert.True(cli.Exit == ExitCodes.Usage, cli.Err);
        Assert.Contains("No such bucket 'no-such-bucket-here'", cli.Err);
    }

    [S3Fact]
    public void A_dropped_connection_is_resumed_and_one_that_keeps_dropping_fails_that_object_alone()
    {
        using var logs = new BucketLogs(server).WithLts();
        using var proxy = new RecordingProxy(server.Port);
        var expected = AccessLog.Load(logs.Local(BucketLogs.LtsDay)).RequestCount;

        proxy.Cut("elb-refused-and-slow.log.gz", 150_000, times: 2);
        var resumed = AccessLog.Load([logs.S3(BucketLogs.LtsDay)], Options(proxy.Endpoint));
        Assert.Empty(resumed.Report.Damaged);
        Assert.Equal(expected, resumed.RequestCount);
        Assert.Equal(2, resumed.Report.Objects!.Read);
        Assert.Equal(3, proxy.ObjectGets.Count(g => g.EndsWith("elb-refused-and-slow.log.gz", StringComparison.Ordinal)));

        proxy.Cut("elb-refused-and-slow.log.gz", 150_000, times: 100);
        var failed = AccessLog.Load([logs.S3(BucketLogs.LtsDay)], Options(proxy.Endpoint));
        var damaged = Assert.Single(failed.Report.Damaged);
        Assert.Equal(logs.S3(BucketLogs.LtsDay + "elb-refused-and-slow.log.gz"), damaged.File);
        Assert.Contains("the transfer dropped 4 times", damaged.Error);
        Assert.Equal(1, failed.Report.Objects!.Failed);
        Assert.Equal(AccessLog.Load(TestPaths.SampleLog("elb-web-incident.log")).RequestCount,
            failed.Requests.Rows.Count(r => ((string)r[failed.Requests.Columns.IndexOf("file")]).EndsWith("elb-web-incident.log", StringComparison.Ordinal)));
    }

    [S3Fact]
    public void A_throttled_fetch_is_retried_with_backoff_and_one_throttled_every_time_fails_that_object_alone()
    {
        using var logs = new BucketLogs(server).WithLts();
        using var proxy = new RecordingProxy(server.Port);
        var expected = AccessLog.Load(logs.Local(BucketLogs.LtsDay)).RequestCount;

        proxy.Throttle("elb-web-incident.log", times: 2);
        var retried = AccessLog.Load([logs.S3(BucketLogs.LtsDay)], Options(proxy.Endpoint));
        Assert.Empty(retried.Report.Damaged);
        Assert.Equal(expected, retried.RequestCount);
        Assert.Equal(3, proxy.ObjectGets.Count(g => g.EndsWith("elb-web-incident.log", StringComparison.Ordinal)));

        proxy.Throttle("elb-web-incident.log", times: 100);
        var failed = AccessLog.Load([logs.S3(BucketLogs.LtsDay)], Options(proxy.Endpoint));
        var damaged = Assert.Single(failed.Report.Damaged);
        Assert.Equal(logs.S3(BucketLogs.LtsDay + "elb-web-incident.log"), damaged.File);
        Assert.Contains("503 SlowDown", damaged.Error);
        Assert.Equal(1, failed.Report.Objects!.Failed);
        Assert.Equal(1, failed.Report.Objects.Read);
        Assert.Equal(3 + 4, proxy.ObjectGets.Count(g => g.EndsWith("elb-web-incident.log", StringComparison.Ordinal)));
    }

    [S3Fact]
    public void With_a_cache_folder_a_second_run_reads_nothing_from_the_bucket()
    {
        using var logs = new BucketLogs(server).WithLts();
        using var proxy = new RecordingProxy(server.Port);
        using var cache = new TempFolder();
        var options = Options(proxy.Endpoint) is var o ? o with { Buckets = o.Buckets with { CacheFolder = cache.Path } } : null!;

        var first = AccessLog.Load([logs.S3(BucketLogs.LtsDay)], options);
        var fetched = proxy.ObjectGets.Count;
        var second = AccessLog.Load([logs.S3(BucketLogs.LtsDay)], options);

        Assert.Equal(2, fetched);
        Assert.Equal(fetched, proxy.ObjectGets.Count);
        Assert.Equal(first.RequestCount, second.RequestCount);
        Assert.Equal(0, first.Report.Objects!.FromCache);
        Assert.Equal(2, second.Report.Objects!.FromCache);
        Assert.Equal(0, second.Report.Objects.BytesFetched);
        var copies = Directory.GetFiles(Path.Combine(cache.Path, logs.Bucket));
        Assert.Equal(2, copies.Length);
        Assert.Contains(copies, c => c.EndsWith("-elb-web-incident.log", StringComparison.Ordinal));
    }

    [S3Fact]
    public void A_key_that_is_also_the_folder_of_other_keys_is_read_with_a_cache_as_without()
    {
        // In a bucket c/app.log and c/app.log/1.log are two objects; as paths the first would be a file and a folder.
        using var logs = new BucketLogs(server);
        // (so they go to the bucket alone: BucketLogs.Put also writes them to disk, where they cannot both be)
        server.Put(logs.Bucket, "c/app.log", File.ReadAllBytes(TestPaths.SampleLog("elb-web-incident.log")));
        server.Put(logs.Bucket, "c/app.log/1.log", File.ReadAllBytes(TestPaths.SampleLog("elb-refused-and-slow.log.gz")));
        using var cache = new TempFolder();
        var options = Options() is var o ? o with { Buckets = o.Buckets with { CacheFolder = cache.Path } } : null!;

        var direct = AccessLog.Load([logs.S3("c/")], Options());
        var first = AccessLog.Load([logs.S3("c/")], options);
        var second = AccessLog.Load([logs.S3("c/")], options);

        var both = AccessLog.Load(TestPaths.SampleLog("elb-web-incident.log"), TestPaths.SampleLog("elb-refused-and-slow.log.gz")).RequestCount;
        Assert.Equal(both, direct.RequestCount);
        foreach (var log in new[] { first, second })
        {
            Assert.Equal(both, log.RequestCount);
            Assert.Equal(2, log.Report.Objects!.Read);
            Assert.Equal(0, log.Report.Objects.Failed);
            Assert.All(log.Report.Files, f => Assert.Null(f.Error));
        }
        Assert.Equal(2, second.Report.Objects!.FromCache);
        Assert.Equal(0, second.Report.Objects.BytesFetched);
    }

    [S3Fact]
    public void A_cache_folder_that_cannot_hold_the_objects_does_not_change_what_is_read()
    {
        using var logs = new BucketLogs(server).WithLts();
        using var cache = new TempFolder();
        // Where the bucket's folder goes there is a file: no copy can be written, every object comes from the bucket.
        File.WriteAllText(Path.Combine(cache.Path, logs.Bucket), "not a folder");
        var options = Options() is var o ? o with { Buckets = o.Buckets with { CacheFolder = cache.Path } } : null!;

        var log = AccessLog.Load([logs.S3(BucketLogs.LtsDay)], options);

        Assert.Equal(AccessLog.Load([logs.S3(BucketLogs.LtsDay)], Options()).RequestCount, log.RequestCount);
        Assert.Equal(2, log.Report.Objects!.Read);
        Assert.Equal(0, log.Report.Objects.Failed);
        Assert.Equal(0, log.Report.Objects.FromCache);
        Assert.All(log.Report.Files, f =>
        {
            Assert.Null(f.Error);
            Assert.Contains("not cached (", f.Note);
            Assert.EndsWith("): read from the bucket", f.Note);
        });
    }

    [S3Fact]
    public void The_endpoint_comes_from_AWS_ENDPOINT_URL_S3_when_no_option_names_one()
    {
        using var logs = new BucketLogs(server).WithLts();
        var before = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3");
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_S3", server.Endpoint);
        try
        {
            var options = LoadOptions.Default with { Buckets = BucketOptions.Default with { Credentials = new BasicAWSCredentials("S3RVER", "S3RVER") } };
            var log = AccessLog.Load([logs.S3(BucketLogs.LtsDay + "elb-web-incident.log")], options);
            Assert.Equal(AccessLog.Load(TestPaths.SampleLog("elb-web-incident.log")).RequestCount, log.RequestCount);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_S3", before);
        }
    }

    [S3Fact]
    public void The_readme_notebook_cell_loads_an_hour_from_a_bucket()
    {
        using var logs = new BucketLogs(server).WithAlb();
        var log = AccessLog.Load([logs.S3(BucketLogs.AlbRoot)],
            LoadOptions.Default with
            {
                From = DateTimeOffset.Parse("2024-05-01T10:10:00Z", System.Globalization.CultureInfo.InvariantCulture),
                To = DateTimeOffset.Parse("2024-05-01T10:15:00Z", System.Globalization.CultureInfo.InvariantCulture),
                Buckets = BucketOptions.Default with { EndpointUrl = server.Endpoint, Profile = S3Profile.Name },
            });

        Assert.Equal(3, log.Report.Objects!.Read);
        Assert.Equal(3, log.Report.Objects.SkippedByTime);
        var range = LoadOptions.Default with { From = new DateTimeOffset(2024, 5, 1, 10, 10, 0, TimeSpan.Zero), To = new DateTimeOffset(2024, 5, 1, 10, 15, 0, TimeSpan.Zero) };
        Assert.Equal(AccessLog.Load([logs.LocalRoot], range).RequestCount, log.RequestCount);
    }

    [S3Fact]
    public void Export_and_load_read_bucket_paths_as_investigate_does()
    {
        using var logs = new BucketLogs(server).WithLts();
        using var output = new TempFolder();

        var export = TestCli.Run(Cli(server.Endpoint, "export", logs.S3(BucketLogs.LtsDay), "--parquet", output.Path));
        var local = TestCli.Run("load", logs.Local(BucketLogs.LtsDay));
        var load = TestCli.Run(Cli(server.Endpoint, "load", logs.S3(BucketLogs.LtsDay)));

        Assert.True(export.Exit == ExitCodes.Ok, export.Err);
        Assert.Contains("45,327 lines in 2 files: 45,327 parsed", export.Out);
        Assert.Contains("objects: 2 listed", export.Out);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(output.Path, "requests"), "part-*.parquet", SearchOption.AllDirectories));
        Assert.True(load.Exit == ExitCodes.Ok, load.Err);
        Assert.Equal(local.Out.Split('\n')[0] + "; objects: 2 listed (7.5 MB), 0 skipped by time (0 B), 2 read (7.5 MB; 0 from cache), 0 failed", load.Out.Split('\n')[0]);
    }

    [S3Fact]
    public void Globs_on_keys_and_local_paths_mix_in_one_load()
    {
        using var logs = new BucketLogs(server).WithLts();
        var log = AccessLog.Load([logs.S3("LogTanks/*/2024/05/*/**/*.gz"), TestPaths.SampleLog("elb-web-incident.log")], Options());

        Assert.Equal([logs.S3(BucketLogs.LtsDay + "elb-refused-and-slow.log.gz"), TestPaths.SampleLog("elb-web-incident.log")], log.Sources);
        Assert.Equal(AccessLog.Load(TestPaths.SampleLog("elb-refused-and-slow.log.gz"), TestPaths.SampleLog("elb-web-incident.log")).RequestCount, log.RequestCount);
    }
}

/// <summary>
/// A shared credentials file with a profile s3rver accepts and one it refuses, named by AWS_SHARED_CREDENTIALS_FILE
/// for this test process: the CLI then reaches the server through the standard AWS chain, as a user's does.
/// </summary>
internal static class S3Profile
{
    public const string Name = "elb-tests";
    public const string Denied = "elb-tests-denied";
    private static readonly Lazy<string> File = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("elb-aws-").FullName;
        var path = Path.Combine(folder, "credentials");
        System.IO.File.WriteAllText(path,
            $"[{Name}]\naws_access_key_id = S3RVER\naws_secret_access_key = S3RVER\n\n[{Denied}]\naws_access_key_id = NOT-A-KEY\naws_secret_access_key = x\n");
        var config = Path.Combine(folder, "config");
        System.IO.File.WriteAllText(config, $"[profile {Name}]\nregion = eu-west-1\n\n[profile {Denied}]\nregion = eu-west-1\n");
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", path);
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", config);
        return path;
    });

    public static void Ensure() => _ = File.Value;
}
