using System.Globalization;
using System.Text;

namespace DemoModel;

/// <summary>
/// pandas' default <c>DataFrame.to_json()</c> (orient="columns"): <c>{"col":{"index":value,...},...}</c>, no
/// spaces, NaN/None as null, integer columns without a decimal point, floats with at most 10 decimals
/// (double_precision=10) and at least one (<c>12.0</c>), strings with <c>/</c> escaped as ujson does.
/// Covers the values this generator produces (no huge or tiny floats, which pandas writes in exponent form).
/// </summary>
internal static class PandasJson
{
    public static string ColumnsOrient(IReadOnlyList<Session> rows, IReadOnlyList<int> indexLabels)
    {
        var columns = new (string Name, Func<Session, string> Format)[]
        {
            ("product_id", s => Integer(s.ProductId)),
            ("brand", s => String(s.Brand)),
            ("price", s => Float(s.Price)),
            ("num_views_session", s => Integer(s.NumViewsSession)),
            ("num_views_product", s => Integer(s.NumViewsProduct)),
            ("category", s => String(s.Category)),
            ("sub_category", s => String(s.SubCategory)),
            ("hour", s => Integer(s.Hour)),
            ("minute", s => Integer(s.Minute)),
            ("weekday", s => Integer(s.Weekday)),
            ("duration", s => Float(s.Duration)),
            ("num_prev_sessions", s => Integer(s.NumPrevSessions)),
            ("num_prev_product_views", s => Integer(s.NumPrevProductViews)),
        };

        var json = new StringBuilder("{");
        foreach (var (name, format) in columns)
        {
            json.Append(json.Length > 1 ? "," : "").Append(String(name)).Append(":{");
            for (var i = 0; i < rows.Count; i++)
            {
                json.Append(i > 0 ? "," : "").Append('"').Append(indexLabels[i].ToString(CultureInfo.InvariantCulture))
                    .Append("\":").Append(format(rows[i]));
            }

            json.Append('}');
        }

        return json.Append('}').ToString();
    }

    private static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Float(double value)
    {
        if (double.IsNaN(value))
        {
            return "null";
        }

        var text = Math.Round(value, 10).ToString("0.##########", CultureInfo.InvariantCulture);
        return text.Contains('.') ? text : text + ".0";
    }

    private static string String(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        // ujson escapes like json.dumps, plus the forward slash.
        return PythonJson.String(value).Replace("/", "\\/");
    }
}
