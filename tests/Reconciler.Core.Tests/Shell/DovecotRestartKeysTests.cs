using Reconciler.Core.Model;
using Reconciler.Core.Resources.Dovecot;
using Reconciler.Core.Shell;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Shell;

/// <summary>
/// The listener-related lines that make a plan say "restart": extracted in C# for the desired file and by awk on the
/// host for the live one, so both must agree byte for byte (run here with this machine's awk, as the host runs it).
/// </summary>
public sealed class DovecotRestartKeysTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Seed = """
        # Managed by reconciler
        protocols = imap   # the seed also serves pop3
        mail_location = maildir:~
        listen=*
        mmap_disable = yes
        passdb {
          driver = sql
        }
        service auth {
          unix_listener /var/spool/postfix/private/auth {
        	mode = 0660
            user = postfix
          }
        }
        service imap-login { inet_listener imap { port = 143 } }
        !include_try conf.d/extra.conf
        first_valid_uid = 80000

        """;

    [Fact]
    public void Protocols_listen_service_blocks_and_includes_are_kept_normalized()
    {
        Assert.Equal(
            "protocols = imap\nlisten=*\nservice auth {\nunix_listener /var/spool/postfix/private/auth {\nmode = 0660\nuser = postfix\n}\n}\n" +
            "service imap-login { inet_listener imap { port = 143 } }\n!include_try conf.d/extra.conf\n",
            DovecotRestartKeys.Extract(Seed));
        Assert.Equal("", DovecotRestartKeys.Extract("mmap_disable = yes\npassdb {\n  driver = sql\n}\n"));
    }

    [Theory]
    [InlineData(Seed)]
    [InlineData("protocols = imap pop3\r\nservice lmtp {\r\n  unix_listener lmtp {\r\n  }\r\n}\r\n")]
    [InlineData("mmap_disable = yes")]
    [InlineData("")]
    [InlineData("service x {\n}\n}\nprotocols=imap\n\t  listen =   127.0.0.1 , ::1  # local\n")]
    public void The_hosts_awk_program_digests_exactly_what_the_plan_digests(string content)
    {
        var path = _dir["local.conf"];
        File.WriteAllText(path, content);

        var result = LocalShell.Run($"awk {Sh.Quote(DovecotRestartKeys.AwkProgram)} < {Sh.Quote(path)} | sha256sum | cut -d' ' -f1");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(DovecotRestartKeys.Digest(content), result.Stdout.Trim());
        Assert.Equal(Sha256Text.Hex(DovecotRestartKeys.Extract(content)), DovecotRestartKeys.Digest(content));
    }
}
