using Microsoft.Data.Analysis;

namespace Boltzmann.Data.Tables;

/// <summary>
/// Builds a DataFrame row by row: <c>b.Set("temperature", t).Set("instance", i).EndRow()</c>. Columns are
/// created in first-use order with the type of their first value; every row must set every column.
/// </summary>
public sealed class TableBuilder
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, System.Collections.IList> _columns = new(StringComparer.Ordinal);
    private readonly HashSet<string> _setThisRow = new(StringComparer.Ordinal);
    private int _rows;

    public int Rows => _rows;

    public TableBuilder Set(string column, double value) => SetValue(column, value);
    public TableBuilder Set(string column, int value) => SetValue(column, value);
    public TableBuilder Set(string column, long value) => SetValue(column, value);

    public void EndRow()
    {
        if (_setThisRow.Count != _order.Count)
            throw new InvalidOperationException($"Row {_rows} does not set column(s) {string.Join(", ", _order.Where(c => !_setThisRow.Contains(c)))}.");
        _setThisRow.Clear();
        _rows++;
    }

    public DataFrame Build()
    {
        if (_setThisRow.Count > 0) throw new InvalidOperationException("The last row was not ended.");
        return new DataFrame(_order.Select(name => _columns[name] switch
        {
            List<double> d => (DataFrameColumn)new DoubleDataFrameColumn(name, d),
            List<int> i => new Int32DataFrameColumn(name, i),
            List<long> l => new Int64DataFrameColumn(name, l),
            _ => throw new InvalidOperationException(),
        }));
    }

    private TableBuilder SetValue<T>(string column, T value)
    {
        if (!_columns.TryGetValue(column, out var list))
        {
            if (_rows > 0) throw new InvalidOperationException($"Column '{column}' appears after row 0; every row must set the same columns.");
            list = new List<T>();
            _columns[column] = list;
            _order.Add(column);
        }
        if (list is not List<T> typed) throw new InvalidOperationException($"Column '{column}' holds {list.GetType().GetGenericArguments()[0].Name}, not {typeof(T).Name}.");
        if (!_setThisRow.Add(column)) throw new InvalidOperationException($"Column '{column}' set twice in row {_rows}.");
        typed.Add(value);
        return this;
    }
}
