using System.Globalization;
using System.Text.RegularExpressions;

namespace Reconciler.Specs.Yaml;

/// <summary>
/// Types plain scalars by the YAML 1.2 core schema, so "no" and "on" stay strings (unlike YAML 1.1) and quoting
/// always means string.
/// </summary>
internal static partial class CoreSchemaScalar
{
    public static object? Resolve(string text, bool isPlain, string? tag)
    {
        if (!isPlain || tag is "tag:yaml.org,2002:str" or "!!str")
        {
            return text;
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
        }

        if (DecimalInteger().IsMatch(text))
        {
            // Integers too large for long stay numbers rather than failing.
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                ? value
                : (object)double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        if (text.StartsWith("0o", StringComparison.Ordinal) && OctalDigits().IsMatch(text[2..]))
        {
            return TryParseBase(text[2..], 8) ?? (object)text;
        }

        if (text.StartsWith("0x", StringComparison.Ordinal) && HexDigits().IsMatch(text[2..]))
        {
            return TryParseBase(text[2..], 16) ?? (object)text;
        }

        if (Float().IsMatch(text))
        {
            return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return text switch
        {
            ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" => double.PositiveInfinity,
            "-.inf" or "-.Inf" or "-.INF" => double.NegativeInfinity,
            ".nan" or ".NaN" or ".NAN" => double.NaN,
            _ => text,
        };
    }

    private static long? TryParseBase(string digits, int radix)
    {
        try
        {
            return Convert.ToInt64(digits, radix);
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex DecimalInteger();

    [GeneratedRegex("^[0-7]+$")]
    private static partial Regex OctalDigits();

    [GeneratedRegex("^[0-9a-fA-F]+$")]
    private static partial Regex HexDigits();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
