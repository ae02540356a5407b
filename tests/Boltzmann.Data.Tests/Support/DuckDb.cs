using DuckDB.NET.Data;

namespace Boltzmann.Data.Tests.Support;

/// <summary>Runs SQL in an in-memory DuckDB: the independent Parquet reader the tests compare against.</summary>
public static class DuckDb
{
    public static List<object?[]> Query(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (int i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : ToPlain(reader.GetValue(i));
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>An integer result as long (DuckDB returns HUGEINT sums as BigInteger).</summary>
    public static long ToInt64(object? value) => value switch
    {
        System.Numerics.BigInteger b => (long)b,
        _ => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>SQL string literal of a path.</summary>
    public static string Literal(string path) => "'" + path.Replace("'", "''") + "'";

    private static object ToPlain(object value)
    {
        if (value is Stream s)
        {
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            return ms.ToArray();
        }
        return value;
    }
}
