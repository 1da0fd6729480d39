using Reconciler.Core.Shell;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Shell;

/// <summary>
/// Hostile review of issue 15, item 2 (attack; expected to FAIL until fixed). rc_chain judges who may write a directory
/// from its owner, group and mode bits only. A POSIX ACL (setfacl -m u:deploy:rwx /srv/app, the usual way to let one user
/// write a root-owned directory) is invisible there: stat shows drwxrwxr-x root:root (the group bits are the ACL's
/// mask, the group is root), so the directory passes as root-only, and a link the ACL's user plants in it is followed as
/// one "only root could have made". User 65534 (nobody) gets the ACL; the ACL is written as the raw xattr with perl
/// (setxattr, x86_64 syscall 188), as setfacl would.
/// </summary>
public sealed class AclPathAttackTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_directory_a_user_may_write_through_an_acl_is_not_root_only()
    {
        var app = _dir["srv/app"];
        var set = LocalShell.Run($"mkdir -p {Sh.Quote(app)} {Sh.Quote(_dir["etc"])} && chmod 0755 {Sh.Quote(app)} && " +
            "perl -e 'my ($p,$u)=@ARGV; my $n=\"system.posix_acl_access\"; my $v=pack(\"V\",2).pack(\"vvV\",1,7,0xffffffff).pack(\"vvV\",2,7,$u)" +
            ".pack(\"vvV\",4,5,0xffffffff).pack(\"vvV\",0x10,7,0xffffffff).pack(\"vvV\",0x20,5,0xffffffff); exit(syscall(188,$p,$n,$v,length($v),0) == 0 ? 0 : 1)' " +
            $"{Sh.Quote(app)} 65534 && setpriv --reuid=65534 --regid=65534 --clear-groups ln -s {Sh.Quote(_dir["etc"])} {Sh.Quote(app + "/conf.d")}");
        Assert.True(set.ExitCode == 0, "could not set up the ACL: " + set.Stderr);

        var verdict = LocalShell.Run(PathSafety.Carry(PathSafety.Functions) + "\n" +
            $"if rc_chain {Sh.Quote(app + "/conf.d/x.conf")} 0; then echo \"ok $rc_chain_real uid=$rc_chain_uid\"; else echo \"refused $rc_chain_why\"; fi").Stdout.Trim();

        // As it stands: "ok <tmp>/etc/x.conf uid=" — root would write through nobody's link.
        Assert.StartsWith("refused", verdict);
    }
}
