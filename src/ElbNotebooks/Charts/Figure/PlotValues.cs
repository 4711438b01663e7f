using System.Collections;
using System.Globalization;
using System.Text.Json.Nodes;

namespace ElbNotebooks.Charts;

/// <summary>What a <see cref="PlotValues"/> holds.</summary>
public enum PlotValueKind
{
    /// <summary>Numbers; <see cref="double.NaN"/> is a gap (JSON null).</summary>
    Number,

    /// <summary>Category labels.</summary>
    Text,

    /// <summary>Wall-clock times, shown as written (plotly.js date axis).</summary>
    Time,
}

/// <summary>
/// One axis of a trace's data (its <c>x</c> or <c>y</c>): numbers, labels or times. Arrays convert implicitly, so a
/// trace is built as <c>new BarTrace { X = labels, Y = counts }</c>.
/// </summary>
public sealed class PlotValues : IReadOnlyList<object?>
{
    private readonly double[]? _numbers;
    private readonly string[]? _texts;
    private readonly DateTime[]? _times;

    private PlotValues(double[]? numbers, string[]? texts, DateTime[]? times) => (_numbers, _texts, _times) = (numbers, texts, times);

    /// <summary>No values.</summary>
    public static PlotValues Empty { get; } = new([], null, null);

    /// <summary>Numbers, NaN for a gap.</summary>
    public static PlotValues Numbers(IEnumerable<double> values) => new(values.ToArray(), null, null);

    /// <summary>Category labels.</summary>
    public static PlotValues Texts(IEnumerable<string> values) => new(null, values.ToArray(), null);

    /// <summary>Times as wall-clock values (their <see cref="DateTime.Kind"/> is ignored).</summary>
    public static PlotValues Times(IEnumerable<DateTime> values) => new(null, null, values.ToArray());

    /// <summary>What the values are.</summary>
    public PlotValueKind Kind => _texts is not null ? PlotValueKind.Text : _times is not null ? PlotValueKind.Time : PlotValueKind.Number;

    /// <summary>How many values.</summary>
    public int Count => _numbers?.Length ?? _texts?.Length ?? _times!.Length;

    /// <summary>The value at <paramref name="index"/>: a double, a string or a DateTime.</summary>
    public object? this[int index] => _texts is not null ? _texts[index] : _times is not null ? _times[index] : _numbers![index];

    /// <summary>The numbers (empty unless <see cref="Kind"/> is <see cref="PlotValueKind.Number"/>).</summary>
    public IReadOnlyList<double> AsNumbers => _numbers ?? [];

    /// <summary>The labels (empty unless <see cref="Kind"/> is <see cref="PlotValueKind.Text"/>).</summary>
    public IReadOnlyList<string> AsTexts => _texts ?? [];

    /// <summary>The times (empty unless <see cref="Kind"/> is <see cref="PlotValueKind.Time"/>).</summary>
    public IReadOnlyList<DateTime> AsTimes => _times ?? [];

    /// <inheritdoc/>
    public IEnumerator<object?> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Numbers.</summary>
    public static implicit operator PlotValues(double[] values) => Numbers(values);

    /// <summary>Counts as numbers.</summary>
    public static implicit operator PlotValues(long[] values) => Numbers(values.Select(v => (double)v));

    /// <summary>Labels.</summary>
    public static implicit operator PlotValues(string[] values) => Texts(values);

    /// <summary>Labels.</summary>
    public static implicit operator PlotValues(List<string> values) => Texts(values);

    /// <summary>Times.</summary>
    public static implicit operator PlotValues(DateTime[] values) => Times(values);

    internal JsonArray ToJson()
    {
        var array = new JsonArray();
        if (_texts is not null)
            foreach (var t in _texts) array.Add((JsonNode?)JsonValue.Create(t));
        else if (_times is not null)
            foreach (var t in _times) array.Add((JsonNode)JsonValue.Create(FormatTime(t)));
        else
            foreach (var n in _numbers!) array.Add(Number(n));
        return array;
    }

    /// <summary>A time as plotly.js reads a date without an offset: the wall clock as written.</summary>
    internal static string FormatTime(DateTime t) =>
        t.ToString(t.Millisecond == 0 ? "yyyy-MM-ddTHH:mm:ss" : "yyyy-MM-ddTHH:mm:ss.fff", CultureInfo.InvariantCulture);

    internal static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;
}
