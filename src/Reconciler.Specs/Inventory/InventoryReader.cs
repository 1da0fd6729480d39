using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Resources.MariaDb;
using Reconciler.Core.Specs;
using Reconciler.Specs.Files;
using Reconciler.Specs.Validation;
using Reconciler.Specs.Yaml;

namespace Reconciler.Specs.Inventory;

/// <summary>Turns a schema-valid inventory tree into hosts, reporting every semantic problem.</summary>
internal static class InventoryReader
{
    /// <summary>Templates see the host as this variable, so no layer may define it.</summary>
    public const string HostVariable = "host";

    /// <summary>Returns null when the file has errors (they are added to <paramref name="diagnostics"/>).</summary>
    /// <param name="reviewed">
    /// For a change's inventory, the base's: only a key file the base already names for the host is looked at on this
    /// machine (see <see cref="IdentityFileProblem"/>). Null: every host's key file is this tree's own to check.
    /// </param>
    public static HostInventory? Read(
        SpecMapping root,
        string displayPath,
        string specsDirectory,
        ICollection<Diagnostic> diagnostics,
        HostInventory? reviewed = null)
    {
        var errorsBefore = diagnostics.Count;
        var allVariables = ReadVariables(root.Mapping("variables"), diagnostics);
        var allManage = ReadMariaDbManage(root.Mapping("mariadb"), diagnostics);
        var defaults = Connection.Of(root.Mapping("defaults"));
        var groupConnections = new Dictionary<string, Connection>(StringComparer.Ordinal);
        var groupVariables = new Dictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
        var groupManage = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var hostManage = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var group in root.Mapping("groups")?.Entries ?? [])
        {
            if (group.Key.RawText == HostInventory.AllGroup)
            {
                diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.DuplicateName,
                    "group 'all' is implicit (it contains every host) and cannot be declared; use top-level 'variables'",
                    group.Key.Location));
                continue;
            }

            groupVariables[group.Key.RawText] =
                ReadVariables((group.Value as SpecMapping)?.Mapping("variables"), diagnostics);
            groupManage[group.Key.RawText] = ReadMariaDbManage((group.Value as SpecMapping)?.Mapping("mariadb"), diagnostics);
            groupConnections[group.Key.RawText] = Connection.Of(group.Value as SpecMapping);
        }

        var read = new List<BastionRoutes.Declared>();
        var hostEntries = root.Mapping("hosts")?.Entries ?? [];
        foreach (var entry in hostEntries)
        {
            hostManage[entry.Key.RawText] = ReadMariaDbManage((entry.Value as SpecMapping)?.Mapping("mariadb"), diagnostics);
            if (ReadHost(entry, specsDirectory, allVariables, groupVariables, defaults, groupConnections, diagnostics, reviewed) is { } host)
            {
                read.Add(host);
            }
        }

        var routed = BastionRoutes.Resolve(read, hostEntries.Select(e => e.Key.RawText).ToHashSet(StringComparer.Ordinal), diagnostics);
        return diagnostics.Count > errorsBefore
            ? null
            : new HostInventory(
                displayPath,
                routed.Where(h => !h.BastionOnly).Select(h => h.Host).ToList(),
                groupVariables.Keys.Append(HostInventory.AllGroup).ToHashSet(StringComparer.Ordinal))
            {
                MariaDb = new MariaDbAllowlist(allManage, groupManage, hostManage),
                Bastions = routed.Where(h => h.BastionOnly).Select(h => h.Host).ToList(),
                Parallel = root.Mapping("defaults")?.Scalar("parallel")?.Value is long parallel ? (int)parallel : null,
            };
    }

    /// <summary>
    /// A <c>mariadb: { manage: [...] }</c> list: <c>db.*</c>, <c>db.table</c> or <c>user:NAME@HOST</c> (the schema checks
    /// the shape). The server's own schemas and accounts are never managed, so listing one is an error rather than a
    /// promise the reader won't keep.
    /// </summary>
    private static IReadOnlyList<string> ReadMariaDbManage(SpecMapping? mariadb, ICollection<Diagnostic> diagnostics)
    {
        var entries = new List<string>();
        foreach (var item in mariadb?.Items("manage").Cast<SpecScalar>() ?? [])
        {
            if (MariaDbManageProblem(item.RawText) is { } problem)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, problem, item.Location));
            }
            else
            {
                entries.Add(item.RawText);
            }
        }

        return entries;
    }

    private static string? MariaDbManageProblem(string entry)
    {
        if (entry.StartsWith(MariaDbScope.AccountPrefix, StringComparison.Ordinal))
        {
            return MariaDbScope.ParseAccount(entry) is not { } account ? $"'{entry}' is not user:NAME@HOST"
                : MariaDbScope.SystemAccounts.Contains(account.Name)
                    ? $"'{account.Name}' is a MariaDB system account (reconciler itself connects as root over the unix socket); it is never managed"
                    : null;
        }

        return MariaDbGrant.ParseOn(entry) is not { } on ? $"'{entry}' is not db.*, db.table or user:NAME@HOST"
            : MariaDbNames.IsSystemSchema(on.Database) ? $"'{on.Database}' is a MariaDB system schema; it holds accounts and password hashes and is never managed"
            : null;
    }

    private static BastionRoutes.Declared? ReadHost(
        SpecMappingEntry entry,
        string specsDirectory,
        Dictionary<string, object?> allVariables,
        Dictionary<string, Dictionary<string, object?>> groupVariables,
        Connection defaults,
        Dictionary<string, Connection> groupConnections,
        ICollection<Diagnostic> diagnostics,
        HostInventory? reviewed)
    {
        var errorsBefore = diagnostics.Count;
        var name = entry.Key.RawText;
        var host = (SpecMapping)entry.Value;

        var address = host.Scalar("address")!;
        if (!AddressRules.IsValid(address.RawText))
        {
            diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.InvalidAddress,
                $"host '{name}': address '{address.RawText}' is not an IPv4 address, IPv6 address or DNS name",
                address.Location));
        }

        var hostKey = host.Scalar("host_key")!;
        var (normalizedKey, keyProblem) = HostKeyRules.Normalize(hostKey.RawText);
        if (keyProblem is not null)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidHostKey, $"host '{name}': {keyProblem}", hostKey.Location));
        }

        var variables = new Dictionary<string, object?>(allVariables, StringComparer.Ordinal);
        var groups = new List<string>();
        foreach (var groupNode in host.Items("groups").Cast<SpecScalar>())
        {
            var group = groupNode.RawText;
            if (group == HostInventory.AllGroup)
            {
                continue; // Every host is in 'all' already, and its variables are the first layer.
            }

            if (!groupVariables.TryGetValue(group, out var layer))
            {
                diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.UnknownTarget,
                    $"host '{name}': group '{group}' is not declared under 'groups'{DidYouMean.Suggest(group, groupVariables.Keys)}",
                    groupNode.Location));
                continue;
            }

            groups.Add(group);
            Overlay(variables, layer);
        }

        Overlay(variables, ReadVariables(host.Mapping("variables"), diagnostics));
        // Connection settings: the host's own, else the last of its groups that sets one, else defaults.
        var connection = groups.Select(g => groupConnections[g]).Prepend(defaults).Append(Connection.Of(host)).Aggregate(Connection.Over);
        // No identity_file anywhere: the controller's ssh-agent (SSH_AUTH_SOCK) is asked for keys when it connects.
        string? identityFile = null;
        if (connection.IdentityFile is { } identity)
        {
            identityFile = ExpandIdentityFile(identity.RawText, specsDirectory);
            // A key file the reviewed inventory does not already name for this host is one the change brings: such a host
            // is never contacted by the change's plan, so its key is not looked at here either, and whether a path exists,
            // what it is or how large it is on this machine cannot come back as a pass or a refusal.
            var reviewedKey = reviewed is null || reviewed.Hosts.Concat(reviewed.Bastions).Any(h => h.Name == name && h.IdentityFile == identityFile);
            diagnostics.AddIfProblem(DiagnosticCodes.OutsideSpecs,
                reviewedKey ? IdentityFileProblem(identity.RawText, identityFile) : ControlCharacterProblem(identity.RawText), identity.Location);
        }

        if (diagnostics.Count > errorsBefore)
        {
            return null;
        }

        var spec = new HostSpec(
            name,
            address.RawText,
            connection.Port ?? 22,
            connection.User ?? "root",
            identityFile,
            normalizedKey!,
            groups,
            variables)
        {
            ConnectTimeout = connection.ConnectTimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        };
        return new BastionRoutes.Declared(spec, connection.Via, host.Scalar("bastion_only")?.Value is true);
    }

    /// <summary>The connection settings one layer (defaults, a group, a host) sets; null where it sets none.</summary>
    private sealed record Connection(int? Port, string? User, SpecScalar? IdentityFile, int? ConnectTimeoutSeconds, SpecScalar? Via)
    {
        public static Connection Of(SpecMapping? layer) => new(
            layer?.Scalar("port")?.Value is long port ? (int)port : null,
            layer?.Text("user"),
            layer?.Scalar("identity_file"),
            layer?.Scalar("connect_timeout")?.Value is long timeout ? (int)timeout : null,
            layer?.Scalar("via"));

        /// <summary><paramref name="later"/>'s settings over <paramref name="earlier"/>'s.</summary>
        public static Connection Over(Connection earlier, Connection later) => new(
            later.Port ?? earlier.Port, later.User ?? earlier.User, later.IdentityFile ?? earlier.IdentityFile,
            later.ConnectTimeoutSeconds ?? earlier.ConnectTimeoutSeconds, later.Via ?? earlier.Via);
    }

    /// <summary>Shallow merge: a later layer replaces a whole value, even a mapping.</summary>
    private static void Overlay(Dictionary<string, object?> target, Dictionary<string, object?> layer)
    {
        foreach (var (key, value) in layer)
        {
            target[key] = value;
        }
    }

    private static Dictionary<string, object?> ReadVariables(SpecMapping? mapping, ICollection<Diagnostic> diagnostics)
    {
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var entry in mapping?.Entries ?? [])
        {
            if (entry.Key.RawText == HostVariable)
            {
                diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.InvalidValue,
                    "variable name 'host' is reserved: templates see the host's name, address and groups under it",
                    entry.Key.Location));
                continue;
            }

            variables[entry.Key.RawText] = entry.Value.ToPlainValue();
        }

        return variables;
    }

    /// <summary>Far above any private key (an RSA-16384 key in PEM is about 12 KiB).</summary>
    public const long MaxIdentityFileBytes = 64 * 1024;

    /// <summary>
    /// The key file is the one file a spec names outside the specs directory (a key must not live in the repository),
    /// so it may at least not be a kernel or device file: /proc/self/environ holds the secrets, /dev/zero never ends.
    /// Class closed: the rule holds for where the path leads after every link (a link named key.pem may lead to
    /// /dev/zero), and the target must be a small regular file. A key that does not exist here is no error (the fork
    /// job has no key; the runner that connects has): the transport reads it under the same rules.
    /// Second class closed: the path is the pull request's, the file system is the runner's, so the refusal is one
    /// message whatever the reason — which rule failed, a file's type or size, where a link leads would each tell the
    /// pull request something about the runner it could not otherwise read.
    /// </summary>
    private static string? IdentityFileProblem(string written, string expanded)
    {
        if (ControlCharacterProblem(written) is { } control) return control;
        var usable = !ResolvedPath.IsForbidden(expanded)
            && (ResolvedPath.Of(expanded) is not { } target
                || !ResolvedPath.IsForbidden(target) && UnixFileType.IsRegularFile(target) && IsSmall(target));
        return usable ? null : NotUsable(written);
    }

    /// <summary>What is wrong with the key file's name as written, without looking at this machine.</summary>
    private static string? ControlCharacterProblem(string written) =>
        written.Any(char.IsControl) ? $"identity_file '{PathRules.Printable(written)}' is refused: it contains a control character" : null;

    private static bool IsSmall(string file)
    {
        try
        {
            return new FileInfo(file).Length <= MaxIdentityFileBytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // removed or replaced since it was resolved: not usable, said the same way
        }
    }

    /// <summary>The one refusal of an identity_file, naming it only as written.</summary>
    internal static string NotUsable(string written) =>
        $"identity_file '{written}' is not usable: a key file must be a regular file of at most {MaxIdentityFileBytes / 1024} KiB outside /proc, /sys and /dev";

    /// <summary>'~' is the home directory; relative paths are relative to the specs directory, not the working one.</summary>
    private static string ExpandIdentityFile(string path, string specsDirectory)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            path = Path.Join(home, path[1..]);
        }

        return Path.GetFullPath(path, specsDirectory);
    }
}
