using System.Globalization;
using System.Text;

namespace ElbNotebooks.Charts.Svg;

/// <summary>
/// Draws a <see cref="PlotlyChart"/> as a static SVG, for places where no script runs (a notebook on a code host, an
/// exported page opened offline, a mail client, a PDF): the same data, title, axis titles, colours and legend as the
/// interactive chart, from the typed properties of the figure (attributes set by path are plotly.js's alone). It draws
/// the trace types this library makes: vertical bars (stacked or grouped), horizontal bars, lines with gaps and markers,
/// heatmaps, and horizontal box plots.
/// </summary>
internal sealed class SvgRenderer
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private static readonly string[] Colorway = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
    private const int MaxOutliersPerBox = 60;

    private readonly PlotlyChart _chart;
    private readonly StringBuilder _svg = new();
    private readonly SvgAxis _x;
    private readonly SvgAxis _y;
    private double _left, _right, _top, _bottom;

    private SvgRenderer(PlotlyChart chart)
    {
        _chart = chart;
        var first = chart.Data.FirstOrDefault();
        var horizontal = first is BoxTrace or BarTrace { Horizontal: true };
        _x = new SvgAxis(first is null || horizontal ? PlotValueKind.Number : first.X.Kind);
        if (_x.Kind == PlotValueKind.Time) _x.LeaveOut(chart.Layout.XAxis.Gaps);
        _y = new SvgAxis(first is null ? PlotValueKind.Number : horizontal || first is HeatmapTrace ? PlotValueKind.Text : first.Y.Kind);
    }

    /// <summary>The chart as one standalone <c>&lt;svg&gt;</c> element.</summary>
    public static string Render(PlotlyChart chart) => new SvgRenderer(chart).Draw();

    private Layout Layout => _chart.Layout;

    private string Draw()
    {
        var stacked = Measure();
        var legend = LegendEntries();
        var heatmap = _chart.Data.OfType<HeatmapTrace>().FirstOrDefault();
        var yLabelWidth = _y.IsCategory ? _y.Categories.Select(c => c.Length).DefaultIfEmpty(4).Max() * 6.2 : 48;
        _left = Math.Clamp(yLabelWidth + 30, 60, Layout.Width * 0.45);
        _right = Layout.Width - (legend.Count > 0 ? 200 : heatmap is not null ? 120 : 24);
        _top = Layout.Title is null ? 20 : 44;
        _bottom = Layout.Height - 58;
        var bars = _chart.Data.Any(t => t is BarTrace);
        _x.Place(_left, _right, padding: _x.Kind == PlotValueKind.Number ? 0.04 : 0, fromZero: _x.Kind == PlotValueKind.Number && bars);
        if (_y.IsCategory && !Layout.YAxis.Reversed) _y.Place(_bottom, _top);
        else if (_y.IsCategory) _y.Place(_top, _bottom);
        else _y.Place(_bottom, _top, padding: 0.05, fromZero: bars);

        _svg.Append(C, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"elb-chart-svg\" width=\"{Layout.Width}\" height=\"{Layout.Height}\" viewBox=\"0 0 {Layout.Width} {Layout.Height}\" role=\"img\" font-family=\"system-ui,-apple-system,'Segoe UI',Arial,sans-serif\" font-size=\"11\">");
        _svg.Append("<title>").Append(Escape(Layout.Title ?? "chart")).Append("</title>");
        _svg.Append(C, $"<rect width=\"{Layout.Width}\" height=\"{Layout.Height}\" fill=\"#fff\"/>");
        Grid();
        _svg.Append("<g>");
        foreach (var (trace, i) in _chart.Data.Select((t, i) => (t, i)))
        {
            switch (trace)
            {
                case BarTrace bar: Bars(bar, i, stacked); break;
                case ScatterTrace line when !line.LegendOnly: Line(line, i); break;
                case HeatmapTrace map: Heatmap(map); break;
                case BoxTrace box: Box(box, i); break;
            }
        }
        _svg.Append("</g>");
        Axes();
        Gaps();
        Legend(legend);
        if (heatmap is not null) ColorBar(heatmap);
        if (Layout.Note is { } note)
            Text((_left + _right) / 2, (_top + _bottom) / 2, note, "middle", size: 16, fill: "#444");
        if (Layout.Title is { } title) Text(12, 26, title, "start", size: 15, fill: "#222", weight: "600");
        _svg.Append("</svg>");
        return _svg.ToString();
    }

    /// <summary>Puts every value on its axis (stacked bars by their stack's top); says whether vertical bars stack.</summary>
    private bool Measure()
    {
        var stackedBars = Layout.BarMode == GroupMode.Stack ? _chart.Data.OfType<BarTrace>().Where(b => !b.Horizontal).ToList() : [];
        foreach (var trace in _chart.Data)
        {
            switch (trace)
            {
                case BarTrace { Horizontal: true } bar:
                    _y.Include(bar.Y);
                    foreach (var v in bar.X.AsNumbers) _x.Extend(v);
                    break;
                case BoxTrace box:
                    _y.Include(box.Y);
                    foreach (var v in box.X.AsNumbers) if (double.IsFinite(v)) _x.Extend(v);
                    break;
                case HeatmapTrace map:
                    IncludeCells(_x, map);
                    _y.Include(map.Y);
                    break;
                case BarTrace bar:
                    IncludeCells(_x, bar);
                    if (!stackedBars.Contains(bar)) foreach (var v in bar.Y.AsNumbers) if (double.IsFinite(v)) _y.Extend(v);
                    break;
                default:
                    if (Period(trace) is not null) IncludeCells(_x, trace);
                    else _x.Include(trace.X);
                    _y.Include(trace.Y);
                    break;
            }
        }
        if (stackedBars.Count == 0) return false;
        var totals = new Dictionary<string, (double Up, double Down)>(StringComparer.Ordinal);
        foreach (var bar in stackedBars)
            for (var i = 0; i < Math.Min(bar.X.Count, bar.Y.Count); i++)
            {
                var key = Convert.ToString(bar.X[i], C) ?? "";
                var v = bar.Y.AsNumbers[i];
                if (!double.IsFinite(v)) continue;
                totals.TryGetValue(key, out var t);
                totals[key] = v >= 0 ? (t.Up + v, t.Down) : (t.Up, t.Down + v);
            }
        foreach (var (up, down) in totals.Values)
        {
            _y.Extend(up);
            _y.Extend(down);
        }
        return true;
    }

    /// <summary>
    /// A time axis of cells (bars, heatmap columns) reaches the end of the last one: from the first period's start to
    /// the last one's end with <see cref="Trace.XPeriod"/>, else half a step beyond the first and last cell (centred).
    /// </summary>
    private static void IncludeCells(SvgAxis axis, Trace trace)
    {
        var values = trace.X;
        axis.Include(values);
        if (values.Kind != PlotValueKind.Time || values.Count == 0) return;
        if (Period(trace) is { } period)
        {
            axis.Extend(SvgAxis.Minutes(values.AsTimes[^1]) + period);
            return;
        }
        var half = Step(values) / 2;
        axis.Extend(SvgAxis.Minutes(values.AsTimes[0]) - half);
        axis.Extend(SvgAxis.Minutes(values.AsTimes[^1]) + half);
    }

    /// <summary>The trace's period in minutes when its x values are period starts on a time axis (<see cref="Trace.XPeriod"/>), else null.</summary>
    private static double? Period(Trace trace) =>
        trace.XPeriod is { } p && p > TimeSpan.Zero && trace.X.Kind == PlotValueKind.Time ? p.TotalMinutes : null;

    /// <summary>
    /// Where cell <paramref name="i"/> of a trace lies in pixels: [start, start + period) with a period, else a cell of
    /// <paramref name="width"/> centred on its value.
    /// </summary>
    private (double Left, double Width) Cell(Trace trace, int i, double width)
    {
        if (Period(trace) is { } period)
        {
            var start = SvgAxis.Minutes(trace.X.AsTimes[i]);
            var left = _x.Scale(start);
            return (left, _x.Scale(start + period) - left);
        }
        return (_x.Pixel(trace.X[i]) - width / 2, width);
    }

    /// <summary>The smallest gap between consecutive times, in minutes (1 when there is one time).</summary>
    private static double Step(PlotValues times)
    {
        var step = double.PositiveInfinity;
        for (var i = 1; i < times.Count; i++)
        {
            var d = SvgAxis.Minutes(times.AsTimes[i]) - SvgAxis.Minutes(times.AsTimes[i - 1]);
            if (d > 0) step = Math.Min(step, d);
        }
        return double.IsFinite(step) ? step : 1;
    }

    private double CellWidth(Trace trace) =>
        _x.IsCategory ? Math.Abs(_x.Band()) : trace.X.Kind == PlotValueKind.Time ? _x.Band(Period(trace) ?? Step(trace.X)) : _x.Band(1);

    private void Grid()
    {
        foreach (var tick in _x.Ticks().Where(t => !_x.IsCategory))
            _svg.Append(C, $"<line x1=\"{F(tick.Position)}\" y1=\"{F(_top)}\" x2=\"{F(tick.Position)}\" y2=\"{F(_bottom)}\" stroke=\"#eee\"/>");
        foreach (var tick in _y.Ticks().Where(t => !_y.IsCategory))
            _svg.Append(C, $"<line x1=\"{F(_left)}\" y1=\"{F(tick.Position)}\" x2=\"{F(_right)}\" y2=\"{F(tick.Position)}\" stroke=\"#eee\"/>");
    }

    private void Axes()
    {
        _svg.Append(C, $"<line x1=\"{F(_left)}\" y1=\"{F(_bottom)}\" x2=\"{F(_right)}\" y2=\"{F(_bottom)}\" stroke=\"#444\"/>");
        _svg.Append(C, $"<line x1=\"{F(_left)}\" y1=\"{F(_top)}\" x2=\"{F(_left)}\" y2=\"{F(_bottom)}\" stroke=\"#444\"/>");
        var xTicks = _x.Ticks().ToList();
        var every = Math.Max(1, (int)Math.Ceiling(xTicks.Count * (_x.IsCategory ? 7.0 * xTicks.Select(t => t.Label.Length).DefaultIfEmpty(1).Max() : 70) / Math.Max(1, _right - _left)));
        foreach (var (tick, i) in xTicks.Select((t, i) => (t, i)))
        {
            _svg.Append(C, $"<line x1=\"{F(tick.Position)}\" y1=\"{F(_bottom)}\" x2=\"{F(tick.Position)}\" y2=\"{F(_bottom + 4)}\" stroke=\"#444\"/>");
            if (i % every == 0) Text(tick.Position, _bottom + 16, Cut(tick.Label, 24), "middle");
        }
        var yTicks = _y.Ticks().ToList();
        var rowHeight = yTicks.Count > 1 ? Math.Abs(yTicks[1].Position - yTicks[0].Position) : 100;
        var yEvery = Math.Max(1, (int)Math.Ceiling(12 / Math.Max(1, rowHeight)));
        foreach (var (tick, i) in yTicks.Select((t, i) => (t, i)))
            if (i % yEvery == 0) Text(_left - 6, tick.Position + 4, Cut(tick.Label, 60), "end");
        if (Layout.XAxis.Title is { } xTitle) Text((_left + _right) / 2, _bottom + 38, xTitle, "middle", size: 12, fill: "#333");
        if (Layout.YAxis.Title is { } yTitle)
            _svg.Append(C, $"<text x=\"14\" y=\"{F((_top + _bottom) / 2)}\" transform=\"rotate(-90 14 {F((_top + _bottom) / 2)})\" text-anchor=\"middle\" font-size=\"12\" fill=\"#333\">{Escape(yTitle)}</text>");
    }

    /// <summary>Each left-out stretch of the time axis: a dashed line where it was cut out, and what is missing.</summary>
    private void Gaps()
    {
        foreach (var (x, gap) in _x.GapPixels.Zip(Layout.XAxis.Gaps.OrderBy(g => g.From)))
        {
            _svg.Append(C, $"<line x1=\"{F(x)}\" y1=\"{F(_top)}\" x2=\"{F(x)}\" y2=\"{F(_bottom + 6)}\" stroke=\"#999\" stroke-dasharray=\"4,3\"/>");
            Text(x, _top - 4, gap.Label, "middle", size: 10, fill: "#666");
        }
    }

    private void Bars(BarTrace bar, int index, bool stacked)
    {
        var color = ColorOf(bar, index);
        var n = Math.Min(bar.X.Count, bar.Y.Count);
        if (bar.Horizontal)
        {
            var h = Math.Abs(_y.Band()) * 0.8;
            for (var i = 0; i < n; i++)
            {
                var v = bar.X.AsNumbers[i];
                if (!double.IsFinite(v)) continue;
                var (a, b) = (_x.Scale(0), _x.Scale(v));
                Rect(Math.Min(a, b), _y.Pixel(bar.Y[i]) - h / 2, Math.Abs(b - a), h, color, $"{bar.Y[i]}: {SvgAxis.FormatNumber(v)}");
            }
            return;
        }
        var vertical = _chart.Data.OfType<BarTrace>().Where(b => !b.Horizontal).ToList();
        var gap = Layout.BarGap ?? 0.2;
        var cellWidth = CellWidth(bar);
        for (var i = 0; i < n; i++)
        {
            var v = bar.Y.AsNumbers[i];
            if (!double.IsFinite(v) || v == 0) continue;
            var key = Convert.ToString(bar.X[i], C) ?? "";
            var basis = 0.0;
            if (stacked)
            {
                _base.TryGetValue(key, out var t);
                basis = v >= 0 ? t.Up : t.Down;
                _base[key] = v >= 0 ? (t.Up + v, t.Down) : (t.Up, t.Down + v);
            }
            var (y0, y1) = (_y.Scale(basis), _y.Scale(basis + v));
            // The bars of a cell share its width less the gap, split between the traces unless they stack.
            var (left, cell) = Cell(bar, i, cellWidth);
            var slot = cell * (1 - gap);
            var width = stacked ? slot : slot / vertical.Count;
            var x = left + cell * gap / 2 + (stacked ? 0 : vertical.IndexOf(bar) * width);
            Rect(x, Math.Min(y0, y1), width, Math.Abs(y1 - y0), color, $"{bar.Name} {Label(bar.X[i])}: {SvgAxis.FormatNumber(v)}");
        }
    }

    private readonly Dictionary<string, (double Up, double Down)> _base = new(StringComparer.Ordinal);

    private void Line(ScatterTrace line, int index)
    {
        var color = ColorOf(line, index);
        var dash = line.Line == LineStyle.Dotted ? " stroke-dasharray=\"2,3\"" : "";
        var points = new List<(double X, double Y)>();
        void Flush()
        {
            if (points.Count > 1)
                _svg.Append(C, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.6\"{dash} points=\"{string.Join(' ', points.Select(p => F(p.X) + "," + F(p.Y)))}\"/>");
            points.Clear();
        }
        for (var i = 0; i < Math.Min(line.X.Count, line.Y.Count); i++)
        {
            var y = line.Y[i] is double d ? (double.IsFinite(d) ? _y.Scale(d) : double.NaN) : _y.Pixel(line.Y[i]);
            // A bucket's point sits at its middle, as plotly.js puts it (xperiodalignment "middle").
            var x = Period(line) is { } period ? _x.Scale(SvgAxis.Minutes(line.X.AsTimes[i]) + period / 2) : _x.Pixel(line.X[i]);
            if (!double.IsFinite(x) || !double.IsFinite(y))
            {
                Flush();
                continue;
            }
            points.Add((x, y));
            if (line.Line == LineStyle.SolidWithMarkers)
                _svg.Append(C, $"<circle cx=\"{F(x)}\" cy=\"{F(y)}\" r=\"2.5\" fill=\"{color}\"/>");
        }
        Flush();
    }

    private void Heatmap(HeatmapTrace map)
    {
        var (min, max) = Range(map);
        var cellWidth = CellWidth(map);
        var h = Math.Abs(_y.Band());
        for (var r = 0; r < Math.Min(map.Z.Length, map.Y.Count); r++)
        {
            var cy = _y.Pixel(map.Y[r]);
            for (var c = 0; c < Math.Min(map.Z[r].Length, map.X.Count); c++)
            {
                var z = map.Z[r][c];
                if (!double.IsFinite(z)) continue;
                var (left, w) = Cell(map, c, cellWidth);
                var cx = left + w / 2;
                Rect(left + 0.5, cy - h / 2 + 0.5, Math.Max(0.5, w - 1), Math.Max(0.5, h - 1), Interpolate(map.ColorScale, (z - min) / (max - min)),
                    $"{map.Y[r]} {Label(map.X[c])}: {SvgAxis.FormatNumber(z)}");
                if (map.ShowValues && w > 16 && h > 10)
                    Text(cx, cy + 4, SvgAxis.FormatNumber(z), "middle", fill: (z - min) / (max - min) > 0.5 ? "#fff" : "#222");
            }
        }
    }

    private static (double Min, double Max) Range(HeatmapTrace map)
    {
        var values = map.Z.SelectMany(r => r).Where(double.IsFinite).ToList();
        var min = map.ZMin ?? (values.Count > 0 ? values.Min() : 0);
        var max = map.ZMax ?? (values.Count > 0 ? values.Max() : 1);
        return max > min ? (min, max) : (min, min + 1);
    }

    private void ColorBar(HeatmapTrace map)
    {
        var (min, max) = Range(map);
        var x = _right + 16;
        var height = _bottom - _top;
        const int Steps = 24;
        for (var i = 0; i < Steps; i++)
            Rect(x, _top + height * i / Steps, 14, height / Steps + 0.5, Interpolate(map.ColorScale, 1 - (i + 0.5) / Steps), null);
        Text(x + 18, _top + 8, SvgAxis.FormatNumber(max), "start");
        Text(x + 18, _bottom, SvgAxis.FormatNumber(min), "start");
        if (map.ColorBarTitle is { } title) Text(x, _top - 6, Cut(title, 22), "start", size: 10, fill: "#333");
    }

    private void Box(BoxTrace box, int index)
    {
        var color = ColorOf(box, index);
        var boxes = _chart.Data.OfType<BoxTrace>().ToList();
        var band = Math.Abs(_y.Band());
        var h = band * 0.8 / boxes.Count;
        var offset = -band * 0.4 + boxes.IndexOf(box) * h + h / 2;
        foreach (var group in Enumerable.Range(0, Math.Min(box.X.Count, box.Y.Count))
                     .GroupBy(i => box.Y.AsTexts[i], StringComparer.Ordinal))
        {
            var values = group.Select(i => box.X.AsNumbers[i]).Where(double.IsFinite).Order().ToArray();
            if (values.Length == 0) continue;
            var (q1, median, q3) = (Quantile(values, 0.25), Quantile(values, 0.5), Quantile(values, 0.75));
            var fence = 1.5 * (q3 - q1);
            var low = values.First(v => v >= q1 - fence);
            var high = values.Last(v => v <= q3 + fence);
            var cy = _y.Pixel(group.Key) + offset;
            var hh = h * 0.8;
            _svg.Append(C, $"<g stroke=\"{color}\" stroke-width=\"1.2\"><title>{Escape($"{box.Name} {group.Key}: median {SvgAxis.FormatNumber(median)}, quartiles {SvgAxis.FormatNumber(q1)}–{SvgAxis.FormatNumber(q3)}")}</title>");
            _svg.Append(C, $"<line x1=\"{F(_x.Scale(low))}\" y1=\"{F(cy)}\" x2=\"{F(_x.Scale(q1))}\" y2=\"{F(cy)}\"/>");
            _svg.Append(C, $"<line x1=\"{F(_x.Scale(q3))}\" y1=\"{F(cy)}\" x2=\"{F(_x.Scale(high))}\" y2=\"{F(cy)}\"/>");
            _svg.Append(C, $"<rect x=\"{F(_x.Scale(q1))}\" y=\"{F(cy - hh / 2)}\" width=\"{F(Math.Max(1, _x.Scale(q3) - _x.Scale(q1)))}\" height=\"{F(hh)}\" fill=\"{color}\" fill-opacity=\"0.35\"/>");
            _svg.Append(C, $"<line x1=\"{F(_x.Scale(median))}\" y1=\"{F(cy - hh / 2)}\" x2=\"{F(_x.Scale(median))}\" y2=\"{F(cy + hh / 2)}\" stroke-width=\"2\"/>");
            var outliers = values.Where(v => v < low || v > high).ToList();
            foreach (var v in outliers.Where((_, i) => i % Math.Max(1, outliers.Count / MaxOutliersPerBox) == 0))
                _svg.Append(C, $"<circle cx=\"{F(_x.Scale(v))}\" cy=\"{F(cy)}\" r=\"1.8\" fill=\"none\"/>");
            _svg.Append("</g>");
        }
    }

    private static double Quantile(double[] sorted, double p)
    {
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        return lo + 1 < sorted.Length ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
    }

    private List<(string Name, string Color, bool Hidden)> LegendEntries()
    {
        var entries = _chart.Data.Select((t, i) => (t, i)).Where(p => p.t is not HeatmapTrace && p.t.Name is not null)
            .Select(p => (p.t.Name!, ColorOf(p.t, p.i), p.t.LegendOnly)).ToList();
        return entries.Count > 1 ? entries : [];
    }

    private void Legend(List<(string Name, string Color, bool Hidden)> entries)
    {
        var x = _right + 16;
        var rows = (int)Math.Max(1, (_bottom - _top) / 16);
        foreach (var (entry, i) in entries.Take(rows).Select((e, i) => (e, i)))
        {
            var y = _top + 8 + i * 16;
            var opacity = entry.Hidden ? " opacity=\"0.4\"" : "";
            _svg.Append(C, $"<g{opacity}><rect x=\"{F(x)}\" y=\"{F(y - 8)}\" width=\"12\" height=\"10\" fill=\"{entry.Color}\"/>");
            Text(x + 16, y + 1, Cut(entry.Name, 28), "start");
            _svg.Append("</g>");
        }
        if (entries.Count > rows) Text(x, _top + 8 + rows * 16, $"… {entries.Count - rows} more", "start", fill: "#666");
    }

    private static string ColorOf(Trace trace, int index) => trace.Color ?? Colorway[index % Colorway.Length];

    private static string Interpolate(IReadOnlyList<(double Stop, string Color)> scale, double t)
    {
        t = double.IsFinite(t) ? Math.Clamp(t, 0, 1) : 0;
        for (var i = 1; i < scale.Count; i++)
        {
            if (t > scale[i].Stop && i < scale.Count - 1) continue;
            var (s0, c0) = scale[i - 1];
            var (s1, c1) = scale[i];
            var f = s1 > s0 ? Math.Clamp((t - s0) / (s1 - s0), 0, 1) : 1;
            var (r0, g0, b0) = Rgb(c0);
            var (r1, g1, b1) = Rgb(c1);
            return string.Create(C, $"#{(int)Math.Round(r0 + (r1 - r0) * f):x2}{(int)Math.Round(g0 + (g1 - g0) * f):x2}{(int)Math.Round(b0 + (b1 - b0) * f):x2}");
        }
        return scale.Count > 0 ? scale[0].Color : "#888";
    }

    private static (int R, int G, int B) Rgb(string hex) =>
        hex.Length == 7 && hex[0] == '#'
            ? (Convert.ToInt32(hex[1..3], 16), Convert.ToInt32(hex[3..5], 16), Convert.ToInt32(hex[5..7], 16))
            : (136, 136, 136);

    private void Rect(double x, double y, double w, double h, string fill, string? title)
    {
        _svg.Append(C, $"<rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(Math.Max(0, w))}\" height=\"{F(Math.Max(0, h))}\" fill=\"{fill}\"");
        if (title is null) _svg.Append("/>");
        else _svg.Append("><title>").Append(Escape(title)).Append("</title></rect>");
    }

    private void Text(double x, double y, string text, string anchor, int size = 11, string fill = "#444", string? weight = null) =>
        _svg.Append(C, $"<text x=\"{F(x)}\" y=\"{F(y)}\" text-anchor=\"{anchor}\" font-size=\"{size}\" fill=\"{fill}\"{(weight is null ? "" : $" font-weight=\"{weight}\"")}>{Escape(text)}</text>");

    private static string Label(object? value) => value switch
    {
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss", C),
        double d => SvgAxis.FormatNumber(d),
        _ => value?.ToString() ?? "",
    };

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string F(double v) => double.IsFinite(v) ? Math.Round(v, 1).ToString("0.#", C) : "0";

    private static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                case '"': sb.Append("&quot;"); break;
                default:
                    if (ch >= ' ' || ch is '\t') sb.Append(ch);
                    break;
            }
        }
        return sb.ToString();
    }
}
