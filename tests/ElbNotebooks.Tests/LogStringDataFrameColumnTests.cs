using CsCheck;
using ElbNotebooks.Loading;
using ElbNotebooks.Parsing;
using Microsoft.Data.Analysis;

namespace ElbNotebooks.Tests;

/// <summary>
/// The frames' string column reads the loaded values in place and answers every question as Microsoft.Data.Analysis's
/// own <see cref="StringDataFrameColumn"/> answers it over the same values.
/// </summary>
public class LogStringDataFrameColumnTests
{
    private static readonly string?[] Values = ["10.0.1.12:8080", null, "10.0.1.13:8080", "10.0.1.12:8080", null, "", "10.0.1.14:8080"];

    private static readonly Gen<string?[]> Columns =
        Gen.OneOf(Gen.Const((string?)null), Gen.Const((string?)""), Gen.String[Gen.Char["abcAB"], 1, 3].Select(s => (string?)s)).Array[0, 40];

    /// <summary>
    /// A column over codes and values as a load keeps them (code 0 is null), with spare room in both arrays; when
    /// <paramref name="lazy"/>, as a load's last values are kept: bytes, each made a string when first read.
    /// </summary>
    private static LogStringDataFrameColumn Shared(string?[] values, int? length = null, bool lazy = false)
    {
        var (codes, strings) = Encode(values);
        var stringCount = strings.Count(s => s is not null) + 1;
        if (!lazy) return new("c", codes, length ?? values.Length, strings, stringCount, lazy: null, shared: true, nullCount: -1);
        var bytes = new PendingValues();
        for (var code = 1; code < stringCount; code++) bytes.Add(System.Text.Encoding.UTF8.GetBytes(strings[code]!));
        var unmade = new string?[strings.Length];
        return new("c", codes, length ?? values.Length, unmade, stringCount,
            new LazyStrings(bytes, firstCode: 1, Enumerable.Range(0, stringCount - 1).ToArray()), shared: true, nullCount: -1);
    }

    private static (int[] Codes, string?[] Strings) Encode(string?[] values)
    {
        var strings = new List<string?> { null };
        var codes = values.Select(v => v is null ? 0 : strings.IndexOf(v) is var at and > 0 ? at : Added(strings, v)).ToArray();
        return ([.. codes, 0, 0], [.. strings, null, null]);
    }

    private static int Added(List<string?> strings, string value)
    {
        strings.Add(value);
        return strings.Count - 1;
    }

    private static StringDataFrameColumn Reference(IEnumerable<string?> values) => new("c", values!);

    [Fact]
    public void It_reads_counts_compares_sorts_and_counts_values_as_the_reference_does() =>
        Gen.Select(Columns, Gen.Bool).Sample((values, lazy) =>
        {
            var column = Shared((string?[])values.Clone(), lazy: lazy);
            var reference = Reference(values);
            Assert.Equal(reference.Length, column.Length);
            Assert.Equal(reference.NullCount, column.NullCount);
            Assert.Equal(reference.ToArray(), column.ToArray());
            foreach (var probe in new[] { "a", "", "zz" })
            {
                Assert.Equal(reference.ElementwiseEquals(probe).ToArray(), column.ElementwiseEquals(probe).ToArray());
                Assert.Equal(reference.ElementwiseNotEquals(probe).ToArray(), column.ElementwiseNotEquals(probe).ToArray());
                Assert.Equal(reference.ElementwiseEquals<string>(probe).ToArray(), ((DataFrameColumn)column).ElementwiseEquals<string>(probe).ToArray());
            }
            Assert.Equal(reference.ElementwiseIsNull().ToArray(), column.ElementwiseIsNull().ToArray());
            Assert.Equal(reference.ElementwiseEquals(reference).ToArray(), column.ElementwiseEquals(reference).ToArray());
            foreach (var ascending in new[] { true, false })
                foreach (var nullsLast in new[] { true, false })
                    // The reference cannot sort an empty column (IndexOutOfRangeException in 0.23.1).
                    Assert.Equal(values.Length == 0 ? [] : reference.Sort(ascending, nullsLast).ToArray(), column.Sort(ascending, nullsLast).ToArray());
            Assert.Equal(reference.ValueCounts().ToString(), column.ValueCounts().ToString());
            Assert.Equal(reference.DropNulls().ToArray(), column.DropNulls().ToArray());
            Assert.Equal(reference.FillNulls("n").ToArray(), column.FillNulls("n").ToArray());
            Assert.Equal(reference.Apply(v => v.ToUpperInvariant() + "!").ToArray(), column.Apply(v => v.ToUpperInvariant() + "!").ToArray());
            Assert.Equal(reference.Apply(v => v.Length == 1 ? null! : v).ToArray(), column.Apply(v => v.Length == 1 ? null : v).ToArray());
            Assert.Equal(reference.ToArray(), column.ToStringDataFrameColumn().ToArray());
            Assert.Equal(values, column.ToArray());
        }, iter: 2_000);

    [Fact]
    public void It_picks_rows_by_flags_and_indexes_as_the_reference_does() =>
        Gen.Select(Columns, Gen.Bool.Array[40], Gen.Int[0, 39].Array[0, 30], Gen.Bool).Sample((values, flags, picks, lazy) =>
        {
            var column = Shared(values, lazy: lazy);
            var reference = Reference(values);
            var keep = new BooleanDataFrameColumn("keep", flags.Take(values.Length));
            Assert.Equal(reference.Clone(keep).Cast<string?>(), column.Clone(keep).ToArray());
            if (values.Length == 0) return;
            var rows = picks.Select(p => (long)(p % values.Length)).ToArray();
            foreach (var invert in new[] { false, true })
            {
                Assert.Equal(reference.Clone(new Int64DataFrameColumn("rows", rows), invert).Cast<string?>(),
                    column.Clone(new Int64DataFrameColumn("rows", rows), invert).ToArray());
                Assert.Equal(reference.Clone(new Int32DataFrameColumn("rows", rows.Select(r => (int)r)), invert, 2).Cast<string?>(),
                    column.Clone(new Int32DataFrameColumn("rows", rows.Select(r => (int)r)), invert, 2).ToArray());
            }
        }, iter: 2_000);

    [Fact]
    public void An_edit_through_the_column_leaves_the_loaded_values_alone()
    {
        var (codes, strings) = Encode(Values);
        var (loadedCodes, loadedStrings) = ((int[])codes.Clone(), (string?[])strings.Clone());
        var column = new LogStringDataFrameColumn("c", codes, Values.Length, strings, 5, lazy: null, shared: true, nullCount: -1);

        column[1] = "set";
        column[0] = null;
        Assert.Equal(loadedCodes, codes);
        Assert.Equal(loadedStrings, strings);
        Assert.Equal(2, column.NullCount);
        Assert.Equal("set", column[1]);

        var frame = new DataFrame(column);
        for (var i = 0; i < 10; i++) frame.Append([new KeyValuePair<string, object>("c", "10.0.9.9:80")], inPlace: true);
        Assert.Equal(Values.Length + 10, column.Length);
        Assert.Equal("10.0.9.9:80", column[Values.Length + 9]);
        Assert.Equal(2, column.NullCount);
        Assert.Throws<ArgumentException>(() => ((DataFrameColumn)column)[0] = 5);
        Assert.Throws<ArgumentOutOfRangeException>(() => column[column.Length]);
    }

    [Fact]
    public void Apply_calls_the_function_once_per_distinct_value_and_in_place_leaves_the_load_alone()
    {
        var (codes, strings) = Encode(Values);
        var (loadedCodes, loadedStrings) = ((int[])codes.Clone(), (string?[])strings.Clone());
        var column = new LogStringDataFrameColumn("c", codes, Values.Length, strings, 5, lazy: null, shared: true, nullCount: -1);
        var calls = 0;

        var hosts = column.Apply(v => { calls++; return v.Split(':')[0]; }, inPlace: true);

        Assert.Same(column, hosts);
        Assert.Equal(4, calls); // "10.0.1.12:8080", "10.0.1.13:8080", "", "10.0.1.14:8080"
        Assert.Equal(new string?[] { "10.0.1.12", null, "10.0.1.13", "10.0.1.12", null, "", "10.0.1.14" }, column.ToArray());
        Assert.Equal(2, column.NullCount);
        Assert.Equal(2, column.ElementwiseEquals("10.0.1.12").ToArray().Count(b => b == true));
        Assert.Equal(loadedCodes, codes);
        Assert.Equal(loadedStrings, strings);
    }

    [Fact]
    public void Part_of_a_larger_array_is_only_its_count()
    {
        var column = Shared(["a", null, "b", "beyond", "beyond"], 3);

        Assert.Equal(3, column.Length);
        Assert.Equal(1, column.NullCount);
        Assert.Equal(new[] { "a", null, "b" }, column.ToArray());
        Assert.Equal(new[] { "a", "b", null }, column.Sort().ToArray());
        Assert.Equal(2, column.ValueCounts().Rows.Count);
    }

    [Fact]
    public void A_frame_of_them_filters_groups_sorts_and_joins_as_one_of_the_reference_does()
    {
        int[] statuses = [502, 200, 200, 502, 200, 200, 200];
        var frame = new DataFrame(Shared((string?[])Values.Clone()), new Int32DataFrameColumn("status", statuses));
        var reference = new DataFrame(Reference(Values), new Int32DataFrameColumn("status", statuses));

        var failing = frame.Filter(frame["status"].ElementwiseEquals(502));
        Assert.IsType<LogStringDataFrameColumn>(failing["c"]);
        Assert.Equal(["10.0.1.12:8080", "10.0.1.12:8080"], failing["c"].Cast<string>());
        Assert.Equal(reference.GroupBy("c").Count().ToString(), frame.GroupBy("c").Count().ToString());
        Assert.Equal(reference.OrderBy("c").ToString(), frame.OrderBy("c").ToString());
        Assert.Equal(reference.OrderByDescending("c").ToString(), frame.OrderByDescending("c").ToString());

        var names = new DataFrame(new StringDataFrameColumn("c", ["10.0.1.12:8080", "10.0.1.14:8080"]), new StringDataFrameColumn("name", ["web-1", "web-3"]));
        Assert.Equal(reference.Merge(names, ["c"], ["c"]).ToString(), frame.Merge(names, ["c"], ["c"]).ToString());
    }

    [Fact]
    public void A_loaded_log_hands_out_these_columns_over_its_own_values()
    {
        var log = AccessLog.Load(TestPaths.SampleLog("elb-web-incident.log"));
        var backends = Assert.IsType<LogStringDataFrameColumn>(log.Attempts["backend"]);
        Assert.Equal(log.AttemptColumns.Backend.Values.ToArray(), backends.ToArray());

        backends[0] = "changed";
        Assert.NotEqual("changed", log.AttemptColumns.Backend[0]);
        Assert.Equal("changed", log.Attempts["backend"][0]);
    }
}
