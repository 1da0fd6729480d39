using System.Globalization;
using System.Text;
using Reconciler.Core.Engine;
using Reconciler.Core.Facts;
using Reconciler.Core.Model;
using Reconciler.Core.Plans;
using Reconciler.Core.Shell;

namespace Reconciler.Core.Resources.Ldap;

/// <summary>
/// DB_CONFIG of legacy (slapd ≤ 2.4, back-bdb / back-hdb) database directories: the directories, their files and the
/// services that open them read in the host's one read; the diff is DB_CONFIG's content as declared (the cache from the
/// seed's rule when <c>auto</c>, with its computation in the note) and, when DB_CONFIG already is, regions a running
/// service made before DB_CONFIG changed; apply is the seed's procedure as one guarded step per service (every DB_CONFIG
/// of that service written, the service stopped, the region files removed, started, the regions checked; everything put
/// back on failure), flagged as the restart it is.
/// </summary>
public sealed class LdapDbConfigProvider : ResourceProvider<LdapDbConfigResource, LdapDbConfigObserved>
{
    public override string Kind => LdapDbConfigResource.KindName;

    protected override string ReadScript(IReadOnlyList<LdapDbConfigResource> resources) => LdapDbConfigFacts.ReadScript(resources);

    protected override IReadOnlyList<FactQuery> SharedQueries(IReadOnlyList<LdapDbConfigResource> resources) =>
        [LdapDbConfigFacts.FileQuery(resources)];

    protected override IReadOnlyList<LdapDbConfigObserved> ParseFacts(IReadOnlyList<LdapDbConfigResource> resources, FactAnswers answers) =>
        LdapDbConfigFacts.Parse(Kind, resources, answers);

    /// <summary>What DB_CONFIG is to hold, the cache it sets and how auto sized it; or why it cannot be decided.</summary>
    internal sealed record Target(string Content, DbCacheSize? Cache, string? Sizing, string? Problem);

    internal static Target Decide(LdapDbConfigResource desired, LdapDbConfigObserved observed)
    {
        var cache = desired.Cache;
        string? sizing = null;
        if (desired.CacheAuto)
        {
            var (auto, problem) = LdapDbConfigSizing.Compute(desired.Rule, observed.Databases, observed.LiveCache, observed.DbConfig.Live?.Text is not null);
            if (auto is null) return new Target("", null, null, problem);
            cache = auto.Cache;
            sizing = $"cachesize auto (rule {(desired.Rule == DbCacheRule.Run ? "run" : "load")}): {auto.Explanation}";
        }

        return new Target(LdapDbConfigSizing.Render(cache, desired.LgBsize, desired.LgRegionmax, desired.Other), cache, sizing, null);
    }

    protected override ResourceChange Diff(LdapDbConfigResource desired, LdapDbConfigObserved observed)
    {
        if (Refusal(desired, observed) is { } refusal) return ResourceChange.Blocked(desired, refusal);
        var target = Decide(desired, observed);
        if (target.Problem is { } problem) return ResourceChange.Blocked(desired, problem);

        var file = observed.DbConfig;
        var attributes = new List<AttributeChange>();
        if (file.Sha256 != Sha256Text.Hex(target.Content))
        {
            // auto keeps the cache DB_CONFIG sets: when a local user may not read DB_CONFIG, neither may the plan's reader
            // read that number in the new text (the host sent it only so that auto could keep it).
            var keepsHidden = desired.CacheAuto && file.Live?.Text is null && observed.LiveCache is { } live && target.Cache == live;
            var after = keepsHidden
                ? new PlanValue.Withheld($"it keeps the cache {desired.DbConfigPath} sets, and {desired.DbConfigPath} is not shown", $"{target.Content.Count(c => c == '\n')} line(s) as declared")
                : PlanValue.Of(target.Content);
            attributes.Add(new AttributeChange(LdapDbConfigAttributeNames.DbConfig, file.Live?.Shown ?? new PlanValue.Absent(), after));
        }

        var running = observed.Service.Running;
        if (attributes.Count == 0 && running && observed.StaleRegions is { } stale)
        {
            // DB_CONFIG is as declared, but what runs was made before it changed: only new regions make it count.
            attributes.Add(AttributeChange.Of(LdapDbConfigAttributeNames.Regions,
                $"{LdapDbConfigObserved.FirstRegion} made {Time(stale.RegionsMade)}, before DB_CONFIG changed {Time(stale.DbConfigChanged)}",
                "made again from DB_CONFIG"));
        }

        if (attributes.Count == 0) return ResourceChange.NoOp(desired);
        var stopped = running ? null : $"{desired.Service} is not running: DB_CONFIG is written and its next start makes the regions from it";
        var note = string.Join("; ", new[] { target.Sizing, stopped }.OfType<string>());
        return new ResourceChange(desired.Address, file.Exists ? ChangeAction.Update : ChangeAction.Create, attributes, desired.Source, note.Length == 0 ? null : note)
        {
            Effects = running ? ChangeEffects.RestartsService : ChangeEffects.None,
        };
    }

    /// <summary>Why the directory cannot be managed as declared, in a sentence: nothing here is worth a stack trace.</summary>
    private static string? Refusal(LdapDbConfigResource desired, LdapDbConfigObserved observed)
    {
        if (!LdapNames.IsServiceName(desired.Service)) return $"service '{Specs.PathRules.Printable(desired.Service)}' is not a service name (letters, digits, '_', '.', '@', ':', '-')";
        if (observed.Refused is { } refused) return refused;
        var directory = desired.Directory;
        switch (observed.State)
        {
            case DbDirectoryState.Missing:
                return $"directory {directory} does not exist on this host: there is no Berkeley DB database there (back-bdb and back-hdb keep one in their olcDbDirectory)";
            case DbDirectoryState.NotDirectory:
                return $"{directory} is not a directory on this host";
        }

        if (observed.SharedDirectory is { } shared)
        {
            return $"unsafe path transition: DB_CONFIG would be created in {shared}, which other users can write";
        }

        var who = observed.ControlledBy?.User ?? "root";
        if (!observed.Writable)
        {
            var why = observed.DirectoryFlags?.Contains('i') == true ? "it is immutable (chattr +i)"
                : observed.DirectoryFlags?.Contains('a') == true ? "it is append-only (chattr +a)"
                : $"{who} may not write it (a read-only mount, or its mode)";
            return $"directory {directory} is read-only: {why}; DB_CONFIG cannot be written nor the region files removed";
        }

        var file = observed.DbConfig;
        if (file.Refused is { } fileRefused) return fileRefused;
        if (file.LinkTarget is { } link) return $"{desired.DbConfigPath} is a symbolic link to {link}; it is not followed";
        if (file.Exists && !file.IsRegularFile) return $"{desired.DbConfigPath} is a {file.Type}, not a regular file";
        if (file.Live?.Unreadable is { } unreadable) return $"{desired.DbConfigPath} cannot be read: {unreadable}";
        if (file.Exists && observed.ControlledBy is { } user && file.OwnerId != user.Uid)
        {
            return $"unsafe path transition: {desired.DbConfigPath} belongs to {file.Owner}, not {user.User}; {user.User} controls the directory, so it is written as {user.User} only";
        }

        if (!observed.Service.Exists)
        {
            return $"there is no service {desired.Service} on this host ({(observed.Service.Manager == "systemd" ? $"no systemd unit {desired.Service}.service" : $"no init script /etc/init.d/{desired.Service}")}); declare as service the slapd that opens {directory}";
        }

        return observed.Service.Unknown is { } unknown ? $"whether {desired.Service} runs cannot be told: {unknown}" : null;
    }

    private static string Time(long epoch) => DateTimeOffset.FromUnixTimeSeconds(epoch).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    protected override string ApplyScript(LdapDbConfigResource desired, LdapDbConfigObserved observed, ResourceChange change) =>
        Transaction(desired.Service, [(desired, observed)]);

    /// <summary>
    /// The directories of one service change in one step, carried by the first: one stop and start of the service however
    /// many of its databases change, shown once as its restart. The others confirm that the step left them as declared.
    /// </summary>
    protected override ChangeGroup? Group(IReadOnlyList<PlannedChange> planned)
    {
        var changing = planned.Where(p => p.Change.Action.ChangesHost())
            .Select(p => (Resource: (LdapDbConfigResource)p.Resource, Observed: (LdapDbConfigObserved)p.Observed, p.Change)).ToList();
        if (changing.Count == 0) return null;
        var steps = new List<GroupStep>();
        var effects = new List<GroupEffect>();
        foreach (var service in changing.GroupBy(c => c.Resource.Service, StringComparer.Ordinal))
        {
            var members = service.ToList();
            var carrier = members[0];
            var note = members.Count == 1 ? null
                : string.Join("; ", new[] { carrier.Change.Note, $"one restart of {service.Key} for {members.Count} database directories" }.OfType<string>());
            var step = new GroupStep(carrier.Resource, Transaction(service.Key, members.Select(m => (m.Resource, m.Observed)).ToList()), note);
            steps.Add(step);
            steps.AddRange(members.Skip(1).Select(m => new GroupStep(m.Resource, Confirm(m.Resource, m.Observed, carrier.Resource.Address.ToString()), ChangeGroup.CarriedNote(step))));
            if (carrier.Observed.Service.Running)
            {
                var check = carrier.Observed.StatTool is { } tool ? $"the new regions read back with {tool} -m and -l" : "no db_stat on the host: only that the regions are made again is checked";
                effects.Add(new GroupEffect(LdapDbConfigAttributeNames.Restart, service.Key, ChangeEffects.RestartsService, null,
                    members.Select(m => (Resource)m.Resource).ToList(), $"stopped, the region files (__db.*) removed, started; {check}; the previous DB_CONFIG put back on failure"));
            }
        }

        return new ChangeGroup(steps, effects);
    }

    /// <summary>The seed's procedure for the directories of <paramref name="service"/> (ldap-db-config.sh, rc_ldbc_run).</summary>
    internal static string Transaction(string service, IReadOnlyList<(LdapDbConfigResource Resource, LdapDbConfigObserved Observed)> members)
    {
        // The engine puts ShellLibrary.Source (rc_write, rc_as) ahead of every step; what rc_as runs needs these functions too.
        var script = new StringBuilder();
        script.AppendLine(ServiceControl.Source);
        script.AppendLine(PathSafety.Carry(ShellFiles.Load("ldap-db-config.sh")));
        foreach (var (resource, observed) in members)
        {
            var target = Decide(resource, observed);
            var write = observed.DbConfig.Sha256 == Sha256Text.Hex(target.Content) ? "-" : Sh.Base64(target.Content);
            // Judged again now: a directory swapped since the plan, or now another user's, stops the step before anything changes.
            script.Append(PathSafety.Rejudge(resource.DbConfigPath, false, observed.ControlledBy?.Uid));
            script.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"rc_ldbc_add \"$rc_as_uid\" \"$p\" {Sh.Quote(write)} {target.Cache?.Total ?? 0} {resource.LgBsize ?? 0}"));
        }

        var first = members[0].Observed;
        script.AppendLine($"rc_ldbc_run {Sh.Quote(service)} {(first.Service.Running ? 1 : 0)} {Sh.Quote(first.StatTool ?? "-")} || exit 1");
        return script.ToString();
    }

    /// <summary>A directory carried by another's step succeeded only if that step left its DB_CONFIG as declared (and, the service running, regions no older).</summary>
    private static string Confirm(LdapDbConfigResource resource, LdapDbConfigObserved observed, string carriedBy)
    {
        var holds = FileFacts.Holds("\"$p\"", Sha256Text.Hex(Decide(resource, observed).Content));
        var regions = observed.Service.Running
            ? " && [ -f \"${p%/*}/__db.001\" ] && [ \"$(stat -c %Y -- \"${p%/*}/__db.001\")\" -ge \"$(stat -c %Y -- \"$p\")\" ]"
            : "";
        return $"""
            {PathSafety.Rejudge(resource.DbConfigPath, false, observed.ControlledBy?.Uid)}rc_as "$rc_as_uid" "$p" {Sh.Quote(holds + regions)} || {"{"} printf '%s\n' {Sh.Quote($"not applied: the step of {carriedBy} did not complete")}; exit 1; {"}"}
            """;
    }
}
