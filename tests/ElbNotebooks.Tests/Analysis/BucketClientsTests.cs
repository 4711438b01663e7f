using CsCheck;
using ElbNotebooks.Analysis;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>
/// Clients are counted by their string; an IPv4 client is kept as a number, which must count exactly the clients the
/// strings count: one number per canonical address, none for anything else.
/// </summary>
public class BucketClientsTests
{
    private static string Dotted(uint a) => $"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}";

    [Fact]
    public void An_ipv4_address_is_its_number_and_the_number_its_only_spelling() =>
        Gen.Select(Gen.UInt, Gen.Char["0123456789.-:abf"].Array[0, 18]).Sample((address, noise) =>
        {
            Assert.True(ClientAddress.TryParse(Dotted(address), out var parsed));
            Assert.Equal(address, parsed);
            // Any other text that reads as an address is that address written the one way.
            var text = new string(noise);
            if (ClientAddress.TryParse(text, out var read)) Assert.Equal(Dotted(read), text);
        }, iter: 50_000);

    [Theory]
    [InlineData("01.2.3.4"), InlineData("1.2.3.256"), InlineData("1.2.3"), InlineData("1.2.3.4.5"), InlineData("1.2.3.4 ")]
    [InlineData("-"), InlineData(""), InlineData("2001:db8::1"), InlineData("1..2.3"), InlineData("1234.1.1.1"), InlineData("1.2.3.")]
    public void Other_clients_stay_strings(string client) => Assert.False(ClientAddress.TryParse(client, out _));

    [Fact]
    public void Blocks_merged_keep_each_clients_slowest_response_per_bucket_and_every_client() =>
        // Blocks of responses (bucket 0-3, client 1-6 of 10.0.0.x, header), merged as a streamed investigation merges
        // them (each sealed, or not), count what one table of every response counts.
        Gen.Select(Gen.Int[0, 3], Gen.Int[1, 6], Gen.Double[0, 10]).Array[0, 40].Array[1, 5]
            .Select(Gen.Bool.Array[5], Gen.Double[0, 10], Gen.Int[0, 3]).Sample((blocks, sealedBlocks, threshold, from) =>
            {
                var total = new BucketClients();
                var slowest = new Dictionary<(int Bucket, int Client), double>();
                for (var k = 0; k < blocks.Length; k++)
                {
                    var block = new BucketClients();
                    foreach (var (bucket, client, header) in blocks[k])
                    {
                        block.Add(bucket, $"10.0.0.{client}", header);
                        slowest[(bucket, client)] = Math.Max(slowest.GetValueOrDefault((bucket, client), double.MinValue), header);
                    }
                    if (sealedBlocks[k]) block.Seal();
                    total.Add(block);
                }
                var expected = slowest.Where(p => p.Key.Bucket >= from && p.Key.Bucket <= 3 && p.Value >= threshold).Select(p => p.Key.Client).Distinct().Count();
                Assert.Equal(expected, total.Distinct(from, 3, threshold));
                // Without a threshold (the clients of failed responses): every client of the buckets, once.
                Assert.Equal(slowest.Keys.Where(k => k.Bucket >= from).Select(k => k.Client).Distinct().Count(), total.Distinct(from, 3));
            }, iter: 5_000);

    [Fact]
    public void Distinct_clients_count_addresses_and_other_clients_alike()
    {
        var hurt = new BucketClients();
        var slow = new BucketClients();
        string[] clients = ["10.0.0.1", "10.0.0.1", "10.0.0.01", "-", "2001:db8::1", "192.168.1.20", "-"];
        for (var i = 0; i < clients.Length; i++)
        {
            hurt.Add(i % 3, clients[i]);
            slow.Add(i % 3, clients[i], 0.5 + i);
        }
        var other = new BucketClients();
        other.Add(2, "10.0.0.1", 9);
        slow.Add(other);

        // 10.0.0.1, 10.0.0.01 (another string, so another client), -, 2001:db8::1, 192.168.1.20.
        Assert.Equal(5, hurt.Distinct(0, 2));
        Assert.Equal(5, slow.Distinct(0, 2, 0));
        // Responses of 3.5 s or slower: 10.0.0.01 (2.5) is not; 10.0.0.1 in bucket 2 (9 s from the merge), -, 2001:db8::1, 192.168.1.20 are.
        Assert.Equal(4, slow.Distinct(0, 2, 3.5));
        Assert.Equal(2, hurt.Distinct(1, 1));
        slow.Coarsen(bucket => bucket / 2);
        Assert.Equal(3, slow.Distinct(1, 1, 0)); // bucket 2, now 1: 10.0.0.01, 192.168.1.20 and 10.0.0.1 (from the merge)
        slow.Keep(0, 0);
        Assert.Equal(0, slow.Distinct(1, 1, 0));
    }
}
