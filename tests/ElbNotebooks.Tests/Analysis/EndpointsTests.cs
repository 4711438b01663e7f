using CsCheck;
using ElbNotebooks.Analysis;
using ElbNotebooks.Loading;
using ElbNotebooks.Parsing;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>
/// What the requests a failing or slow backend hurt asked for: their endpoints (method and path, ids as <c>{id}</c>),
/// counted per bucket (and, for a slow one, latency bin) as blocks are merged, bounded in memory, and adding up to the
/// requests hurt.
/// </summary>
public class EndpointsTests
{
    [Theory]
    [InlineData("GET", "/api/v2/prices/SKU-4576?currency=EUR", "GET /api/v2/prices/{id}")]
    [InlineData("DELETE", "/api/orders/42", "DELETE /api/orders/{id}")]
    [InlineData("GET", "/static/img/p57443.jpg", "GET /static/img/{id}")]
    [InlineData("GET", "/reports/2024-05-01/summary", "GET /reports/{id}/summary")]
    [InlineData("GET", "/u/3f2504e0-4f89-11d3-9a0c-0305e82c3301/avatar", "GET /u/{id}/avatar")]
    [InlineData("POST", "/oauth2/token", "POST /oauth2/token")] // one digit: a name, not an id
    [InlineData("GET", "/", "GET /")]
    [InlineData("GET", "?q=1", "GET /")]
    [InlineData("GET", "/index.html#top", "GET /index.html")]
    [InlineData("GET", "/a//b/", "GET /a//b/")]
    [InlineData(null, "/x", "- /x")]
    [InlineData("GET", null, "GET -")]
    public void An_endpoint_is_the_method_and_the_path_with_ids_as_placeholders(string? method, string? uri, string endpoint) =>
        Assert.Equal(endpoint, RequestEndpoint.Of(method, uri));

    [Fact]
    public void A_very_long_path_is_cut_and_says_so()
    {
        var endpoint = RequestEndpoint.Of("GET", "/" + string.Join("/", Enumerable.Repeat("segment", 60)));

        Assert.True(endpoint.Length <= RequestEndpoint.MaxLength);
        Assert.EndsWith("…", endpoint);
        Assert.StartsWith("GET /segment/segment/", endpoint);
    }

    [Fact]
    public void The_path_a_minimal_parse_keeps_gives_the_endpoint_the_whole_uri_gives() =>
        // A streamed investigation keeps each hurt request's path as an endpoint has it, from the line's bytes; the loaded
        // log keeps the whole URI. Both must give one endpoint, long and non-ASCII paths included.
        Gen.OneOf(Gen.Const("/"), Gen.Const("?"), Gen.Const("#"), Gen.Const("a"), Gen.Const("7"), Gen.Const("é"), Gen.Const("{"), Gen.Const("%2F"))
            .Array[0, 120].Sample(parts =>
            {
                var uri = string.Concat(parts);
                if (uri.Length == 0) return; // a request line without a URL keeps none
                var bytes = System.Text.Encoding.UTF8.GetBytes(uri);
                var path = new byte[512];
                var n = RequestEndpoint.WritePath<byte>(bytes, path, out var complete);
                if (!complete) return; // kept whole then
                Assert.Equal(RequestEndpoint.Of("GET", uri), RequestEndpoint.Of("GET", System.Text.Encoding.UTF8.GetString(path, 0, n)));
            }, iter: 20_000);

    [Fact]
    public void Blocks_merged_count_every_request_by_endpoint_as_one_table_does() =>
        // Blocks of requests (bucket 0-3, one of 8 paths), merged as a streamed investigation merges them.
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 7]).Array[0, 40].Array[1, 5].Select(Gen.Int[0, 3]).Sample((blocks, from) =>
        {
            var total = new BucketEndpoints();
            var expected = new Dictionary<string, long>();
            foreach (var block in blocks)
            {
                var counts = new BucketEndpoints();
                foreach (var (bucket, path) in block)
                {
                    counts.Add(bucket, "GET", $"/p{path}?n={bucket}");
                    if (bucket >= from) expected[$"GET /p{path}"] = expected.GetValueOrDefault($"GET /p{path}") + 1;
                }
                total.Add(counts);
                counts.Clear();
            }
            var top = total.Top(from, 3, most: 8);
            Assert.Equal(expected.OrderByDescending(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal).Select(e => new EndpointCount(e.Key, e.Value)), top);
        }, iter: 5_000);

    [Fact]
    public void A_bucket_of_more_endpoints_than_it_keeps_counts_the_rest_apart()
    {
        // A scanner's random paths at a failing backend: memory stays bounded, every request still counted.
        var counts = new BucketEndpoints();
        static string Letters(int k) => new([(char)('a' + k % 26), (char)('a' + k / 26 % 26), (char)('a' + k / 676 % 26)]);
        for (var k = 0; k < BucketEndpoints.MostPerBucket + 500; k++) counts.Add(7, "GET", $"/wp-{Letters(k)}.php");
        for (var k = 0; k < 50; k++) counts.Add(7, "POST", "/login");

        var top = counts.Top(7, 7, most: int.MaxValue);

        Assert.True(top.Count <= BucketEndpoints.MostPerBucket);
        Assert.Equal(new EndpointCount("POST /login", 50), top[0]);
        Assert.Equal(BucketEndpoints.MostPerBucket + 550, counts.Requests(7, 7));

        // Merged into a full bucket, a block's endpoints are kept the same way.
        var total = new BucketEndpoints();
        total.Add(counts);
        var again = new BucketEndpoints();
        for (var k = 0; k < 20; k++) again.Add(7, "POST", "/login");
        total.Add(again);
        Assert.Equal(new EndpointCount("POST /login", 70), total.Top(7, 7, most: 1).Single());
        Assert.Equal(BucketEndpoints.MostPerBucket + 570, total.Requests(7, 7));
    }

    [Fact]
    public void A_failing_backend_names_the_endpoints_it_hurt_and_they_add_up_to_its_requests_hurt()
    {
        // The refused backend of the sample: GET and HEAD were retried on a peer; what it hurt were the requests the load
        // balancer does not retry (POST, PUT, DELETE), which the endpoints make plain.
        var i = AccessLog.Load([TestPaths.SampleLog("elb-refused-and-slow.log.gz")]).Investigate();
        var refused = i.Suspects.Single(s => s.Backend.Backend == "10.0.2.22:9000");

        Assert.Equal(10, refused.EndpointsHurt!.Count);
        Assert.All(refused.EndpointsHurt, e => Assert.Matches("^(POST|PUT|DELETE|PATCH) /api/", e.Endpoint));
        Assert.Equal(refused.RequestsHurt, refused.EndpointsHurt.Sum(e => e.Requests) + refused.RequestsHurtElsewhere);
        Assert.Contains(refused.EndpointsHurt, e => e.Endpoint == "DELETE /api/orders/{id}");
    }

    [Fact]
    public void A_slow_backend_names_the_endpoints_it_delayed_and_they_add_up_to_its_requests_hurt()
    {
        // The slow web backend of the sample was slow for every request, so what it delayed is its traffic's mix.
        var i = AccessLog.Load([TestPaths.SampleLog("elb-refused-and-slow.log.gz")]).Investigate();
        var slow = i.Suspects.Single(s => s.Health == Health.Slow);

        Assert.Equal(10, slow.EndpointsHurt!.Count);
        Assert.Equal(slow.RequestsHurt, slow.EndpointsHurt.Sum(e => e.Requests) + slow.RequestsHurtElsewhere);
        Assert.Equal("GET /products/{id}", slow.EndpointsHurt[0].Endpoint);
        Assert.True(slow.RequestsHurtElsewhere > 0);
    }

    [Fact]
    public void A_sketch_counts_what_is_left_of_it_bin_by_bin_as_its_bins_stand() =>
        // A bucket's final responses are its attempts less those retried elsewhere, both kept as sketches; a slow
        // backend's endpoints are counted from the finals' bins with the attempts' sketch's stand-ins, which must give
        // the same total as the sketches do, the lowest and highest bins (whose stand-ins are clamped) included.
        Gen.Select(Gen.Int[0, 4000], Gen.Bool).Array[1, 60].Select(Gen.Int[1, 4000]).Sample((attempts, thresholdMs) =>
        {
            var all = new LatencySketch();
            var retried = new LatencySketch();
            foreach (var (ms, isRetried) in attempts)
            {
                all.Add(ms / 1000.0);
                if (isRetried) retried.Add(ms / 1000.0);
            }
            var threshold = thresholdMs / 1000.0;
            var finals = attempts.Where(a => !a.Item2).Count(a => all.StandsAtLeast(LatencySketch.Bin(a.Item1 / 1000.0), threshold));
            Assert.Equal(finals, all.CountAtLeast(threshold, less: retried));
        }, iter: 20_000);

    [Fact]
    public void Blocks_merged_count_a_slow_backends_endpoints_by_latency_bin() =>
        // Blocks of requests (bucket 0-3, one of 5 paths, latency bin 0-9), merged; asked for the bins at or above one.
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 4], Gen.Int[0, 9]).Array[0, 40].Array[1, 5].Select(Gen.Int[0, 9]).Sample((blocks, fromBin) =>
        {
            var total = new BucketEndpoints();
            var expected = new Dictionary<string, long>();
            foreach (var block in blocks)
            {
                var counts = new BucketEndpoints();
                foreach (var (bucket, path, bin) in block)
                {
                    counts.Add(bucket, "GET", $"/p{path}", bin);
                    if (bin >= fromBin) expected[$"GET /p{path}"] = expected.GetValueOrDefault($"GET /p{path}") + 1;
                }
                total.Add(counts);
            }
            var top = total.Top(0, 3, most: 5, (_, bin) => bin >= fromBin);
            Assert.Equal(expected.OrderByDescending(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal).Select(e => new EndpointCount(e.Key, e.Value)), top);
            Assert.Equal(expected.Values.Sum(), total.Requests(0, 3, (_, bin) => bin >= fromBin));
        }, iter: 5_000);

    [Fact]
    public void A_full_bucket_of_slow_endpoints_keeps_the_latency_bins_of_those_it_counts_apart()
    {
        // A scanner's random paths, at every latency, then a slow search.
        var counts = new BucketEndpoints();
        static string Letters(int k) => new([(char)('a' + k % 26), (char)('a' + k / 26 % 26), (char)('a' + k / 676 % 26)]);
        for (var k = 0; k < BucketEndpoints.MostPerBucket + 300; k++) counts.Add(7, "GET", $"/wp-{Letters(k)}.php", bin: k % 10);
        for (var k = 0; k < 40; k++) counts.Add(7, "GET", "/search", bin: 9);

        Func<long, int, bool> slowest = (_, bin) => bin >= 8;
        Assert.Equal(new EndpointCount("GET /search", 40), counts.Top(7, 7, most: 1, slowest).Single());
        Assert.Equal((BucketEndpoints.MostPerBucket + 300) / 10 * 2 + 40, counts.Requests(7, 7, slowest));
        Assert.Equal(BucketEndpoints.MostPerBucket + 340, counts.Requests(7, 7));
    }
}
