using System.Globalization;
using System.Text;
using Reconciler.Core.Facts;
using Reconciler.Core.Monitoring;
using Reconciler.Core.Shell;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Health;

/// <summary>
/// The health kind's one read (health.sh) and its parser: pure and strict. Every record is checked against what the
/// script prints; anything else — an unknown or repeated record, a number out of range, a filesystem out of order, a
/// read that did not finish — makes the whole answer malformed, the kind's error on that host.
/// </summary>
public static class HealthFactsParser
{
    /// <summary>The most filesystems the read reports; the rest are counted (<see cref="HealthFacts.FilesystemsLeftOut"/>).</summary>
    public const int MaxFilesystems = 64;

    private const int MaxLine = 4096;

    /// <summary>2^50 KiB (an exbibyte of memory): times 1024, still far inside a long.</summary>
    private const long MaxMemoryKiB = 1L << 50;

    /// <summary>The read: health.sh's functions, then its entry point.</summary>
    public static string ReadScript => Functions + "\nrc_hl_read";

    /// <summary>health.sh's functions alone (the tests call one of them on a sample).</summary>
    internal static string Functions => ShellFiles.Load("health.sh");

    /// <exception cref="MalformedFactsException">The lines are not what health.sh prints.</exception>
    public static HealthFacts Parse(IReadOnlyList<string> lines)
    {
        var once = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var filesystems = new List<(string[] Record, MountCheck? Check)>();
        var ended = false;
        foreach (var line in lines)
        {
            if (ended) throw Malformed("a record after END");
            if (line.Length > MaxLine) throw Malformed($"a line of {line.Length} characters");
            var r = line.Split('\t');
            switch (r[0])
            {
                case "END" when r.Length == 1:
                    ended = true;
                    break;
                case "CLOCK" or "UPTIME" or "LOAD" or "MEM" or "SYN" or "LEFT":
                    if (!once.TryAdd(r[0], r)) throw Malformed($"{r[0]} twice");
                    break;
                case "FS":
                    if (r.Length != 11 || Index(r[1]) != filesystems.Count) throw Malformed($"filesystem record {filesystems.Count} is out of order or not 11 fields");
                    if (filesystems.Count == MaxFilesystems) throw Malformed($"more than {MaxFilesystems} filesystems");
                    // The script keeps one filesystem per mount point: a second is not its answer (and would be judged twice).
                    if (filesystems.Exists(f => f.Record[2] == r[2])) throw Malformed($"filesystem {r[1]}: a mount point twice");
                    filesystems.Add((r, null));
                    break;
                case "CHECK":
                    var i = r.Length >= 2 ? Index(r[1]) : -1;
                    if (i < 0 || i >= filesystems.Count || filesystems[i].Check is not null || !IsExt(filesystems[i].Record[4]))
                    {
                        throw Malformed("a CHECK record for no ext2/3/4 filesystem read before it, or a second one");
                    }

                    filesystems[i] = (filesystems[i].Record, Check(r));
                    break;
                default:
                    throw Malformed($"an unknown record '{Short(r[0])}'");
            }
        }

        if (!ended) throw Malformed("the read did not finish (no END)");
        string[] Need(string tag) => once.TryGetValue(tag, out var r) ? r : throw Malformed($"no {tag} record");
        var clock = Need("CLOCK");
        var left = Need("LEFT");
        return new HealthFacts(
            clock.Length == 2 && long.TryParse(clock[1], NumberStyles.None, CultureInfo.InvariantCulture, out var epoch) && epoch <= 253402300799
                ? DateTimeOffset.FromUnixTimeSeconds(epoch) : throw Malformed("CLOCK is not epoch seconds"),
            filesystems.Select(f => Filesystem(f.Record, f.Check)).ToList(),
            Memory(Need("MEM")),
            Syn(Need("SYN")),
            Load(Need("LOAD")),
            Uptime(Need("UPTIME")))
        {
            FilesystemsLeftOut = left.Length == 2 ? Count(left[1], "LEFT") : throw Malformed("LEFT is not one count"),
        };
    }

    private static bool IsExt(string type) => type is "ext2" or "ext3" or "ext4";

    private static FilesystemUse Filesystem(string[] r, MountCheck? check)
    {
        var type = r[4];
        if (type.Length is 0 or > 64 || !type.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
        {
            throw Malformed($"filesystem {r[1]} has the type '{Short(type)}'");
        }

        var (blocks, free, avail, size, files, ffree) = (Long(r[5]), Long(r[6]), Long(r[7]), Long(r[8]), Long(r[9]), Long(r[10]));
        if (free > blocks || avail > blocks || ffree > files || size is 0 or > 1L << 30)
        {
            throw Malformed($"filesystem {r[1]}'s figures do not add up");
        }

        try
        {
            return new FilesystemUse(Name(r[2]), Name(r[3]), type, checked(blocks * size), checked((blocks - free) * size), files, files - ffree,
                check ?? (IsExt(type) ? throw Malformed($"ext filesystem {r[1]} has no CHECK record") : MountCheck.Unavailable("not an ext2/3/4 filesystem")));
        }
        catch (OverflowException)
        {
            throw Malformed($"filesystem {r[1]} is larger than this reader counts");
        }
    }

    private static MountCheck Check(string[] r) => r switch
    {
        [_, _, "-", var why] when why.Length is > 0 and <= 200 => MountCheck.Unavailable(PathRules.Printable(why)),
        [_, _, var count, var max, var last] when int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var c)
                                                 && int.TryParse(max, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var m) && m >= -1 =>
            new MountCheck(c, m, last == "-" ? null : Epoch(last, "CHECK's last check"), null),
        _ => throw Malformed("a CHECK record that is neither counts nor a reason"),
    };

    private static MemoryFacts? Memory(string[] r) => r switch
    {
        ["MEM", "-"] => null,
        // Each part at most the total, the total at most 2^50 KiB: figures in bytes (× 1024) and MemFree + Inactive cannot
        // wrap around into a negative size on the page.
        ["MEM", var total, var available, var free, var inactive]
            when Long(total) is > 0 and <= MaxMemoryKiB && (available == "-" || Long(available) <= Long(total)) && Long(free) <= Long(total) && Long(inactive) <= Long(total) =>
            new MemoryFacts(Long(total), available == "-" ? null : Long(available), Long(free), Long(inactive)),
        _ => throw Malformed("MEM is not MemTotal, MemAvailable, MemFree and Inactive"),
    };

    private static int? Syn(string[] r) => r switch
    {
        ["SYN", "-"] => null,
        ["SYN", var n, "ss" or "proc"] => Count(n, "SYN"),
        _ => throw Malformed("SYN is not a count and its source"),
    };

    private static LoadFacts? Load(string[] r) => r switch
    {
        ["LOAD", "-"] => null,
        ["LOAD", var one, var five, var fifteen, var cpus] when Count(cpus, "LOAD's CPUs") > 0 =>
            new LoadFacts(Real(one), Real(five), Real(fifteen), Count(cpus, "LOAD's CPUs")),
        _ => throw Malformed("LOAD is not three averages and a CPU count"),
    };

    private static TimeSpan? Uptime(string[] r) => r switch
    {
        ["UPTIME", "-"] => null,
        ["UPTIME", var seconds] => TimeSpan.FromSeconds(Real(seconds)),
        _ => throw Malformed("UPTIME is not seconds"),
    };

    /// <summary>
    /// A name as /proc/self/mountinfo escapes it (a space, tab, newline or backslash as \ooo): decoded to the bytes the
    /// kernel holds, read as UTF-8, then every control character escaped again, so a name is one inert line of text.
    /// </summary>
    internal static string Name(string escaped)
    {
        if (escaped.Length is 0 or > 1024) throw Malformed("an empty or overlong name");
        var bytes = new List<byte>(escaped.Length);
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '\\' && IsOctal(escaped, i + 1))
            {
                bytes.Add((byte)Convert.ToInt32(escaped.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(escaped[i].ToString()));
            }
        }

        return PathRules.Printable(Encoding.UTF8.GetString([.. bytes]));
    }

    private static bool IsOctal(string s, int at) =>
        at + 3 <= s.Length && s[at] is >= '0' and <= '3' && s[at + 1] is >= '0' and <= '7' && s[at + 2] is >= '0' and <= '7';

    private static int Index(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < MaxFilesystems ? i : -1;

    private static long Long(string text) =>
        text.Length <= 19 && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw Malformed($"'{Short(text)}' is not a count");

    private static int Count(string text, string what) =>
        text.Length <= 10 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw Malformed($"{what} '{Short(text)}' is not a count");

    private static double Real(string text) =>
        // double.TryParse takes "-Infinity" and "NaN" whatever the NumberStyles: only a finite, non-negative figure is one
        // (TimeSpan.FromSeconds(-Infinity) throws an OverflowException, which no host's error catches).
        text.Length <= 24 && double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && d is >= 0 and < 1e10
            ? d : throw Malformed($"'{Short(text)}' is not a figure");

    private static DateTimeOffset Epoch(string text, string what) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s) && s is >= 0 and <= 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(s) : throw Malformed($"{what} '{Short(text)}' is not epoch seconds");

    private static string Short(string text) => PathRules.Printable(text.Length <= 32 ? text : text[..32] + "…");

    private static MalformedFactsException Malformed(string why) => new($"health facts: {why}");
}
