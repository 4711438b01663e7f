using DuckDB.NET.Data;

namespace ElbNotebooks.Tests.Support;

/// <summary>An in-memory DuckDB and the three ways the tests talk to it.</summary>
internal static class DuckDb
{
    public static DuckDBConnection OpenInMemory()
    {
        var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        return db;
    }

    public static void Execute(this DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static long Scalar(this DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar());
    }

    public static List<object?[]> Rows(this DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add(row);
        }
        return rows;
    }
}
