using System.Diagnostics;
using Reconciler.Core.Engine;
using Reconciler.Core.Shell;
using Reconciler.Core.Tests.Support;

namespace Reconciler.Core.Tests.Shell;

/// <summary>
/// rc_service against a fake init-script directory (RC_INIT_DIR) on a "host" without systemd (RC_SYSTEMD_RUN names a
/// directory that does not exist), run with /bin/sh as the hosts run it.
/// </summary>
public sealed class ServiceControlTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private ScriptResult Run(string body) => LocalShell.Run(
        $"RC_INIT_DIR={Sh.Quote(_dir.Path)}; RC_SYSTEMD_RUN={Sh.Quote(_dir["no-systemd"])}\n{ServiceControl.Source}\n{body}");

    private void InitScript(string name, string body)
    {
        File.WriteAllText(_dir[name], "#!/bin/sh\n" + body + "\n");
        LocalShell.Run($"chmod 0755 {Sh.Quote(_dir[name])}");
    }

    [Fact]
    public void Without_systemd_the_init_script_runs_with_the_action_and_its_output_and_status_come_back()
    {
        InitScript("demo", "echo \"demo: $1 requested\"; echo 'demo: failing' >&2; exit 3");

        var result = Run("out=$(rc_service reload demo); rc=$?; printf '%s|%s\\n' \"$rc\" \"$out\"");

        Assert.Equal("3|demo: reload requested\ndemo: failing\n", result.Stdout);
    }

    [Fact]
    public void A_service_no_manager_knows_returns_127_with_the_reason()
    {
        var result = Run("out=$(rc_service restart nosuchd); rc=$?; printf '%s|%s\\n' \"$rc\" \"$out\"");

        Assert.Equal($"{ServiceControl.NoManager}|no systemd and no init script {_dir.Path}/nosuchd\n", result.Stdout);
    }

    [Fact]
    public void A_daemon_the_script_leaves_running_does_not_hold_the_callers_output_open()
    {
        // Like a real init script: the daemon forks and keeps the descriptors it inherited.
        // The daemon lives a minute and the bound is half that: waiting for it is unmistakable even on a loaded runner.
        InitScript("forker", "sleep 60 & echo started");
        var clock = Stopwatch.StartNew();

        var result = Run("out=$(rc_service start forker) && printf '%s\\n' \"$out\"");

        Assert.Equal("started\n", result.Stdout);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"rc_service waited {clock.Elapsed} for the daemon");
    }
}
