namespace Reconciler.Integration.Tests.Support;

/// <summary>A slice of the seed's hardening and SYN-flood settings, used by the host tests.</summary>
public static class HardeningSpec
{
    public const string Resources = """
        kind: resources
        target: { group: hardened }
        sysctls:
          - key: net.ipv4.tcp_max_syn_backlog
            value: 16000
          - key: net.ipv4.tcp_syncookies
            value: 1
        files:
          - path: /etc/shadow
            mode: "0400"
          - path: /tmp
            type: directory
            mode: "1777"
          - path: /usr/bin/top
            mode: "0750"
            attributes: [i]
          - path: /etc/issue.net
            template: issue.net.sbn
            owner: root
            group: root
            mode: 644
          - path: /etc/securetty
            mode: "0600"
            when_missing: skip
        config_lines:
          - path: /etc/login.defs
            key: UMASK
            value: "077"
        """;

    public const string IssueTemplate = """
        Authorized use only — {{ site }} ({{ host.name }}).
        Activity is logged.

        """;

    public static void WriteTo(SpecsWorkspace specs)
    {
        specs.Write("hardening.yaml", Resources);
        specs.Write("issue.net.sbn", IssueTemplate);
    }
}
