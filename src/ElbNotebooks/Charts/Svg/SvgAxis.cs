using System.Globalization;

namespace ElbNotebooks.Charts.Svg;

/// <summary>A tick: where it is on the axis (pixels) and its label.</summary>
internal readonly record struct Tick(double Position, string Label);

/// <summary>
/// Maps an axis's values to pixels between <c>start</c> and <c>end</c>: categories get equal bands in the order first
/// seen, times and numbers a linear scale with readable ticks (times as wall clock, the day named where it changes).
/// </summary>
internal sealed class SvgAxis
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private readonly List<string> _categories = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private double _min = double.PositiveInfinity, _max = double.NegativeInfinity;
    private readonly List<(double From, double To)> _gaps = [];

    public SvgAxis(PlotValueKind kind) => Kind = kind;

    public PlotValueKind Kind { get; }
    public double Start { get; private set; }
    public double End { get; private set; }
    public bool IsCategory => Kind == PlotValueKind.Text;
    public int CategoryCount => _categories.Count;
    public IReadOnlyList<string> Categories => _categories;

    /// <summary>Time values as minutes since the epoch, the unit of the scale.</summary>
    public static double Minutes(DateTime t) => (t - DateTime.UnixEpoch).TotalMinutes;

    public void Include(PlotValues values)
    {
        for (var i = 0; i < values.Count; i++) Include(values[i]);
    }

    public void Include(object? value)
    {
        switch (value)
        {
            case string s:
                if (_index.TryAdd(s, _categories.Count)) _categories.Add(s);
                break;
            case DateTime t:
                Extend(Minutes(t));
                break;
            case double d when double.IsFinite(d):
                Extend(d);
                break;
        }
    }

    /// <summary>Stretches of a time axis that are left out (see <see cref="Axis.Gaps"/>).</summary>
    public void LeaveOut(IEnumerable<TimeGap> gaps)
    {
        foreach (var g in gaps.OrderBy(g => g.From)) _gaps.Add((Minutes(g.From), Minutes(g.To)));
    }

    /// <summary>Where the left-out stretches are, in pixels.</summary>
    public IEnumerable<double> GapPixels => _gaps.Select(g => Scale(g.From));

    /// <summary>A value with the left-out stretches before it taken away.</summary>
    private double Squeeze(double v)
    {
        var squeezed = v;
        foreach (var (from, to) in _gaps)
        {
            if (v >= to) squeezed -= to - from;
            else if (v > from) squeezed -= v - from;
        }
        return squeezed;
    }

    private bool InGap(double v) => _gaps.Any(g => v > g.From && v < g.To);

    public void Extend(double v)
    {
        _min = Math.Min(_min, v);
        _max = Math.Max(_max, v);
    }

    /// <summary>Fixes the scale onto pixels; <paramref name="padding"/> widens a time or number range by a share on each side.</summary>
    public void Place(double start, double end, double padding = 0, bool fromZero = false)
    {
        Start = start;
        End = end;
        if (IsCategory) return;
        if (!double.IsFinite(_min)) (_min, _max) = (0, 1);
        if (fromZero) _min = Math.Min(0, _min);
        if (_max <= _min) _max = _min + 1;
        var pad = (_max - _min) * padding;
        _min -= pad;
        _max += pad;
        if (fromZero && _min < 0 && _min + pad >= 0) _min = 0;
    }

    /// <summary>The width of one category's band, or of one step of <paramref name="step"/> units on a scale.</summary>
    public double Band(double step = 1) => IsCategory
        ? (End - Start) / Math.Max(1, _categories.Count)
        : Math.Abs(End - Start) * step / (Squeeze(_max) - Squeeze(_min));

    /// <summary>The pixel of a value: a category's band centre, or the point on the scale.</summary>
    public double Pixel(object? value) => value switch
    {
        string s => _index.TryGetValue(s, out var i) ? Start + (i + 0.5) * Band() : double.NaN,
        DateTime t => Scale(Minutes(t)),
        double d => Scale(d),
        _ => double.NaN,
    };

    public double Scale(double v) => Start + (Squeeze(v) - Squeeze(_min)) / (Squeeze(_max) - Squeeze(_min)) * (End - Start);

    public IEnumerable<Tick> Ticks()
    {
        if (IsCategory) return _categories.Select(c => new Tick(Pixel(c), c));
        return Kind == PlotValueKind.Time ? TimeTicks() : NumberTicks();
    }

    private IEnumerable<Tick> NumberTicks()
    {
        var step = NiceStep((_max - _min) / 6);
        for (var v = Math.Ceiling(_min / step) * step; v <= _max + step * 1e-9; v += step)
            yield return new Tick(Scale(v), FormatNumber(Math.Abs(v) < step * 1e-9 ? 0 : v));
    }

    private static readonly double[] TimeSteps = [1.0 / 60, 5.0 / 60, 10.0 / 60, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080];

    private IEnumerable<Tick> TimeTicks()
    {
        var step = TimeSteps.FirstOrDefault(s => (Squeeze(_max) - Squeeze(_min)) / s <= 8, TimeSteps[^1]);
        DateTime? previous = null;
        for (var m = Math.Ceiling(_min / step) * step; m <= _max + 1e-9; m += step)
        {
            if (InGap(m) || _gaps.Any(g => Math.Abs(Scale(m) - Scale(g.From)) < 30)) continue;
            var t = DateTime.UnixEpoch.AddMinutes(m);
            var clock = step < 1 ? t.ToString("HH:mm:ss", C) : t.ToString("HH:mm", C);
            var label = previous is null || previous.Value.Date != t.Date || step >= 1440 ? t.ToString("MMM d ", C) + (step >= 1440 ? "" : clock) : clock;
            previous = t;
            yield return new Tick(Scale(m), label.Trim());
        }
    }

    public static double NiceStep(double rough)
    {
        if (!(rough > 0) || !double.IsFinite(rough)) return 1;
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var f = rough / power;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
    }

    public static string FormatNumber(double v) =>
        Math.Abs(v) >= 10_000 ? v.ToString("#,0", C) : Math.Abs(v) >= 1 || v == 0 ? v.ToString("0.##", C) : v.ToString("0.###", C);
}
