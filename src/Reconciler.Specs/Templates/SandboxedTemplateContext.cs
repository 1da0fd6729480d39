using System.Collections;
using Reconciler.Core.Secrets;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Reconciler.Specs.Templates;

/// <summary>
/// A Scriban context with the limits a template from a pull request needs: no template loader, no evaluating or
/// including functions, bounded recursion, loop iterations (per loop and in total), evaluation steps, render time,
/// text built and output — per render and, through the shared <see cref="TemplateRunBudget"/>, for the whole run.
/// Each limit fails the render with an error at the template's line; none truncates output silently.
/// </summary>
internal sealed class SandboxedTemplateContext : TemplateContext
{
    /// <summary>Function calls nested deeper than this are runaway recursion; real templates nest a handful.</summary>
    public const int MaxRecursion = 32;

    /// <summary>Iterations of all loops together: nested loops multiply, each one alone stays under LoopLimit.</summary>
    public const int MaxTotalIterations = 100_000;

    private readonly TemplateRunBudget _budget;
    private readonly int _outputLimit;
    private long _secretReserve;
    private readonly TemplateLimits _limits;
    private readonly long _started;
    private long _steps;
    private long _text;
    private int _iterations;
    private object? _lastCounted;

    public SandboxedTemplateContext(int outputLimit, TemplateRunBudget budget)
    {
        _budget = budget;
        _outputLimit = outputLimit;
        _limits = budget.Limits;
        _started = budget.Clock.GetTimestamp();
        TemplateLoader = null;
        StrictVariables = true;
        EnableRelaxedMemberAccess = false;
        RecursiveLimit = MaxRecursion;
        LoopLimit = 1000;
        OutputLimit = outputLimit;
        // Also bounds what one call may build (string.pad_left 2000000000 is refused before it allocates).
        LimitToString = outputLimit;
        OnOutputLimit = ScriptLimitBehavior.Throw;
        OnStringLimit = ScriptLimitBehavior.Throw;
        RegexTimeOut = TimeSpan.FromMilliseconds(200);

        foreach (var name in TemplateSandbox.IncludingFunctions)
        {
            BuiltinObject.Remove(name);
        }

        if (BuiltinObject["object"] is ScriptObject objectFunctions)
        {
            foreach (var name in TemplateSandbox.EvaluatingMembers)
            {
                objectFunctions.Remove(name);
            }
        }
    }

    /// <summary>Whether this render placed a secret, so that an output limit it hit is said in terms of placed secrets.</summary>
    public bool PlacedSecrets => _secretReserve > 0;

    /// <summary>The rendered text's limit, for errors.</summary>
    public int FullOutputLimit => _outputLimit;

    /// <summary>
    /// Counts a secret about to be written at its fixed cost (<see cref="SecretStore.MaxPlacedCharacters"/>) instead of its
    /// token's length, by lowering the output limit by the difference (Scriban reads the limit at every write), so the
    /// render fails here or at a later write whatever the value — and the text with its values substituted, each form at
    /// most that cost, can never pass the limit after the render.
    /// </summary>
    public void ReserveForSecret(int tokenLength)
    {
        _secretReserve += SecretStore.MaxPlacedCharacters - tokenLength;
        var left = _outputLimit - _secretReserve;
        if (left < 1)
        {
            // Scriban reads a limit of 0 as none: refused here, before the limit could be lowered that far.
            throw new TemplateLimitException(CurrentSpan, SecretsOverOutputLimit(_outputLimit));
        }

        OutputLimit = (int)left;
    }

    /// <summary>The one error for a render whose output, with each placed secret at its fixed cost, is too long.</summary>
    public static string SecretsOverOutputLimit(int limit) =>
        $"the rendered text is longer than the limit of {limit} characters, counting each secret placed as {SecretStore.MaxPlacedCharacters} characters whatever its value";

    /// <summary>How long this render has run.</summary>
    public TimeSpan Elapsed => _budget.Clock.GetElapsedTime(_started);

    public override object? Evaluate(ScriptNode? scriptNode, bool aliasReturnedFunction)
    {
        var span = scriptNode?.Span ?? CurrentSpan;
        if (++_steps > _limits.StepsPerRender)
        {
            throw new TemplateLimitException(span, $"the template evaluated more than {_limits.StepsPerRender} steps; it is runaway recursion or a loop too large");
        }

        if (++_budget.Steps > _limits.StepsPerRun)
        {
            throw RunLimit(span, $"{_limits.StepsPerRun} evaluation steps");
        }

        // Every step, not every thousandth: one step may be a function call that takes a while (a regular expression).
        var elapsed = Elapsed;
        if (elapsed > _limits.TimePerRender)
        {
            throw new TemplateLimitException(span, $"rendering took longer than {_limits.TimePerRender.TotalSeconds:0.###} s");
        }

        if (_budget.Time + elapsed > _limits.TimePerRun)
        {
            throw RunLimit(span, $"{_limits.TimePerRun.TotalSeconds:0.###} s of rendering");
        }

        var result = base.Evaluate(scriptNode, aliasReturnedFunction);
        CountBuilt(scriptNode, result, span);
        return result;
    }

    protected override bool OnStepLoop(ScriptLoopStatementBase loop)
    {
        if (++_iterations > MaxTotalIterations)
        {
            throw new TemplateLimitException(loop.Span, $"loops ran more than {MaxTotalIterations} iterations in total");
        }

        return base.OnStepLoop(loop);
    }

    /// <summary>
    /// Counts what an expression built: the characters of a string, the items of a list. Reads (a variable, a member, an
    /// index, a literal) build nothing and are not counted, nor is the same value passed up through its enclosing nodes.
    /// Memory a template holds is at most what it built, so bounding this bounds memory and the time spent building.
    /// </summary>
    private void CountBuilt(ScriptNode? node, object? result, SourceSpan span)
    {
        var size = result switch
        {
            string text => text.Length,
            ICollection collection => collection.Count,
            _ => 0,
        };
        if (size == 0 || node is ScriptVariable or ScriptMemberExpression or ScriptIndexerExpression or ScriptLiteral or ScriptNestedExpression
            || ReferenceEquals(result, _lastCounted))
        {
            return;
        }

        _lastCounted = result;
        _text += size;
        _budget.Text += size;
        if (_text > _limits.TextPerRender)
        {
            throw new TemplateLimitException(span, $"the template built more than {_limits.TextPerRender} characters of text and list items in one render");
        }

        if (_budget.Text > _limits.TextPerRun)
        {
            throw RunLimit(span, $"{_limits.TextPerRun} characters of text and list items built");
        }
    }

    private TemplateLimitException RunLimit(SourceSpan span, string limit) =>
        new(span, $"this run's templates together passed their budget of {_budget.Spend(limit)} (for all templates and hosts of one run)");
}
