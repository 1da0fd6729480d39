using System.Text;
using Reconciler.Core.Model;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Facts;

/// <summary>How much of a file's content a read asks for (file-facts.sh takes these numbers).</summary>
public enum FileContentRead
{
    /// <summary>Metadata only.</summary>
    None = 0,

    /// <summary>Digest, size and line count; the text never leaves the host (sensitive, or only compared).</summary>
    Digest = 1,

    /// <summary>Digest, size and line count, and the text when the disclosure policy of <see cref="HostText"/> allows it.</summary>
    Text = 2,
}

/// <summary>
/// What a read asks about one path: whether a symbolic link is followed (<paramref name="FollowLinks"/>) or reported with
/// its target and never read through; whether chattr flags are read; how much of a regular file's content comes back.
/// </summary>
/// <paramref name="AsControllingUser"/>: a path a user other than root controls (<see cref="PathSafety"/>) is read as that user
/// (the kind can write it as that user too); otherwise such a path is refused like an unsafe one.
public sealed record FileFactsRead(bool FollowLinks, bool Attributes = false, FileContentRead Content = FileContentRead.None, bool AsControllingUser = false);

/// <summary>
/// One path as the host reported it: the facts every file-like kind (file, dovecot_file, postfix_map) reads, read by one
/// shell fragment (<see cref="Script"/>) in one record grammar and parsed into one typed record (<see cref="Parse(IReadOnlyDictionary{string, string[]})"/>).
/// <list type="bullet">
/// <item><c>B I REASON</c>: the path is refused by <see cref="PathSafety"/> (an unsafe transition, a link a user controls,
/// a kernel view); nothing was read through it.</item>
/// <item><c>U I UID USER</c>: a user other than root controls a directory on the path; the rest was read as that user.</item>
/// <item><c>O I DIR</c>: the path does not exist and would be created in DIR, a sticky directory other users can write.</item>
/// <item><c>N I</c>: nothing at the path (with links followed, a dangling link too).</item>
/// <item><c>L I TARGET</c>: a symbolic link the read does not follow.</item>
/// <item><c>S I TYPE OWNER UID GROUP GID MODE</c>: stat of the path (of the link's target when followed).</item>
/// <item><c>A I FLAGS</c>: lsattr's flags, empty when the filesystem has none.</item>
/// <item><c>T</c>, <c>H</c>, <c>Z</c>, <c>W</c>, <c>X</c>: a regular file's content (<see cref="HostText"/>, <see cref="LiveText"/>).</item>
/// </list>
/// <paramref name="Type"/> is <c>file</c>, <c>directory</c>, <c>symbolic link</c> or stat's own name for anything else;
/// <paramref name="Attributes"/> is null when not read or not supported; <paramref name="Live"/> null when content was not read.
/// </summary>
public sealed record FileFacts(
    bool Exists,
    string? Type = null,
    string? Owner = null,
    string? OwnerId = null,
    string? Group = null,
    string? GroupId = null,
    string? Mode = null,
    string? Attributes = null,
    LiveText? Live = null,
    string? LinkTarget = null,
    string? Refused = null,
    PathController? ControlledBy = null,
    string? SharedDirectory = null)
{
    public static readonly FileFacts Missing = new(false);

    /// <summary>Every tag of the file facts; <see cref="Parse(string, int, IEnumerable{string[]})"/> leaves any other to its caller.</summary>
    public static readonly IReadOnlySet<string> Tags = new HashSet<string>(StringComparer.Ordinal) { "N", "L", "S", "A", "T", "H", "Z", "W", "X", "B", "U", "O" };

    public const string LinkType = "symbolic link";

    /// <summary>The unit of file facts queries (<see cref="Query"/>).</summary>
    public const string Unit = "file";

    public string? Sha256 => Live?.Sha256;

    public bool IsRegularFile => Type == "file";

    /// <summary>
    /// The facts of the path the shell word <paramref name="pathWord"/> names (quoted by the caller; it may expand a
    /// variable), as records with index <paramref name="index"/>. Leaves the path in <c>$p</c> (resolved when links are
    /// followed). Needs <see cref="HostText.Library"/> in the script when content is read.
    /// </summary>
    public static string Script(int index, string pathWord, FileFactsRead read) => Script(index, pathWord, read, batched: false);

    private static string Script(int index, string pathWord, FileFactsRead read, bool batched)
    {
        // What is read once the path is judged safe: as root, or as the user who controls it (PathSafety.RunAs).
        var flags = $"{index} {(read.FollowLinks ? 1 : 0)} {(read.Attributes ? 1 : 0)} {(int)read.Content}";
        var facts = $"rc_file_facts {flags} \"$p\"\n";
        return PathSafety.Judged(index, pathWord, read.FollowLinks, read.AsControllingUser, facts, batched ? $"rc_file_defer {flags}" : null);
    }

    /// <summary>
    /// <see cref="HostText.Library"/> and the file facts' own functions (file-facts.sh), carried into <c>rc_as</c>'s child:
    /// what every script that reads file facts sends first.
    /// </summary>
    public static string Library { get; } = HostText.Library + "\n" + PathSafety.Carry(ShellFiles.Fill("file-facts.sh", new Dictionary<string, string>
    {
        ["RC_READ_SECONDS"] = HostText.ReadSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RC_MAX_SHOWN"] = HostText.MaxShownBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RC_BATCH_MAX"] = BatchMax.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RC_ENTRY_BYTES"] = ArchiveEntryBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }));

    /// <summary>Paths one query reads together at most (stat's arguments, the archive); the rest are read one by one.</summary>
    public const int BatchMax = 512;

    /// <summary>What one shown file may take in the archive: its header, a long-name header and block, its text padded.</summary>
    private const int ArchiveEntryBytes = 512 + 512 + 4608 + HostText.MaxShownBytes + 1024;

    /// <summary>
    /// One query reading <paramref name="paths"/>, each under its position in the list. <paramref name="setup"/> runs first:
    /// it may set what the path words use, or exit 0 when there is nothing to read (the answer is then no path at all).
    /// Every path is judged on its own; those root alone controls are then read together (file-facts.sh).
    /// </summary>
    public static FactQuery Query(IReadOnlyList<FileFactsPath> paths, string setup = "")
    {
        var script = new StringBuilder(setup);
        if (setup.Length > 0)
        {
            script.AppendLine();
        }

        script.AppendLine(Library);
        // The directories on the way to every path, stat'ed at once before each path is judged (rc-path.sh).
        script.Append(PathSafety.MemoSeed(paths.Select(p => p.Word)));
        for (var i = 0; i < paths.Count; i++)
        {
            script.Append(Script(i, paths[i].Word, paths[i].Read, batched: true));
        }

        script.AppendLine("rc_file_batch");
        return new FactQuery(Unit, script.ToString());
    }

    /// <summary>The facts of each path <see cref="Query"/> read, in order; a record not indexed for one of them is malformed.</summary>
    public static IReadOnlyList<FileFacts> Parse(FactAnswers answers, int count)
    {
        var byIndex = FactRecords.ByIndex(Unit, Unbatched(answers[Unit]), count);
        // This unit's answer holds only this unit's records: anything else is a host printing what no read asked for.
        if (byIndex.SelectMany(records => records).FirstOrDefault(r => !Tags.Contains(r[0])) is { } stray)
        {
            throw new MalformedFactsException($"{Unit} facts: an unexpected '{Excerpt.Cut(stray[0], 40)}' record");
        }

        return Enumerable.Range(0, count).Select(i => Parse(FactRecords.ByTag(Unit, byIndex[i], i))).ToList();
    }

    /// <summary>
    /// The lines of a query's answer with the batch's texts (file-facts.sh: <c>R I PATH</c> names a shown path, <c>Y ARCHIVE</c>
    /// holds all of them as one base64 tar archive) turned into each path's own <c>T</c> record, as a path read on its own
    /// answers; a named path the archive does not hold as a regular file, whole, is <c>X</c>: it changed while it was read.
    /// </summary>
    private static IEnumerable<string> Unbatched(IReadOnlyList<string> lines)
    {
        var named = lines.Where(l => l.StartsWith("R\t", StringComparison.Ordinal)).Select(l => l.Split('\t')).ToList();
        var archives = lines.Where(l => l.StartsWith("Y\t", StringComparison.Ordinal)).ToList();
        if (named.Count == 0 && archives.Count == 0)
        {
            return lines;
        }

        if (archives.Count != 1 || named.Count == 0)
        {
            throw new MalformedFactsException(archives.Count > 1 ? $"{Unit} facts: two archives of texts"
                : archives.Count == 0 ? $"{Unit} facts: texts named for an archive the host did not send"
                : $"{Unit} facts: an archive of texts no path names");
        }

        if (named.FirstOrDefault(r => r.Length != 3 || !r[2].StartsWith('/')) is { } bad)
        {
            throw new MalformedFactsException($"{Unit} facts: an 'R' record without index and absolute path ('{Excerpt.Cut(string.Join(' ', bad), 40)}')");
        }

        var texts = TextArchive.Read(archives[0]["Y\t".Length..], named.Select(r => r[2][1..]).ToHashSet(StringComparer.Ordinal), HostText.MaxShownBytes + 1);
        var unbatched = lines.Where(l => !l.StartsWith("R\t", StringComparison.Ordinal) && !l.StartsWith("Y\t", StringComparison.Ordinal)).ToList();
        unbatched.AddRange(named.Select(r => texts.TryGetValue(r[2][1..], out var text)
            ? $"T\t{r[1]}\t{Convert.ToBase64String(text)}"
            : $"X\t{r[1]}\tit changed while it was read; plan again"));
        return unbatched;
    }

    /// <summary>
    /// A shell condition for checks after an apply: the path is a regular file (links followed) whose content has this
    /// SHA-256 (read as every read is, bounded) and, when <paramref name="modeOwnerGroupWord"/> is given, whose
    /// <c>MODE:OWNER:GROUP</c> (mode as stat's <c>%a</c>) equals that shell word.
    /// </summary>
    public static string Holds(string pathWord, string sha256, string? modeOwnerGroupWord = null)
    {
        var check = $"[ -f {pathWord} ] && [ \"$({HostText.Digest(pathWord)})\" = {Sh.Quote(sha256)} ]";
        return modeOwnerGroupWord is null
            ? check
            : $"{check} && [ \"$(stat -L -c '%a:%U:%G' -- {pathWord} 2>/dev/null)\" = {modeOwnerGroupWord} ]";
    }

    /// <summary>
    /// <see cref="Holds(string, string, string?)"/> for a whole file as a spec declares it: content, mode (any form
    /// <see cref="FileModes.Normalize"/> takes), and owner and group each by name or, when all digits, by numeric id — every
    /// attribute a whole-file write sets, so a check after a transaction that was rolled back cannot pass on content alone.
    /// </summary>
    public static string Holds(string pathWord, string sha256, string mode, string owner, string group)
    {
        static string Account(string declared, char byName, char byId) => $"%{(declared.Length > 0 && declared.All(char.IsAsciiDigit) ? byId : byName)}";
        var statMode = FileModes.Normalize(mode).TrimStart('0') is { Length: > 0 } m ? m : "0";
        return $"[ -f {pathWord} ] && [ \"$({HostText.Digest(pathWord)})\" = {Sh.Quote(sha256)} ]" +
               $" && [ \"$(stat -L -c {Sh.Quote($"%a:{Account(owner, 'U', 'u')}:{Account(group, 'G', 'g')}")} -- {pathWord} 2>/dev/null)\" = {Sh.Quote($"{statMode}:{owner}:{group}")} ]";
    }

    /// <summary>One resource's records (by tag, see <see cref="FactRecords.ByTag"/>); tags other than <see cref="Tags"/> are ignored.</summary>
    public static FileFacts Parse(IReadOnlyDictionary<string, string[]> facts)
    {
        if (facts.GetValueOrDefault("B") is { } refused)
        {
            return Missing with { Refused = refused.FirstField() ?? "refused by the host" };
        }

        var path = new FileFacts(false)
        {
            ControlledBy = facts.GetValueOrDefault("U") is { Length: >= 4 } u ? new PathController(u[2], u[3]) : null,
            SharedDirectory = facts.GetValueOrDefault("O")?.FirstField(),
        };
        if (facts.GetValueOrDefault("L") is { } link)
        {
            return path with { Exists = true, Type = LinkType, LinkTarget = link.FirstField() ?? "" };
        }

        if (facts.GetValueOrDefault("S") is not { Length: >= 8 } s)
        {
            return path;
        }

        var attributes = facts.GetValueOrDefault("A")?.FirstField() is { Length: > 0 } flags ? flags.Replace("-", "") : null;
        return path with
        {
            Exists = true, Type = TypeName(s[2]), Owner = s[3], OwnerId = s[4], Group = s[5], GroupId = s[6],
            Mode = FileModes.Normalize(s[7]), Attributes = attributes, Live = LiveText.Parse(facts.Values),
        };
    }

    /// <summary>The file facts among one resource's records, which may carry a kind's own tags; a file tag twice is malformed.</summary>
    public static FileFacts Parse(string kind, int index, IEnumerable<string[]> records) =>
        Parse(FactRecords.ByTag(kind, records.Where(r => Tags.Contains(r[0])), index));

    private static string TypeName(string statType) => statType switch
    {
        "regular file" or "regular empty file" => "file",
        "directory" => "directory",
        _ => statType,
    };
}
