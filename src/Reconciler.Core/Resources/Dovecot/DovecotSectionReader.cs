using Reconciler.Core.Diagnostics;
using Reconciler.Core.Resources.Dovecot;
using Reconciler.Core.Secrets;
using Reconciler.Core.Specs;

namespace Reconciler.Core.Resources.Dovecot;

/// <summary>
/// Reads a schema-valid <c>dovecot:</c> section: each file becomes a dovecot_file[PATH] (content written, or a template
/// rendered per host), the probe a dovecot_probe[USER] whose password may be a secret reference.
/// </summary>
internal static class DovecotSectionReader
{
    public static IReadOnlyList<ResourceDeclaration> Read(
        SpecMapping dovecot, ISpecFiles files, SecretStore secrets, ICollection<Diagnostic> diagnostics)
    {
        var declarations = dovecot.Items("files").Cast<SpecMapping>().Select(item => ReadFile(item, files, diagnostics)).ToList();
        if (dovecot.Mapping("probe") is { } probe)
        {
            var user = probe.Scalar("user")!;
            var password = SecretReferences.Resolve(probe["password"]!, secrets, diagnostics);
            if (password is not null)
            {
                declarations.Add(new ResourceDeclaration(new DovecotProbeResource(user.RawText, password, probe.Location), null));
            }
        }

        return declarations;
    }

    private static ResourceDeclaration ReadFile(SpecMapping item, ISpecFiles files, ICollection<Diagnostic> diagnostics)
    {
        var path = item.Scalar("path")!;
        if (PathRules.Problem(path.RawText) is { } problem)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.PathNotNormalized, problem, path.Location));
        }
        else if (!DovecotFileResource.IsInConfigDirectory(path.RawText))
        {
            diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.InvalidValue,
                $"path '{path.RawText}' is not under {DovecotFileResource.ConfigDirectory}: doveconf checks only dovecot's configuration directory as a whole; declare other files under 'files'",
                path.Location));
        }

        var mode = item.Scalar("mode");
        if (mode is not null)
        {
            diagnostics.AddIfProblem(DiagnosticCodes.ModeOutOfRange, ValueRules.ModeProblem(mode.RawText), mode.Location);
        }

        var content = item.Scalar("content");
        var template = item.Scalar("template");
        if (content is not null && template is not null)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.Schema, "'content' and 'template' are mutually exclusive; keep one", template.Location));
        }
        else if (content is null && template is null)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.Schema, "a dovecot file needs 'content' or 'template': it is always written whole", item.Location));
        }

        var resource = new DovecotFileResource(
            path.RawText,
            content?.RawText,
            item.Text("owner") ?? DovecotFileResource.DefaultOwner,
            item.Text("group") ?? DovecotFileResource.DefaultGroup,
            mode?.RawText ?? DovecotFileResource.DefaultMode,
            item.Scalar("sensitive")?.Value is true,
            item.Location);
        var reference = template is null ? null : files.Template(template, diagnostics);
        return new ResourceDeclaration(resource, reference);
    }
}
