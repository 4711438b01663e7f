using ElbNotebooks.Tests.Support;

namespace ElbNotebooks.Tests.Charts;

public class ScenarioSanityTests
{
    [Fact]
    public void The_hand_written_scenario_parses_completely()
    {
        var log = TestLogs.Scenario();
        Assert.Equal(0, log.Report.Rejected);
        Assert.Equal(15, log.RequestCount);
        Assert.Equal(TimeSpan.FromHours(8), log.UtcOffset);
        Assert.Equal(18, log.AttemptCount);
    }
}
