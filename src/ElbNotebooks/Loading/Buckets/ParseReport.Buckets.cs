namespace ElbNotebooks.Loading;

public sealed partial class ParseReport
{
    /// <summary>Bucket objects listed, skipped by time, read and failed; null when no input was an <c>s3://</c> path.</summary>
    public ObjectReport? Objects { get; init; }
}
