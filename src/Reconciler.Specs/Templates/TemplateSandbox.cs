using Reconciler.Core.Diagnostics;
using Scriban;
using Scriban.Syntax;

namespace Reconciler.Specs.Templates;

/// <summary>
/// What a template may not do, checked on the parsed template (the syntax tree, not the text, so no spelling hides a
/// call): evaluate text as a template (<c>object.eval</c>, <c>object.eval_template</c>), include files (<c>include</c>,
/// <c>include_join</c>), or reach those through an alias (<c>o = object</c>, <c>import object</c>, <c>this</c>). The
/// renderer removes the same functions, so a template that got past this check still could not call them.
/// </summary>
internal static class TemplateSandbox
{
    /// <summary>Members of Scriban's <c>object</c> builtin that run text as a template: names built at run time would escape every check.</summary>
    public static readonly IReadOnlySet<string> EvaluatingMembers = new HashSet<string>(["eval", "eval_template"], StringComparer.Ordinal);

    /// <summary>Builtins that read other templates (files, through a loader).</summary>
    public static readonly IReadOnlySet<string> IncludingFunctions = new HashSet<string>(["include", "include_join"], StringComparer.Ordinal);

    private const string ObjectBuiltin = "object";

    public static void Check(Template template, string displayPath, ICollection<Diagnostic> diagnostics)
    {
        foreach (var node in Nodes(template.Page))
        {
            if (Problem(node) is { } problem)
            {
                diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.TemplateSandbox,
                    problem,
                    new SourceLocation(displayPath, node.Span.Start.Line + 1, node.Span.Start.Column + 1)));
            }
        }
    }

    private static string? Problem(ScriptNode node) => node switch
    {
        ScriptVariableGlobal { Name: var name } when IncludingFunctions.Contains(name) =>
            $"'{name}' is not allowed in templates: a template reads no other file (put shared text in a variable)",
        ScriptVariableGlobal { Name: var name } when EvaluatingMembers.Contains(name) =>
            $"'{name}' is not allowed in templates: text is never evaluated as a template",
        ScriptMemberExpression { Member: ScriptVariable { Name: var member } } when EvaluatingMembers.Contains(member) =>
            $"'object.{member}' is not allowed in templates: text is never evaluated as a template, so secret names stay literal",
        ScriptVariableGlobal { Name: ObjectBuiltin, Parent: var parent } when !IsPlainMemberTarget(node, parent) =>
            "'object' may only be used as object.FUNCTION (e.g. object.keys): an alias, import or index could reach object.eval",
        ScriptImportStatement =>
            "'import' is not allowed in templates: it could bring evaluating functions into scope under other names",
        ScriptThisExpression =>
            "'this' is not allowed in templates: indexing it by a computed name could reach any function",
        _ => null,
    };

    private static bool IsPlainMemberTarget(ScriptNode node, ScriptNode? parent) =>
        parent is ScriptMemberExpression member && ReferenceEquals(member.Target, node);

    /// <summary>Every node of the tree, depth first.</summary>
    internal static IEnumerable<ScriptNode> Nodes(ScriptNode? root)
    {
        var pending = new Stack<ScriptNode>();
        if (root is not null)
        {
            pending.Push(root);
        }

        while (pending.TryPop(out var node))
        {
            yield return node;
            for (var i = node.ChildrenCount - 1; i >= 0; i--)
            {
                if (node.GetChildren(i) is { } child)
                {
                    pending.Push(child);
                }
            }
        }
    }
}
