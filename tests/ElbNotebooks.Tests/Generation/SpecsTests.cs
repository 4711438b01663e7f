using ElbNotebooks.Generation;

namespace ElbNotebooks.Tests.Generation;

public class SpecsTests
{
    private static readonly DateTimeOffset Start = new(2024, 5, 1, 10, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Incident_spec_clock_times_are_local_to_the_start_offset()
    {
        var i = Specs.ParseIncident("errors:10.0.1.12:8080@10:20-10:35", Start);
        Assert.Equal(IncidentKind.BackendErrors, i.Kind);
        Assert.Equal("10.0.1.12:8080", i.Target);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 2, 20, 0, TimeSpan.Zero), i.From.Resolve(Start));
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 35, 0, TimeSpan.FromHours(8)), i.To.Resolve(Start));
        Assert.Equal(0.6, i.Share);
        Assert.Equal(500, i.Status);
    }

    [Fact]
    public void Incident_spec_parameters_override_the_defaults()
    {
        var i = Specs.ParseIncident("refused:10.0.2.22:9000@10:05:30-10:25,share=0.5,timeout=0.2", Start);
        Assert.Equal(IncidentKind.ConnectionRefused, i.Kind);
        Assert.Equal(Start.AddMinutes(5.5), i.From.Resolve(Start));
        Assert.Equal(0.5, i.Share);
        Assert.Equal(0.2, i.TimeoutShare);
        var s = Specs.ParseIncident("slow:10.0.1.14:8080@+30m-+50m,extra=1.5", Start);
        Assert.Equal(1.5, s.ExtraSeconds);
        Assert.Equal(Start.AddMinutes(30), s.From.Resolve(Start));
        Assert.Equal(Start.AddMinutes(50), s.To.Resolve(Start));
        var l = Specs.ParseIncident("listener:api@10:40-10:45,status=502", Start);
        Assert.Equal(IncidentKind.ListenerErrors, l.Kind);
        Assert.Equal("api", l.Target);
        Assert.Equal(502, l.Status);
    }

    [Fact]
    public void Window_crossing_midnight_ends_the_next_day()
    {
        var late = new DateTimeOffset(2024, 5, 1, 23, 30, 0, TimeSpan.FromHours(8));
        var i = Specs.ParseIncident("slow:10.0.1.14:8080@23:50-00:10", late);
        Assert.Equal(late.AddMinutes(20), i.From.Resolve(late));
        Assert.Equal(late.AddMinutes(40), i.To.Resolve(late));
    }

    [Theory]
    [InlineData("")]
    [InlineData("errors")]
    [InlineData("errors:10.0.1.12:8080")]
    [InlineData("errors:10.0.1.12:8080@10:20")]
    [InlineData("errors:10.0.1.12:8080@10:20-25:00")]
    [InlineData("errors:10.0.1.12:8080@10:35-10:20")]
    [InlineData("errors:10.0.1.12:8080@10:20-10:20")]
    [InlineData("errors:10.0.1.12:8080@+30m-+10m")]
    [InlineData("errors:10.0.1.12:8080@09:50-10:10")]
    [InlineData("boom:10.0.1.12:8080@10:20-10:35")]
    [InlineData("errors:10.0.1.12:8080@10:20-10:35,share=2")]
    [InlineData("errors:10.0.1.12:8080@10:20-10:35,status=200")]
    [InlineData("errors:10.0.1.12:8080@10:20-10:35,colour=red")]
    public void Bad_incident_specs_are_rejected_with_a_reason(string spec)
    {
        Assert.False(Specs.TryParseIncident(spec, Start, out var incident, out var error));
        Assert.Null(incident);
        Assert.StartsWith("--incident ", error, StringComparison.Ordinal); // the CLI prints it as it is: it names the option
    }

    [Theory]
    [InlineData("1h", 3600)]
    [InlineData("60m", 3600)]
    [InlineData("3600s", 3600)]
    [InlineData("1h30m", 5400)]
    [InlineData("01:00:00", 3600)]
    [InlineData("1.5h", 5400)]
    public void Durations_accept_units(string text, int seconds)
    {
        Assert.True(Durations.TryParse(text, out var d));
        Assert.True(Specs.TryParseDuration(text, out var viaSpecs)); // the generator reads them the same way
        Assert.Equal(d, viaSpecs);
        Assert.Equal(TimeSpan.FromSeconds(seconds), d);
    }

    [Theory]
    [InlineData("")]
    [InlineData("h")]
    [InlineData("10")]
    [InlineData("5x")]
    [InlineData("0s")]
    public void Bad_durations_are_rejected(string text) => Assert.False(Durations.TryParse(text, out _));
}
