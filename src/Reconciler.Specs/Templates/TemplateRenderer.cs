using Reconciler.Core.Diagnostics;
using Reconciler.Core.Model;
using Reconciler.Core.Secrets;
using Reconciler.Specs.Inventory;
using System.Text.RegularExpressions;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Reconciler.Specs.Templates;

/// <summary>Renders a template for one host with its variables as globals and <c>host</c> (name, address, groups).</summary>
internal static class TemplateRenderer
{
    /// <summary>The template function that reads a secret by name: <c>{{ secret "mail_db_password" }}</c>.</summary>
    public const string SecretFunction = "secret";

    /// <summary>
    /// Returns the rendered text with its secrets substituted, the values substituted (in the forms placed, for the
    /// redactor), or why rendering failed. Names were checked against the secrets before; the template's secret uses
    /// were checked by <see cref="TemplateSecretUse"/>, and template code sees only opaque tokens.
    /// </summary>
    public static (string? Content, IReadOnlyList<string> Placed, TemplateRenderError? Error) Render(
        CompiledTemplate compiled, HostSpec host, SecretStore secrets, TemplateRunBudget budget)
    {
        if (budget.SpentOn is { } spent)
        {
            return (null, [], new TemplateRenderError(
                DiagnosticCodes.TemplateSandbox,
                $"not rendered: this run's templates already used up their budget of {spent} (for all templates and hosts of one run)",
                new SourceLocation(compiled.DisplayPath, 1, 1)));
        }

        // Strict variables (a missing one fails loudly: empty text in /etc/issue.net would pass every later check), no
        // loader, no eval, and limits that throw — Scriban's default, truncating, would deploy a silently cut-off file.
        var context = new SandboxedTemplateContext((int)SpecTextFile.MaxBytes, budget);
        var placeholders = new SecretPlaceholders(compiled.SecretReads.Select(r => r.Name).ToHashSet(StringComparer.Ordinal));
        var globals = GlobalsFor(host);
        globals.Import(SecretFunction, (string name, string transform = "") =>
        {
            // TemplateSecretUse lets a secret call only be written straight to the output, so each call is one placement.
            var token = placeholders.Issue(name, transform.Length == 0 ? null : transform);
            context.ReserveForSecret(token.Length);
            return token;
        });
        context.PushGlobal(globals);
        string rendered;
        try
        {
            rendered = compiled.Template.Render(context);
        }
        catch (TemplateLimitException e)
        {
            return (null, [], new TemplateRenderError(DiagnosticCodes.TemplateSandbox, e.OriginalMessage, At(compiled, e.Span)));
        }
        catch (ScriptRuntimeException e) when (context.PlacedSecrets && e is not TemplateLimitException && IsOutputLimit(e))
        {
            // The limit Scriban hit was lowered for the secrets placed: said in those terms, not as the lowered number.
            return (null, [], new TemplateRenderError(
                DiagnosticCodes.TemplateSandbox, SandboxedTemplateContext.SecretsOverOutputLimit(context.FullOutputLimit), At(compiled, e.Span)));
        }
        catch (RegexMatchTimeoutException)
        {
            return (null, [], new TemplateRenderError(DiagnosticCodes.TemplateSandbox, "a regular expression took too long", new SourceLocation(compiled.DisplayPath, 1, 1)));
        }
        catch (ScriptRuntimeException e)
        {
            // The static scan catches plain variables; these are members (host.nmae) or names built at run time.
            var isMissingName = e.OriginalMessage.Contains("was not found", StringComparison.Ordinal)
                || e.OriginalMessage.StartsWith("Cannot get member", StringComparison.Ordinal);
            return (null, [], new TemplateRenderError(
                isMissingName ? DiagnosticCodes.UnknownVariable : DiagnosticCodes.TemplateSyntax,
                e.OriginalMessage,
                At(compiled, e.Span)));
        }
        finally
        {
            budget.Time += context.Elapsed;
        }

        // Only now, with the template finished, does any secret value meet the text.
        var (content, placed, problem) = placeholders.Substitute(
            rendered, name => secrets.TryGet(name, out var value) ? value : null, secrets.UnusableMessage, $"{host.Name}\n{compiled.DisplayPath}");
        if (problem is not null)
        {
            return (null, [], new TemplateRenderError(DiagnosticCodes.TemplateSandbox, problem, new SourceLocation(compiled.DisplayPath, 1, 1)));
        }

        // Cannot fail on a value: the render counted each placement at SecretStore.MaxPlacedCharacters and the store holds
        // no value whose form is longer. Kept as a guard so a broken invariant refuses rather than writes an oversize file.
        if (content!.Length > SpecTextFile.MaxBytes)
        {
            return (null, [], new TemplateRenderError(
                DiagnosticCodes.TemplateSandbox,
                $"the rendered text with its secrets is longer than the limit of {SpecTextFile.MaxBytes} characters",
                new SourceLocation(compiled.DisplayPath, 1, 1)));
        }

        return (content, placed, null);
    }

    /// <summary>Scriban's own output-limit error (it has no type of its own).</summary>
    private static bool IsOutputLimit(ScriptRuntimeException e) => e.OriginalMessage.Contains("OutputLimit", StringComparison.Ordinal);

    private static SourceLocation At(CompiledTemplate compiled, Scriban.Parsing.SourceSpan span) =>
        new(compiled.DisplayPath, span.Start.Line + 1, span.Start.Column + 1);

    private static ScriptObject GlobalsFor(HostSpec host)
    {
        var globals = new ScriptObject();
        foreach (var (name, value) in host.Variables)
        {
            globals[name] = ToScriban(value);
        }

        var hostObject = new ScriptObject
        {
            ["name"] = host.Name,
            ["address"] = host.Address,
            ["groups"] = new ScriptArray(host.Groups),
        };
        globals[InventoryReader.HostVariable] = hostObject;
        return globals;
    }

    /// <summary>Nesting is bounded by the YAML reader's depth limit, so recursion is safe here.</summary>
    private static object? ToScriban(object? value) => value switch
    {
        IReadOnlyDictionary<string, object?> mapping => ToScriptObject(mapping),
        IEnumerable<object?> list => new ScriptArray(list.Select(ToScriban)),
        _ => value,
    };

    private static ScriptObject ToScriptObject(IReadOnlyDictionary<string, object?> mapping)
    {
        var scriptObject = new ScriptObject();
        foreach (var (key, item) in mapping)
        {
            scriptObject[key] = ToScriban(item);
        }

        return scriptObject;
    }
}
