using Reconciler.Core.Shell;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Shell;

/// <summary>
/// Hostile review of apply's batched checks (rc_chain's one stat of every directory on the way, rc_dirs_stat; rc_open's
/// one stat of the name and the descriptor), run with /bin/sh as root on a scratch tree.
/// </summary>
public sealed class ApplyBatchAttackTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Q(string path) => Sh.Quote(path);

    /// <summary>
    /// Builds, under BASE, root-owned directories with long names (a pull request can declare such directories) and then
    /// a root-owned directory anyone may write, named so that rc_dirs_stat's byte budget (1 KiB a directory) ends inside
    /// that directory's mode: stat prints "drwx" and the rest is cut. Leaves the open directory in $open.
    /// </summary>
    private static string CutInsideTheMode(string root) => $$"""
        name() { printf '%0*d' "$1" 0 | tr 0 "$2"; }
        base={{Q(root)}}
        # What stat prints for the directories down to base, then for each long one (path, 45 bytes of the rest).
        # shellcheck disable=SC2046
        set -- $(printf '%s' "$base" | awk -F/ '{ p=""; print "/"; for (i=2;i<=NF;i++) { p=p"/"$i; print p } }')
        n0=$# b=${#base}
        s0=$(stat --printf='%n\t%F\t%u:%g:%A:%U:%a %U:%G\n' -- "$@" | wc -c)
        long=250 k=0 len=0
        while [ "$long" -ge 100 ]; do
          k=0 s=$s0
          while [ "$k" -lt 14 ]; do
            k=$((k + 1)) s=$((s + b + k * (long + 1) + 45))
            # The budget, less all lines above the open directory and its own line up to 4 characters into the mode.
            len=$(( (n0 + k + 1) * 1024 - s - (b + k * (long + 1)) - 1 - 11 - 4 - 4 ))
            if [ "$len" -ge 1 ] && [ "$len" -le 250 ]; then break 2; fi
          done
          long=$((long - 1))
        done
        d=$base
        while [ "$k" -gt 0 ]; do d=$d/$(name "$long" a); mkdir -m 0755 "$d"; k=$((k - 1)); done
        open=$d/$(name "$len" b)
        mkdir "$open"; chmod 0777 "$open"
        # The cut really falls inside the mode: what stat prints for the directories on the way, as rc_dirs_stat cuts it.
        # shellcheck disable=SC2046
        set -- $(printf '%s' "$open" | awk -F/ '{ p=""; print "/"; for (i=2;i<=NF;i++) { p=p"/"$i; print p } }')
        cut=$(stat --printf='%n\t%F\t%u:%g:%A:%U:%a %U:%G\n' -- "$@" | head -c $(($# * 1024)))
        case "$cut" in *"$open${rc_memo_tab}directory${rc_memo_tab}0:0:drwx") ;; *) echo "setup: the cut missed the mode" >&2; exit 3 ;; esac

        """;

    [Fact]
    public void A_directory_others_can_write_is_refused_even_when_the_batched_stat_is_cut_inside_its_mode()
    {
        // Given a root-owned directory anyone may write, deep under long names, so the batched stat is cut in its mode
        var script = PathSafety.Carry(PathSafety.Functions) + "\n" + CutInsideTheMode(_dir.Path) + """
            if rc_chain "$open/x" 0; then echo "apply: ok uid=$rc_chain_uid"; else echo "apply: refused"; fi
            rc_memo=1; rc_memo_seed "$open/x"
            if rc_chain "$open/x" 0; then echo "read: ok uid=$rc_chain_uid"; else echo "read: refused"; fi
            """;

        // When apply (fresh batch per call) and a read (memo seeded by the batch) judge a file in it
        var result = LocalShell.Run(script);

        // Then both refuse it, as the directory-by-directory stat did: a truncated answer is never taken for a mode
        Assert.Equal("", result.Stderr);
        Assert.Equal("apply: refused\nread: refused\n", result.Stdout);
    }

    [Fact]
    public void Rc_open_refuses_a_name_that_is_a_link_when_it_is_compared_even_one_leading_to_the_opened_file()
    {
        // Given a root-only file, and a stat that (like a local user racing renames in a sticky directory) finds the name
        // a link to the opened file while rc_open compares, and a plain file again by the final check. In the real race
        // the open itself went through the link, so the descriptor is the link's target: any file, /etc/shadow included.
        LocalShell.Run($"mkdir -p {Q(_dir["sticky"])} {Q(_dir["away"])} && chmod 1777 {Q(_dir["sticky"])} && echo old > {Q(_dir["sticky/f"])}");
        var script = ShellLibrary.Source + "\n" + $$"""
            stat() {
              case "$*" in
                *%d:%i*)
                  mv -T -- {{Q(_dir["sticky/f"])}} {{Q(_dir["away/f"])}}
                  ln -s -- {{Q(_dir["away/f"])}} {{Q(_dir["sticky/f"])}}
                  command stat "$@"; rc_x=$?
                  echo planted > {{Q(_dir["sticky/.n"])}}; mv -T -- {{Q(_dir["sticky/.n"])}} {{Q(_dir["sticky/f"])}}
                  return "$rc_x" ;;
              esac
              command stat "$@"
            }
            if rc_open 9 {{Q(_dir["sticky/f"])}}; then echo "opened $(cat /proc/self/fd/9)"; else echo refused; fi
            """;

        // When rc_open opens the name
        var result = LocalShell.Run(script);

        // Then it refuses: a link at the name when it is compared is never the file opened
        Assert.Equal("refused\n", result.Stdout);
        Assert.Contains("was replaced while it was being changed; nothing changed", result.Stderr);
    }
}
