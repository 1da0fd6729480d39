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
