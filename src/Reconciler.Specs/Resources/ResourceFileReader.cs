using Reconciler.Core.Diagnostics;
using Reconciler.Core.Resources.ConfigLines;
using Reconciler.Core.Resources.Files;
using Reconciler.Core.Resources.Permissions;
using Reconciler.Core.Resources.Postfix;
using Reconciler.Core.Resources.Sysctl;
using Reconciler.Core.Secrets;
using Reconciler.Specs.Files;
using Reconciler.Specs.Validation;
using Reconciler.Specs.Yaml;

namespace Reconciler.Specs.Resources;

/// <summary>Turns a schema-valid resources tree into declarations, reporting every per-file semantic problem.</summary>
internal static class ResourceFileReader
{
    /// <summary>Returns null when the file has errors (they are added to <paramref name="diagnostics"/>).</summary>
    public static ResourceFile? Read(SpecMapping root, string displayPath, ReferencedFiles files, SecretStore secrets, ICollection<Diagnostic> diagnostics)
    {
        var errorsBefore = diagnostics.Count;
        var target = ReadTarget(root.Mapping("target")!);
        var declarations = new List<ResourceDeclaration>();

        foreach (var item in root.Items("sysctls").Cast<SpecMapping>())
        {
            declarations.Add(new ResourceDeclaration(ReadSysctl(item, diagnostics), null));
        }

        foreach (var item in root.Items("files").Cast<SpecMapping>())
        {
            declarations.Add(ReadFile(item, files, diagnostics));
        }

        foreach (var item in root.Items("permissions").Cast<SpecMapping>())
        {
            declarations.Add(new ResourceDeclaration(ReadPermissions(item, diagnostics), null));
        }

        foreach (var item in root.Items("config_lines").Cast<SpecMapping>())
        {
            declarations.Add(new ResourceDeclaration(ReadConfigLine(item, diagnostics), null));
        }

        if (root.Mapping("dsr") is { } dsr)
        {
            declarations.AddRange(DsrSectionReader.Read(dsr, diagnostics));
        }

        if (root.Mapping("firewall") is { } firewall)
        {
            declarations.Add(new ResourceDeclaration(FirewallSectionReader.Read(firewall, files, diagnostics), null));
        }

        // mariadb: first of the mail sections, so a host's databases, users and rows exist before what reads them.
        if (root.Mapping("mariadb") is { } mariadb)
        {
            declarations.AddRange(MariaDbSectionReader.Read(mariadb, secrets, diagnostics));
        }

        // dovecot: { files: [...], probe: {...} } — after the database its login probe reads, before postfix, whose
        // SMTP probe needs dovecot's auth socket (smtpd with SASL on and no socket serves no banner).
        if (root.Mapping("dovecot") is { } dovecot)
        {
            declarations.AddRange(DovecotSectionReader.Read(dovecot, files, secrets, diagnostics));
        }

        // postfix: { main: { PARAM: VALUE } } — one resource per main.cf parameter; the schema checks names and values.
        foreach (var entry in root.Mapping("postfix")?.Mapping("main")?.Entries ?? [])
        {
            declarations.Add(new ResourceDeclaration(new PostfixMainResource(entry.Key.RawText, ((SpecScalar)entry.Value).RawText, entry.Key.Location), null));
        }

        // postfix: { master: [ { service, type, ..., command, args } ] } — one resource per master.cf service (SERVICE/TYPE);
        // omitted columns are "-" (postfix's default), as in master.cf.
        foreach (var item in root.Mapping("postfix")?.Items("master").Cast<SpecMapping>() ?? [])
        {
            string Column(string key) => item.Text(key) ?? "-";
            declarations.Add(new ResourceDeclaration(new PostfixMasterResource(
                item.Text("service")!, item.Text("type")!, Column("private"), Column("unpriv"), Column("chroot"), Column("wakeup"),
                Column("maxproc"), item.Text("command")!, item.Items("args").Cast<SpecScalar>().Select(a => a.RawText).ToList(), item.Location), null));
        }

        // postfix: { maps: [ { name, type, hosts, user, password, dbname, query | table..., probe } ] } — one resource per
        // map file (postfix_map[NAME]), in the same transaction as main.cf and master.cf; the password may be a secret.
        foreach (var item in root.Mapping("postfix")?.Items("maps").Cast<SpecMapping>() ?? [])
        {
            if (PostfixMapReader.Read(item, secrets, diagnostics) is { } map)
            {
                declarations.Add(new ResourceDeclaration(map, null));
            }
        }

        // Warnings (duplicate block-list entries) are reported but do not reject the file.
        return diagnostics.Skip(errorsBefore).Any(d => d.Severity == Severity.Error) ? null : new ResourceFile(displayPath, target, declarations);
    }

    private static ResourceTarget ReadTarget(SpecMapping target)
    {
        var entry = target.Entries[0];
        return entry.Key.RawText == "host"
            ? new ResourceTarget(null, ((SpecScalar)entry.Value).RawText, entry.Value.Location)
            : new ResourceTarget(((SpecScalar)entry.Value).RawText, null, entry.Value.Location);
    }

    private static SysctlResource ReadSysctl(SpecMapping item, ICollection<Diagnostic> diagnostics)
    {
        var key = item.Scalar("key")!;
        var value = item.Scalar("value");
        diagnostics.AddIfProblem(DiagnosticCodes.InvalidValue, ValueRules.SysctlKeyProblem(key.RawText), key.Location);
        diagnostics.AddIfProblem(DiagnosticCodes.InvalidValue, ValueRules.SysctlValueProblem(value?.RawText ?? ""), (value ?? key).Location);
        return new SysctlResource(key.RawText, value?.RawText ?? "", item.Location);
    }

    private static ResourceDeclaration ReadFile(SpecMapping item, ReferencedFiles files, ICollection<Diagnostic> diagnostics)
    {
        var path = item.Scalar("path")!;
        diagnostics.AddIfProblem(DiagnosticCodes.PathNotNormalized, PathRules.Problem(path.RawText), path.Location);

        var mode = item.Scalar("mode");
        if (mode is not null)
        {
            diagnostics.AddIfProblem(DiagnosticCodes.ModeOutOfRange, ValueRules.ModeProblem(mode.RawText), mode.Location);
        }

        var type = item.Text("type") == "directory" ? FileType.Directory : FileType.File;
        var content = item.Scalar("content");
        var template = item.Scalar("template");
        if (content is not null && template is not null)
        {
            diagnostics.AddIfProblem(DiagnosticCodes.Schema, "'content' and 'template' are mutually exclusive; keep one", template.Location);
        }
        else if (type == FileType.Directory && (content ?? template) is { } given)
        {
            diagnostics.AddIfProblem(DiagnosticCodes.Schema, "a directory cannot have 'content' or 'template'", given.Location);
        }

        var hasContent = content is not null || template is not null;
        var whenMissing = item.Text("when_missing") switch
        {
            "create" => WhenMissing.Create,
            "skip" => WhenMissing.Skip,
            "fail" => WhenMissing.Fail,
            _ => hasContent || type == FileType.Directory ? WhenMissing.Create : WhenMissing.Fail,
        };

        var resource = new FileResource(
            path.RawText,
            type,
            item.Text("ensure") == "absent" ? Ensure.Absent : Ensure.Present,
            whenMissing,
            content?.RawText,
            item.Text("owner"),
            item.Text("group"),
            mode?.RawText,
            ReadAttributes(item),
            item.Scalar("sensitive")?.Value is true,
            item.Location) { Follow = item.Scalar("follow")?.Value is true };
        var reference = template is null ? null : files.Template(template, diagnostics);
        return new ResourceDeclaration(resource, reference) { ModeLocation = mode?.Location };
    }

    /// <summary>Flags in the canonical chattr order, so equal sets compare equal however they were listed.</summary>
    private static string? ReadAttributes(SpecMapping item)
    {
        if (item["attributes"] is not SpecSequence attributes)
        {
            return null;
        }

        var listed = attributes.Items.Cast<SpecScalar>().Select(s => s.RawText).ToHashSet(StringComparer.Ordinal);
        return string.Concat(FileResource.ManagedAttributes.Where(flag => listed.Contains(flag.ToString())));
    }

    private static PermissionsResource ReadPermissions(SpecMapping item, ICollection<Diagnostic> diagnostics)
    {
        var path = item.Scalar("path")!;
        var remove = item.Scalar("remove")!;
        diagnostics.AddIfProblem(DiagnosticCodes.PathNotNormalized, PathRules.Problem(path.RawText), path.Location);
        var problem = RemovedBits.Problem(remove.RawText);
        diagnostics.AddIfProblem(DiagnosticCodes.InvalidValue, problem, remove.Location);
        var excluded = item.Items("exclude").Cast<SpecScalar>().ToList();
        foreach (var exclude in excluded)
        {
            var unnormalized = PathRules.Problem(exclude.RawText);
            diagnostics.AddIfProblem(DiagnosticCodes.PathNotNormalized, unnormalized, exclude.Location);
            if (unnormalized is null && !PermissionsResource.IsUnder(exclude.RawText, path.RawText))
            {
                diagnostics.AddIfProblem(DiagnosticCodes.InvalidValue, $"excluded path '{exclude.RawText}' is not under '{path.RawText}'", exclude.Location);
            }
        }

        return new PermissionsResource(
            path.RawText,
            item.Scalar("recursive")?.Value is not false,
            problem is null ? RemovedBits.Normalize(remove.RawText) : remove.RawText,
            excluded.Select(e => e.RawText).ToList(),
            item.Location);
    }

    private static ConfigLineResource ReadConfigLine(SpecMapping item, ICollection<Diagnostic> diagnostics)
    {
        var path = item.Scalar("path")!;
        var key = item.Scalar("key")!;
        var value = item.Scalar("value");
        diagnostics.AddIfProblem(DiagnosticCodes.PathNotNormalized, PathRules.Problem(path.RawText), path.Location);
        diagnostics.AddIfProblem(DiagnosticCodes.InvalidValue, ValueRules.ConfigKeyProblem(key.RawText), key.Location);
        diagnostics.AddIfProblem(DiagnosticCodes.InvalidValue, ValueRules.ConfigValueProblem(value?.RawText ?? ""), (value ?? key).Location);
        return new ConfigLineResource(path.RawText, key.RawText, value?.RawText ?? "", item.Text("separator") ?? " ", item.Location)
        {
            Follow = item.Scalar("follow")?.Value is true,
        };
    }
}
