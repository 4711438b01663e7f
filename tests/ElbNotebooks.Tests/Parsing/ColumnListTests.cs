using ElbNotebooks.Parsing;

namespace ElbNotebooks.Tests.Parsing;

/// <summary>
/// The tables list their columns by hand (a Native AOT build keeps no field metadata to find them by); the list must
/// be every column field, in declaration order, which is the frames' column order.
/// </summary>
public class ColumnListTests
{
    private static string[] FieldNames(object table) => table.GetType().GetFields()
        .Where(f => typeof(ColumnBuffer).IsAssignableFrom(f.FieldType))
        .OrderBy(f => f.MetadataToken)
        .Select(f => ((ColumnBuffer)f.GetValue(table)!).Name)
        .ToArray();

    [Fact]
    public void The_request_table_lists_every_column_field_in_declaration_order()
    {
        var table = new RequestColumns();
        Assert.Equal(FieldNames(table), table.All.Select(c => c.Name));
    }

    [Fact]
    public void The_attempt_table_lists_every_column_field_in_declaration_order()
    {
        var table = new AttemptColumns();
        Assert.Equal(FieldNames(table), table.All.Select(c => c.Name));
    }
}
