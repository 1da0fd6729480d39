using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Shell;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Facts;

/// <summary>
/// The one file-facts unit: its records parsed into the typed record (missing, link, regular file, withheld and
/// unreadable text, duplicates), and its shell fragment run for real against files in a temp directory.
/// </summary>
public sealed class FileFactsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Sha(string text) => Sha256Text.Hex(text);

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static FileFacts Parse(params string[] lines) => FileFacts.Parse("test", 0, FactRecords.ByIndex("test", lines, 1)[0]);

    /// <summary>The fragment for each path, with the text library, run by /bin/sh; the facts of each index.</summary>
    private static List<FileFacts> Read(FileFactsRead read, params string[] paths)
    {
        var script = new StringBuilder(FileFacts.Library).AppendLine();
        for (var i = 0; i < paths.Length; i++)
        {
            script.Append(FileFacts.Script(i, Sh.Quote(paths[i]), read));
        }

        var result = LocalShell.Run(script.ToString());
        Assert.True(result.ExitCode == 0, result.Stderr);
        var byIndex = FactRecords.ByIndex("test", LocalShell.Lines(result.Stdout), paths.Length);
        return paths.Select((_, i) => FileFacts.Parse("test", i, byIndex[i])).ToList();
    }

    private static string Raw(FileFactsRead read, string path)
    {
        var result = LocalShell.Run(FileFacts.Library + "\n" + FileFacts.Script(0, Sh.Quote(path), read));
        Assert.True(result.ExitCode == 0, result.Stderr);
        return result.Stdout;
    }

    [Fact]
    public void A_regular_file_parses_into_every_typed_field()
    {
        var facts = Parse(
            "S\t0\tregular file\tdeploy\t1000\tadm\t4\t640", "A\t0\t----i---------e-------",
            $"H\t0\t{Sha("hello\n")}", "Z\t0\t6\t1", $"T\t0\t{B64("hello\n")}");

        Assert.Equal(new FileFacts(true, "file", "deploy", "1000", "adm", "4", "0640", "ie", facts.Live), facts);
        Assert.True(facts.IsRegularFile);
        Assert.Equal(Sha("hello\n"), facts.Sha256);
        Assert.Equal(new LiveText(Sha("hello\n"), 6, 1, "hello\n", null), facts.Live);
        Assert.Null(facts.LinkTarget);
    }

    [Fact]
    public void A_missing_path_is_not_there_and_a_short_stat_counts_as_missing()
    {
        Assert.Equal(FileFacts.Missing, Parse("N\t0"));
        Assert.False(Parse("S\t0\tregular file\troot\t0").Exists);
        Assert.False(Parse().Exists);
    }

    [Fact]
    public void A_link_not_followed_reports_its_target_and_nothing_else()
    {
        var facts = Parse("L\t0\t/etc/shadow");

        Assert.Equal(new FileFacts(true, FileFacts.LinkType, LinkTarget: "/etc/shadow"), facts);
        Assert.False(facts.IsRegularFile);
        Assert.Equal("", Parse("L\t0").LinkTarget);
    }

    [Fact]
    public void Other_types_keep_stat_s_name_and_empty_lsattr_means_no_attributes()
    {
        Assert.Equal("directory", Parse("S\t0\tdirectory\troot\t0\troot\t0\t755").Type);
        Assert.Equal("fifo", Parse("S\t0\tfifo\troot\t0\troot\t0\t644", "A\t0\t").Type);
        Assert.Null(Parse("S\t0\tfifo\troot\t0\troot\t0\t644", "A\t0\t").Attributes);
        Assert.Equal("file", Parse("S\t0\tregular empty file\troot\t0\troot\t0\t644").Type);
    }

    [Fact]
    public void Withheld_and_unreadable_text_keep_the_digest_and_say_why()
    {
        var withheld = Parse("S\t0\tregular file\troot\t0\troot\t0\t600", $"H\t0\t{Sha("s3cret")}", "Z\t0\t6\t0", "W\t0\t/etc/x is not world-readable (600 root:root)");
        Assert.Equal(Sha("s3cret"), withheld.Sha256);
        Assert.Null(withheld.Live!.Text);
        Assert.Equal("/etc/x is not world-readable (600 root:root)", withheld.Live.Withheld);

        var unreadable = Parse("S\t0\tregular file\troot\t0\troot\t0\t644", "X\t0\tlarger than 16 MiB (20000000 bytes); not read");
        Assert.Null(unreadable.Sha256);
        Assert.Equal("larger than 16 MiB (20000000 bytes); not read", unreadable.Live!.Unreadable);
    }

    [Theory]
    [InlineData("S")]
    [InlineData("L")]
    [InlineData("H")]
    [InlineData("T")]
    public void A_file_tag_answered_twice_is_malformed_but_a_kind_s_own_tags_are_left_to_the_kind(string tag)
    {
        string[] lines = ["S\t3\tregular file\troot\t0\troot\t0\t644", "L\t3\tx", $"H\t3\t{Sha("a")}", $"T\t3\t{B64("a")}"];
        var twice = lines.Append(lines.Single(l => l.StartsWith(tag + "\t", StringComparison.Ordinal)).Replace("root", "evil"));

        var e = Assert.Throws<MalformedFactsException>(() => FileFacts.Parse("dovecot", 3, FactRecords.ByIndex("dovecot", twice.ToList(), 4)[3]));

        Assert.Equal($"dovecot facts: the host answered '{tag}' twice for resource 3", e.Message);
        var kindTags = FactRecords.ByIndex("dovecot", ["S\t3\tregular file\troot\t0\troot\t0\t644", "K\t3\ta = 1", "K\t3\tb = 2"], 4)[3];
        Assert.Equal("0644", FileFacts.Parse("postfix", 3, kindTags).Mode);
    }

    [Fact]
    public void The_fragment_reads_a_file_a_missing_path_a_directory_and_a_link_without_following_it()
    {
        File.WriteAllText(_dir["motd"], "hello\nworld\n");
        LocalShell.Run($"chmod 0644 {Sh.Quote(_dir["motd"])}; mkdir {Sh.Quote(_dir["d"])}; ln -s motd {Sh.Quote(_dir["link"])}");

        var facts = Read(new FileFactsRead(FollowLinks: false, Attributes: true, FileContentRead.Text), _dir["motd"], _dir["nope"], _dir["d"], _dir["link"]);

        Assert.Equal(("file", "root", "0", "0644"), (facts[0].Type, facts[0].Owner, facts[0].OwnerId, facts[0].Mode));
        Assert.Equal(Sha("hello\nworld\n"), facts[0].Sha256);
        Assert.Equal("hello\nworld\n", facts[0].Live!.Text);
        Assert.Equal((12L, 2L), (facts[0].Live!.Size, facts[0].Live!.Lines));
        Assert.False(facts[1].Exists);
        Assert.Equal("directory", facts[2].Type);
        Assert.Null(facts[2].Live);
        Assert.Equal(new FileFacts(true, FileFacts.LinkType, LinkTarget: "motd"), facts[3]);
    }

    [Fact]
    public void Following_a_link_reads_its_target_and_a_dangling_link_is_missing()
    {
        File.WriteAllText(_dir["real"], "x = 1\n");
        LocalShell.Run($"chmod 0600 {Sh.Quote(_dir["real"])}; ln -s real {Sh.Quote(_dir["link"])}; ln -s gone {Sh.Quote(_dir["dangling"])}");

        var facts = Read(new FileFactsRead(FollowLinks: true, Content: FileContentRead.Digest), _dir["link"], _dir["dangling"]);

        Assert.Equal(("file", "0600", Sha("x = 1\n")), (facts[0].Type, facts[0].Mode, facts[0].Sha256));
        Assert.Null(facts[0].LinkTarget);
        Assert.Null(facts[0].Attributes);
        Assert.False(facts[1].Exists);
    }

    [Fact]
    public void Text_leaves_the_host_only_when_asked_and_the_disclosure_policy_allows_it()
    {
        File.WriteAllText(_dir["open"], "visible\n");
        File.WriteAllText(_dir["closed"], "db-s3cret\n");
        LocalShell.Run($"chmod 0644 {Sh.Quote(_dir["open"])}; chmod 0600 {Sh.Quote(_dir["closed"])}");

        var sensitive = Raw(new FileFactsRead(false, Content: FileContentRead.Digest), _dir["open"]);
        Assert.DoesNotContain(B64("visible\n"), sensitive);
        Assert.Contains($"H\t0\t{Sha("visible\n")}", sensitive);

        var closed = Raw(new FileFactsRead(false, Content: FileContentRead.Text), _dir["closed"]);
        Assert.DoesNotContain(B64("db-s3cret\n"), closed);
        var facts = FileFacts.Parse("test", 0, FactRecords.ByIndex("test", LocalShell.Lines(closed), 1)[0]);
        Assert.Equal($"{_dir["closed"]} is not world-readable (600 root:root)", facts.Live!.Withheld);
        Assert.Equal(Sha("db-s3cret\n"), facts.Sha256);

        Assert.DoesNotContain("H\t", Raw(new FileFactsRead(false), _dir["open"]));
    }

    [Fact]
    public void A_read_stats_each_directory_on_the_way_once_and_reads_the_same_facts()
    {
        // Given five files in one directory and a stat that logs what it is asked
        var paths = Enumerable.Range(1, 5).Select(i => _dir[$"conf/f{i}"]).ToArray();
        Directory.CreateDirectory(_dir["conf"]);
        foreach (var path in paths)
        {
            File.WriteAllText(path, $"{path}\n");
        }

        var bin = _dir["bin"];
        Directory.CreateDirectory(bin);
        File.WriteAllText(bin + "/stat", $"#!/bin/sh\nprintf '%s\\n' \"$*\" >> {Sh.Quote(_dir["stat.log"])}\nexec /usr/bin/stat \"$@\"\n");
        LocalShell.Run($"chmod 0755 {Sh.Quote(bin)} {Sh.Quote(bin + "/stat")}");
        var read = new FileFactsRead(false, Attributes: true, Content: FileContentRead.Text);
        var script = new StringBuilder($"PATH={Sh.Quote(bin)}:$PATH\n").AppendLine(FileFacts.Library);
        for (var i = 0; i < paths.Length; i++)
        {
            script.Append(FileFacts.Script(i, Sh.Quote(paths[i]), read));
        }

        // When the fragment runs as a read runs it (rc_memo=1), and as an apply's check runs it (without)
        var memo = LocalShell.Run("rc_memo=1\n" + script);
        var directoryStats = File.ReadAllLines(_dir["stat.log"]).Count(l => l.StartsWith("-c %u:%g:%A:%U:%a %U:%G -- ", StringComparison.Ordinal));
        var plain = LocalShell.Run(script.ToString());

        // Then each directory from / to conf was stat'ed once for five paths, and the answers are the same
        Assert.True(memo.ExitCode == 0, memo.Stderr);
        Assert.Equal(_dir["conf"].Count(c => c == '/') + 1, directoryStats);
        Assert.Equal(plain.Stdout, memo.Stdout);
        var facts = FactRecords.ByIndex("test", LocalShell.Lines(memo.Stdout), paths.Length);
        Assert.All(paths.Select((p, i) => (p, FileFacts.Parse("test", i, facts[i]))), f => Assert.Equal(f.p + "\n", f.Item2.Live!.Text));
    }

    [Fact]
    public void A_directory_name_cannot_make_the_read_s_memory_answer_for_another_directory()
    {
        // Given a directory others may write (refused), and a directory on the way to another managed path whose name
        // carries a line break, that directory's path and a tab, then the stat answer of a root-owned 755 directory
        var open = _dir["open"];
        Directory.CreateDirectory(open);
        LocalShell.Run($"chmod 0777 {Sh.Quote(open)}");
        var forger = _dir["a\n" + open + "\t0:0:drwxr-xr-x:root:755 root:root"];
        Directory.CreateDirectory(forger);
        File.WriteAllText(forger + "/f", "x\n");
        File.WriteAllText(open + "/f", "y\n");

        // When one read judges the forger's path first and then the one under the open directory
        var script = new StringBuilder("rc_memo=1\n").AppendLine(FileFacts.Library);
        script.Append(FileFacts.Script(0, Sh.Quote(forger + "/f"), new FileFactsRead(false)));
        script.Append(FileFacts.Script(1, Sh.Quote(open + "/f"), new FileFactsRead(false)));
        var result = LocalShell.Run(script.ToString());

        // Then the path under the open directory is still refused: the forged line was never remembered
        Assert.True(result.ExitCode == 0, result.Stderr);
        var facts = FactRecords.ByIndex("test", LocalShell.Lines(result.Stdout), 2);
        Assert.Contains("can be written by other users", FileFacts.Parse("test", 1, facts[1]).Refused);
    }

    [Fact]
    public void A_text_read_whole_gives_its_digest_size_and_lines_and_one_that_grew_past_the_limit_is_unreadable()
    {
        var text = Parse("S\t0\tregular file\troot\t0\troot\t0\t644", $"T\t0\t{B64("a\nb\n")}");
        Assert.Equal((Sha("a\nb\n"), 4L, 2L, "a\nb\n"), (text.Sha256, text.Live!.Size, text.Live.Lines, text.Live.Text));

        var grew = Parse("S\t0\tregular file\troot\t0\troot\t0\t644", $"T\t0\t{B64(new string('a', HostText.MaxShownBytes + 1))}");
        Assert.Null(grew.Sha256);
        Assert.Contains("grew past 64 KiB while it was read", grew.Live!.Unreadable);

        var garbled = Parse("S\t0\tregular file\troot\t0\troot\t0\t644", "T\t0\t%%%");
        Assert.NotNull(garbled.Live!.Unreadable);
    }

    [Fact]
    public void Holds_checks_digest_and_stat_of_a_regular_file_after_an_apply()
    {
        File.WriteAllText(_dir["map.cf"], "hosts = 127.0.0.1\n");
        LocalShell.Run($"chmod 0640 {Sh.Quote(_dir["map.cf"])}; mkdir {Sh.Quote(_dir["dir"])}");
        int Check(string path, string sha, string? stat = null) =>
            LocalShell.Run($"p={Sh.Quote(path)}; rc_g=root\n{FileFacts.Holds("\"$p\"", sha, stat)}").ExitCode;

        var sha = Sha("hosts = 127.0.0.1\n");
        Assert.Equal(0, Check(_dir["map.cf"], sha));
        Assert.Equal(0, Check(_dir["map.cf"], sha, "'640:root:'\"$rc_g\""));
        Assert.NotEqual(0, Check(_dir["map.cf"], sha, "'600:root:'\"$rc_g\""));
        Assert.NotEqual(0, Check(_dir["map.cf"], Sha("other")));
        Assert.NotEqual(0, Check(_dir["nope"], Sha("")));
        Assert.NotEqual(0, Check(_dir["dir"], Sha("")));
    }
}
