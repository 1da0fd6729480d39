using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;

namespace Reconciler.Cli.Tests.Views;

/// <summary>Plans built by hand so the views are tested apart from providers.</summary>
internal static class SamplePlans
{
    /// <summary>Appears only inside sensitive attributes; no rendering may contain it.</summary>
    public const string Secret = "hunter2-SECRET-do-not-print";

    public static readonly DateTimeOffset GeneratedAt = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);

    private static SourceLocation At(int line, string file = "resources/web.yaml") => new(file, line, 5);

    private static ResourceChange Change(string kind, string name, ChangeAction action, int line, string? note, params AttributeChange[] attributes) =>
        new(new ResourceAddress(kind, name), action, attributes, At(line), note);

    public static Plan AllActions() => new(
    [
        new HostPlan("web-1",
        [
            Change("file", "/etc/hosts", ChangeAction.NoOp, 4, null),
            Change("file", "/etc/motd", ChangeAction.Update, 10, null,
                AttributeChange.Of(new("content"),
                    "Welcome to web-1\n\nline 3\nline 4\nline 5\nline 6\nAuthorized use only.\nline 8\n",
                    "Welcome to web-1\n\nline 3\nline 4\nline 5\nline 6\nAuthorized use only; activity is logged.\nline 8\n"),
                AttributeChange.Of(new("mode"), "0644", "0600")),
            Change("file", "/etc/app/token", ChangeAction.Update, 18, null,
                AttributeChange.Of(new("content"), $"old-{Secret}\n", $"new-{Secret}\n").SecretIf(true)),
            Change("file", "/etc/app/key.pem", ChangeAction.Create, 24, null,
                AttributeChange.Of(new("type"), null, "file"),
                AttributeChange.Of(new("content"), null, $"-----BEGIN KEY-----\n{Secret}\n-----END KEY-----\n").SecretIf(true),
                AttributeChange.Of(new("mode"), null, "0600")),
            Change("sysctl", "net.ipv4.ip_forward", ChangeAction.Update, 30, null,
                AttributeChange.Of(new("persisted"), "1 (/etc/sysctl.d/99-sysctl.conf)", "0 (/etc/sysctl.d/zz-reconciler-net.ipv4.ip_forward.conf)"),
                AttributeChange.Of(new("live"), "1", "0")),
            Change("config_line", "/etc/login.defs:UMASK", ChangeAction.Update, 36, "set 2 times; later duplicates are removed",
                AttributeChange.Of(new("UMASK"), "022, 077", "027")),
            Change("config_line", "/etc/ssh/sshd_config:Banner", ChangeAction.Create, 40, null,
                AttributeChange.Of(new("Banner"), null, "/etc/issue.net")),
            Change("file", "/etc/cron.deny", ChangeAction.Delete, 44, null,
                AttributeChange.Of(new("type"), "file", null)),
            Change("file", "/etc/securetty", ChangeAction.Skip, 48, "absent on this host (when_missing: skip)"),
            Change("sysctl", "net.ipv6.conf.all.disable_ipv6", ChangeAction.Blocked, 52,
                "the kernel on this host has no parameter net.ipv6.conf.all.disable_ipv6 (/proc/sys/net/ipv6/conf/all/disable_ipv6 does not exist)"),
            Change("file", "/etc/issue", ChangeAction.Update, 56, null,
                AttributeChange.Of(new("content"), "", "Authorized | use only\n")),
        ]),
        new HostPlan("web-2",
        [
            Change("file", "/etc/hosts", ChangeAction.NoOp, 4, null),
            Change("sysctl", "net.ipv4.ip_forward", ChangeAction.NoOp, 30, null),
        ]),
        new HostPlan("web-3",
        [
            Change("file", "/etc/hosts", ChangeAction.NoOp, 4, null),
            Change("file", "/etc/securetty", ChangeAction.Skip, 48, "absent on this host (when_missing: skip)"),
            Change("file", "/etc/at.deny", ChangeAction.Skip, 60, "absent on this host (when_missing: skip)"),
        ]),
        new HostPlan("db-1", [], "ssh: connect to host 10.0.0.3 port 22: Connection refused"),
    ]);

    public static Plan Empty() => new([]);
}
