namespace ElbNotebooks;

/// <summary>
/// The input or the options given are not valid, and the message says what to change: a path that names nothing, an
/// unknown format, a time range that is empty, an endpoint that is not a URL, a generator setting out of range. It is
/// an <see cref="ArgumentException"/>, so code that catches those still does; the <c>elb-notebooks</c> command maps this
/// type (and only this one) to exit code 2, and any exception it does not expect to exit code 1 as a bug to report.
/// </summary>
public class InvalidInputException : ArgumentException
{
    /// <summary>An error whose <paramref name="message"/> says what to change.</summary>
    public InvalidInputException(string message) : base(message) { }

    /// <summary>An error whose <paramref name="message"/> says what to change, found as <paramref name="inner"/>.</summary>
    public InvalidInputException(string message, Exception? inner) : base(message, inner) { }

    /// <summary>An error about the argument <paramref name="paramName"/>.</summary>
    public InvalidInputException(string message, string? paramName) : base(message, paramName) { }
}
