using ElbNotebooks.Analysis;

namespace ElbNotebooks.Tests.Analysis;

/// <summary>
/// An ALB writes target <c>-</c> for a Lambda function target. Regression: a failing function's 502s were read as the
/// load balancer answering by itself ("tried no backend: look at the load balancer, not at a backend"), and its
/// successful invocations were charged to a backend named <c>-</c>.
/// </summary>
public class LambdaTargetTests
{
    [Fact]
    public void A_failing_lambda_function_is_the_failing_backend_not_the_load_balancer()
    {
        var investigation = TestLines.Load(TestLines.AlbWithFailingLambda()).Investigate();

        var suspect = Assert.Single(investigation.Suspects);
        Assert.Equal(("lambda:orders-fn", "orders-fn", Health.Failing), (suspect.Backend.Backend, suspect.Backend.Pool, suspect.Health));
        Assert.Equal(new DateTime(2024, 5, 1, 10, 30, 0, DateTimeKind.Utc), suspect.Window.StartUtc);
        Assert.Equal(new DateTime(2024, 5, 1, 10, 45, 0, DateTimeKind.Utc), suspect.Window.EndUtc);
        Assert.Equal(15 * 4, suspect.FailedAttempts);
        Assert.Contains("the function's invocation failed", suspect.Reason);
        Assert.Contains(investigation.Incidents, n => n.Reason.StartsWith("lambda:orders-fn, a Lambda function target, failed", StringComparison.Ordinal));

        // What the load balancer answered by itself is only the 503 with no target tried; a WAF block is no 5xx.
        Assert.Equal(60, investigation.NoBackendErrors);
        Assert.Equal([503], investigation.ListenerErrors.Where(e => e.Status >= 500).Select(e => e.Status));
        Assert.DoesNotContain(investigation.Backends, b => b.Backend == "-");
        Assert.Equal(["10.0.1.11:8080", "10.0.1.12:8080", "10.0.1.13:8080", "lambda:orders-fn"], investigation.Backends.Select(b => b.Backend).Order());
    }

    [Fact]
    public void The_report_says_the_invocations_failed_and_shows_why_in_the_logs_words()
    {
        var report = TestLines.Load(TestLines.AlbWithFailingLambda()).Investigate().Report(Reports.ReportSamples.Options);

        var markdown = report.ToMarkdown();
        Assert.Contains("its invocations failed (the load balancer wrote 5xx for it", markdown);
        var evidence = Assert.Single(report.Evidence);
        Assert.NotEmpty(evidence);
        Assert.All(evidence, e => Assert.EndsWith("lambda:orders-fn did not answer (LambdaUnhandled)", e.Shows));
    }

    [Fact]
    public void Explaining_a_failed_invocation_names_the_function_and_the_load_balancers_reason()
    {
        var log = TestLines.Load(TestLines.AlbLambdaFailed);

        Assert.Equal("lambda:my-targets never answered (no header time): the load balancer wrote 502 for it " +
                     "(error_reason LambdaInvalidResponse) and the client got 502.", log.Explain(0));
    }

    [Fact]
    public void A_streamed_investigation_names_the_failing_function_as_the_loaded_one_does()
    {
        var path = Path.Combine(Path.GetTempPath(), $"elb-lambda-{Guid.NewGuid():N}.log");
        File.WriteAllText(path, TestLines.AlbWithFailingLambda());
        try
        {
            var streamed = AccessLogInvestigation.Investigate(ElbNotebooks.Loading.LogSource.FromPaths([path]));
            var suspect = Assert.Single(streamed.Suspects);
            Assert.Equal(("lambda:orders-fn", Health.Failing, 60L), (suspect.Backend.Backend, suspect.Health, suspect.FailedAttempts));
            Assert.Equal(60, streamed.NoBackendErrors);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
