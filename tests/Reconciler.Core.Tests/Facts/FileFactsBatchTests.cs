using System.Formats.Tar;
using System.Text;
using Reconciler.Core.Facts;
using Reconciler.Core.Shell;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Facts;

/// <summary>
/// The batched read of <see cref="FileFacts.Query"/> (file-facts.sh): paths root alone controls are read together — one
/// stat, one archive of the texts that may be shown — and must answer exactly what each path read on its own answers;
/// a host's stat or archive that answers out of order, twice, cut or for another path never puts one path's facts
/// under another's index.
/// </summary>
public sealed class FileFactsBatchTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static FileFactsRead Text => new(FollowLinks: false, Content: FileContentRead.Text);

    private static IReadOnlyList<FileFacts> Answer(string stdout, int count) =>
        FileFacts.Parse(new FactAnswers(new Dictionary<string, IReadOnlyList<string>> { [FileFacts.Unit] = LocalShell.Lines(stdout) }), count);

    /// <summary>The query as a read runs it (rc_memo=1), with <paramref name="bin"/> first on PATH when given.</summary>
    /// <remarks>
    /// With <paramref name="errorCap"/>, the script's error output goes through a pipe that takes 4 KiB, as the transport's
    /// cap on a command's error output ends the command in a real read.
    /// </remarks>
    private static (string Stdout, IReadOnlyList<FileFacts> Facts) Batched(IReadOnlyList<FileFactsPath> paths, string? bin = null, bool errorCap = false)
    {
        var script = (bin is null ? "" : $"PATH={Sh.Quote(bin)}:$PATH\n") + "rc_memo=1\n" + FileFacts.Query(paths).Script;
        if (errorCap)
        {
            script = "{ { " + script + "\n} 2>&1 >&3 3>&- | head -c 4096 >/dev/null; } 3>&1";
        }

        var result = LocalShell.Run(script);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return (result.Stdout, Answer(result.Stdout, paths.Count));
    }

    /// <summary>Each path read on its own (FileFacts.Script), as a glob's match is.</summary>
    private static IReadOnlyList<FileFacts> OneByOne(IReadOnlyList<FileFactsPath> paths)
    {
        var script = new StringBuilder("rc_memo=1\n").AppendLine(FileFacts.Library);
        for (var i = 0; i < paths.Count; i++)
        {
            script.Append(FileFacts.Script(i, paths[i].Word, paths[i].Read));
        }

        var result = LocalShell.Run(script.ToString());
        Assert.True(result.ExitCode == 0, result.Stderr);
        return Answer(result.Stdout, paths.Count);
    }

    private List<FileFactsPath> Mixed()
    {
        File.WriteAllText(_dir["shown.conf"], "visible = 1\n");
        File.WriteAllText(_dir["closed.conf"], "secret = 2\n");
        File.WriteAllText(_dir["digest.conf"], "compared = 3\n");
        File.WriteAllText(_dir["odd name; $x.conf"], "odd = 4\n");
        File.WriteAllBytes(_dir["big.bin"], new byte[HostText.MaxShownBytes + 10]);
        LocalShell.Run($"cd {Sh.Quote(_dir.Path)} && chmod 0644 shown.conf digest.conf 'odd name; $x.conf' big.bin && chmod 0600 closed.conf && "
                       + "mkdir -m 0755 d && ln -s shown.conf link && mkdir -p home/u && chown 65534 home/u && printf 'users\\n' > home/u/f && chmod 0644 home/u/f");
        return
        [
            new(Sh.Quote(_dir["shown.conf"]), Text),
            new(Sh.Quote(_dir["closed.conf"]), Text),
            new(Sh.Quote(_dir["digest.conf"]), new FileFactsRead(false, Content: FileContentRead.Digest)),
            new(Sh.Quote(_dir["odd name; $x.conf"]), Text),
            new(Sh.Quote(_dir["big.bin"]), Text),
            new(Sh.Quote(_dir["d"]), new FileFactsRead(false)),
            new(Sh.Quote(_dir["link"]), Text),
            new(Sh.Quote(_dir["link"]), new FileFactsRead(FollowLinks: true, Content: FileContentRead.Text)),
            new(Sh.Quote(_dir["missing"]), Text),
            new(Sh.Quote(_dir["home/u/f"]), Text with { AsControllingUser = true }),
            new(Sh.Quote(_dir["shown.conf"]), new FileFactsRead(false, Attributes: true, Content: FileContentRead.Text)),
        ];
    }

    [Fact]
    public void The_batched_read_answers_what_each_path_read_on_its_own_answers()
    {
        var paths = Mixed();

        var (stdout, batched) = Batched(paths);

        // Then the facts are the same path by path, and the batch really ran: shown texts came in the archive
        Assert.Equal(OneByOne(paths), batched);
        Assert.Contains("\nY\t", "\n" + stdout);
        Assert.Equal("visible = 1\n", batched[0].Live!.Text);
        Assert.Equal("not world-readable", batched[1].Live!.Withheld![^"not world-readable (600 root:root)".Length..][..18]);
        Assert.Null(batched[2].Live!.Text);
        Assert.Equal("odd = 4\n", batched[3].Live!.Text);
        Assert.Equal("users\n", batched[9].Live!.Text);
        Assert.Equal("visible = 1\n", batched[7].Live!.Text);
    }

    [Theory]
    [InlineData("twice")]
    [InlineData("reversed")]
    [InlineData("other")]
    [InlineData("flood")]
    public void A_stat_that_answers_out_of_order_twice_or_for_another_path_makes_each_path_read_on_its_own(string how)
    {
        // Given a stat that, when asked about several paths at once, lies in one way
        var paths = Mixed();
        var bin = _dir["bin"];
        Directory.CreateDirectory(bin);
        var lie = how switch
        {
            "twice" => "/usr/bin/stat \"$@\" | sed 'p'",
            "reversed" => "/usr/bin/stat \"$@\" | tac",
            "other" => $"/usr/bin/stat \"$@\" | sed 's|shown.conf|closed.conf|'",
            _ => "yes \"$(/usr/bin/stat \"$@\" | head -n 1)\"",
        };
        File.WriteAllText(bin + "/stat", $"#!/bin/sh\ncase \"$*\" in *--printf=%n*) {lie} ;; *) exec /usr/bin/stat \"$@\" ;; esac\n");
        LocalShell.Run($"chmod 0755 {Sh.Quote(bin)} {Sh.Quote(bin + "/stat")}");

        var (_, batched) = Batched(paths, bin);

        // Then no path got another's facts: every answer is what that path read alone answers
        Assert.Equal(OneByOne(paths), batched);
    }

    private static string Tar(params (string Name, string Text)[] entries)
    {
        using var archive = new MemoryStream();
        using (var writer = new TarWriter(archive, TarEntryFormat.Gnu, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                writer.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
            }
        }

        return Convert.ToBase64String(archive.ToArray());
    }

    private static IReadOnlyList<FileFacts> Parsed(params string[] lines) =>
        FileFacts.Parse(new FactAnswers(new Dictionary<string, IReadOnlyList<string>> { [FileFacts.Unit] = lines }), 2);

    private const string Stat0 = "S\t0\tregular file\troot\t0\troot\t0\t644";
    private const string Stat1 = "S\t1\tregular file\troot\t0\troot\t0\t644";

    [Fact]
    public void Each_named_path_gets_its_own_entry_s_text_and_a_missing_cut_or_foreign_entry_is_never_another_s()
    {
        var whole = Tar(("etc/b", "bee\n"), ("etc/a", "ay\n"));
        var facts = Parsed(Stat0, Stat1, "R\t0\t/etc/a", "R\t1\t/etc/b", "Y\t" + whole);
        Assert.Equal(("ay\n", "bee\n"), (facts[0].Live!.Text, facts[1].Live!.Text));

        // An entry of another name, an archive cut inside the second entry, and one that is not base64
        var foreign = Parsed(Stat0, Stat1, "R\t0\t/etc/a", "R\t1\t/etc/b", "Y\t" + Tar(("etc/c", "sea\n"), ("etc/b", "bee\n")));
        Assert.Equal((null, "bee\n"), (foreign[0].Live!.Text, foreign[1].Live!.Text));
        Assert.StartsWith("it changed while it was read", foreign[0].Live!.Unreadable);
        var bytes = Convert.FromBase64String(Tar(("etc/a", "ay\n"), ("etc/b", new string('b', 3000))));
        var cut = Parsed(Stat0, Stat1, "R\t0\t/etc/a", "R\t1\t/etc/b", "Y\t" + Convert.ToBase64String(bytes[..2048]));
        Assert.Equal(("ay\n", null), (cut[0].Live!.Text, cut[1].Live!.Text));
        Assert.NotNull(cut[1].Live!.Unreadable);
        var garbage = Parsed(Stat0, "R\t0\t/etc/a", "Y\t%%% not base64");
        Assert.NotNull(garbage[0].Live!.Unreadable);

        // A text that grew past what may be shown while it was archived is unreadable, as a path read alone says
        var grown = Parsed(Stat0, "R\t0\t/etc/a", "Y\t" + Tar(("etc/a", new string('x', HostText.MaxShownBytes + 5))));
        Assert.Contains("grew past", grown[0].Live!.Unreadable);
    }

    [Theory]
    [InlineData("R\t0\t/etc/a")]
    [InlineData("Y\tAAAA")]
    [InlineData("R\t0\t/etc/a\nY\tAAAA\nY\tAAAA")]
    [InlineData("R\t0\tetc/a\nY\tAAAA")]
    [InlineData("R\t0\t/etc/a\nR\t0\t/etc/a\nY\tAAAA")]
    [InlineData("R\t7\t/etc/a\nY\tAAAA")]
    public void Names_without_one_archive_an_archive_without_names_or_a_path_named_twice_are_malformed(string records)
    {
        Assert.Throws<MalformedFactsException>(() => Parsed([Stat0, .. records.Split('\n')]));
    }

    [Fact]
    public void A_directory_seeded_through_a_link_is_not_remembered_for_the_directory_that_name_is_later()
    {
        // Given L a link to a safe tree when the memo is seeded, and a tree whose sub is world-writable moved to L's
        // name before the path is judged (the owner of the parent can do that between the two)
        LocalShell.Run($"cd {Sh.Quote(_dir.Path)} && mkdir -p safe/sub open/sub && chmod 0755 safe/sub && chmod 0777 open/sub && ln -s safe L");
        var path = Sh.Quote(_dir["L/sub/f"]);
        var script = $"rc_memo=1\n{FileFacts.Library}\nrc_memo_seed {path}\ncd {Sh.Quote(_dir.Path)} && rm L && mv open L\n"
                     + $"if rc_chain {path} 0; then echo ACCEPTED; else echo \"$rc_chain_why\"; fi";

        var result = LocalShell.Run(script);

        // Then L/sub is judged as what it is now: a directory other users may write
        Assert.DoesNotContain("ACCEPTED", result.Stdout);
        Assert.Contains("can be written by other users", result.Stdout);
    }

    [Fact]
    public void Long_names_hard_links_and_empty_files_answer_in_the_batch_as_on_their_own()
    {
        var deep = string.Join('/', Enumerable.Repeat("a-rather-long-directory-name", 6));
        LocalShell.Run($"cd {Sh.Quote(_dir.Path)} && mkdir -p {deep} && printf 'deep\\n' > {deep}/f.conf && printf 'one\\n' > h1 && ln h1 h2 && : > empty && chmod 0644 {deep}/f.conf h1 empty");
        List<FileFactsPath> paths = [new(Sh.Quote(_dir[deep + "/f.conf"]), Text), new(Sh.Quote(_dir["h1"]), Text), new(Sh.Quote(_dir["h2"]), Text), new(Sh.Quote(_dir["empty"]), Text)];

        var (stdout, batched) = Batched(paths);

        Assert.Contains("\nY\t", "\n" + stdout);
        Assert.Equal(OneByOne(paths), batched);
        Assert.Equal(["deep\n", "one\n", "one\n", ""], batched.Select(f => f.Live!.Text));
    }

    [Fact]
    public async Task A_stat_that_floods_its_error_output_when_asked_about_several_names_does_not_stall_the_read()
    {
        // Given a stat that, asked about several names at once (the memo's seed, the batch), writes to stderr forever:
        // those calls send its errors on, where the transport's cap on error output (4 KiB here) ends it, as it ends a
        // path read on its own (HostileHostOutputTests has the real transport's one-line error for it)
        var paths = Mixed();
        var bin = _dir["bin"];
        Directory.CreateDirectory(bin);
        File.WriteAllText(bin + "/stat", "#!/bin/sh\ncase \"$*\" in *--printf=%n*) exec yes noise >&2 ;; *) exec /usr/bin/stat \"$@\" ;; esac\n");
        LocalShell.Run($"chmod 0755 {Sh.Quote(bin)} {Sh.Quote(bin + "/stat")}");

        var read = Task.Run(() => Batched(paths, bin, errorCap: true));

        var (_, facts) = await read.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(OneByOne(paths), facts);
    }
}
