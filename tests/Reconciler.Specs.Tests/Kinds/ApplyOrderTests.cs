using Reconciler.Core.Resources;

namespace Reconciler.Specs.Tests.Kinds;

/// <summary>Within one file, declarations come in the kinds' declared apply order, whatever order the YAML has.</summary>
public sealed class ApplyOrderTests : IDisposable
{
    private readonly SpecDirectory _specs = new();

    public void Dispose() => _specs.Dispose();

    [Fact]
    public void A_files_declarations_follow_the_kinds_apply_order_not_the_yaml_order()
    {
        _specs.WithInventoryManagingMariaDb("mail.*").Write("mail.yaml", """
            kind: resources
            target: { group: all }
            postfix:
              main: { myhostname: mail.example.com }
            dovecot:
              files:
                - path: /etc/dovecot/conf.d/10-auth.conf
                  content: "auth_mechanisms = plain login\n"
            mariadb:
              databases:
                - name: mail
            config_lines:
              - path: /etc/login.defs
                key: UMASK
                value: "027"
            sysctls:
              - key: net.ipv4.tcp_syncookies
                value: 1
            """);

        var result = _specs.Load();

        Assert.Empty(result.Diagnostics);
        var kinds = result.State!.Hosts[0].Resources.Select(r => r.Address.Kind).ToList();
        Assert.Equal(["sysctl", "config_line", "mariadb_database", "dovecot_file", "postfix_main"], kinds);
        Assert.Equal(kinds, kinds.OrderBy(k => ResourceKinds.Default.InApplyOrder.ToList().FindIndex(kind => kind.PlanKinds.Contains(k))));
    }
}
