using System.Text.RegularExpressions;
using Reconciler.Core.Model;

namespace Reconciler.Cli.Views;

/// <summary>
/// The id of a host's section on fleet.html, linked from the fleet table and named in drift issues: host-NAME for a
/// name of letters, digits, dot, dash and underscore (starting with a letter or digit); any other name gets
/// host--HASH, which no plain name can produce (a plain name never starts with a dash), so two hosts never share an id.
/// The other ids of a host's section are <see cref="Part"/>s: PART-ANCHOR, never ANCHOR-PART, since a plain name may
/// itself end in "-h" or "-mail-0" (hosts "mx" and "mx-mail-0" would share the id "host-mx-mail-0").
/// </summary>
internal static partial class FleetAnchor
{
    public static string Of(string host) =>
        Plain().IsMatch(host) ? "host-" + host : "host--" + Sha256Text.Hex(host)[..16];

    /// <summary>
    /// The id of a part of a host's section (its heading, a chart, a tab): <paramref name="part"/> (letters and digits,
    /// never "host") before the anchor. The part ends at the id's first dash, so no two (part, anchor) pairs share an
    /// id, and none is an anchor (those start with "host-") or one of the page's own ids.
    /// </summary>
    public static string Part(string part, string anchor) =>
        PartName().IsMatch(part) && part != "host" ? $"{part}-{anchor}" : throw new ArgumentException($"'{part}' is not a part name", nameof(part));

    [GeneratedRegex("^[a-z][a-z0-9]*$")]
    private static partial Regex PartName();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex Plain();
}
