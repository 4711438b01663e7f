using ElbNotebooks.Loading;

namespace ElbNotebooks.Tests.Loading;

public class DamagedLinesTests
{
    private static readonly string[] Damaged =
    [
        TestLines.Seed[..TestLines.Seed.IndexOf(" 3545", StringComparison.Ordinal)],  // 2: cut short: too-few-fields
        TestLines.WithField(TestLines.Seed, 3, "[2019-04-11 09:02:44]"),             // 3: bad-timestamp
        TestLines.WithField(TestLines.Seed, 6, "5x0"),                               // 4: bad-status
        TestLines.WithField(TestLines.Seed, 8, "41l"),                               // 5: bad-number (request_length)
        TestLines.Seed.Replace("\"GET http", "\"GET\thttp")[..200],                  // 6: unterminated-quote
        "",                                                                          // 7: blank
        "   ",                                                                       // 8: blank
        "not a log line at all",                                                     // 9: too-few-fields
    ];

    private static string Mixed() =>
        string.Join("\n", new[] { TestLines.Seed }.Concat(Damaged).Append(TestLines.FullWithRetry)) + "\n";

    [Fact]
    public void Every_kind_of_damaged_line_is_counted_and_the_good_lines_around_it_kept()
    {
        var log = TestLines.Load(Mixed());
        var report = log.Report;

        Assert.Equal(10, report.Lines);
        Assert.Equal(2, report.Parsed);
        Assert.Equal(6, report.Rejected);
        Assert.Equal(2, report.Blank);
        Assert.Equal(report.Lines, report.Parsed + report.Rejected + report.Blank);
        Assert.Equal(2, log.RequestCount);
        Assert.Equal(new object?[] { 1L, 10L }, log.Requests["line"].Cast<object?>().ToArray());
        Assert.Equal(3, log.AttemptCount); // the seed's one, and the retried request's two

        Assert.Equal(2, report.RejectionsByReason["too-few-fields"]);
        Assert.Equal(1, report.RejectionsByReason["bad-timestamp"]);
        Assert.Equal(1, report.RejectionsByReason["bad-status"]);
        Assert.Equal(1, report.RejectionsByReason["bad-number"]);
        Assert.Equal(1, report.RejectionsByReason["unterminated-quote"]);
    }

    [Fact]
    public void Rejection_examples_name_the_file_the_line_and_the_field()
    {
        var report = TestLines.Load(Mixed(), name: "logs/elb.log").Report;

        var badNumber = Assert.Single(report.Examples, e => e.Reason == "bad-number");
        Assert.Equal("logs/elb.log", badNumber.File);
        Assert.Equal(5, badNumber.Line);
        Assert.Contains("request_length", badNumber.Detail);
        Assert.Contains("41l", badNumber.Detail);
        Assert.Equal("logs/elb.log:5: bad-number: request_length is not a number: '41l'", badNumber.ToString());

        Assert.Equal(new long[] { 2, 9 }, report.Examples.Where(e => e.Reason == "too-few-fields").Select(e => e.Line));
        Assert.Equal(3, Assert.Single(report.Examples, e => e.Reason == "bad-timestamp").Line);
    }

    [Fact]
    public void Examples_are_capped_per_reason_while_counts_stay_exact()
    {
        var text = string.Join("\n", Enumerable.Repeat("garbage line", 50).Prepend(TestLines.Seed));
        var report = TestLines.Load(text, LoadOptions.Default with { ExamplesPerReason = 3 }).Report;

        Assert.Equal(50, report.Rejected);
        Assert.Equal(50, report.RejectionsByReason["too-few-fields"]);
        Assert.Equal(3, report.Examples.Count);
    }

    [Fact]
    public void The_summary_reads_as_one_line()
    {
        var report = TestLines.Load(Mixed()).Report;
        Assert.Equal(
            "10 lines in 1 file: 2 parsed, 6 rejected (too-few-fields 2, bad-number 1, bad-status 1, bad-timestamp 1, unterminated-quote 1), 2 blank",
            report.Summary);
    }

    [Fact]
    public void A_line_over_the_limit_is_rejected_without_losing_its_neighbours()
    {
        var huge = TestLines.WithField(TestLines.FullWithRetry, 17, "\"" + new string('x', 50_000) + "\"");
        var text = TestLines.Seed + "\n" + huge + "\n" + TestLines.FullWithRetry + "\n";
        var log = TestLines.Load(text, LoadOptions.Default with { MaxLineBytes = 4096 });

        Assert.Equal(3, log.Report.Lines);
        Assert.Equal(2, log.Report.Parsed);
        Assert.Equal(1, log.Report.RejectionsByReason["line-too-long"]);
        var example = Assert.Single(log.Report.Examples);
        Assert.Equal(2, example.Line);
        Assert.Equal(new object?[] { 1L, 3L }, log.Requests["line"].Cast<object?>().ToArray());
    }

    [Fact]
    public void A_file_of_only_damaged_lines_is_a_clear_error_naming_it()
    {
        var error = Assert.Throws<LogLoadException>(() => TestLines.Load("hello\nworld\n", name: "notes.txt"));
        Assert.Contains("'notes.txt'", error.Message);
        Assert.Contains("notes.txt:1", error.Message);
        Assert.Equal(2, error.Report!.Rejected);
    }

    [Fact]
    public void An_empty_input_is_a_clear_error()
    {
        var error = Assert.Throws<LogLoadException>(() => TestLines.Load("", name: "empty.log"));
        Assert.Contains("'empty.log'", error.Message);
        Assert.Contains("empty", error.Message);
    }
}
