using Reconciler.Core.Diagnostics;
using Reconciler.Core.Secrets;
using Scriban;
using Scriban.Syntax;

namespace Reconciler.Specs.Templates;

/// <summary>
/// What a template may do with a secret: write it to the output, as it is or through one transform of a closed set,
/// and nothing else. Checked on the parsed template, before anything renders: a secret that template code could
/// compare, measure, slice, branch on, iterate or hand to a function would leave through some channel (an error
/// message, which line fails, how long a render takes, how large it is), so every such use is refused as a class —
/// not the functions known to leak, but anything other than plain output. At render time <c>secret</c> yields only an
/// opaque placeholder, which the controller replaces with the value after the template has run (see
/// <see cref="SecretPlaceholders"/>): even a use this check missed would see no value.
/// </summary>
internal static class TemplateSecretUse
{
    public const string Usage =
        "a secret can only be written to the output: {{ secret \"NAME\" }}, or {{ secret \"NAME\" \"base64\" }} for one of its forms (base64, ssha512)";

    /// <summary>Statements a secret may be written under: they choose whether and how often text is output, and never see it.</summary>
    private static readonly IReadOnlySet<Type> PlainOutputAncestors = new HashSet<Type>
    {
        typeof(ScriptPage), typeof(ScriptBlockStatement), typeof(ScriptIfStatement), typeof(ScriptElseStatement),
        typeof(ScriptForStatement), typeof(ScriptWhileStatement), typeof(ScriptTableRowStatement),
        typeof(ScriptCaseStatement), typeof(ScriptWhenStatement),
    };

    /// <summary>
    /// Every well-formed <c>secret "NAME"</c> (name and place), so a secret that is not set is reported at its line before
    /// anything renders. Every other use of <c>secret</c> is reported here; the template must then not be rendered.
    /// </summary>
    public static IReadOnlyList<TemplateVariableRead> Check(Template template, string displayPath, ICollection<Diagnostic> diagnostics)
    {
        var reads = new List<TemplateVariableRead>();
        foreach (var variable in TemplateSandbox.Nodes(template.Page).OfType<ScriptVariableGlobal>().Where(IsSecretReference))
        {
            var location = new SourceLocation(displayPath, variable.Span.Start.Line + 1, variable.Span.Start.Column + 1);
            if (Problem(variable) is { } problem)
            {
                diagnostics.Add(Diagnostic.Error(problem.Code, problem.Message, location));
            }
            else
            {
                var call = (ScriptFunctionCall)variable.Parent!;
                reads.Add(new TemplateVariableRead((string)((ScriptLiteral)call.Arguments[0]).Value!, location));
            }
        }

        return reads;
    }

    /// <summary>Member names (<c>x.secret</c>), object keys and named arguments spelled "secret" are not the function.</summary>
    private static bool IsSecretReference(ScriptVariableGlobal variable) =>
        variable.Name == TemplateRenderer.SecretFunction && variable.Parent switch
        {
            ScriptMemberExpression member => !ReferenceEquals(member.Member, variable),
            ScriptObjectMember objectMember => !ReferenceEquals(objectMember.Name, variable),
            ScriptNamedArgument => false,
            _ => true,
        };

    private static (string Code, string Message)? Problem(ScriptVariableGlobal variable)
    {
        if (IsDefinition(variable))
        {
            return (DiagnosticCodes.TemplateSandbox, "'secret' is reserved for reading secrets: it cannot be defined, assigned or a parameter");
        }

        if (variable.Parent is not ScriptFunctionCall call || !ReferenceEquals(call.Target, variable)
            || call.Arguments is not [ScriptLiteral { Value: string name }, ..] || !SecretStore.IsValidName(name))
        {
            return (DiagnosticCodes.TemplateSyntax,
                "secret takes one literal name of lower-case letters, digits and '_', e.g. {{ secret \"mail_db_password\" }}");
        }

        if (call.Arguments.Count > 2
            || call.Arguments.Count == 2 && (call.Arguments[1] is not ScriptLiteral { Value: string transform } || !SecretTransforms.IsKnown(transform)))
        {
            return (DiagnosticCodes.TemplateSyntax,
                $"secret's second argument names the form it is written in, literally: one of {string.Join(", ", SecretTransforms.Names)}");
        }

        if (call.Parent is not ScriptExpressionStatement statement)
        {
            return (DiagnosticCodes.TemplateSandbox,
                $"{Usage}; template code cannot compare, measure, change, branch on, store or pass it to a function (here it is {Describe(Enclosing(call))})");
        }

        for (var node = statement.Parent; node is not null; node = node.Parent)
        {
            if (!IsList(node) && !PlainOutputAncestors.Contains(node.GetType()))
            {
                return (DiagnosticCodes.TemplateSandbox,
                    $"{Usage}; not inside {Describe(node)}, where the text written would reach template code");
            }
        }

        return null;
    }

    /// <summary>Where "secret" is the name being defined: a parameter, function, loop variable, capture or assignment target.</summary>
    private static bool IsDefinition(ScriptVariableGlobal variable) => variable.Parent switch
    {
        ScriptParameter => true,
        ScriptFunction function => ReferenceEquals(function.NameOrDoToken, variable),
        ScriptForStatement loop => ReferenceEquals(loop.Variable, variable),
        ScriptCaptureStatement capture => ReferenceEquals(capture.Target, variable),
        ScriptAssignExpression assign => ReferenceEquals(assign.Target, variable),
        _ => false,
    };

    /// <summary>The node that uses the call's value: argument lists are only containers.</summary>
    private static ScriptNode? Enclosing(ScriptNode node)
    {
        var parent = node.Parent;
        while (parent is not null && IsList(parent))
        {
            parent = parent.Parent;
        }

        return parent;
    }

    private static bool IsList(ScriptNode node) =>
        node.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(ScriptList<>);

    /// <summary>What the secret was handed to, in the template's words, so the author sees which use is refused.</summary>
    private static string Describe(ScriptNode? node) => node switch
    {
        ScriptPipeCall => "piped into a function",
        ScriptFunctionCall or ScriptArgumentBinary => "an argument of a function",
        ScriptBinaryExpression => "an operand of an operator",
        ScriptUnaryExpression => "an operand of an operator",
        ScriptAssignExpression => "assigned to a variable",
        ScriptIfStatement or ScriptConditionalExpression or ScriptWhenStatement or ScriptCaseStatement => "a condition",
        ScriptForStatement or ScriptWhileStatement or ScriptTableRowStatement => "a loop's collection or condition",
        ScriptCaptureStatement => "a capture",
        ScriptFunction or ScriptAnonymousFunction => "a function",
        ScriptWrapStatement => "a wrap",
        ScriptWithStatement => "a with",
        ScriptMemberExpression or ScriptIndexerExpression => "a member or index access",
        ScriptArrayInitializerExpression or ScriptObjectInitializerExpression or ScriptObjectMember => "a list or object",
        ScriptNestedExpression => "parentheses",
        ScriptReturnStatement => "a return value",
        null => "nowhere",
        _ => "an expression",
    };
}
