using System.Globalization;
using System.Text;

namespace Boltzmann.Data.Cache;

/// <summary>
/// The canonical text of a JSON number, so that every literal denoting the same value hashes the same
/// (<c>1</c>, <c>1.0</c>, <c>1e0</c>, <c>10E-1</c> all become <c>1</c>).
/// </summary>
/// <remarks>
/// Rule, applied to the literal's exact decimal value v:
/// <list type="number">
/// <item>If v is an integer in [-2^63, 2^64-1], it is written exactly as plain decimal digits (with a
/// leading '-' if negative; zero is <c>0</c>, never <c>-0</c>). Seeds and counts above 2^53 therefore keep
/// every digit, which a plain double conversion would not.</item>
/// <item>Otherwise v is rounded to the nearest IEEE-754 double (it must be finite). If that double is an
/// integer in the range above it is written as in rule 1; else it is written in the shortest round-trip form
/// laid out like ECMAScript <c>Number.prototype.toString</c> (ECMA-262 §6.1.6.1.20), which is the number form
/// of the JSON Canonicalization Scheme (RFC 8785 §3.2.2.3): plain digits up to 21 integer digits, plain
/// decimals down to 1e-6, otherwise <c>d.ddde+N</c> / <c>d.ddde-N</c>.</item>
/// </list>
/// Unlike RFC 8785, integers up to 2^64-1 are exact rather than rounded to doubles. Consequence: equal exact
/// values always hash the same, but between 2^53 and 2^64 two different integer spellings of one double (e.g.
/// <c>3.8996497232902406e17</c> and <c>389964972329024064</c>) are different numbers. Parameters that large should
/// be integers (seeds, counts), not doubles.
/// </remarks>
internal static class CanonicalNumber
{
    private static readonly UInt128 MaxMagnitudePositive = ulong.MaxValue;
    private static readonly UInt128 MaxMagnitudeNegative = (UInt128)long.MaxValue + 1;

    /// <summary>Canonical text of a JSON number literal (as produced by a JSON parser: valid JSON number syntax).</summary>
    public static string Format(string literal)
    {
        if (TryExactInteger(literal, out var negative, out var magnitude))
            return IntegerText(negative, magnitude);

        if (!double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
            throw new ArgumentException($"JSON number '{Abbreviate(literal)}' is outside the range of a double and has no canonical form.", nameof(literal));
        return FormatDouble(d);
    }

    /// <summary>Canonical text of a finite double (rule 2 of the remarks).</summary>
    public static string FormatDouble(double d)
    {
        if (!double.IsFinite(d))
            throw new ArgumentException($"Non-finite number {d.ToString(CultureInfo.InvariantCulture)} has no JSON form.", nameof(d));
        if (d == 0) return "0";
        if (Math.Floor(d) == d)
        {
            if (d < 0 && d >= -9223372036854775808.0)
                return IntegerText(true, NegativeMagnitude(d));
            if (d > 0 && d < 18446744073709551616.0)
                return IntegerText(false, (UInt128)(ulong)d);
        }
        return EcmaScriptLayout(d.ToString("R", CultureInfo.InvariantCulture));
    }

    private static UInt128 NegativeMagnitude(double negativeIntegral)
        => negativeIntegral == -9223372036854775808.0 ? MaxMagnitudeNegative : (UInt128)(ulong)(-negativeIntegral);

    private static string IntegerText(bool negative, UInt128 magnitude)
    {
        if (magnitude == 0) return "0";
        var digits = magnitude.ToString(CultureInfo.InvariantCulture);
        return negative ? "-" + digits : digits;
    }

    /// <summary>Exact integer value of a literal when it is an integer in [-2^63, 2^64-1].</summary>
    private static bool TryExactInteger(string literal, out bool negative, out UInt128 magnitude)
    {
        negative = false;
        magnitude = 0;
        var s = literal.AsSpan();
        var i = 0;
        if (i < s.Length && s[i] == '-') { negative = true; i++; }

        var digits = new StringBuilder(s.Length);
        var fractionDigits = 0;
        var seenPoint = false;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c is >= '0' and <= '9')
            {
                digits.Append(c);
                if (seenPoint) fractionDigits++;
            }
            else if (c == '.' && !seenPoint) seenPoint = true;
            else break;
        }
        if (digits.Length == 0) return false;

        long exponent = 0;
        if (i < s.Length)
        {
            if (s[i] is not ('e' or 'E')) return false;
            i++;
            var expNegative = false;
            if (i < s.Length && s[i] is '+' or '-') { expNegative = s[i] == '-'; i++; }
            if (i >= s.Length) return false;
            for (; i < s.Length; i++)
            {
                var c = s[i];
                if (c is < '0' or > '9') return false;
                // Exponents beyond a few hundred cannot give an in-range integer; clamp to avoid overflow.
                if (exponent < 100_000) exponent = exponent * 10 + (c - '0');
            }
            if (expNegative) exponent = -exponent;
        }

        // value = digits * 10^(exponent - fractionDigits); strip leading and trailing zeros.
        var text = digits.ToString().TrimStart('0');
        if (text.Length == 0) return true; // zero (including -0 and 0.000e5)
        var trimmed = text.TrimEnd('0');
        var scale = exponent - fractionDigits + (text.Length - trimmed.Length);
        if (scale < 0) return false;                       // has a fractional part
        if (trimmed.Length + scale > 20) return false;     // at least 10^20 > 2^64
        var value = UInt128.Parse(trimmed, CultureInfo.InvariantCulture);
        for (var k = 0; k < scale; k++) value *= 10;
        if (value > (negative ? MaxMagnitudeNegative : MaxMagnitudePositive)) return false;
        magnitude = value;
        return true;
    }

    /// <summary>
    /// Re-lays the shortest round-trip digits that .NET's "R" format produced (e.g. "1.5E-07", "123.45")
    /// in the ECMAScript Number::toString layout.
    /// </summary>
    private static string EcmaScriptLayout(string r)
    {
        var negative = r.StartsWith('-');
        var body = negative ? r[1..] : r;
        var ePos = body.IndexOfAny(['E', 'e']);
        var mantissa = ePos < 0 ? body : body[..ePos];
        var exp = ePos < 0 ? 0 : int.Parse(body[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.');
        var intPart = point < 0 ? mantissa : mantissa[..point];
        var fracPart = point < 0 ? "" : mantissa[(point + 1)..];

        // value = all * 10^(exp - fracPart.Length)
        var all = (intPart + fracPart).TrimStart('0');
        var trimmed = all.TrimEnd('0');
        var scale = exp - fracPart.Length + (all.Length - trimmed.Length);
        var s = trimmed;
        var k = s.Length;
        var n = scale + k; // value = 0.s * 10^n, i.e. s * 10^(n - k)

        var sb = new StringBuilder(k + 16);
        if (negative) sb.Append('-');
        if (k <= n && n <= 21)
        {
            sb.Append(s).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            sb.Append(s, 0, n).Append('.').Append(s, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            sb.Append("0.").Append('0', -n).Append(s);
        }
        else
        {
            sb.Append(s[0]);
            if (k > 1) sb.Append('.').Append(s, 1, k - 1);
            var e = n - 1;
            sb.Append('e').Append(e < 0 ? '-' : '+').Append(Math.Abs(e).ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static string Abbreviate(string s) => s.Length <= 40 ? s : s[..37] + "...";
}
