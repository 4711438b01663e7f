namespace ElbNotebooks.Reports;

/// <summary>
/// How an incident report is written. Defaults live here; change one with <c>with</c>:
/// <c>investigation.Report(new ReportOptions { Title = "INC-1234: checkout 500s" })</c>.
/// </summary>
public sealed record ReportOptions
{
    /// <summary>The defaults: a title naming the suspects, the system clock, 3 evidence lines per suspect.</summary>
    public static ReportOptions Default { get; } = new();

    /// <summary>The report's title; null names the suspects (or says that none was found).</summary>
    public string? Title { get; init; }

    /// <summary>Where "generated at" comes from: inject a fixed clock to make reports comparable (tests).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Raw log lines shown per suspect as evidence (at most the investigation's examples per suspect).</summary>
    public int MaxEvidenceLines { get; init; } = 3;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Clock);
        if (MaxEvidenceLines < 0) throw new ArgumentOutOfRangeException(nameof(MaxEvidenceLines), MaxEvidenceLines, "0 or more");
    }
}
