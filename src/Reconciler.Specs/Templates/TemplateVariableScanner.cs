using Reconciler.Core.Diagnostics;
using Scriban;
using Scriban.Syntax;

namespace Reconciler.Specs.Templates;

/// <summary>
/// Finds the global variables a template reads but does not define (by assignment, loop, capture or function), so a
/// missing variable is reported at its line before anything is rendered.
/// </summary>
internal static class TemplateVariableScanner
{
    private static readonly IReadOnlySet<string> BuiltinNames =
        new TemplateContext().BuiltinObject.GetMembers().ToHashSet(StringComparer.Ordinal);

    public static IReadOnlyList<TemplateVariableRead> Scan(Template template, string displayPath)
    {
        var globals = Globals(template);
        var defined = globals.Where(IsDefinition).Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        return globals
            .Where(g => IsRead(g) && !defined.Contains(g.Name) && !BuiltinNames.Contains(g.Name))
            .Select(g => new TemplateVariableRead(g.Name, new SourceLocation(displayPath, g.Span.Start.Line + 1, g.Span.Start.Column + 1)))
            .ToList();
    }

    /// <summary>
    /// Every <c>secret "NAME"</c> call, by name and place, so a secret that is not set is reported at its line before
    /// anything renders. The name must be a literal: a computed one could not be checked, or masked, in advance.
    /// </summary>
    public static IReadOnlyList<TemplateVariableRead> SecretReads(Template template, string displayPath, ICollection<Diagnostic> diagnostics)
    {
        var reads = new List<TemplateVariableRead>();
        foreach (var call in Globals(template).Where(g => g.Name == TemplateRenderer.SecretFunction && IsRead(g)))
        {
            var location = new SourceLocation(displayPath, call.Span.Start.Line + 1, call.Span.Start.Column + 1);
            if (call.Parent is ScriptFunctionCall { Arguments: [ScriptLiteral { Value: string name }] } && Core.Secrets.SecretStore.IsValidName(name))
            {
                reads.Add(new TemplateVariableRead(name, location));
            }
            else
            {
                diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.TemplateSyntax,
                    "secret takes one literal name of lower-case letters, digits and '_', e.g. {{ secret \"mail_db_password\" }}",
                    location));
            }
        }

        return reads;
    }

    private static List<ScriptVariableGlobal> Globals(Template template)
    {
        var globals = new List<ScriptVariableGlobal>();
        var pending = new Stack<ScriptNode>();
        if (template.Page is not null)
        {
            pending.Push(template.Page);
        }

        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (node is ScriptVariableGlobal global)
            {
                globals.Add(global);
            }

            for (var i = node.ChildrenCount - 1; i >= 0; i--)
            {
                if (node.GetChildren(i) is { } child)
                {
                    pending.Push(child);
                }
            }
        }

        return globals;
    }

    private static bool IsDefinition(ScriptVariableGlobal variable) => variable.Parent switch
    {
        ScriptAssignExpression assign => ReferenceEquals(assign.Target, variable),
        ScriptForStatement loop => ReferenceEquals(loop.Variable, variable),
        ScriptCaptureStatement capture => ReferenceEquals(capture.Target, variable),
        ScriptFunction function => ReferenceEquals(function.NameOrDoToken, variable),
        ScriptParameter => true,
        _ => false,
    };

    /// <summary>Member names (host.name) and object keys ({ k: v }) parse as variables but read nothing.</summary>
    private static bool IsRead(ScriptVariableGlobal variable) => variable.Parent switch
    {
        ScriptMemberExpression member => !ReferenceEquals(member.Member, variable),
        ScriptObjectMember objectMember => !ReferenceEquals(objectMember.Name, variable),
        ScriptNamedArgument => false,
        _ => !IsDefinition(variable),
    };
}
