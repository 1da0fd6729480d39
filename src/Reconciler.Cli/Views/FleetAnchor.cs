using System.Text.RegularExpressions;
using Reconciler.Core.Model;

namespace Reconciler.Cli.Views;

/// <summary>
/// The id of a host's section on fleet.html, linked from the fleet table and named in drift issues: host-NAME for a
/// name of letters, digits, dot, dash and underscore (starting with a letter or digit); any other name gets
/// host--HASH, which no plain name can produce (a plain name never starts with a dash), so two hosts never share an id.
/// </summary>
internal static partial class FleetAnchor
{
    public static string Of(string host) =>
        Plain().IsMatch(host) ? "host-" + host : "host--" + Sha256Text.Hex(host)[..16];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex Plain();
}
